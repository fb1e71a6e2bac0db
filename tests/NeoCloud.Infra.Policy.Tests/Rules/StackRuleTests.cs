using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Gpu;
using NeoCloud.Infra.Policy.Rules.Model;
using NeoCloud.Infra.Policy.Rules.Serving;
using NeoCloud.Infra.Policy.Rules.Storage;
using NeoCloud.Infra.Policy.Rules.Tenancy;
using static NeoCloud.Infra.Policy.Tests.Fixtures;

namespace NeoCloud.Infra.Policy.Tests.Rules;

public sealed class BucketStackRuleTests
{
    private static readonly ResourceSnapshot Bucket = Resource("aws:s3/bucketV2:BucketV2", "model-weights", """{"bucket":"neocloud-model-weights"}""");

    /// <summary>The S3 type tokens of one AWS provider major: v6 (the *V2 resources, still in existing state) or v7.</summary>
    private static (string Bucket, string Versioning, string Encryption, string Lifecycle) Tokens(int major) => major == 6
        ? ("aws:s3/bucketV2:BucketV2", "aws:s3/bucketVersioningV2:BucketVersioningV2",
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2")
        : ("aws:s3/bucket:Bucket", "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");

    private static ResourceSnapshot BucketOf(int major) => Resource(Tokens(major).Bucket, "model-weights", """{"bucket":"neocloud-model-weights"}""");

    private static ResourceSnapshot Companion(string type, string name, string json, bool byDependency = false, ResourceSnapshot? bucket = null)
    {
        var r = Resource(type, name, json);
        return byDependency ? r with { PropertyDependencies = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add("bucket", [(bucket ?? Bucket).Urn]) } : r;
    }

    private static List<ResourceSnapshot> AllCompanions(bool byDependency, int major = 6)
    {
        var bucket = BucketOf(major);
        var tokens = Tokens(major);
        return
        [
            bucket,
            Companion(tokens.Versioning, "v", byDependency ? $$$$$"""{"bucket":"{{{{{UnknownString}}}}}"}""" : """{"bucket":"neocloud-model-weights"}""", byDependency, bucket),
            Companion(tokens.Encryption, "e", """{"bucket":"neocloud-model-weights"}"""),
            Companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "p", """{"bucket":"neocloud-model-weights"}"""),
            Companion("aws:s3/bucketPolicy:BucketPolicy", "pol", """{"bucket":"neocloud-model-weights"}"""),
        ];
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 6)]
    [InlineData(false, 7)]
    [InlineData(true, 7)]
    public void Bucket_with_all_companions_passes(bool byDependency, int awsMajor) =>
        Assert.Empty(RunStack(new BucketCompanionsPresentRule(), AllCompanions(byDependency, awsMajor)));

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Missing_versioning_companion_fails_for_either_provider_major(int awsMajor)
    {
        var d = Assert.Single(RunStack(new BucketCompanionsPresentRule(), AllCompanions(false, awsMajor).Where(r => r.Name != "v")));
        Assert.Equal(BucketOf(awsMajor).Urn, d.Urn);
    }

    [Fact]
    public void Missing_companion_fails_with_bucket_urn()
    {
        var d = Assert.Single(RunStack(new BucketCompanionsPresentRule(), AllCompanions(false).Where(r => !r.Type.Contains("Policy", StringComparison.Ordinal))));
        Assert.Equal(Bucket.Urn, d.Urn);
        Assert.Contains("Policy", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Companion_with_unknown_bucket_and_no_dependency_is_advisory()
    {
        var resources = AllCompanions(false);
        resources[1] = Resource("aws:s3/bucketVersioningV2:BucketVersioningV2", "v", $$$$$"""{"bucket":"{{{{{UnknownString}}}}}"}""");
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(new BucketCompanionsPresentRule(), resources)).Level);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Lifecycle_required_for_model_and_checkpoint_buckets(int awsMajor)
    {
        var rule = new BucketLifecycleRule();
        var (bucketType, _, _, lifecycleType) = Tokens(awsMajor);
        var bucket = BucketOf(awsMajor);
        Assert.Single(RunStack(rule, [bucket]));
        Assert.Empty(RunStack(rule, [bucket, Resource(lifecycleType, "l",
            """{"bucket":"neocloud-model-weights","rules":[{"id":"expire","status":"Enabled"}]}""")]));
        Assert.Single(RunStack(rule, [bucket, Resource(lifecycleType, "l",
            """{"bucket":"neocloud-model-weights","rules":[{"id":"expire","status":"Disabled"}]}""")]));
        Assert.Empty(RunStack(rule, [Resource(bucketType, "logs", """{"bucket":"access-logs"}""")]));
    }

    [Fact]
    public void Replication_required_in_prod_disabled_in_dev()
    {
        var rule = new BucketReplicationRule();
        Assert.Single(RunStack(rule, [Bucket]));
        Assert.Empty(RunStack(rule, [Bucket], StackKind.Dev));
        Assert.Empty(RunStack(rule, [Bucket, Resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "r", """{"bucket":"neocloud-model-weights"}""")]));
    }

    [Fact]
    public void The_copy_of_a_replicated_bucket_needs_no_replication_of_its_own()
    {
        // ReplicatedBucket tags its buckets with Core's ResourceLabels.BucketRole (primary / replica).
        var rule = new BucketReplicationRule();
        var primary = Resource("aws:s3/bucket:Bucket", "models-primary", """{"bucket":"neocloud-models-a1","tags":{"neocloud.io/bucket-role":"primary"}}""");
        var replica = Resource("aws:s3/bucket:Bucket", "models-replica", """{"bucket":"neocloud-models-a1-replica","tags":{"neocloud.io/bucket-role":"replica"}}""");
        var replication = Resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "models-replication", """{"bucket":"neocloud-models-a1"}""");

        Assert.Empty(RunStack(rule, [primary, replica, replication]));
        Assert.Equal(primary.Urn, Assert.Single(RunStack(rule, [primary, replica])).Urn);
        Assert.Single(RunStack(rule, [replica with { Properties = replica.Properties.With("tags", Props("""{"neocloud.io/bucket-purpose":"replica"}""")) }]));
    }
}

public sealed class VectorDbTests
{
    private readonly VectorDbHighAvailabilityRule _rule = new();

    private static ResourceSnapshot Qdrant(string replicas, string extra) => Resource("kubernetes:apps/v1:StatefulSet", "qdrant", $$$$$"""
        {"metadata":{"name":"qdrant"},"spec":{"replicas":{{{{{replicas}}}}},"template":{"spec":{"containers":[{"name":"q","image":"qdrant/qdrant:v1.11.0"}]{{{{{extra}}}}}}}}}
        """);

    [Fact]
    public void Three_spread_replicas_pass() =>
        Assert.Empty(RunStack(_rule, [Qdrant("3", ""","topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"kubernetes.io/hostname"}]""")]));

    [Fact]
    public void One_replica_without_spread_fails_in_prod_only()
    {
        Assert.Contains("at least 3", Assert.Single(RunStack(_rule, [Qdrant("1", "")])).Message, StringComparison.Ordinal);
        Assert.Empty(RunStack(_rule, [Qdrant("1", "")], StackKind.Dev));
    }

    [Fact]
    public void Unknown_replicas_are_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(_rule, [Qdrant($"\"{UnknownNumber}\"", "")])).Level);
}

public sealed class TenantIsolationTests
{
    private readonly TenantIsolationRule _rule = new();
    private static readonly ResourceSnapshot Namespace = Resource("kubernetes:core/v1:Namespace", "tenant-acme", """{"metadata":{"name":"tenant-acme","labels":{"neocloud.io/tenant":"acme"}}}""");
    private static readonly ResourceSnapshot Quota = Resource("kubernetes:core/v1:ResourceQuota", "q", """{"metadata":{"namespace":"tenant-acme"},"spec":{"hard":{"requests.nvidia.com/gpu":"8"}}}""");
    private static readonly ResourceSnapshot Deny = Resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny", """{"metadata":{"namespace":"tenant-acme"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}""");

    [Fact]
    public void Quota_and_default_deny_pass() => Assert.Empty(RunStack(_rule, [Namespace, Quota, Deny]));

    [Fact]
    public void Missing_both_fails_twice() => Assert.Equal(2, RunStack(_rule, [Namespace]).Count);

    [Fact]
    public void Allow_all_rule_is_not_default_deny()
    {
        var allowAll = Resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow", """{"metadata":{"namespace":"tenant-acme"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"],"ingress":[{}]}}""");
        Assert.Contains("default-deny", Assert.Single(RunStack(_rule, [Namespace, Quota, allowAll])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_tenant_namespace_is_ignored() =>
        Assert.Empty(RunStack(_rule, [Resource("kubernetes:core/v1:Namespace", "monitoring", """{"metadata":{"name":"monitoring"}}""")]));

    [Fact]
    public void Unknown_namespace_of_quota_is_advisory()
    {
        var quota = Resource("kubernetes:core/v1:ResourceQuota", "q", $$$$$"""{"metadata":{"namespace":"{{{{{UnknownString}}}}}"}}""");
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(_rule, [Namespace, quota, Deny])).Level);
    }
}

public sealed class GpuStackRuleTests
{
    private static ResourceSnapshot NodeGroup(string name, string instanceType, string migConfig, int maxSize = 2, string? gpuModel = null) =>
        Resource("aws:eks/nodeGroup:NodeGroup", name, $$$$$"""
        {"instanceTypes":["{{{{{instanceType}}}}}"],"scalingConfig":{"minSize":0,"desiredSize":1,"maxSize":{{{{{maxSize}}}}}},
         "labels":{"neocloud.io/pool":"{{{{{name}}}}}","nvidia.com/mig.config":"{{{{{migConfig}}}}}"{{{{{(gpuModel is null ? "" : $",\"neocloud.io/gpu-model\":\"{gpuModel}\"")}}}}}},
         "taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NO_SCHEDULE"}]}
        """);

    private static ResourceSnapshot GpuOperator(string strategy) =>
        Resource("kubernetes:helm.sh/v4:Chart", "gpu-operator", $$$$$"""{"chart":"gpu-operator","values":{"mig":{"strategy":"{{{{{strategy}}}}}"}}}""");

    private static ResourceSnapshot Pod(string name, string resource, int count, string pool) => Deployment(name,
        $$$$$"""[{"name":"m","image":"m:1","resources":{"limits":{"{{{{{resource}}}}}":{{{{{count}}}}}}}}]""",
        $$$$$""","nodeSelector":{"neocloud.io/pool":"{{{{{pool}}}}}"},"tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]""");

    [Fact]
    public void Valid_built_in_mig_config_passes() =>
        Assert.Empty(RunStack(new MigConfigValidRule(), [NodeGroup("h100", "p5.48xlarge", "all-1g.10gb")]));

    [Fact]
    public void Mig_config_of_another_gpu_fails()
    {
        var d = Assert.Single(RunStack(new MigConfigValidRule(), [NodeGroup("h100", "p5.48xlarge", "all-1g.5gb")]));
        Assert.Contains("H100", d.Message, StringComparison.Ordinal);
        Assert.Equal(EnforcementLevel.Mandatory, d.Level);
    }

    [Fact]
    public void Gpu_model_label_wins_and_unknown_model_is_reported()
    {
        Assert.Empty(RunStack(new MigConfigValidRule(), [NodeGroup("a100", "custom.metal", "all-1g.5gb", gpuModel: "A100-SXM4-40GB")]));
        Assert.Contains("GPU model is unknown", Assert.Single(RunStack(new MigConfigValidRule(), [NodeGroup("x", "custom.metal", "all-1g.5gb")])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_config_from_the_mig_parted_config_map_is_used()
    {
        var configMap = Resource("kubernetes:core/v1:ConfigMap", "mig-parted", """
            {"data":{"config.yaml":"version: v1\nmig-configs:\n  all-disabled:\n    - devices: all\n      mig-enabled: false\n  serving-mix:\n    - devices: all\n      mig-enabled: true\n      mig-devices:\n        \"3g.40gb\": 2\n  too-much:\n    - devices: all\n      mig-enabled: true\n      mig-devices:\n        \"7g.80gb\": 2\n"}}
            """);
        Assert.Empty(RunStack(new MigConfigValidRule(), [configMap, NodeGroup("h100", "p5.48xlarge", "serving-mix")]));
        Assert.Single(RunStack(new MigConfigValidRule(), [configMap, NodeGroup("h100", "p5.48xlarge", "too-much")]));
    }

    [Fact]
    public void Unknown_pool_labels_are_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(new MigConfigValidRule(),
            [Resource("aws:eks/nodeGroup:NodeGroup", "g", $$$$$"""{"labels":"{{{{{UnknownObject}}}}}","instanceTypes":["p5.48xlarge"]}""")])).Level);

    [Fact]
    public void Mig_resource_offered_by_a_mixed_pool_passes_and_missing_profile_fails()
    {
        var rule = new GpuResourceOfferedRule();
        var pool = NodeGroup("h100", "p5.48xlarge", "all-1g.10gb");
        Assert.Empty(RunStack(rule, [GpuOperator("mixed"), pool, Pod("a", "nvidia.com/mig-1g.10gb", 1, "h100")]));
        var d = Assert.Single(RunStack(rule, [GpuOperator("mixed"), pool, Pod("a", "nvidia.com/mig-3g.40gb", 1, "h100")]));
        Assert.Contains("nvidia.com/mig-3g.40gb", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_that_no_pool_admits_fails() =>
        Assert.Contains("no GPU pool admits", Assert.Single(RunStack(new GpuResourceOfferedRule(),
            [NodeGroup("h100", "p5.48xlarge", "all-disabled"), Pod("a", "nvidia.com/gpu", 1, "l40s")])).Message, StringComparison.Ordinal);

    [Fact]
    public void Pools_are_matched_by_node_selector_among_many()
    {
        // GpuInventory.Admitting skips pools through a label index; the verdicts must be those of testing every pool.
        List<ResourceSnapshot> pools = [GpuOperator("mixed"), .. Enumerable.Range(0, 40).Select(i => NodeGroup($"h100-{i}", "p5.48xlarge", "all-1g.10gb"))];
        var rule = new GpuResourceOfferedRule();
        Assert.Empty(RunStack(rule, [.. pools, Pod("slice", "nvidia.com/mig-1g.10gb", 1, "h100-17")]));
        var d = Assert.Single(RunStack(rule, [.. pools, Pod("slice", "nvidia.com/mig-3g.40gb", 1, "h100-3")]));
        Assert.Contains("no pool it can schedule on offers it per node (h100-3 offers", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("h100-17", d.Message, StringComparison.Ordinal);
        Assert.Contains("no GPU pool admits", Assert.Single(RunStack(rule, [.. pools, Pod("a", "nvidia.com/gpu", 1, "h100-99")])).Message, StringComparison.Ordinal);
        var unknown = Deployment("u", """[{"name":"m","image":"m:1","resources":{"limits":{"nvidia.com/gpu":1}}}]""",
            $$$$$""","nodeSelector":{"neocloud.io/pool":"{{{{{UnknownString}}}}}"}""");
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(rule, [.. pools, unknown])).Level);
    }

    [Fact]
    public void Whole_gpus_fit_a_non_mig_pool() =>
        Assert.Empty(RunStack(new GpuResourceOfferedRule(), [NodeGroup("h100", "p5.48xlarge", "all-disabled"), Pod("a", "nvidia.com/gpu", 8, "h100")]));

    [Fact]
    public void Scaled_object_within_capacity_passes_and_beyond_fails()
    {
        var rule = new ScaledObjectCapacityRule();
        var pool = NodeGroup("h100", "p5.48xlarge", "all-disabled", maxSize: 2); // 16 GPUs
        var target = Pod("triton", "nvidia.com/gpu", 2, "h100");
        ResourceSnapshot Scaler(int max) => Resource("kubernetes:keda.sh/v1alpha1:ScaledObject", "triton-scaler",
            $$$$$"""{"metadata":{"namespace":"serving"},"spec":{"scaleTargetRef":{"name":"triton"},"minReplicaCount":1,"maxReplicaCount":{{{{{max}}}}}}}""");
        Assert.Empty(RunStack(rule, [pool, target, Scaler(8)]));
        var d = Assert.Single(RunStack(rule, [pool, target, Scaler(9)]));
        Assert.Contains("nvidia.com/gpu=18", d.Message, StringComparison.Ordinal);
    }

    private static ResourceSnapshot Scaler(string name, string target, int max) => Resource("kubernetes:keda.sh/v1alpha1:ScaledObject", name,
        $$$$$"""{"metadata":{"namespace":"serving"},"spec":{"scaleTargetRef":{"name":"{{{{{target}}}}}"},"minReplicaCount":1,"maxReplicaCount":{{{{{max}}}}}}}""");

    [Fact]
    public void Scaled_objects_that_fit_alone_but_not_together_on_a_shared_pool_fail()
    {
        var rule = new SharedPoolCapacityRule();
        List<ResourceSnapshot> stack = [NodeGroup("h100", "p5.48xlarge", "all-disabled", maxSize: 2), Pod("chat", "nvidia.com/gpu", 2, "h100"), Pod("embed", "nvidia.com/gpu", 2, "h100")];
        Assert.Empty(RunStack(rule, [.. stack, Scaler("chat-scaler", "chat", 4), Scaler("embed-scaler", "embed", 4)])); // 16 of 16
        List<ResourceSnapshot> over = [.. stack, Scaler("chat-scaler", "chat", 4), Scaler("embed-scaler", "embed", 5)];
        Assert.Empty(RunStack(new ScaledObjectCapacityRule(), over)); // each alone fits
        var d = Assert.Single(RunStack(rule, over));
        Assert.Equal(EnforcementLevel.Mandatory, d.Level);
        Assert.Contains("'chat-scaler' (Deployment 'chat': 4 × 2), 'embed-scaler' (Deployment 'embed': 5 × 2)", d.Message, StringComparison.Ordinal);
        Assert.Contains("pools 'h100' and may together need nvidia.com/gpu=18, but those pools hold at most nvidia.com/gpu=16", d.Message, StringComparison.Ordinal);
        Assert.Contains("lower their maxReplicaCount, raise the pools' maxSize", d.Message, StringComparison.Ordinal);
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(rule, over, StackKind.Dev)).Level);
    }

    [Fact]
    public void Scaled_objects_on_different_pools_do_not_add_up()
    {
        var rule = new SharedPoolCapacityRule();
        Assert.Empty(RunStack(rule, [NodeGroup("a", "p5.48xlarge", "all-disabled", maxSize: 1), NodeGroup("b", "p5.48xlarge", "all-disabled", maxSize: 1),
            Pod("chat", "nvidia.com/gpu", 1, "a"), Pod("embed", "nvidia.com/gpu", 1, "b"), Scaler("c", "chat", 8), Scaler("e", "embed", 8)]));
    }

    [Fact]
    public void A_target_that_may_use_another_pool_counts_against_the_union_only()
    {
        // chat only on p1 (8 GPUs); embed on p1 or p2 (16 together): embed's replicas may all go to p2.
        var rule = new SharedPoolCapacityRule();
        var embed = Deployment("embed", """[{"name":"m","image":"m:1","resources":{"limits":{"nvidia.com/gpu":1}}}]""",
            ""","affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"neocloud.io/pool","operator":"In","values":["p1","p2"]}]}]}}},"tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]""");
        List<ResourceSnapshot> stack = [NodeGroup("p1", "p5.48xlarge", "all-disabled", maxSize: 1), NodeGroup("p2", "p5.48xlarge", "all-disabled", maxSize: 1), Pod("chat", "nvidia.com/gpu", 1, "p1"), embed];
        Assert.Empty(RunStack(rule, [.. stack, Scaler("c", "chat", 8), Scaler("e", "embed", 8)]));
        var d = Assert.Single(RunStack(rule, [.. stack, Scaler("c", "chat", 8), Scaler("e", "embed", 9)]));
        Assert.Contains("pools 'p1', 'p2' and may together need nvidia.com/gpu=17, but those pools hold at most nvidia.com/gpu=16", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_pool_with_unknown_values_is_advisory()
    {
        var rule = new SharedPoolCapacityRule();
        var pool = NodeGroup("h100", "p5.48xlarge", "all-disabled", maxSize: 2);
        var unknownMax = Resource("kubernetes:keda.sh/v1alpha1:ScaledObject", "s", $$$$$"""{"metadata":{"namespace":"serving"},"spec":{"scaleTargetRef":{"name":"embed"},"maxReplicaCount":"{{{{{UnknownNumber}}}}}"}}""");
        var d = Assert.Single(RunStack(rule, [pool, Pod("chat", "nvidia.com/gpu", 2, "h100"), Pod("embed", "nvidia.com/gpu", 2, "h100"), Scaler("c", "chat", 8), unknownMax]));
        Assert.Equal(EnforcementLevel.Advisory, d.Level);
        var unplaced = Deployment("embed", """[{"name":"m","image":"m:1","resources":{"limits":{"nvidia.com/gpu":2}}}]""", $$$$$""","nodeSelector":{"neocloud.io/pool":"{{{{{UnknownString}}}}}"}""");
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(rule, [pool, Pod("chat", "nvidia.com/gpu", 2, "h100"), unplaced, Scaler("c", "chat", 8), Scaler("e", "embed", 8)])).Level);
    }

    [Fact]
    public void Pools_whose_gpu_count_is_not_stated_or_that_are_time_sliced_are_not_judged()
    {
        // A NodePatch without nvidia.com/gpu.count (the pack would assume 1 GPU) and a time-sliced node group (each GPU
        // advertised several times): the capacity is not known, so the sound rule stays silent.
        var rule = new SharedPoolCapacityRule();
        var node = Resource("kubernetes:core/v1:NodePatch", "gpu-01", """
            {"metadata":{"name":"gpu-01","labels":{"neocloud.io/pool":"h100","neocloud.io/gpu-model":"H100-SXM5-80GB"}},"spec":{"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NoSchedule"}]}}
            """);
        List<ResourceSnapshot> pods = [Pod("chat", "nvidia.com/gpu", 1, "h100"), Pod("embed", "nvidia.com/gpu", 1, "h100"), Scaler("c", "chat", 2), Scaler("e", "embed", 2)];
        Assert.Empty(RunStack(rule, [node, .. pods]));
        var sliced = Resource("aws:eks/nodeGroup:NodeGroup", "h100", """
            {"instanceTypes":["g6.xlarge"],"scalingConfig":{"minSize":0,"desiredSize":1,"maxSize":1},"labels":{"neocloud.io/pool":"h100","nvidia.com/device-plugin.config":"ts-4"},"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NO_SCHEDULE"}]}
            """);
        Assert.Empty(RunStack(rule, [sliced, .. pods]));
        Assert.Single(RunStack(rule, [sliced with { Properties = sliced.Properties.With("labels", Props("""{"neocloud.io/pool":"h100"}""")) }, .. pods]));
    }

    [Fact]
    public void An_on_prem_node_counts_the_gpus_its_pool_declares_before_feature_discovery_labels_it()
    {
        // The pools of this library write neocloud.io/gpus-per-node on on-prem NodePatches (nvidia.com/gpu.count exists
        // only on the live node): 2 nodes × 8 H100 hold 16 whole GPUs, so two ScaledObjects of 8 fit and of 9 do not.
        ResourceSnapshot Node(string name) => Resource("kubernetes:core/v1:NodePatch", name, $$$$$"""
            {"metadata":{"name":"{{{{{name}}}}}","labels":{"neocloud.io/pool":"h100","neocloud.io/gpu-model":"H100-SXM5-80GB","neocloud.io/gpus-per-node":"8"}},
             "spec":{"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NoSchedule"}]}}
            """);
        List<ResourceSnapshot> stack = [GpuOperator("none"), Node("gpu-01"), Node("gpu-02"), Pod("chat", "nvidia.com/gpu", 1, "h100"), Pod("embed", "nvidia.com/gpu", 1, "h100")];
        var pool = GpuPool.From(stack[1], NeoCloud.Infra.Core.Hardware.HardwareCatalog.Default);
        Assert.Equal(8, pool.GpusPerNode);
        Assert.True(pool.GpuCountKnown);
        var rule = new SharedPoolCapacityRule();
        Assert.Empty(RunStack(rule, [.. stack, Scaler("c", "chat", 8), Scaler("e", "embed", 8)]));
        Assert.Contains("nvidia.com/gpu=18", Assert.Single(RunStack(rule, [.. stack, Scaler("c", "chat", 9), Scaler("e", "embed", 9)])).Message, StringComparison.Ordinal);
        Assert.Empty(RunStack(new ScaledObjectCapacityRule(), [.. stack, Scaler("c", "chat", 16)]));
    }

    [Fact]
    public void Shared_pool_rule_and_binder_agree_on_the_over_committed_fixture()
    {
        // Fixture 28: chat (max 40) and embed (max 80) on h100-mig, 2 on-prem nodes × 8 H100 × 7 × 1g.10gb = 112.
        var fixture = Path.Combine(RepoRoot(), "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "invalid", "28-shared-pool-overcommit.yaml");
        var yaml = File.ReadAllText(fixture);
        var binder = Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(yaml)).Errors);
        Assert.Contains("together ask for up to 120 × nvidia.com/mig-1g.10gb, but pool \"h100-mig\" holds 112", binder.Message, StringComparison.Ordinal);
        var fitting = yaml.Replace("      max: 80\n", "      max: 72\n", StringComparison.Ordinal);
        Assert.Empty(EnvironmentBinder.Bind(StackConfig.FromYaml(fitting)).Errors);

        ResourceSnapshot Node(string name) => Resource("kubernetes:core/v1:NodePatch", name, $$$$$"""
            {"metadata":{"name":"{{{{{name}}}}}","labels":{"neocloud.io/pool":"h100-mig","neocloud.io/gpu-model":"H100-SXM5-80GB","nvidia.com/gpu.count":"8","nvidia.com/mig.config":"all-1g.10gb"}},
             "spec":{"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NoSchedule"}]}}
            """);
        List<ResourceSnapshot> stack = [GpuOperator("mixed"), Node("gpu-01"), Node("gpu-02"), Pod("chat", "nvidia.com/mig-1g.10gb", 1, "h100-mig"), Pod("embed", "nvidia.com/mig-1g.10gb", 1, "h100-mig"), Scaler("chat", "chat", 40)];
        var rule = new SharedPoolCapacityRule();
        var d = Assert.Single(RunStack(rule, [.. stack, Scaler("embed", "embed", 80)]));
        Assert.Contains("may together need nvidia.com/mig-1g.10gb=120, but those pools hold at most nvidia.com/mig-1g.10gb=112", d.Message, StringComparison.Ordinal);
        Assert.Empty(RunStack(rule, [.. stack, Scaler("embed", "embed", 72)]));
    }

    [Fact]
    public void Scaled_object_with_unknown_max_is_advisory() =>
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(RunStack(new ScaledObjectCapacityRule(),
            [Resource("kubernetes:keda.sh/v1alpha1:ScaledObject", "s", $$$$$"""{"metadata":{"namespace":"serving"},"spec":{"scaleTargetRef":{"name":"t"},"maxReplicaCount":"{{{{{UnknownNumber}}}}}"}}""")])).Level);
}
