using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

/// <summary>The platform-check rule: a cluster whose node autoscaler may remove MIG nodes needs the MIG scale-down lock.</summary>
public sealed class MigScaleDownRuleTests
{
    private static PlatformReport Prod(Func<PlatformInventory, PlatformInventory> change)
    {
        var built = ConfigInventory.Build(EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod"))));
        return PlatformCheck.Run(change(built.Inventory), built.Findings);
    }

    [Fact]
    public void Without_the_lock_the_burst_cluster_is_reported_with_its_MIG_pools()
    {
        var report = Prod(i => i with { Workloads = [.. i.Workloads.Where(w => w.Name != "burst-mig-scale-down-lock")] });

        var finding = Assert.Single(report.Findings);
        Assert.Equal(PlatformRule.Autoscaling, finding.Rule);
        Assert.Equal("burst", finding.Subject);
        Assert.Equal(
            "the node autoscaler may remove nodes of MIG pools burst-h100 (all-2g.20gb) while the MIG manager applies their layout (nvidia.com/mig.config.state pending or rebooting): " +
            "no mig-scale-down-lock Deployment keeps cluster-autoscaler.kubernetes.io/scale-down-disabled=true on them (MigScaleDownLockPlanner)",
            finding.Message);
    }

    [Fact]
    public void A_lock_with_zero_replicas_is_no_lock()
    {
        var report = Prod(i => i with { Workloads = [.. i.Workloads.Select(w => w.Name == "burst-mig-scale-down-lock" ? w with { MinReplicas = 0, MaxReplicas = 0 } : w)] });

        Assert.Equal("burst", Assert.Single(report.Findings).Subject);
    }

    [Fact]
    public void No_finding_where_nothing_scales_a_MIG_pool_down()
    {
        // No node autoscaler (dc1 is on-prem: its MIG pools are never scaled down), or a MIG pool pinned at one size.
        var withoutAutoscaler = Prod(i => i with
        {
            Workloads = [.. i.Workloads.Where(w => w.Name != "burst-mig-scale-down-lock")],
            Clusters = [.. i.Clusters.Select(c => c with { NodeAutoscaler = false })],
        });
        Assert.DoesNotContain(withoutAutoscaler.Findings, f => f.Rule == PlatformRule.Autoscaling && f.Subject == "burst");

        var pinned = Prod(i => i with
        {
            Workloads = [.. i.Workloads.Where(w => w.Name != "burst-mig-scale-down-lock")],
            Pools = [.. i.Pools.Select(p => p.Name == "burst-h100" ? p with { MinNodes = 2, DesiredNodes = 2, MaxNodes = 2 } : p)],
        });
        Assert.DoesNotContain(pinned.Findings, f => f.Subject == "burst" && f.Rule == PlatformRule.Autoscaling);
    }
}
