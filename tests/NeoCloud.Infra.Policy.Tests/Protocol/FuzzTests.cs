using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NeoCloud.Infra.Policy.Protocol;
using NeoCloud.Infra.Policy.Protocol.View;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules;
using Model = NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Tests.Protocol;

/// <summary>10,000 random property structs through the wire format, the mapping and every rule: no exception, bounded time.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Keys =
    [
        "metadata", "spec", "template", "containers", "initContainers", "image", "env", "name", "value", "valueFrom", "labels", "values",
        "password", "apiKey", "tags", "bucket", "rules", "policy", "resources", "limits", "requests", "nvidia.com/gpu", "nvidia.com/mig-1g.10gb",
        "nodeSelector", "tolerations", "affinity", "replicas", "versioningConfiguration", "status", "Statement", "scaleTargetRef",
        "maxReplicaCount", "instanceTypes", "scalingConfig", "data", "config.yaml", "podSelector", "policyTypes", "chart", "mig", "strategy",
        "4dabf18193072939515e22adb298388d", "x",
    ];

    private static readonly string[] Strings =
    [
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421", "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "1b47061264138c4ac30d75fd1eb44270",
        "c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7", "5cf8f73096256a8f31e491e813e4eb8e", "d0e6a833031e9bbcd3f4e8bde6ca49a4",
        "nginx:latest", "tritonserver:1", "Enabled", "aws:kms", "p5.48xlarge", "all-1g.10gb", "mixed", "Deployment", "{\"Statement\":1}",
        "version: v1\nmig-configs:\n  a: [ {devices: all, mig-enabled: true, mig-devices: {\"1g.10gb\": 99}} ]", ": - [", "", "tenant-x", Fixtures.SecretText,
    ];

    private static readonly string[] Types =
    [
        "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:CronJob", "kubernetes:core/v1:Pod",
        "kubernetes:helm.sh/v4:Chart", "aws:s3/bucketV2:BucketV2", "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "aws:eks/nodeGroup:NodeGroup", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ConfigMap",
        "kubernetes:keda.sh/v1alpha1:ScaledObject", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:core/v1:ResourceQuota", "x:y:Z",
    ];

    private static Value RandomValue(Random random, int depth)
    {
        var r = random.NextDouble();
        if (depth > 6 || r < 0.2)
        {
            return Value.ForString(Strings[random.Next(Strings.Length)]);
        }
        if (r < 0.3)
        {
            return Value.ForNumber(random.Next(-5, 200) * (random.NextDouble() < 0.1 ? 1e300 : 1));
        }
        if (r < 0.36)
        {
            return Value.ForBool(random.NextDouble() < 0.5);
        }
        if (r < 0.4)
        {
            return Value.ForNull();
        }
        if (r < 0.6)
        {
            return Value.ForList([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))]);
        }
        return Value.ForStruct(RandomStruct(random, depth + 1));
    }

    private static Struct RandomStruct(Random random, int depth)
    {
        var result = new Struct();
        for (var i = random.Next(6); i > 0; i--)
        {
            result.Fields[Keys[random.Next(Keys.Length)]] = RandomValue(random, depth);
        }
        return result;
    }

    [Fact]
    public void Ten_thousand_random_structs_never_crash_or_hang()
    {
        var service = new AnalyzerService(NeoCloudPolicyPack.Create());
        service.ConfigureStack(new AnalyzerStackConfigureRequest { Stack = "prod" });
        var random = new Random(20251122);
        var watch = Stopwatch.StartNew();
        var batch = new AnalyzeStackRequest();
        var diagnostics = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var request = new AnalyzeRequest { Type = type, Name = $"r{i}", Urn = $"urn:pulumi:prod::p::{type}::r{i}", Properties = RandomStruct(random, 0) };
            // Through the wire format, as the transport would deliver it.
            var parsed = AnalyzeRequest.Parser.ParseFrom(request.ToByteArray());
            var response = service.Analyze(parsed);
            diagnostics += response.Diagnostics.Count;
            Assert.All(response.Diagnostics, d => Assert.DoesNotContain(Fixtures.SecretText, d.Message, StringComparison.Ordinal));
            if (i % 10 == 0)
            {
                service.Remediate(parsed);
            }
            batch.Resources.Add(new AnalyzerResource { Type = type, Name = parsed.Name, Urn = parsed.Urn, Properties = parsed.Properties });
            if (batch.Resources.Count == 100)
            {
                var stack = service.AnalyzeStack(AnalyzeStackRequest.Parser.ParseFrom(batch.ToByteArray()));
                Assert.All(stack.Diagnostics, d => Assert.DoesNotContain(Fixtures.SecretText, d.Message, StringComparison.Ordinal));
                batch = new AnalyzeStackRequest();
            }
        }
        Assert.True(diagnostics > 0);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"fuzzing took {watch.Elapsed}");
    }

    [Fact]
    public void The_view_decoding_of_Analyze_gives_the_snapshot_and_answer_of_the_Struct_decoding()
    {
        // The server decodes Analyze as AnalyzeRequestView (Protos/neocloud/analyzer_view.proto); every other path, and
        // every client, uses google.protobuf.Struct. The same bytes must give the same resource and the same diagnostics.
        var service = new AnalyzerService(NeoCloudPolicyPack.Create());
        service.ConfigureStack(new AnalyzerStackConfigureRequest { Stack = "prod" });
        var random = new Random(20261202);
        var diagnostics = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var request = new AnalyzeRequest
            {
                Type = type,
                Name = i % 3 == 0 ? string.Empty : $"r{i}",
                Urn = $"urn:pulumi:prod::p::{type}::r{i}",
                Properties = RandomStruct(random, 0),
                Options = i % 2 == 0 ? new AnalyzerResourceOptions { Parent = $"urn:p{i}", Protect = i % 4 == 0, IgnoreChanges = { "spec" } } : null,
                Provider = i % 5 == 0 ? new AnalyzerProviderResource { Type = "pulumi:providers:aws", Urn = "urn:prov", Name = "aws", Properties = RandomStruct(random, 0) } : null,
            };
            var bytes = request.ToByteArray();
            var asStruct = AnalyzeRequest.Parser.ParseFrom(bytes);
            var asView = AnalyzeRequestView.Parser.ParseFrom(bytes);
            var secretsOfStruct = new List<Model.PropertyValue>();
            var secretsOfView = new List<Model.PropertyValue>();
            var expected = PropertyMapping.FromRequest(asStruct, secretsOfStruct);
            var actual = ViewMapping.FromRequest(asView, secretsOfView);
            Assert.Equal((expected.Type, expected.Urn, expected.Name, expected.Parent), (actual.Type, actual.Urn, actual.Name, actual.Parent));
            Assert.Equal(expected.Properties, actual.Properties);
            Assert.Equal(expected.Provider?.Properties, actual.Provider?.Properties);
            Assert.Equal(expected.Options.Protect, actual.Options.Protect);
            Assert.Equal<string>(expected.Options.IgnoreChanges, actual.Options.IgnoreChanges);
            Assert.Equal(secretsOfStruct, secretsOfView);
            var viaStruct = service.Analyze(asStruct);
            Assert.Equal(viaStruct, service.Analyze(asView));
            diagnostics += viaStruct.Diagnostics.Count;
        }
        Assert.True(diagnostics > 0);
    }

    [Fact]
    public void A_repeated_key_keeps_its_last_value_in_both_decodings()
    {
        // On the wire a Struct is a list of entries; a map keeps the last entry of a repeated key, and so does the view.
        var view = new AnalyzeRequestView
        {
            Type = "kubernetes:apps/v1:Deployment",
            Urn = "urn:pulumi:prod::p::kubernetes:apps/v1:Deployment::web",
            Properties = new StructView
            {
                Fields =
                {
                    new FieldView { Key = "replicas", Value = new ValueView { NumberValue = 1 } },
                    new FieldView { Key = "__internal", Value = new ValueView { BoolValue = true } },
                    new FieldView { Key = "replicas", Value = new ValueView { NumberValue = 3 } },
                    new FieldView { Key = "empty" },
                },
            },
        };
        var bytes = view.ToByteArray();
        var expected = PropertyMapping.FromRequest(AnalyzeRequest.Parser.ParseFrom(bytes));
        var actual = ViewMapping.FromRequest(AnalyzeRequestView.Parser.ParseFrom(bytes), null);
        Assert.Equal(expected.Properties, actual.Properties);
        Assert.Equal(new Model.NumberValue(3), actual.Properties.Properties["replicas"]);
        Assert.False(actual.Properties.Properties.ContainsKey("__internal"));
        Assert.Equal(Model.PropertyValue.Null, actual.Properties.Properties["empty"]);
    }
}
