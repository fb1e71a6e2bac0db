using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// Issue 14 items 1–2 on the registered stacks: each EKS cluster the stack creates runs cluster-autoscaler with a Pod
/// Identity (never a key), every node group carries Core's node template on its Auto Scaling group, and the add-on
/// charts the stack places select the system pool.
/// </summary>
public sealed class NodeAutoscalingTests
{
    [Theory]
    [InlineData("cloud", "eks-main")]
    [InlineData("prod", "burst")]
    public async Task Each_created_EKS_cluster_runs_cluster_autoscaler_on_its_system_pool_with_a_Pod_Identity(string stack, string cluster)
    {
        var m = (await StackRun.StackAsync(stack)).Mocks;

        var component = Assert.Single(m.OfType(ClusterAutoscalerTypeToken));
        Assert.Equal($"{cluster}-node-autoscaler", component.Name);
        var chart = Assert.Single(m.OfType("kubernetes:helm.sh/v4:Chart"), c => c.Str("chart") == ClusterAutoscalerChart.Chart);
        Assert.Equal("v1.33.6", chart.Str("values", "image", "tag"));
        Assert.Equal(CpuPoolPlanner.SystemValue, chart.Str("values", "nodeSelector", CpuPoolPlanner.SystemLabel));
        Assert.False(string.IsNullOrEmpty(chart.Str("values", "autoDiscovery", "clusterName")));

        var association = Assert.Single(m.OfType("aws:eks/podIdentityAssociation:PodIdentityAssociation"), a => a.Str("serviceAccount") == ClusterAutoscalerChart.ServiceAccount);
        Assert.Equal("kube-system", association.Str("namespace"));
        Assert.DoesNotContain(m.OfType("aws:iam/user:User"), u => (u.Name ?? "").Contains("autoscaler", StringComparison.Ordinal));

        // Every node group of the cluster: its node template on its Auto Scaling group, one Tag resource per entry.
        var groups = m.OfType("aws:eks/nodeGroup:NodeGroup");
        var templateTags = groups.Sum(g => g.Map("tags").Keys.Count(k => k.StartsWith(AutoscalerNodeTemplate.Prefix, StringComparison.Ordinal)));
        Assert.Equal(templateTags, m.OfType("aws:autoscaling/tag:Tag").Count);

        // The add-ons the stack places: GPU Operator (operator, NFD master and gc) and KEDA.
        var gpu = Assert.Single(m.OfType("kubernetes:helm.sh/v4:Chart"), c => c.Str("chart") == "gpu-operator" && (c.Name ?? "").StartsWith(cluster + "-", StringComparison.Ordinal));
        Assert.Equal(CpuPoolPlanner.SystemValue, gpu.Str("values", "operator", "nodeSelector", CpuPoolPlanner.SystemLabel));
        Assert.Equal(CpuPoolPlanner.SystemValue, gpu.Str("values", "node-feature-discovery", "master", "nodeSelector", CpuPoolPlanner.SystemLabel));
        var keda = Assert.Single(m.OfType("kubernetes:helm.sh/v4:Chart"), c => c.Str("chart") == "keda" && (c.Name ?? "").StartsWith(cluster + "-", StringComparison.Ordinal));
        Assert.Equal(CpuPoolPlanner.SystemValue, keda.Str("values", "nodeSelector", CpuPoolPlanner.SystemLabel));
    }

    [Fact]
    public async Task Only_the_autoscaled_cluster_with_MIG_pools_runs_the_MIG_scale_down_lock_and_the_check_sees_the_registered_one()
    {
        var prod = await StackRun.StackAsync("prod");
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));

        var component = Assert.Single(prod.Mocks.OfType(MigScaleDownLockTypeToken));
        Assert.Equal("burst-mig-scale-down-lock", component.Name);
        var deployment = Assert.Single(prod.Mocks.OfType("kubernetes:apps/v1:Deployment"), d => d.Name == "burst-mig-scale-down-lock-deployment");
        Assert.Equal("burst", RegisteredManifests.ClusterOf(deployment, env));
        var container = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single(deployment.List("spec", "template", "spec", "containers")));
        Assert.Equal("docker.io/alpine/k8s:1.33.5", container["image"]);
        Assert.Equal(CpuPoolPlanner.SystemValue, deployment.Str("spec", "template", "spec", "nodeSelector", CpuPoolPlanner.SystemLabel));

        // The platform check on the registered objects: the registered Deployment is the lock (the config's is replaced);
        // without it the burst cluster is reported.
        var config = ConfigInventory.Build(env);
        var registered = PlatformCheckTests.Registered(prod.Mocks.Resources, env);
        var merged = ManifestInventory.Merge(config.Inventory, registered);
        Assert.Single(merged.Workloads, w => w.Cluster == "burst" && w.Name == "burst-mig-scale-down-lock");
        Assert.True(MigScaleDownRule.HasLock(merged, "burst"));
        var without = ManifestInventory.Merge(config.Inventory, registered with { Workloads = [.. registered.Workloads.Where(w => w.Name != "burst-mig-scale-down-lock")] });
        Assert.Equal("burst", Assert.Single(MigScaleDownRule.Findings(without)).Subject);

        // cloud: autoscaled, no MIG pool: no lock.
        Assert.Empty((await StackRun.StackAsync("cloud")).Mocks.OfType(MigScaleDownLockTypeToken));
    }

    [Fact]
    public async Task The_prod_burst_pool_offers_its_24_MIG_slices_to_the_autoscaler_before_any_node_exists()
    {
        var m = (await StackRun.StackAsync("prod")).Mocks;
        var burst = Assert.Single(m.OfType("aws:eks/nodeGroup:NodeGroup"), g => Equals(g.Map("labels")["neocloud.io/pool"], "burst-h100"));

        Assert.Equal(0, burst.Int("scalingConfig", "desiredSize"));
        // p5.48xlarge split all-2g.20gb: 8 GPUs × 3 slices (the 56 × 1g.10gb case is ClusterAutoscalerPlannerTests').
        Assert.Equal("24", burst.Str("tags", AutoscalerNodeTemplate.Prefix + "resources/nvidia.com/mig-2g.20gb"));
        Assert.Contains(m.OfType("aws:autoscaling/tag:Tag"), t => t.Str("tag", "key") == AutoscalerNodeTemplate.Prefix + "resources/nvidia.com/mig-2g.20gb" && t.Str("tag", "value") == "24");

        // On-prem: no autoscaler; the on-prem GPU Operator's controller runs on dc1's label-only system pool (dc1-system).
        Assert.Single(m.OfType(ClusterAutoscalerTypeToken));
        var onPrem = Assert.Single(m.OfType("kubernetes:helm.sh/v4:Chart"), c => c.Str("chart") == "gpu-operator" && c.At("values", "driver", "enabled") is true);
        Assert.Equal(CpuPoolPlanner.SystemValue, onPrem.Str("values", "operator", "nodeSelector", CpuPoolPlanner.SystemLabel));
    }

    private const string ClusterAutoscalerTypeToken = "neocloud:index:ClusterAutoscaler";

    private const string MigScaleDownLockTypeToken = "neocloud:index:MigScaleDownLock";
}
