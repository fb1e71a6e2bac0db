using Google.Protobuf.WellKnownTypes;
using NeoCloud.Infra.Policy.Hosting;
using NeoCloud.Infra.Policy.Protocol;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Model;
using StringValue = NeoCloud.Infra.Policy.Rules.Model.StringValue;
using Wire = NeoCloud.Infra.Policy.Protocol.Wire;

namespace NeoCloud.Infra.Policy.Tests.Protocol;

public sealed class PropertyMappingTests
{
    private static Value Secret(Value inner) => Value.ForStruct(new Struct
    {
        Fields = { [PulumiWireValues.SignatureKey] = Value.ForString(PulumiWireValues.SecretSignature), ["value"] = inner },
    });

    [Fact]
    public void Secrets_collected_while_mapping_scrub_like_a_walk_over_the_stack()
    {
        // AnalyzeStack scrubs with the secrets the mapping saw (SecretScrubber.OfSecrets) instead of walking 5,000 resources again.
        var nested = Value.ForStruct(new Struct { Fields = { ["inner"] = Secret(Value.ForString("nested-secret-2")), ["k"] = Value.ForString("outer-secret-1") } });
        var resource = new AnalyzerResource
        {
            Type = "x:y:Z",
            Urn = "urn:pulumi:dev::p::x:y:Z::r",
            Properties = new Struct
            {
                Fields =
                {
                    ["password"] = Secret(Value.ForString(Fixtures.SecretText)),
                    ["deep"] = Value.ForList(Value.ForStruct(new Struct { Fields = { ["s"] = Secret(nested) } })),
                    ["plain"] = Value.ForString("not-a-secret"),
                },
            },
            Provider = new AnalyzerProviderResource { Type = "pulumi:providers:aws", Urn = "urn:p", Name = "aws", Properties = new Struct { Fields = { ["token"] = Secret(Value.ForString("provider-token")) } } },
        };
        var plain = new AnalyzerResource { Type = "x:y:Z", Urn = "urn:pulumi:dev::p::x:y:Z::q", Properties = new Struct { Fields = { ["a"] = Value.ForString("abc") } } };
        var collected = new List<PropertyValue>();
        var snapshots = new[] { resource, plain }.Select(r => PropertyMapping.FromResource(r, collected)).ToList();
        var message = $"{Fixtures.SecretText} outer-secret-1 nested-secret-2 provider-token not-a-secret abc";
        var walked = NeoCloud.Infra.Policy.Rules.Evaluation.SecretScrubber.Of(snapshots).Scrub(message);
        Assert.Equal("[secret] [secret] [secret] [secret] not-a-secret abc", walked);
        Assert.Equal(walked, NeoCloud.Infra.Policy.Rules.Evaluation.SecretScrubber.OfSecrets(collected).Scrub(message));
        Assert.True(NeoCloud.Infra.Policy.Rules.Evaluation.SecretScrubber.OfSecrets([]).IsEmpty);
    }

    [Fact]
    public void Signatures_and_sentinels_become_explicit_nodes()
    {
        var properties = new Struct
        {
            Fields =
            {
                ["password"] = Secret(Value.ForString(Fixtures.SecretText)),
                ["image"] = Value.ForString(Fixtures.UnknownString),
                ["spec"] = Value.ForString(Fixtures.UnknownObject),
                ["items"] = Value.ForList(Value.ForString(Fixtures.UnknownNumber), Value.ForBool(true)),
                ["archive"] = Value.ForStruct(new Struct { Fields = { [PulumiWireValues.SignatureKey] = Value.ForString(PulumiWireValues.ArchiveSignature), ["path"] = Value.ForString("./a") } }),
                ["__defaults"] = Value.ForList(),
                ["plain"] = Value.ForNumber(3),
            },
        };
        var value = PropertyMapping.FromStruct(properties);
        Assert.False(value.Properties.ContainsKey("__defaults"));
        Assert.Equal(new SecretValue(new StringValue(Fixtures.SecretText)), value["password"]);
        Assert.Equal(new UnknownValue(UnknownKind.String), value["image"]);
        Assert.Equal(new UnknownValue(UnknownKind.Object), value["spec"]);
        Assert.Equal(new UnknownValue(UnknownKind.Number), value["items"].Items()[0]);
        Assert.Equal(new AssetValue(AssetKind.Archive, "./a"), value["archive"]);
        Assert.Equal(3, value["plain"].AsNumber());
        Assert.Equal("[secret]", value["password"].Display());
        Assert.DoesNotContain(Fixtures.SecretText, value["password"].ToString(), StringComparison.Ordinal);
        Assert.Throws<UnknownValueException>(() => value["spec"]["template"]);
    }

    [Fact]
    public void Round_trip_keeps_secrets_and_unknowns()
    {
        var original = Fixtures.Props($$$$$"""{"a":{{{{{Fixtures.Secret("{\"b\":1}")}}}}},"u":"{{{{{Fixtures.UnknownArray}}}}}","n":null,"l":[1,"x",false]}""");
        var back = PropertyMapping.FromStruct(PropertyMapping.ToStruct(original));
        Assert.Equal(original, back);
        Assert.True(back["a"]["b"].IsSecret);
    }

    [Fact]
    public void Deeply_nested_structs_do_not_overflow()
    {
        var value = Value.ForString("leaf");
        for (var i = 0; i < 5000; i++)
        {
            value = Value.ForStruct(new Struct { Fields = { ["x"] = value } });
        }
        var mapped = PropertyMapping.FromValue(value);
        Assert.IsType<ObjectValue>(mapped);
    }

    [Fact]
    public void Resource_options_provider_and_dependencies_are_mapped()
    {
        var resource = new AnalyzerResource
        {
            Type = "aws:s3/bucketVersioningV2:BucketVersioningV2",
            Urn = "urn:pulumi:prod::p::aws:s3/bucketVersioningV2:BucketVersioningV2::v",
            Parent = "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod",
            Dependencies = { "urn:b" },
            PropertyDependencies = { ["bucket"] = new AnalyzerPropertyDependencies { Urns = { "urn:b" } } },
            Options = new AnalyzerResourceOptions { Protect = true, IgnoreChanges = { "tags" }, CustomTimeouts = new AnalyzerResourceOptions.Types.CustomTimeouts { Create = 60 } },
            Provider = new AnalyzerProviderResource { Type = "pulumi:providers:aws", Urn = "urn:prov", Name = "default", Properties = new Struct() },
        };
        var snapshot = PropertyMapping.FromResource(resource);
        Assert.Equal("v", snapshot.Name);
        Assert.True(snapshot.Options.Protect);
        Assert.Equal(["tags"], snapshot.Options.IgnoreChanges.ToArray());
        Assert.True(snapshot.PropertyDependsOn("bucket", "urn:b"));
        Assert.Equal("pulumi:providers:aws", snapshot.Provider!.Type);
        Assert.Equal(resource.Parent, snapshot.Parent);
    }
}

public sealed class AnalyzerServiceTests
{
    private static AnalyzerService Service() => new(NeoCloudPolicyPack.Create());

    [Fact]
    public void Analyzer_info_lists_every_policy_with_object_schemas()
    {
        var info = Service().GetAnalyzerInfo();
        Assert.True(info.SupportsConfig);
        Assert.Equal(NeoCloudPolicyPack.Rules().Count, info.Policies.Count);
        foreach (var policy in info.Policies)
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", policy.Name);
            Assert.NotEqual(PolicyType.Unknown, policy.PolicyType);
            Assert.NotEqual(Wire.PolicySeverity.Unspecified, policy.Severity);
            Assert.All(policy.ConfigSchema.Properties.Fields.Values, v => Assert.Equal(Value.KindOneofCase.StructValue, v.KindCase));
        }
    }

    [Fact]
    public void Configure_stack_picks_prod_defaults_by_stack_name()
    {
        var service = Service();
        Assert.Contains(service.GetAnalyzerInfo().Policies, p => p.EnforcementLevel == Wire.EnforcementLevel.Advisory);
        service.ConfigureStack(new AnalyzerStackConfigureRequest { Stack = "prod", Project = "neocloud", DryRun = true });
        Assert.All(service.GetAnalyzerInfo().Policies, p => Assert.Equal(Wire.EnforcementLevel.Mandatory, p.EnforcementLevel));
        Assert.True(service.Stack.DryRun);
    }

    [Fact]
    public void Configure_rejects_bad_settings_naming_policy_and_key()
    {
        var request = new ConfigureAnalyzerRequest();
        request.PolicyConfig["triton-probes-and-metrics"] = new PolicyConfig
        {
            EnforcementLevel = Wire.EnforcementLevel.Mandatory,
            Properties = new Struct { Fields = { ["metricsPort"] = Value.ForString("8002") } },
        };
        var e = Assert.Throws<Grpc.Core.RpcException>(() => Service().Configure(request));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("triton-probes-and-metrics.metricsPort: expected an integer, got a string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_applies_levels_and_settings()
    {
        var service = Service();
        var request = new ConfigureAnalyzerRequest();
        request.PolicyConfig["images-pinned"] = new PolicyConfig { EnforcementLevel = Wire.EnforcementLevel.Disabled };
        service.Configure(request);
        var response = service.Analyze(new AnalyzeRequest
        {
            Type = "kubernetes:core/v1:Pod",
            Urn = "urn:pulumi:dev::p::kubernetes:core/v1:Pod::p",
            Properties = PropertyMapping.ToStruct(Fixtures.Props("""{"metadata":{"labels":{"neocloud.io/environment":"dev","neocloud.io/cost-center":"x"}},"spec":{"containers":[{"name":"a","image":"a"}]}}""")),
        });
        Assert.Empty(response.Diagnostics);
    }

    [Fact]
    public void Rule_exceptions_become_advisory_diagnostics()
    {
        var pack = new NeoCloud.Infra.Policy.Rules.Evaluation.PolicyPack("t", "0", [new ThrowingRule()]);
        var diagnostics = pack.Analyze(ResourceSnapshot.Create("x:y:Z", "r", ObjectValue.Empty),
            NeoCloud.Infra.Policy.Rules.Evaluation.PolicySettings.Defaults(pack.Rules, NeoCloud.Infra.Policy.Rules.Evaluation.StackKind.Prod), Fixtures.Stack());
        var d = Assert.Single(diagnostics);
        Assert.Equal(NeoCloud.Infra.Core.Policy.EnforcementLevel.Advisory, d.Level);
        Assert.DoesNotContain(Fixtures.SecretText, d.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingRule : NeoCloud.Infra.Policy.Rules.Evaluation.IResourceRule
    {
        public NeoCloud.Infra.Policy.Rules.Evaluation.PolicyDescriptor Descriptor { get; } = new("throws", "Throws", "Always throws.",
            NeoCloud.Infra.Policy.Rules.Evaluation.PolicySeverity.Low, NeoCloud.Infra.Policy.Rules.Evaluation.PolicyKind.Resource,
            NeoCloud.Infra.Core.Policy.EnforcementLevel.Mandatory, NeoCloud.Infra.Core.Policy.EnforcementLevel.Mandatory,
            NeoCloud.Infra.Policy.Rules.Configuration.ConfigSchema.None, []);

        public IEnumerable<NeoCloud.Infra.Policy.Rules.Evaluation.Violation> Check(ResourceSnapshot resource, NeoCloud.Infra.Policy.Rules.Evaluation.RuleContext context) =>
            throw new InvalidOperationException(Fixtures.SecretText);
    }
}

public sealed class HostingAndArgumentsTests
{
    [Theory]
    [InlineData(new[] { "127.0.0.1:5000" }, "127.0.0.1:5000", 0)]
    [InlineData(new[] { "127.0.0.1:5000", "." }, "127.0.0.1:5000", 0)]
    [InlineData(new[] { "--logtostderr", "-v=9", "--tracing", "http://t:1", "127.0.0.1:7" }, "127.0.0.1:7", 9)]
    [InlineData(new[] { "-v=x", "--unknown" }, null, 0)]
    [InlineData(new string[0], null, 0)]
    public void Engine_arguments_are_parsed_defensively(string[] args, string? address, int verbosity)
    {
        var parsed = EngineArguments.Parse(args);
        Assert.Equal(address, parsed.EngineAddress);
        Assert.Equal(verbosity, parsed.Verbosity);
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("Application/GRPC; charset=utf-8", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/grpc-web+proto", false)]
    [InlineData("application/grpc-web-text", false)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/json", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_protobuf_grpc_content_types_are_accepted(string? contentType, bool accepted) =>
        Assert.Equal(accepted, GrpcContentType.IsAccepted(contentType));

    [Fact]
    public void Stack_from_plugin_environment()
    {
        var env = new Dictionary<string, string> { ["PULUMI_STACK"] = "org/prod-eu", ["PULUMI_CONFIG"] = """{"neocloud:costCenter":"ml"}""", ["PULUMI_DRY_RUN"] = "false" };
        var stack = AnalyzerHost.StackFromEnvironment(k => env.GetValueOrDefault(k));
        Assert.Equal(NeoCloud.Infra.Policy.Rules.Evaluation.StackKind.Prod, stack.Kind);
        Assert.False(stack.DryRun);
        Assert.Equal("ml", stack.ConfigValue("neocloud:costCenter"));

        // Malformed variables never crash the host: the config is empty and the defaults are dev's.
        var malformed = AnalyzerHost.StackFromEnvironment(_ => "{bad");
        Assert.Empty(malformed.Config);
        Assert.Equal(NeoCloud.Infra.Policy.Rules.Evaluation.StackKind.Dev, malformed.Kind);
    }

    [Theory]
    [InlineData("org/prod-eu", null, null, "Prod")]
    [InlineData("org/production", null, null, "Prod")]
    [InlineData("nonprod", null, null, "Dev")]
    [InlineData("preprod", null, null, "Dev")]
    [InlineData("anything", "prod", null, "Prod")]
    [InlineData("prod-eu", "staging", null, "Dev")]
    [InlineData("staging", "staging", """{"enforcement":"strict"}""", "Prod")]
    [InlineData("staging", "staging", "{not json", "Dev")]
    public void Stack_defaults_follow_cores_production_rule(string stack, string? environment, string? policy, string expected)
    {
        var config = new Dictionary<string, string>();
        if (environment is not null)
        {
            config["neocloud:environment"] = environment;
        }

        if (policy is not null)
        {
            config["neocloud:policy"] = policy;
        }

        Assert.Equal(expected, NeoCloud.Infra.Policy.Rules.Evaluation.StackInfo.KindOf(stack, config).ToString());
    }
}
