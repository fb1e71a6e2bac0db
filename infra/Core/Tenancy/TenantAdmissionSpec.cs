using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>A pool a tenant's pods may use: its name (the <c>neocloud.io/pool</c> node label), the GPU resources it offers and its taints.</summary>
/// <param name="Name">Pool name (value of <see cref="ResourceLabels.Pool"/> on its nodes).</param>
/// <param name="GpuResources">Extended GPU resources one node advertises (<c>nvidia.com/gpu</c>, <c>nvidia.com/mig-1g.10gb</c>, …).</param>
/// <param name="Taints">Taints its nodes carry (the GPU taint; the dedicated taint of a dedicated pool).</param>
public sealed record AdmissionPool(string Name, ImmutableSortedSet<string> GpuResources, ImmutableArray<NodeTaint> Taints);

/// <summary>
/// The admission rules of one tenant namespace, enforced in the API server by a ValidatingAdmissionPolicy and its binding
/// (<see cref="TenantAdmissionPlanner"/>), so that <c>kubectl</c> cannot create what <c>pulumi preview</c>'s policy pack refuses.
/// </summary>
/// <param name="TenantName">Tenant = namespace name; the binding selects exactly this namespace.</param>
/// <param name="Pools">The pools the tenant may use: GPU and MIG requests only there, tolerations only for their taints.</param>
public sealed record TenantAdmissionSpec(string TenantName, ImmutableArray<AdmissionPool> Pools)
{
    /// <summary>
    /// Labels every pod must carry: the policy pack's <c>required-labels</c> keys (<see cref="ResourceLabels.Required"/>) plus
    /// <see cref="ResourceLabels.Tenant"/>, as the pack requires in tenant namespaces.
    /// </summary>
    public ImmutableArray<string> RequiredLabels { get; init; } = [.. ResourceLabels.Required, ResourceLabels.Tenant];
}

/// <summary>
/// Dedicated pools (<c>gpuPools[].dedicatedTo: &lt;tenant&gt;</c>): the pool's nodes carry <see cref="Taint"/> and only the
/// tenant's pods may tolerate it (<see cref="TenantAdmissionPlanner"/>'s toleration rule admits the toleration of the
/// tenant's own value only), so no other tenant's workload can land there.
/// </summary>
public static class DedicatedPools
{
    /// <summary>The taint key of a dedicated pool; the value is the tenant's name.</summary>
    public const string TaintKey = "neocloud.io/dedicated";

    /// <summary>The taint of a pool dedicated to <paramref name="tenant"/>: <c>neocloud.io/dedicated=&lt;tenant&gt;:NoSchedule</c>.</summary>
    public static NodeTaint Taint(string tenant) => new(TaintKey, tenant, TaintEffect.NoSchedule);

    /// <summary>The toleration <paramref name="tenant"/>'s pods carry to run on its dedicated pool (operator <c>Equal</c>: never <c>Exists</c>).</summary>
    public static PodToleration Toleration(string tenant) => new(TaintKey, "Equal", tenant, TaintEffect.NoSchedule);
}
