using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Capacity;

/// <summary>The allocatable GPU resources of a pool at its minimum and maximum size.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="Cluster">Cluster of the pool.</param>
/// <param name="Strategy">The cluster's MIG strategy the resources are advertised under.</param>
/// <param name="PerNode">Extended resources of one node.</param>
/// <param name="AtMin">Resources at the pool's minimum size.</param>
/// <param name="AtMax">Resources at the pool's maximum size.</param>
public sealed record PoolCapacity(
    string Pool,
    string Cluster,
    MigStrategy Strategy,
    ImmutableSortedDictionary<string, int> PerNode,
    ImmutableSortedDictionary<string, int> AtMin,
    ImmutableSortedDictionary<string, int> AtMax);

/// <summary>Whether one serving deployment's replica bounds fit its pool.</summary>
/// <param name="Deployment">Deployment name.</param>
/// <param name="Pool">Target pool.</param>
/// <param name="Resource">Resource one replica requests (one unit).</param>
/// <param name="MinReplicas">Minimum replicas.</param>
/// <param name="MaxReplicas">Maximum replicas.</param>
/// <param name="CapacityAtMin">Units of the resource the pool has at its minimum size.</param>
/// <param name="CapacityAtMax">Units of the resource the pool has at its maximum size.</param>
/// <param name="Burst">True for the hybrid burst part of a deployment.</param>
/// <param name="UnitsPerReplica">Units of <paramref name="Resource"/> one replica requests (<c>gpu: N</c>; 1 for a MIG slice).</param>
public sealed record ServingFit(string Deployment, string Pool, string Resource, int MinReplicas, int MaxReplicas, int CapacityAtMin, int CapacityAtMax, bool Burst, int UnitsPerReplica = 1)
{
    /// <summary>Units the maximum replicas take (<see cref="MaxReplicas"/> × <see cref="UnitsPerReplica"/>).</summary>
    public int UnitsAtMax => MaxReplicas * UnitsPerReplica;

    /// <summary>The most replicas the pool holds at its maximum size.</summary>
    public int ReplicasAtMax => CapacityAtMax / Math.Max(UnitsPerReplica, 1);

    /// <summary>True when the maximum replicas fit the pool at its maximum size.</summary>
    public bool Fits => UnitsAtMax <= CapacityAtMax;

    /// <summary>True when the prewarmed minimum fits the pool at its minimum size (no scale-up needed to start).</summary>
    public bool MinFitsAtMinSize => MinReplicas * UnitsPerReplica <= CapacityAtMin;

    /// <summary>Units left at maximum size after this deployment's maximum (negative when it does not fit).</summary>
    public int Headroom => CapacityAtMax - UnitsAtMax;
}

/// <summary>What all deployments sharing a pool reserve of one resource at their maximum.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Capacity">Units at the pool's maximum size.</param>
/// <param name="Reserved">Sum of the deployments' maximum replicas × units per replica.</param>
/// <param name="Deployments">The deployments sharing the resource.</param>
/// <param name="OvercommitAllowed">Whether the pool allows over-commit.</param>
public sealed record PoolReservation(string Pool, string Resource, int Capacity, int Reserved, ImmutableArray<string> Deployments, bool OvercommitAllowed)
{
    /// <summary>True when the deployments together ask for more than the pool holds.</summary>
    public bool Overcommitted => Reserved > Capacity;
}

/// <summary>A tenant's quota of one resource against what its clusters offer.</summary>
/// <param name="Tenant">Tenant name.</param>
/// <param name="Cluster">Cluster.</param>
/// <param name="Resource">GPU resource.</param>
/// <param name="Quota">The tenant's quota.</param>
/// <param name="ClusterCapacity">Units in the cluster at the pools' maximum size.</param>
/// <param name="AllTenantsQuota">Sum of every tenant's quota of this resource in this cluster.</param>
public sealed record TenantQuotaUse(string Tenant, string Cluster, string Resource, int Quota, int ClusterCapacity, int AllTenantsQuota)
{
    /// <summary>True when all tenants' quotas together exceed the cluster's capacity (allowed; reported).</summary>
    public bool OverSubscribed => AllTenantsQuota > ClusterCapacity;
}

/// <summary>The capacity of an environment: pools, serving fits, shared reservations and tenant quotas.</summary>
public sealed record CapacityReport(
    ImmutableArray<PoolCapacity> Pools,
    ImmutableArray<ServingFit> Serving,
    ImmutableArray<PoolReservation> Reservations,
    ImmutableArray<TenantQuotaUse> Tenants);

/// <summary>Computes what pools can host and whether the serving deployments and quotas fit (Core's one capacity rule set).</summary>
public static class CapacityPlanner
{
    /// <summary>The extended GPU resources one node of <paramref name="pool"/> advertises under <paramref name="strategy"/>.</summary>
    public static ImmutableSortedDictionary<string, int> PerNode(GpuPoolSpec pool, MigStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Gpu is null || pool.GpusPerNode == 0)
        {
            return ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);
        }

        var layouts = pool.Mig is { Enabled: true } mig ? mig.PerDevice : (IReadOnlyList<ImmutableSortedDictionary<string, int>>?)null;
        return GpuResources.PerNode(pool.Gpu, pool.GpusPerNode, layouts, layouts is null ? MigStrategy.None : strategy, pool.TimeSlicingReplicas);
    }

    /// <summary>The capacity of one pool at its minimum and maximum size.</summary>
    public static PoolCapacity ForPool(GpuPoolSpec pool, MigStrategy strategy)
    {
        var perNode = PerNode(pool, strategy);
        return new PoolCapacity(pool.Name, pool.Cluster, strategy, perNode, Scale(perNode, pool.MinSize), Scale(perNode, pool.MaxSize));
    }

    /// <summary>Computes the capacity report of a bound environment.</summary>
    public static CapacityReport Compute(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var pools = env.GpuPools.Select(p => ForPool(p, env.Cluster(p.Cluster).MigStrategy)).ToImmutableArray();
        var byName = pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);

        var fits = ImmutableArray.CreateBuilder<ServingFit>();
        foreach (var s in env.Serving)
        {
            fits.Add(Fit(s.Name, s.Pool, s.Gpu.ResourceName, s.MinReplicas, s.MaxReplicas, byName[s.Pool], burst: false, s.Gpu.Count));
            if (s.Burst is { } b)
            {
                fits.Add(Fit(s.Name, b.Pool, b.Gpu.ResourceName, 0, b.MaxReplicas, byName[b.Pool], burst: true, b.Gpu.Count));
            }
        }

        var reservations = fits
            .GroupBy(f => (f.Pool, f.Resource))
            .OrderBy(g => g.Key.Pool, StringComparer.Ordinal).ThenBy(g => g.Key.Resource, StringComparer.Ordinal)
            .Select(g => new PoolReservation(
                g.Key.Pool, g.Key.Resource, g.First().CapacityAtMax, g.Sum(f => f.UnitsAtMax),
                [.. g.Select(f => f.Deployment).Distinct()], env.Pool(g.Key.Pool).AllowOvercommit))
            .ToImmutableArray();

        var tenants = ImmutableArray.CreateBuilder<TenantQuotaUse>();
        foreach (var t in env.Tenants)
        {
            foreach (var cluster in t.Clusters)
            {
                foreach (var (resource, quota) in t.Quota.GpuResources)
                {
                    var capacity = ClusterCapacity(pools, cluster, resource);
                    var all = env.Tenants.Where(x => x.Clusters.Contains(cluster)).Sum(x => x.Quota.GpuResources.GetValueOrDefault(resource));
                    tenants.Add(new TenantQuotaUse(t.Name, cluster, resource, quota, capacity, all));
                }
            }
        }

        return new CapacityReport(pools, fits.ToImmutable(), reservations, tenants.ToImmutable());
    }

    /// <summary>
    /// The capacity violations of a structurally valid environment, with their key paths: a deployment whose
    /// maximum exceeds its pool at maximum size, deployments that together exceed a shared pool (unless the pool
    /// allows over-commit), and a tenant quota larger than its cluster's capacity.
    /// </summary>
    public static IReadOnlyList<ConfigError> Validate(EnvironmentModel env)
    {
        var report = Compute(env);
        var errors = new List<ConfigError>();

        // One rule set for replica bounds (ReplicaBudget); a TritonService checks only its own maximum against its placement.
        var claims = env.Serving.SelectMany((s, i) =>
        {
            var main = (Pool: s.Pool, Claim: new ReplicaClaim(s.Name, s.Gpu.ResourceName, s.MinReplicas, s.MaxReplicas, $"neocloud:serving[{i}].replicas.max", s.Gpu.Count));
            return s.Burst is { } b
                ? [main, (Pool: b.Pool, Claim: new ReplicaClaim(s.Name, b.Gpu.ResourceName, 0, b.MaxReplicas, $"neocloud:serving[{i}].burst.maxReplicas", b.Gpu.Count))]
                : new[] { main };
        });
        foreach (var group in claims.GroupBy(c => c.Pool, StringComparer.Ordinal))
        {
            var poolIndex = env.GpuPools.Select((p, i) => (p.Name, i)).First(x => x.Name == group.Key).i;
            var pool = env.GpuPools[poolIndex];
            var capacity = report.Pools.Single(p => p.Pool == group.Key);
            errors.AddRange(ReplicaBudget.Check(capacity, [.. group.Select(g => g.Claim)], pool.AllowOvercommit, $"neocloud:gpuPools[{poolIndex}]").Errors);
        }

        var tenantIndex = env.Tenants.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (var t in env.Tenants)
        {
            foreach (var (resource, quota) in t.Quota.GpuResources)
            {
                var offered = t.Clusters.Select(c => (Cluster: c, Capacity: ClusterCapacity(report.Pools, c, resource))).Where(x => x.Capacity > 0).ToList();
                var path = resource == "nvidia.com/gpu"
                    ? $"neocloud:tenants[{tenantIndex[t.Name]}].quota.gpu"
                    : $"neocloud:tenants[{tenantIndex[t.Name]}].quota.mig.{resource["nvidia.com/mig-".Length..]}";
                if (quota > 0 && offered.Count == 0)
                {
                    errors.Add(new ConfigError(path, $"{resource} is not offered by any pool in the tenant's clusters ({string.Join(", ", t.Clusters)})"));
                }

                foreach (var (cluster, capacity) in offered.Where(x => quota > x.Capacity))
                {
                    errors.Add(new ConfigError(path, $"quota {quota} × {resource} is larger than cluster \"{cluster}\"'s capacity of {capacity} at maximum pool sizes"));
                }
            }
        }

        return errors;
    }

    private static ServingFit Fit(string deployment, string pool, string resource, int min, int max, PoolCapacity capacity, bool burst, int units) =>
        new(deployment, pool, resource, min, max, capacity.AtMin.GetValueOrDefault(resource), capacity.AtMax.GetValueOrDefault(resource), burst, units);

    private static int ClusterCapacity(IEnumerable<PoolCapacity> pools, string cluster, string resource) =>
        pools.Where(p => p.Cluster == cluster).Sum(p => p.AtMax.GetValueOrDefault(resource));

    private static ImmutableSortedDictionary<string, int> Scale(ImmutableSortedDictionary<string, int> perNode, int nodes) =>
        perNode.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value * nodes, StringComparer.Ordinal);
}
