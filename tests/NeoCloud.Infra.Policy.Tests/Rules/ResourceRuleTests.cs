using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Governance;
using NeoCloud.Infra.Policy.Rules.Gpu;
using NeoCloud.Infra.Policy.Rules.Monitoring;
using NeoCloud.Infra.Policy.Rules.Security;
using NeoCloud.Infra.Policy.Rules.Serving;
using NeoCloud.Infra.Policy.Rules.Storage;
using NeoCloud.Infra.Policy.Rules.Workloads;
using static NeoCloud.Infra.Policy.Tests.Fixtures;

namespace NeoCloud.Infra.Policy.Tests.Rules;

public sealed class ImagesPinnedTests
{
    private readonly ImagesPinnedRule _rule = new();

    [Theory]
    [InlineData("nvcr.io/nvidia/tritonserver:24.08-py3")]
    [InlineData("registry:5000/team/app:1.2.3")]
    [InlineData("qdrant/qdrant@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Pinned_images_pass(string image) =>
        Assert.Empty(Run(_rule, Deployment("app", $$$$$"""[{"name":"c","image":"{{{{{image}}}}}"}]""")));

    [Theory]
    [InlineData("nginx")]
    [InlineData("nginx:latest")]
    [InlineData("registry:5000/team/app")]
    public void Unpinned_images_fail_mandatory_in_prod(string image)
    {
        var d = Assert.Single(Run(_rule, Deployment("app", $$$$$"""[{"name":"c","image":"{{{{{image}}}}}"}]""")));
        Assert.Equal(EnforcementLevel.Mandatory, d.Level);
        Assert.Contains("container 'c'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_containers_and_other_workload_kinds_are_checked()
    {
        var job = Resource("kubernetes:batch/v1:Job", "j", """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"}],"initContainers":[{"name":"init","image":"busybox"}]}}}}""");
        Assert.Contains("init container 'init'", Assert.Single(Run(_rule, job)).Message, StringComparison.Ordinal);
        var pod = Resource("kubernetes:core/v1:Pod", "p", """{"spec":{"containers":[{"name":"a","image":"a:latest"}]}}""");
        Assert.Single(Run(_rule, pod));
    }

    [Fact]
    public void Dev_defaults_are_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, Deployment("app", """[{"name":"c","image":"nginx"}]"""), StackKind.Dev)).Level);

    [Fact]
    public void Unknown_image_is_advisory_cannot_evaluate()
    {
        var d = Assert.Single(Run(_rule, Deployment("app", $$$$$"""[{"name":"c","image":"{{{{{UnknownString}}}}}"}]""")));
        Assert.Equal(EnforcementLevel.Advisory, d.Level);
        Assert.Contains("cannot evaluate during preview", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_containers_list_is_advisory_not_a_crash()
    {
        var d = Assert.Single(Run(_rule, Resource("kubernetes:apps/v1:Deployment", "x", $$$$$"""{"spec":{"template":{"spec":{"containers":"{{{{{UnknownArray}}}}}"}}}}""")));
        Assert.Equal(EnforcementLevel.Advisory, d.Level);
        Assert.Contains("during preview", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_image_is_checked_but_not_echoed()
    {
        var diagnostics = Run(_rule, Deployment("app", $$$$$"""[{"name":"c","image":{{{{{Secret($"\"{SecretText}\"")}}}}}}]"""));
        Assert.Contains("[secret]", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
        AssertNoSecret(diagnostics);
    }
}

public sealed class GpuPlacementTests
{
    private readonly GpuWorkloadPlacementRule _rule = new();
    private const string GpuContainer = """[{"name":"t","image":"t:1","resources":{"limits":{"nvidia.com/gpu":1}}}]""";
    private const string MigContainer = """[{"name":"t","image":"t:1","resources":{"limits":{"nvidia.com/mig-1g.10gb":1}}}]""";
    private const string Placement = ""","nodeSelector":{"neocloud.io/pool":"h100"},"tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]""";

    [Fact]
    public void Gpu_pod_with_selector_and_toleration_passes() => Assert.Empty(Run(_rule, Deployment("t", GpuContainer, Placement)));

    [Fact]
    public void Affinity_selects_the_pool_too() => Assert.Empty(Run(_rule, Deployment("t", MigContainer,
        ""","affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"neocloud.io/pool","operator":"In","values":["h100"]}]}]}}},"tolerations":[{"operator":"Exists"}]""")));

    [Fact]
    public void Mig_pod_without_placement_fails_twice() => Assert.Equal(2, Run(_rule, Deployment("t", MigContainer)).Count);

    [Fact]
    public void Cpu_pod_is_not_concerned() => Assert.Empty(Run(_rule, Deployment("c", """[{"name":"c","image":"c:1"}]""")));

    [Fact]
    public void Unknown_tolerations_are_advisory()
    {
        var d = Assert.Single(Run(_rule, Deployment("t", GpuContainer, $$$$$""","nodeSelector":{"neocloud.io/pool":"h100"},"tolerations":"{{{{{UnknownArray}}}}}" """)));
        Assert.Equal(EnforcementLevel.Advisory, d.Level);
    }
}

public sealed class TritonTests
{
    private readonly TritonProbesRule _rule = new();

    [Fact]
    public void Complete_triton_passes() => Assert.Empty(Run(_rule, Deployment("triton", """
        [{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.08-py3","ports":[{"containerPort":8000},{"containerPort":8002}],
          "readinessProbe":{"httpGet":{"path":"/v2/health/ready","port":8000}},"livenessProbe":{"httpGet":{"path":"/v2/health/live","port":8000}}}]
        """)));

    [Fact]
    public void Triton_without_probes_or_metrics_port_fails_three_times() =>
        Assert.Equal(3, Run(_rule, Deployment("triton", """[{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.08-py3","ports":[{"containerPort":8000}]}]""")).Count);

    [Fact]
    public void Other_images_are_ignored() => Assert.Empty(Run(_rule, Deployment("x", """[{"name":"x","image":"vllm/vllm-openai:v0.6.0"}]""")));

    [Fact]
    public void Unknown_image_is_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, Deployment("x", $$$$$"""[{"name":"x","image":"{{{{{UnknownString}}}}}"}]"""))).Level);
}

public sealed class MonitorLabelTests
{
    private readonly MonitorReleaseLabelRule _rule = new();
    private const string Type = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";

    [Fact]
    public void Labelled_monitor_passes() => Assert.Empty(Run(_rule, Resource(Type, "m", """{"metadata":{"labels":{"release":"kube-prometheus-stack"}}}""")));

    [Fact]
    public void Missing_label_fails() => Assert.Contains("no 'release' label", Assert.Single(Run(_rule, Resource(Type, "m", """{"metadata":{}}"""))).Message, StringComparison.Ordinal);

    [Fact]
    public void Pod_monitor_with_wrong_value_fails() =>
        Assert.Single(Run(_rule, Resource("kubernetes:monitoring.coreos.com/v1:PodMonitor", "m", """{"metadata":{"labels":{"release":"prometheus"}}}""")));

    [Fact]
    public void Unknown_labels_are_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, Resource(Type, "m", $$$$$"""{"metadata":{"labels":"{{{{{UnknownObject}}}}}"}}"""))).Level);

    [Fact]
    public void Secret_label_value_is_not_echoed()
    {
        var diagnostics = Run(_rule, Resource(Type, "m", $$$$$"""{"metadata":{"labels":{"release":{{{{{Secret($"\"{SecretText}\"")}}}}}}}}"""));
        Assert.Single(diagnostics);
        AssertNoSecret(diagnostics);
    }
}

public sealed class RequiredLabelsTests
{
    private readonly RequiredLabelsRule _rule = new();

    [Fact]
    public void Labelled_object_passes() => Assert.Empty(Run(_rule, Deployment("a", """[{"name":"a","image":"a:1"}]""")));

    [Fact]
    public void Missing_cost_center_fails() =>
        Assert.Contains("neocloud.io/cost-center", Assert.Single(Run(_rule, Deployment("a", """[]""", labels: """{"neocloud.io/environment":"prod"}"""))).Message, StringComparison.Ordinal);

    [Fact]
    public void Tenant_namespace_objects_need_the_tenant_label()
    {
        var quota = Resource("kubernetes:core/v1:ResourceQuota", "q", """{"metadata":{"namespace":"tenant-acme","labels":{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}}}""");
        Assert.Contains("neocloud.io/tenant", Assert.Single(Run(_rule, quota)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws:s3/bucketV2:BucketV2")] // AWS provider v6 (existing state)
    [InlineData("aws:s3/bucket:Bucket")] // AWS provider v7
    public void Aws_tags_and_provider_default_tags_count(string bucketType)
    {
        var bucket = Resource(bucketType, "models", """{"tags":{"neocloud.io/environment":"prod"}}""");
        Assert.Single(Run(_rule, bucket));
        var withProvider = bucket with
        {
            Provider = new("pulumi:providers:aws", "urn:pulumi:prod::p::pulumi:providers:aws::default", "default",
                Props("""{"defaultTags":"{\"tags\":{\"neocloud.io/cost-center\":\"ml\"}}"}""")),
        };
        Assert.Empty(Run(_rule, withProvider));
    }

    [Fact]
    public void Unknown_labels_are_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, Resource("kubernetes:core/v1:Service", "s", $$$$$"""{"metadata":{"labels":"{{{{{UnknownObject}}}}}"}}"""))).Level);

    [Fact]
    public void Remediation_adds_known_values_from_stack_config()
    {
        var pack = new PolicyPack("t", "0", [_rule]);
        var settings = PolicySettings.Defaults(pack.Rules, StackKind.Prod)
            .Apply(PolicySettings.ParseConfig("""{"required-labels":"remediate"}""", "pack.json", pack.Rules), pack.Rules);
        var stack = Stack() with { Config = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("neocloud:environment", "prod").Add("neocloud:costCenter", "ml-42") };
        var resource = Resource("kubernetes:core/v1:Service", "s", """{"metadata":{"labels":{"app":"x"}}}""");
        var fix = Assert.Single(pack.Remediate(resource, settings, stack));
        Assert.Equal("ml-42", fix.Properties["metadata"]["labels"]["neocloud.io/cost-center"].AsString());
        Assert.Equal("x", fix.Properties["metadata"]["labels"]["app"].AsString());
        Assert.Empty(pack.Analyze(resource with { Properties = fix.Properties }, settings, stack));
    }

    [Fact]
    public void No_remediation_without_known_values_or_when_not_remediate_level()
    {
        var pack = new PolicyPack("t", "0", [_rule]);
        var resource = Resource("kubernetes:core/v1:Service", "s", """{"metadata":{"labels":{}}}""");
        Assert.Empty(pack.Remediate(resource, PolicySettings.Defaults(pack.Rules, StackKind.Prod), Stack()));
        var remediate = PolicySettings.Defaults(pack.Rules, StackKind.Prod)
            .Apply(PolicySettings.ParseConfig("""{"required-labels":"remediate"}""", "pack.json", pack.Rules), pack.Rules);
        Assert.Empty(pack.Remediate(resource, remediate, Stack()));
    }
}

public sealed class NoPlaintextSecretsTests
{
    private readonly NoPlaintextSecretsRule _rule = new();
    private const string Chart = "kubernetes:helm.sh/v4:Chart";

    [Fact]
    public void Chart_values_referencing_secrets_pass() => Assert.Empty(Run(_rule, Resource(Chart, "qdrant",
        """{"chart":"qdrant","values":{"apiKey":{"existingSecret":"qdrant-key"},"auth":{"existingSecret":"x","secretName":"s","passwordKey":"password"},"replicaCount":3}}""")));

    [Fact]
    public void Literal_password_in_values_fails_without_echo()
    {
        var diagnostics = Run(_rule, Resource(Chart, "db", $$$$$"""{"values":{"auth":{"postgresPassword":"{{{{{SecretText}}}}}"}}}"""));
        Assert.Contains("values.auth.postgresPassword", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
        AssertNoSecret(diagnostics);
    }

    [Fact]
    public void Pulumi_secret_in_values_is_still_plaintext()
    {
        var diagnostics = Run(_rule, Resource(Chart, "db", $$$$$"""{"values":{"grafana":{"adminPassword":{{{{{Secret($"\"{SecretText}\"")}}}}}}}}"""));
        Assert.Contains("Pulumi secret", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
        AssertNoSecret(diagnostics);
    }

    [Fact]
    public void Whole_values_secret_is_walked_without_echo()
    {
        var values = Secret("{\"token\":\"" + SecretText + "\"}");
        var diagnostics = Run(_rule, Resource(Chart, "db", "{\"values\":" + values + "}"));
        Assert.Single(diagnostics);
        AssertNoSecret(diagnostics);
    }

    [Fact]
    public void Container_env_literal_token_fails_and_secret_ref_passes()
    {
        var bad = Deployment("a", $$$$$"""[{"name":"a","image":"a:1","env":[{"name":"HF_TOKEN","value":{{{{{Secret($"\"{SecretText}\"")}}}}}},{"name":"LOG_LEVEL","value":"info"}]}]""");
        var diagnostics = Run(_rule, bad);
        Assert.Contains("HF_TOKEN", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
        AssertNoSecret(diagnostics);
        var good = Deployment("a", """[{"name":"a","image":"a:1","env":[{"name":"HF_TOKEN","valueFrom":{"secretKeyRef":{"name":"hf","key":"token"}}}]}]""");
        Assert.Empty(Run(_rule, good));
    }

    [Fact]
    public void Unknown_values_are_advisory()
    {
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, Resource(Chart, "c", $$$$$"""{"values":"{{{{{UnknownObject}}}}}"}"""))).Level);
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, Resource(Chart, "c", $$$$$"""{"values":{"password":"{{{{{UnknownString}}}}}"}}"""))).Level);
    }

    [Theory]
    [InlineData("password", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("apiKey", true)]
    [InlineData("clientSecret", true)]
    [InlineData("existingSecret", false)]
    [InlineData("secretName", false)]
    [InlineData("passwordKey", false)]
    [InlineData("replicaCount", false)]
    public void Secret_key_names(string key, bool secret) => Assert.Equal(secret, NoPlaintextSecretsRule.IsSecretKey(key));
}

public sealed class BucketCompanionRuleTests
{
    [Theory]
    [InlineData("aws:s3/bucketVersioningV2:BucketVersioningV2")] // AWS provider v6 (existing state)
    [InlineData("aws:s3/bucketVersioning:BucketVersioning")] // AWS provider v7
    public void Versioning_enabled_passes_suspended_fails_unknown_advisory(string type)
    {
        var rule = new BucketVersioningRule();
        Assert.Empty(Run(rule, Resource(type, "v", """{"bucket":"b","versioningConfiguration":{"status":"Enabled"}}""")));
        Assert.Single(Run(rule, Resource(type, "v", """{"bucket":"b","versioningConfiguration":{"status":"Suspended"}}""")));
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(rule, Resource(type, "v", $$$$$"""{"versioningConfiguration":{"status":"{{{{{UnknownString}}}}}"}}"""))).Level);
    }

    [Theory]
    [InlineData("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2")] // AWS provider v6
    [InlineData("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")] // AWS provider v7
    public void Kms_encryption(string type)
    {
        var rule = new BucketKmsEncryptionRule();
        Assert.Empty(Run(rule, Resource(type, "e", """{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"aws:kms","kmsMasterKeyId":"arn:k"}}]}""")));
        Assert.Single(Run(rule, Resource(type, "e", """{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256"}}]}""")));
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(rule, Resource(type, "e", $$$$$"""{"rules":"{{{{{UnknownArray}}}}}"}"""))).Level);
    }

    [Fact]
    public void Public_access_block_needs_all_four_flags()
    {
        var rule = new BucketPublicAccessBlockRule();
        const string type = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
        Assert.Empty(Run(rule, Resource(type, "p", """{"blockPublicAcls":true,"blockPublicPolicy":true,"ignorePublicAcls":true,"restrictPublicBuckets":true}""")));
        Assert.Equal(2, Run(rule, Resource(type, "p", """{"blockPublicAcls":true,"blockPublicPolicy":true}""")).Count);
        Assert.Equal(EnforcementLevel.Advisory, Run(rule, Resource(type, "p", $$$$$"""{"blockPublicAcls":"{{{{{UnknownBool}}}}}","blockPublicPolicy":true,"ignorePublicAcls":true,"restrictPublicBuckets":true}"""))[0].Level);
    }

    [Fact]
    public void Tls_only_policy()
    {
        var rule = new BucketTlsOnlyRule();
        const string type = "aws:s3/bucketPolicy:BucketPolicy";
        const string good = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";
        Assert.Empty(Run(rule, Resource(type, "p", $$$$$"""{"policy":{{{{{System.Text.Json.JsonSerializer.Serialize(good)}}}}}}""")));
        Assert.Single(Run(rule, Resource(type, "p", """{"policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}"}""")));
        Assert.Single(Run(rule, Resource(type, "p", """{"policy":"not json"}""")));
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(rule, Resource(type, "p", $$$$$"""{"policy":"{{{{{UnknownString}}}}}"}"""))).Level);
    }
}
