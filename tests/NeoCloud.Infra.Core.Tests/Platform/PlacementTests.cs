using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;
using static NeoCloud.Infra.Core.Tests.Platform.Fixtures;

namespace NeoCloud.Infra.Core.Tests.Platform;

public sealed class PlacementTests
{
    [Fact]
    public void A_pod_that_fits_by_one_cpu_schedules_and_one_that_misses_by_one_does_not()
    {
        var report = PlatformCheck.Run(Inventory(pools: [Pool("cpu", "4")], workloads: [Workload("fits", "3"), Workload("misses", "5")]));

        var fits = report.Placements.Single(p => p.Workload.Name == "fits");
        Assert.Equal(1, fits.PerNode["cpu"].Replicas);
        Assert.Equal(1, fits.NodesAtMax["cpu"]);
        var misses = Assert.Single(report.Findings, f => f.Subject == "c/apps/misses");
        Assert.Equal("does not fit a node: pool cpu needs 5 cpu, a node offers 4", misses.Message);
        Assert.DoesNotContain(report.Findings, f => f.Subject == "c/apps/fits");
    }

    [Fact]
    public void An_untolerated_NoSchedule_taint_keeps_a_workload_off_every_pool_and_says_so()
    {
        var pools = new[] { Pool("gpu-a", "16", taints: [GpuTaint]), Pool("gpu-b", "16", taints: [GpuTaint]) };
        var report = PlatformCheck.Run(Inventory(pools: pools, workloads: [Workload("coredns", "0.1")]));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(PlatformRule.Placement, finding.Rule);
        Assert.Equal("no pool admits it: every pool (gpu-a, gpu-b): taint nvidia.com/gpu=true:NoSchedule not tolerated", finding.Message);
    }

    [Theory]
    [InlineData("nvidia.com/gpu", "Exists", null, true)]
    [InlineData("nvidia.com/gpu", "Equal", "true", true)]
    [InlineData("nvidia.com/gpu", "Equal", "present", false)]
    [InlineData("", "Exists", null, true)]
    [InlineData("other", "Exists", null, false)]
    public void Tolerations_follow_Kubernetes_semantics(string key, string op, string? value, bool tolerated)
    {
        var toleration = new PlatformToleration(key, op, value, null);
        Assert.Equal(tolerated, toleration.Tolerates(GpuTaint));
    }

    [Fact]
    public void A_toleration_for_another_effect_does_not_tolerate()
    {
        Assert.False(new PlatformToleration("nvidia.com/gpu", "Exists", null, TaintEffect.NoExecute).Tolerates(GpuTaint));
    }

    [Fact]
    public void Node_selector_and_required_affinity_choose_the_pool()
    {
        var pools = new[] { Pool("a", "8"), Pool("b", "8") };
        var bySelector = Workload("s", "1", selector: new Dictionary<string, string> { ["neocloud.io/pool"] = "b" });
        var byAffinity = Workload("n", "1", affinity: [[new SelectorRequirement("neocloud.io/pool", "NotIn", ["b"])]]);
        var nowhere = Workload("x", "1", selector: new Dictionary<string, string> { ["disk"] = "ssd" });
        var report = PlatformCheck.Run(Inventory(pools: pools, workloads: [bySelector, byAffinity, nowhere]));

        Assert.Equal(["b"], report.Placements.Single(p => p.Workload.Name == "s").Admitting.ToArray());
        Assert.Equal(["a"], report.Placements.Single(p => p.Workload.Name == "n").Admitting.ToArray());
        Assert.Equal("nodeSelector disk=ssd: nodes have no disk label", report.Placements.Single(p => p.Workload.Name == "x").Rejections["a"]);
    }

    [Fact]
    public void DaemonSets_take_their_requests_from_every_node_they_run_on()
    {
        var ds = Workload("agent", "1", kind: "DaemonSet", tolerations: [new PlatformToleration(null, "Exists", null, null)]);
        var report = PlatformCheck.Run(Inventory(pools: [Pool("p", "4", min: 1, max: 3)], workloads: [ds, Workload("app", "2", min: 3, max: 3)]));

        var app = report.Placements.Single(p => p.Workload.Name == "app");
        Assert.Equal(1, app.PerNode["p"].Replicas);
        Assert.Equal(3, app.NodesAtMin["p"]);
    }

    [Fact]
    public void Bin_packing_counts_nodes_at_min_and_max_and_reports_replicas_beyond_the_pools_maximum()
    {
        var pool = Pool("gpu", "64", min: 1, max: 2, extended: [("nvidia.com/gpu", 4)], taints: [GpuTaint]);
        var serving = Workload("llm", "4", min: 3, max: 10, tolerations: [new PlatformToleration("nvidia.com/gpu", "Exists", null, TaintEffect.NoSchedule)], extra: [("nvidia.com/gpu", "1")]);
        var report = PlatformCheck.Run(Inventory(autoscaler: true, pools: [pool], workloads: [serving]));

        var p = report.Placements.Single();
        Assert.Equal(1, p.NodesAtMin["gpu"]);
        Assert.Equal(2, p.NodesAtMax["gpu"]);
        Assert.Equal(2, p.UnplacedAtMax);
        Assert.Contains(report.Findings, f => f.Message == "2 of its 10 maximum replicas fit no node of gpu at maximum pool size");
    }

    [Fact]
    public void A_pool_that_must_grow_without_a_node_autoscaler_is_a_finding_and_with_one_it_is_not()
    {
        var pool = Pool("p", "4", min: 0, max: 3, desired: 0);
        var w = Workload("app", "3", min: 0, max: 3);

        var without = PlatformCheck.Run(Inventory(pools: [pool], workloads: [w]));
        var with = PlatformCheck.Run(Inventory(autoscaler: true, pools: [pool], workloads: [w]));

        Assert.Contains(without.Findings, f => f.Subject == "c/p" && f.Message == "needs 3 nodes at maximum replicas (pool max 3) but stays at 0: no node autoscaler adds any");
        Assert.True(with.Passes);
    }

    [Fact]
    public void A_GPU_replica_limited_by_cpu_before_its_slices_is_reported_with_both_counts()
    {
        // A p5.48xlarge as Core models it: 192 vCPU less the EKS reserve, 56 × 1g.10gb under all-1g.10gb.
        var allocatable = NodeAllocatable.For(192, 2048, 200, new Dictionary<string, int> { ["nvidia.com/mig-1g.10gb"] = 56 });
        var pool = Fixtures.Pool("p5", "1") with { Allocatable = allocatable, Taints = [GpuTaint] };
        var tolerate = new PlatformToleration("nvidia.com/gpu", "Exists", null, TaintEffect.NoSchedule);
        var report = PlatformCheck.Run(Inventory(autoscaler: true, pools: [pool], workloads: [Workload("chat", "4", max: 56, tolerations: [tolerate], extra: [("nvidia.com/mig-1g.10gb", "1")])]));

        Assert.Equal(new PerNodeFit(47, "cpu"), report.Placements.Single().PerNode["p5"]);
        Assert.Contains(report.Findings, f => f.Message == "a node of p5 holds 47 replicas (limited by cpu: 4 each) although it offers 56 nvidia.com/mig-1g.10gb");
    }

    [Fact]
    public void On_an_existing_cluster_system_pods_land_on_undescribed_nodes_and_on_a_created_one_they_do_not()
    {
        var pools = new[] { Pool("gpu", "16", taints: [GpuTaint]) };
        var onPrem = PlatformCheck.Run(Inventory(managed: false, pools: pools, workloads: [Workload("keda", "0.1")]));
        var eks = PlatformCheck.Run(Inventory(managed: true, pools: pools, workloads: [Workload("keda", "0.1")]));

        Assert.True(onPrem.Placements.Single().OnExistingNodes);
        Assert.True(onPrem.Passes);
        Assert.False(eks.Passes);
    }

    [Fact]
    public void Eks_reserve_follows_the_AMI_formula()
    {
        Assert.Equal(60, NodeAllocatable.ReservedCpuMillicores(1));
        Assert.Equal(80, NodeAllocatable.ReservedCpuMillicores(4));
        Assert.Equal(550, NodeAllocatable.ReservedCpuMillicores(192));
        Assert.Equal((11L * 110 + 255 + 100) << 20, NodeAllocatable.ReservedMemoryBytes(110));
    }
}
