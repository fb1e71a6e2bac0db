using System.Collections.Immutable;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>
/// Which GPU pools a tenant may use on a cluster, from the environment model: the admission policy's data
/// (<see cref="TenantAdmissionSpec"/>) and the per-pool quota mechanism. A tenant's ResourceQuota counts a GPU resource
/// name across the cluster (<c>requests.nvidia.com/mig-1g.10gb</c> cannot tell two pools apart); the admission rule
/// <see cref="PodAdmissionRules.GpuPools"/> lets the tenant's pods request it only on these pools, so the quota is the
/// tenant's share of exactly these pools.
/// </summary>
public static class TenantPools
{
    /// <summary>The tenant a pool is dedicated to (<c>gpuPools[].dedicatedTo</c>), or null.</summary>
    public static string? DedicatedTo(EnvironmentModel env, string pool)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.Tenants.FirstOrDefault(t => t.DedicatedPools.Contains(pool))?.Name;
    }

    /// <summary>The taints a pool's nodes carry beyond the GPU taint: the dedicated taint of a dedicated pool.</summary>
    public static ImmutableArray<NodeTaint> ExtraTaints(EnvironmentModel env, string pool) =>
        DedicatedTo(env, pool) is { } tenant ? [DedicatedPools.Taint(tenant)] : [];

    /// <summary>The GPU resources of <paramref name="pool"/> that <paramref name="quota"/> grants (count above 0).</summary>
    public static ImmutableSortedSet<string> UsableResources(EnvironmentModel env, GpuPoolSpec pool, IReadOnlyDictionary<string, int> quota)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(quota);
        var strategy = env.Clusters.FirstOrDefault(c => c.Name == pool.Cluster)?.MigStrategy ?? Hardware.MigStrategy.None;
        return [.. CapacityPlanner.PerNode(pool, strategy).Keys.Where(r => quota.GetValueOrDefault(r) > 0)];
    }

    /// <summary>
    /// The pools <paramref name="tenant"/> may use on <paramref name="cluster"/>: its declared <c>pools</c> (or, undeclared,
    /// every GPU pool whose resources its quota grants), never a pool dedicated to another tenant, always its dedicated pools.
    /// </summary>
    public static ImmutableArray<GpuPoolSpec> For(EnvironmentModel env, Environments.TenantSpec tenant, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(tenant);
        return [.. env.GpuPools.Where(p => p.Cluster == cluster && p.Purpose != PoolPurpose.Cpu
            && (DedicatedTo(env, p.Name) is not { } owner ? (tenant.Pools is not { } declared ? !UsableResources(env, p, tenant.Quota.GpuResources).IsEmpty : declared.Contains(p.Name)) : owner == tenant.Name))];
    }

    /// <summary>The admission spec of <paramref name="tenant"/>'s namespace on <paramref name="cluster"/>.</summary>
    public static TenantAdmissionSpec Admission(EnvironmentModel env, Environments.TenantSpec tenant, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(tenant);
        return new TenantAdmissionSpec(tenant.Name, [.. For(env, tenant, cluster).Select(p =>
            new AdmissionPool(p.Name, UsableResources(env, p, tenant.Quota.GpuResources), [GpuPoolPlanner.GpuTaint, .. ExtraTaints(env, p.Name)]))]);
    }

    /// <summary>
    /// What is wrong with <paramref name="tenant"/>'s declared <c>pools</c>, as (index in <c>pools</c>, reason): a pool that is not
    /// a GPU pool of the stack, not on one of the tenant's clusters, dedicated to another tenant, or one whose GPU resources
    /// the tenant's quota does not grant (the quota could never be used there).
    /// </summary>
    public static ImmutableArray<(int Index, string Reason)> Problems(EnvironmentModel env, Environments.TenantSpec tenant)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(tenant);
        var result = ImmutableArray.CreateBuilder<(int, string)>();
        var pools = tenant.Pools ?? [];
        for (var j = 0; j < pools.Length; j++)
        {
            var name = pools[j];
            var pool = env.GpuPools.FirstOrDefault(p => p.Name == name);
            var gpuPools = string.Join(", ", env.GpuPools.Where(p => p.Purpose != PoolPurpose.Cpu).Select(p => p.Name));
            if (pool is null || pool.Purpose == PoolPurpose.Cpu)
            {
                result.Add((j, $"\"{name}\" is not a GPU pool of this stack; GPU pools: {gpuPools}"));
            }
            else if (!tenant.Clusters.Contains(pool.Cluster))
            {
                result.Add((j, $"pool \"{name}\" is in cluster \"{pool.Cluster}\", where tenant \"{tenant.Name}\" has no namespace (clusters: {string.Join(", ", tenant.Clusters)})"));
            }
            else if (DedicatedTo(env, name) is { } owner && owner != tenant.Name)
            {
                result.Add((j, $"pool \"{name}\" is dedicated to tenant \"{owner}\" (gpuPools[].dedicatedTo); no other tenant may use it"));
            }
            else if (UsableResources(env, pool, tenant.Quota.GpuResources).IsEmpty)
            {
                var offered = CapacityPlanner.PerNode(pool, env.Clusters.First(c => c.Name == pool.Cluster).MigStrategy).Keys;
                var granted = tenant.Quota.GpuResources.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToList();
                result.Add((j, $"pool \"{name}\" offers {string.Join(", ", offered)}, but tenant \"{tenant.Name}\"'s quota grants {(granted.Count == 0 ? "no GPU resource" : string.Join(", ", granted))}: the quota cannot be used on it; add the resource to quota.gpu/quota.mig or remove the pool"));
            }
        }

        return result.ToImmutable();
    }
}
