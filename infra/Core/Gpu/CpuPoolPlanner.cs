using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// Plans a cpu pool (<c>gpuPools[].purpose: cpu</c>): on EKS a managed node group of a catalog CPU instance type with
/// no GPU taint; on-prem labels on existing nodes. A <c>system: true</c> pool's nodes also carry
/// <see cref="SystemLabel"/>=<see cref="SystemValue"/>, the label the add-ons' chart values select on EKS.
/// </summary>
/// <remarks>
/// A system label rather than the <c>CriticalAddonsOnly</c> taint: a taint would have to be tolerated by every chart
/// (kube-prometheus-stack's operator, Prometheus, Alertmanager, Grafana and kube-state-metrics, KEDA's three
/// Deployments, the GPU Operator and NFD, Qdrant) and would keep tenants' CPU pods off the only untainted nodes of the
/// cluster. GPU pools keep the GPU taint, so nothing without a GPU toleration lands on GPU nodes either way.
/// </remarks>
public static class CpuPoolPlanner
{
    /// <summary>Node label of system pools.</summary>
    public const string SystemLabel = "neocloud.io/node-role";

    /// <summary>Value of <see cref="SystemLabel"/> on system pools.</summary>
    public const string SystemValue = "system";

    /// <summary>Root disk of a cpu node group (GiB): images of the add-ons only, no model weights.</summary>
    public const int DiskSizeGiB = 50;

    /// <summary>The node selector that places an add-on on the cluster's system pools.</summary>
    public static ImmutableSortedDictionary<string, string> SystemNodeSelector { get; } =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(SystemLabel, SystemValue)]);

    /// <summary>Plans a cpu pool.</summary>
    /// <param name="pool">The bound pool (purpose cpu).</param>
    /// <param name="environment">Environment label value.</param>
    /// <param name="costCenter">Cost-center label value.</param>
    /// <param name="catalog">Hardware catalog for the instance type's vCPU and memory (EKS).</param>
    /// <exception cref="ArgumentException">The pool is not a cpu pool, or its EKS instance type is not a catalog CPU type.</exception>
    public static CpuPoolPlan Plan(GpuPoolSpec pool, string environment, string costCenter, HardwareCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Purpose != PoolPurpose.Cpu)
        {
            throw new ArgumentException($"pool \"{pool.Name}\" is a {pool.Purpose} pool, not a cpu pool", nameof(pool));
        }

        CpuInstanceType? type = null;
        if (pool.Substrate == Substrate.Eks)
        {
            type = (catalog ?? HardwareCatalog.Default).FindCpuInstanceType(pool.InstanceType ?? "")
                ?? throw new ArgumentException($"pool \"{pool.Name}\": \"{pool.InstanceType}\" is not a CPU instance type of the hardware catalog", nameof(pool));
        }

        var tags = ResourceLabels.CostAttribution(environment, costCenter).ToBuilder();
        tags[ResourceLabels.Pool] = pool.Name;
        tags[ResourceLabels.Purpose] = "cpu";
        var labels = tags.ToImmutable();
        if (pool.System)
        {
            labels = labels.SetItem(SystemLabel, SystemValue);
        }

        return new CpuPoolPlan(pool, labels, tags.ToImmutable(), type, pool.Substrate == Substrate.Eks ? EksAmiTypes.Al2023X8664Standard : null);
    }
}

/// <summary>A planned cpu pool.</summary>
/// <param name="Spec">The bound pool.</param>
/// <param name="NodeLabels">Labels of its nodes (pool, purpose, cost attribution, the system label when <c>system: true</c>).</param>
/// <param name="Tags">AWS tags of the node group and its role.</param>
/// <param name="InstanceType">EKS: the catalog CPU instance type; null on-prem.</param>
/// <param name="AmiType">EKS: the node group's AMI type; null on-prem.</param>
public sealed record CpuPoolPlan(
    GpuPoolSpec Spec,
    ImmutableSortedDictionary<string, string> NodeLabels,
    ImmutableSortedDictionary<string, string> Tags,
    CpuInstanceType? InstanceType,
    string? AmiType);
