using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// The scale-down half of issue 14's autoscaling acceptance ("never removes a node while its MIG layout is being
/// applied"): a cluster whose node autoscaler may remove nodes of a MIG pool (nodes labelled <c>nvidia.com/mig.config</c>)
/// needs the MIG scale-down lock (<see cref="MigScaleDownLockPlanner"/>): a Deployment labelled
/// <c>app.kubernetes.io/name: mig-scale-down-lock</c> in the cluster. Whether that pod schedules is the placement rule's
/// question, asked of it like of every workload. The time bounds of cluster-autoscaler alone
/// (<c>--scale-down-delay-after-add</c>, <c>--scale-down-unneeded-time</c>) do not count as a lock: a layout change on a
/// node that has been empty longer than them is removed mid-apply.
/// </summary>
public static class MigScaleDownRule
{
    /// <summary>The findings of <paramref name="inventory"/>: one per cluster with a node autoscaler, MIG pools and no lock.</summary>
    /// <param name="inventory">The inventory.</param>
    public static IEnumerable<PlatformFinding> Findings(PlatformInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        foreach (var cluster in inventory.Clusters.Where(c => c.NodeAutoscaler))
        {
            var migPools = inventory.Pools
                .Where(p => p.Cluster == cluster.Name && p.Labels.ContainsKey(GpuNodeLabels.MigConfig) && p.MaxNodes > p.MinNodes)
                .Select(p => $"{p.Name} ({p.Labels[GpuNodeLabels.MigConfig]})")
                .ToList();
            if (migPools.Count == 0 || HasLock(inventory, cluster.Name))
            {
                continue;
            }

            yield return new PlatformFinding(PlatformRule.Autoscaling, cluster.Name,
                $"the node autoscaler may remove nodes of MIG pools {string.Join(", ", migPools)} while the MIG manager applies their layout " +
                $"(nvidia.com/mig.config.state pending or rebooting): no {MigScaleDownLockPlanner.AppName} Deployment keeps " +
                $"{MigNodeLock.ScaleDownDisabledAnnotation}=true on them (MigScaleDownLockPlanner)");
        }
    }

    /// <summary>Whether <paramref name="cluster"/> runs the lock: a Deployment whose pods carry its app name.</summary>
    /// <param name="inventory">The inventory.</param>
    /// <param name="cluster">The cluster name.</param>
    public static bool HasLock(PlatformInventory inventory, string cluster)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return inventory.Workloads.Any(w => w.Cluster == cluster && w.Kind == "Deployment" && w.MinReplicas >= 1
            && w.PodLabels.GetValueOrDefault(ResourceLabels.AppName) == MigScaleDownLockPlanner.AppName);
    }
}
