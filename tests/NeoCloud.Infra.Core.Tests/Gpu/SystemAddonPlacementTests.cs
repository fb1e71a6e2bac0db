using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Gpu;

/// <summary>
/// Issue 14 item 1: every add-on is placed on the system pools through its chart values, and the platform check's
/// workload classes read the placement back from those same values; GPU DaemonSets stay on GPU nodes.
/// </summary>
public sealed class SystemAddonPlacementTests
{
    private static readonly ImmutableSortedDictionary<string, string> System = CpuPoolPlanner.SystemNodeSelector;

    private static PlatformReport Check(string stack) =>
        PlatformCheck.ForConfig(EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack))));

    private static IReadOnlyDictionary<string, object> At(IReadOnlyDictionary<string, object> values, params string[] path)
    {
        var node = values;
        foreach (var key in path)
        {
            node = (IReadOnlyDictionary<string, object>)node[key];
        }

        return node;
    }

    [Theory]
    [InlineData("cloud", "eks-main")]
    [InlineData("prod", "burst")]
    public void On_EKS_every_addon_controller_selects_the_system_pool_and_only_it_admits_them(string stack, string cluster)
    {
        var report = Check(stack);
        // The charts the stack places today; kube-prometheus-stack and Qdrant follow when their components pass the selector.
        var addons = report.Inventory.Workloads.Where(w => w.Cluster == cluster && !w.DaemonSet && w.Namespace is "gpu-operator" or "keda" or "kube-system" && w.Source != "eks").ToList();
        Assert.Contains(addons, w => w.Name == "gpu-operator");
        Assert.Contains(addons, w => w.Name == "gpu-operator-node-feature-discovery-master");
        Assert.Contains(addons, w => w.Name == "gpu-operator-node-feature-discovery-gc");
        Assert.Contains(addons, w => w.Name == "keda-admission-webhooks");
        Assert.Contains(addons, w => w.Name.EndsWith("-aws-cluster-autoscaler", StringComparison.Ordinal));
        foreach (var w in addons)
        {
            Assert.True(w.NodeSelector.TryGetValue(CpuPoolPlanner.SystemLabel, out var role) && role == CpuPoolPlanner.SystemValue, $"{w.Id} has no system node selector");
            var placement = Assert.Single(report.Placements, p => p.Workload == w);
            var pool = Assert.Single(placement.Admitting);
            Assert.True(report.Inventory.Pools.Single(p => p.Cluster == cluster && p.Name == pool).Labels.ContainsKey(CpuPoolPlanner.SystemLabel));
        }

        // GPU operands stay on GPU nodes: no system selector, the GPU toleration.
        foreach (var operand in report.Inventory.Workloads.Where(w => w.Cluster == cluster && w.DaemonSet && w.Namespace == "gpu-operator" && w.Name.StartsWith("nvidia-", StringComparison.Ordinal)))
        {
            Assert.False(operand.NodeSelector.ContainsKey(CpuPoolPlanner.SystemLabel));
            Assert.Contains(operand.Tolerations, t => t.Key == GpuNodeLabels.GpuTaintKey);
        }
    }

    [Fact]
    public void Placement_passes_at_min_and_max_for_cloud_and_prod()
    {
        foreach (var stack in new[] { "cloud", "prod" })
        {
            var placement = Check(stack).Findings.Where(f => f.Rule == PlatformRule.Placement).Select(f => f.ToString()).ToArray();
            Assert.Empty(placement);
        }
    }

    [Fact]
    public void On_prem_every_addon_runs_on_the_system_pool_the_cluster_declares()
    {
        // prod's dc1 declares a label-only system pool (dc1-system): the add-on controllers, Rook's RGW gateways and the
        // model store's jobs select it; the GPU operands and the node-level DaemonSets do not.
        var report = Check("prod");
        var addons = report.Inventory.Workloads.Where(w => w.Cluster == "dc1" && !w.DaemonSet
            && w.Namespace is "gpu-operator" or "keda" or "monitoring" or "vector-db" or "rook-ceph" or "model-store").ToList();
        Assert.Contains(addons, w => w.Name == "rook-ceph-rgw-models-a");
        Assert.Contains(addons, w => w.Name == "model-store-versioning");
        Assert.Contains(addons, w => w.Name == "qdrant");
        Assert.All(addons, w => Assert.True(w.NodeSelector.TryGetValue(CpuPoolPlanner.SystemLabel, out var role) && role == CpuPoolPlanner.SystemValue, w.Id));
        foreach (var w in addons)
        {
            Assert.Equal("dc1-system", Assert.Single(Assert.Single(report.Placements, p => p.Workload == w).Admitting));
        }
    }

    [Fact]
    public void On_prem_without_a_system_pool_the_charts_keep_their_own_placement()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod"));
        var pool = yaml.IndexOf("    # dc1's system nodes", StringComparison.Ordinal);
        var serving = yaml.IndexOf("  neocloud:serving:", StringComparison.Ordinal);
        Assert.True(pool > 0 && serving > pool, "prod declares dc1-system just before neocloud:serving");
        var report = PlatformCheck.ForConfig(EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml.Remove(pool, serving - pool), "prod")));
        var dc1 = report.Inventory.Workloads.Where(w => w.Cluster == "dc1" && w.Source != "stack").ToList();
        Assert.NotEmpty(dc1);
        Assert.All(dc1, w => Assert.False(w.NodeSelector.ContainsKey(CpuPoolPlanner.SystemLabel), w.Id));
    }

    [Fact]
    public void Each_charts_values_carry_the_selector_at_the_keys_its_pinned_chart_reads()
    {
        var labels = ImmutableSortedDictionary<string, string>.Empty;
        var gpu = GpuOperatorPlanner.Plan(new GpuOperatorSpec
        {
            Ownership = new OwnershipSpec("prod", "ml"),
            Substrate = "eks",
            Pools = [new GpuOperatorPoolSpec { PoolName = "h100", GpuModel = "H100-SXM5-80GB", GpusPerNode = 8, MigConfig = "all-1g.10gb" }],
            SystemNodeSelector = System,
        });
        Assert.Equal("system", At(gpu.Values, "operator", "nodeSelector")[CpuPoolPlanner.SystemLabel]);
        Assert.Equal("system", At(gpu.Values, "node-feature-discovery", "master", "nodeSelector")[CpuPoolPlanner.SystemLabel]);
        Assert.Equal("system", At(gpu.Values, "node-feature-discovery", "gc", "nodeSelector")[CpuPoolPlanner.SystemLabel]);
        Assert.False(gpu.Values.ContainsKey("daemonsets") && At(gpu.Values, "daemonsets").ContainsKey("nodeSelector"));

        Assert.Equal("system", At(KedaChart.Values(null, labels, System), "nodeSelector")[CpuPoolPlanner.SystemLabel]);
        Assert.False(KedaChart.Values(null, labels).ContainsKey("nodeSelector"));

        var kps = KubePrometheusStackChart.Values(new PrometheusSettings("prometheus", "monitoring", "15d", "100Gi", "gp3") { NodeSelector = System }, labels);
        foreach (var path in KubePrometheusStackChart.NodeSelectorPaths)
        {
            Assert.Equal("system", At(kps, [.. path, "nodeSelector"])[CpuPoolPlanner.SystemLabel]);
        }

        // The selector joins what those sections already set (Prometheus's storage, Alertmanager's defaults).
        Assert.Equal("15d", At(kps, "prometheus", "prometheusSpec")["retention"]);
    }

    [Fact]
    public void A_system_node_selector_that_is_not_a_label_is_the_operators_problem_at_its_key()
    {
        var problems = GpuOperatorPlanner.Validate(new GpuOperatorSpec
        {
            Ownership = new OwnershipSpec("prod", "ml"),
            Substrate = "eks",
            Pools = [],
            SystemNodeSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("bad key!", "x")]),
        });

        Assert.Contains(problems, p => p.PropertyPath == "SystemNodeSelector[bad key!]");
    }

    [Fact]
    public void CoreDNS_configuration_values_place_it_on_the_system_pool_and_are_absent_without_one()
    {
        Assert.Equal("""{"nodeSelector":{"neocloud.io/node-role":"system"}}""", SystemAddonPlacement.CoreDnsConfigurationValues(System));
        Assert.Null(SystemAddonPlacement.CoreDnsConfigurationValues(ImmutableSortedDictionary<string, string>.Empty));
    }
}
