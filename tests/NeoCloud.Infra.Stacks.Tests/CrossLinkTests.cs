using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks.Tests.Testing;
using Pulumi;
using Pulumi.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>Links between the composed components: serving ↔ pools, scaling ↔ capacity, buckets, tenants' quotas.</summary>
public sealed class CrossLinkTests
{
    public static TheoryData<string> Stacks => ["dev", "prod", "cloud"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Each_triton_deployment_selects_and_tolerates_its_pool_and_requests_what_the_pool_offers(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var capacity = CapacityPlanner.Compute(env);
        var nodeLabels = run.Mocks.OfType("kubernetes:core/v1:NodePatch").Select(n => n.Map("metadata", "labels"))
            .Concat(run.Mocks.OfType("aws:eks/nodeGroup:NodeGroup").Select(g => g.Map("labels"))).ToList();
        var deployments = run.Mocks.OfType("kubernetes:apps/v1:Deployment").Where(d => d.Map("metadata", "labels").ContainsKey("neocloud.io/model")).ToList();
        Assert.Equal(env.Serving.Length + env.Serving.Count(s => s.Burst is not null), deployments.Count);
        foreach (var d in deployments)
        {
            var spec = d.Map("spec", "template", "spec");
            var selector = (IReadOnlyDictionary<string, object>)spec["nodeSelector"];
            var pool = (string)selector["neocloud.io/pool"];
            Assert.Contains(nodeLabels, labels => selector.All(kv => labels.TryGetValue(kv.Key, out var v) && Equals(v, kv.Value)));
            var tolerations = ((IEnumerable<object>)spec["tolerations"]).Cast<IReadOnlyDictionary<string, object>>();
            Assert.Contains(tolerations, t => Equals(t["key"], "nvidia.com/gpu") && Equals(t["effect"], "NoSchedule"));
            var container = (IReadOnlyDictionary<string, object>)((IEnumerable<object>)spec["containers"]).First();
            var limits = (IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)container["resources"])["limits"];
            var gpuResource = limits.Keys.Single(k => k.StartsWith("nvidia.com/", StringComparison.Ordinal));
            Assert.True(capacity.Pools.Single(p => p.Pool == pool).AtMax.GetValueOrDefault(gpuResource) > 0, $"{d.Name}: pool {pool} offers no {gpuResource}");
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task A_first_preview_of_a_new_stack_shows_every_serving_deployment(string stack)
    {
        // In a preview the S3 bucket's random name is unknown: the Deployments must still be declared (and so be
        // seen by the policy pack), their --model-repository argument taking the name once the bucket exists.
        var run = await StackRun.RunAsync(CliConfig.FromYamlFile(RepoFiles.StackFile(stack)), null, stack, preview: true);
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));

        var deployments = run.Mocks.OfType("kubernetes:apps/v1:Deployment").Where(d => d.Map("metadata", "labels").ContainsKey("neocloud.io/model")).ToList();
        Assert.Equal(env.Serving.Length + env.Serving.Count(s => s.Burst is not null), deployments.Count);
    }

    [Theory]
    [InlineData("cloud", "eks-main", new[] { "apps", "research" })]
    [InlineData("prod", "burst", new[] { "chat", "research" })]
    public async Task Tenants_reading_the_s3_model_bucket_may_reach_only_s3_address_ranges_on_443(string stack, string cluster, string[] tenants)
    {
        var run = await StackRun.StackAsync(stack);

        var policies = run.Mocks.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy").Where(p => p.Str("metadata", "name") == "allow-model-bucket-egress").ToList();
        Assert.Equal(tenants.Order(StringComparer.Ordinal), policies.Select(p => p.Str("metadata", "namespace")!).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.StartsWith(cluster + "-", p.Name, StringComparison.Ordinal));
        foreach (var policy in policies)
        {
            Assert.Equal(["Egress"], policy.List("spec", "policyTypes").Cast<string>());
            Assert.Empty(policy.Map("spec", "podSelector"));
            var rule = (IReadOnlyDictionary<string, object>)Assert.Single(policy.List("spec", "egress"));
            var cidrs = ((IEnumerable<object>)rule["to"]).Cast<IReadOnlyDictionary<string, object>>().Select(peer => (string)((IReadOnlyDictionary<string, object>)peer["ipBlock"])["cidr"]);
            Assert.Equal(["52.216.0.0/15", "54.231.0.0/16"], cidrs); // the prefix list the mocks answer for com.amazonaws.<region>.s3
            var port = (IReadOnlyDictionary<string, object>)Assert.Single((IEnumerable<object>)rule["ports"]);
            Assert.Equal(443.0, Convert.ToDouble(port["port"], System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Contains(run.Mocks.Calls, c => c.Token == "aws:ec2/getPrefixList:getPrefixList");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Each_scaled_object_is_bounded_by_its_pool_capacity(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var capacity = CapacityPlanner.Compute(env);
        var scaled = run.Mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject");
        Assert.NotEmpty(scaled);
        foreach (var so in scaled)
        {
            var name = so.Str("metadata", "name")!;
            var serving = env.Serving.Single(s => s.Name == name || s.Name + "-burst" == name);
            var burst = name.EndsWith("-burst", StringComparison.Ordinal);
            var pool = burst ? serving.Burst!.Pool : serving.Pool;
            var resource = burst ? serving.Burst!.Gpu.ResourceName : serving.Gpu.ResourceName;
            var max = so.Int("spec", "maxReplicaCount");
            Assert.True(max <= capacity.Pools.Single(p => p.Pool == pool).AtMax[resource], $"{name}: {max} > capacity of {pool}");
            Assert.Equal(burst ? 0 : serving.MinReplicas, so.Int("spec", "minReplicaCount"));
        }
    }

    [Fact]
    public async Task Prod_burst_scales_from_zero_on_the_federated_onprem_queue_metric()
    {
        var run = await StackRun.StackAsync("prod");
        var burst = run.Mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject").Single(s => s.Str("metadata", "name") == "llama-8b-chat-burst");
        var trigger = (IReadOnlyDictionary<string, object>)((IEnumerable<object>)burst.At("spec", "triggers")!).First();
        var metadata = (IReadOnlyDictionary<string, object>)trigger["metadata"];
        var query = (string)metadata["query"];
        Assert.Contains("neocloud_cluster=\"dc1\"", query, StringComparison.Ordinal);
        Assert.Contains("kube_deployment_spec_replicas", query, StringComparison.Ordinal);
        Assert.Contains(">= bool 36", query, StringComparison.Ordinal);
        Assert.Equal("http://kube-prometheus-stack-prometheus.monitoring.svc:9090", metadata["serverAddress"]);

        var scrape = run.Mocks.Single("kubernetes:monitoring.coreos.com/v1alpha1:ScrapeConfig");
        Assert.Equal("federate-dc1", scrape.Str("metadata", "name"));
        Assert.Equal("kube-prometheus-stack", scrape.Map("metadata", "labels")["release"]);
        Assert.Equal("/federate", scrape.Str("spec", "metricsPath"));
        var target = (IReadOnlyDictionary<string, object>)((IEnumerable<object>)scrape.At("spec", "staticConfigs")!).First();
        Assert.Equal($"{StackMocks.LoadBalancerIp}:9090", ((IEnumerable<object>)target["targets"]).Single());

        var federation = run.Mocks.OfType("kubernetes:core/v1:Service").Single(s => s.Str("metadata", "name") == "prometheus-federation");
        Assert.Equal("LoadBalancer", federation.Str("spec", "type"));
        Assert.Equal(["10.40.0.0/16"], federation.List("spec", "loadBalancerSourceRanges"));
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("cloud")]
    public async Task Model_buckets_are_replicated_to_the_replica_region(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var replication = run.Mocks.Single("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        var rule = (IReadOnlyDictionary<string, object>)((IEnumerable<object>)replication.At("rules")!).Single();
        Assert.Equal("Enabled", rule["status"]);
        Assert.Equal(2, run.Mocks.OfType("aws:s3/bucketVersioning:BucketVersioning").Count);
        var buckets = (Dictionary<string, object?>)run.Outputs["buckets"]!;
        Assert.NotNull(buckets["replicaBucket"]);
    }

    [Fact]
    public async Task Prod_onprem_models_sync_to_the_s3_bucket()
    {
        var run = await StackRun.StackAsync("prod");
        var cron = run.Mocks.Single("kubernetes:batch/v1:CronJob");
        Assert.Equal("*/15 * * * *", cron.Str("spec", "schedule"));
        Assert.Contains(run.Mocks.OfType("aws:iam/user:User"), u => u.Name == "model-sync");
        Assert.Contains(run.Mocks.OfType("neocloud:index:ModelBucketAccess"), c => c.Name == "model-sync");
    }

    [Fact]
    public async Task Model_bucket_readers_are_one_access_component_per_cluster_with_the_former_iam_names()
    {
        var run = await StackRun.StackAsync("prod");

        // The burst (EKS) cluster reads the S3 bucket; dc1 reads the on-prem store and gets no reader.
        var reader = Assert.Single(run.Mocks.OfType("neocloud:index:ModelBucketAccess"), c => c.Name != "model-sync");
        Assert.Equal("burst-model-reader", reader.Name);
        // On EKS the reader is a Pod Identity role (issue 14): no IAM user, no key; the sync's user is on-prem's.
        Assert.Equal(["model-sync"], run.Mocks.OfType("aws:iam/user:User").Select(u => u.Name));
        Assert.Equal(["model-sync"], run.Mocks.OfType("aws:iam/accessKey:AccessKey").Select(u => u.Name));
        Assert.Contains(run.Mocks.OfType("aws:iam/role:Role"), r => r.Name == "burst-model-reader");
        var secrets = run.Mocks.OfType("kubernetes:core/v1:Secret").Where(s => s.Str("metadata", "name") == "model-store-credentials").ToList();
        Assert.Equal(["chat"], secrets.Select(s => s.Str("metadata", "namespace")!)); // the serving tenants of the burst cluster
        Assert.All(secrets, s => Assert.StartsWith("burst-model-reader-", s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Former_root_names_of_moved_resources()
    {
        Assert.Equal("burst-chat-model-credentials", LegacyRoot.FormerModelReaderName("burst", "burst-model-reader-chat"));
        Assert.Equal("burst-model-reader", LegacyRoot.FormerModelReaderName("burst", "burst-model-reader"));
        Assert.Null(LegacyRoot.FormerModelReaderName("burst", "burst-research"));
        Assert.Equal("burst-chat-model-bucket-egress", LegacyRoot.FormerTenantName("burst-chat-model-bucket-egress"));
        Assert.Null(LegacyRoot.FormerTenantName("burst-chat-quota"));
    }

    [Fact]
    public async Task The_legacy_transformation_aliases_a_child_to_its_root_urn()
    {
        (string? Name, bool NoParent)? alias = null;
        bool untouched = false;
        await Deployment.TestAsync(new StackMocks(), new TestOptions { StackName = "t", ProjectName = "p" }, async () =>
        {
            var transform = LegacyRoot.Aliases(n => LegacyRoot.FormerModelReaderName("burst", n));
            var secret = new Pulumi.Kubernetes.Core.V1.Secret("burst-model-reader-chat", new Pulumi.Kubernetes.Types.Inputs.Core.V1.SecretArgs());
            var other = new Pulumi.Kubernetes.Core.V1.Secret("burst-other", new Pulumi.Kubernetes.Types.Inputs.Core.V1.SecretArgs());
            var result = transform(new ResourceTransformationArgs(secret, new Pulumi.Kubernetes.Types.Inputs.Core.V1.SecretArgs(), new CustomResourceOptions()));
            untouched = transform(new ResourceTransformationArgs(other, new Pulumi.Kubernetes.Types.Inputs.Core.V1.SecretArgs(), new CustomResourceOptions())) is null;
            var value = await Value(Assert.Single(result!.Value.Options.Aliases));
            alias = (value.Name is { } name ? await Value(name) : null, value.NoParent);
            return new Dictionary<string, object?>();
        });
        Assert.Equal(("burst-chat-model-credentials", true), alias);
        Assert.True(untouched);
    }

    private static Task<T> Value<T>(Input<T> input)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        input.ToOutput().Apply(v =>
        {
            done.TrySetResult(v);
            return v;
        });
        return done.Task;
    }

    [Fact]
    public async Task Prod_tenant_quotas_follow_the_config_per_cluster()
    {
        var run = await StackRun.StackAsync("prod");
        var quotas = run.Mocks.OfType("kubernetes:core/v1:ResourceQuota").ToDictionary(q => q.Name!, q => q.Map("spec", "hard"));
        var chatDc1 = quotas.Single(kv => kv.Key.StartsWith("dc1-chat", StringComparison.Ordinal)).Value;
        Assert.Equal("36", chatDc1["requests.nvidia.com/mig-2g.20gb"].ToString());
        Assert.Equal("16", chatDc1["requests.nvidia.com/gpu"].ToString()); // the 70B model: 8 replicas × 2 whole GPUs
        var chatBurst = quotas.Single(kv => kv.Key.StartsWith("burst-chat", StringComparison.Ordinal)).Value;
        Assert.Equal("36", chatBurst["requests.nvidia.com/mig-2g.20gb"].ToString());
        Assert.DoesNotContain(quotas.Keys, k => k.StartsWith("burst-search", StringComparison.Ordinal)); // search: clusters [dc1]
    }
}
