using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Plan.Costing;

/// <summary>
/// Prices a stack's pools from the hardware catalog (EKS) and the stack's on-prem GPU-hour rates, and derives the
/// cost per 1M tokens of deployments that state a throughput.
/// </summary>
internal static class CostEstimator
{
    /// <summary>The cost-per-1M-tokens formula, as documented in the README and the JSON output.</summary>
    public const string TokenFormula =
        "usdPerMillionTokens = (gpuHourlyUsd × gpuShare) / (tokensPerSecond × 3600 / 1e6); " +
        "gpuHourlyUsd = nodeHourlyUsd / gpusPerNode; gpuShare = 1 for a whole GPU, 1/replicas on a time-sliced pool, " +
        "profile.computeSlices / gpu.computeSlices for a MIG instance";

    /// <summary>Estimates the cost of <paramref name="env"/>.</summary>
    /// <param name="env">The bound environment.</param>
    /// <param name="catalog">The hardware catalog with instance prices.</param>
    /// <param name="spotDiscountOverride">Spot discount to use instead of <c>cost.spotDiscount</c>, or null.</param>
    public static CostPlan Estimate(EnvironmentModel env, HardwareCatalog catalog, double? spotDiscountOverride = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(catalog);
        var discount = spotDiscountOverride ?? env.Cost.SpotDiscount;
        var hours = (decimal)env.Cost.HoursPerMonth;
        var pools = env.GpuPools.Select(p => PricePool(env, p, catalog, (decimal)discount, hours)).ToImmutableArray();
        var byPool = pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);

        var tokens = ImmutableArray.CreateBuilder<TokenCost>();
        foreach (var s in env.Serving.Where(s => s.ThroughputTokensPerSecond is > 0))
        {
            var tps = s.ThroughputTokensPerSecond!.Value;
            tokens.Add(TokensOf(s.Name, env.Pool(s.Pool), byPool[s.Pool], s.Gpu, tps, burst: false));
            if (s.Burst is { } b)
            {
                tokens.Add(TokensOf(s.Name, env.Pool(b.Pool), byPool[b.Pool], b.Gpu, tps, burst: true));
            }
        }

        var caveats = ImmutableArray.CreateBuilder<string>();
        var regions = pools.Where(p => p.PriceRegion is not null)
            .Select(p => $"{p.PriceRegion} on {p.PriceDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}")
            .Distinct().ToList();
        if (regions.Count > 0)
        {
            caveats.Add($"EKS prices are the catalog's Linux on-demand list prices ({string.Join("; ", regions)}); other regions, savings plans and reserved capacity differ.");
        }

        if (pools.Any(p => p.Basis == PriceBasis.Spot))
        {
            caveats.Add($"Spot is estimated as on-demand × (1 − {discount.ToString("0.###", CultureInfo.InvariantCulture)}); real spot prices vary by zone and hour.");
        }

        var unpriced = pools.Where(p => !p.Priced).Select(p => p.Pool).ToList();
        if (unpriced.Count > 0)
        {
            caveats.Add($"Not priced (counted as $0): {string.Join(", ", unpriced)}.");
        }

        caveats.Add("Node compute only: no EBS, network egress, S3, control plane or support charges.");
        return new CostPlan(
            discount,
            spotDiscountOverride is not null,
            env.Cost.HoursPerMonth,
            pools,
            pools.Aggregate(UsdRange.Zero, (sum, p) => sum + p.Hourly),
            pools.Aggregate(UsdRange.Zero, (sum, p) => sum + p.Monthly),
            tokens.ToImmutable(),
            caveats.ToImmutable());
    }

    private static PoolCost PricePool(EnvironmentModel env, GpuPoolSpec pool, HardwareCatalog catalog, decimal discount, decimal hours)
    {
        decimal? nodeHourly = null;
        var basis = PriceBasis.NotPriced;
        string? region = null;
        DateOnly? date = null;
        string? note = null;
        if (pool.Substrate == Substrate.Eks)
        {
            var type = pool.InstanceType is null ? null : catalog.FindInstanceType(pool.InstanceType);
            var cpuType = pool.InstanceType is null || type is not null ? null : catalog.FindCpuInstanceType(pool.InstanceType);
            if (cpuType is { OnDemandUsdPerHour: null })
            {
                note = $"not priced: {cpuType.Name} has no verified on-demand price (catalog source {cpuType.PriceSource})";
            }
            else if (cpuType is { OnDemandUsdPerHour: { } cpuPrice })
            {
                basis = pool.CapacityType == CapacityType.Spot ? PriceBasis.Spot : PriceBasis.OnDemand;
                nodeHourly = basis == PriceBasis.Spot ? cpuPrice * (1m - discount) : cpuPrice;
                region = cpuType.PriceRegion;
                date = cpuType.PriceDate;
            }
            else if (type is null)
            {
                note = $"instance type {pool.InstanceType ?? "(none)"} has no catalog price";
            }
            else if (type.OnDemandUsdPerHour is not { } listPrice)
            {
                note = $"not priced: {type.Name} has no published on-demand price (catalog source {type.PriceSource})";
            }
            else
            {
                basis = pool.CapacityType == CapacityType.Spot ? PriceBasis.Spot : PriceBasis.OnDemand;
                nodeHourly = basis == PriceBasis.Spot ? listPrice * (1m - discount) : listPrice;
                region = type.PriceRegion;
                date = type.PriceDate;
                var clusterRegion = env.Cluster(pool.Cluster).Region;
                if (clusterRegion is not null && clusterRegion != type.PriceRegion)
                {
                    note = $"priced in {type.PriceRegion}, cluster runs in {clusterRegion}";
                }
            }
        }
        else if (pool.Gpu is null)
        {
            note = "on-prem CPU pool: not priced";
        }
        else if (env.Cost.OnPremGpuHourUsd.TryGetValue(pool.Gpu.Id, out var rate))
        {
            basis = PriceBasis.OnPremGpuHour;
            nodeHourly = (decimal)rate * pool.GpusPerNode;
        }
        else
        {
            note = $"not priced: no cost.onPremGpuHourUsd[{pool.Gpu.Id}]";
        }

        var hourly = nodeHourly is { } n ? new UsdRange(n * pool.MinSize, n * pool.MaxSize) : UsdRange.Zero;
        var gpuHourly = nodeHourly is { } h && pool.GpusPerNode > 0 ? h / pool.GpusPerNode : (decimal?)null;
        return new PoolCost(pool.Name, basis, nodeHourly, gpuHourly, hourly, new UsdRange(hourly.Min * hours, hourly.Max * hours), region, date, note);
    }

    private static TokenCost TokensOf(string deployment, GpuPoolSpec pool, PoolCost cost, GpuRequest request, double tps, bool burst)
    {
        var (share, basis) = ShareOf(pool, request);
        decimal? replicaHourly = cost.GpuHourlyUsd is { } g ? g * (decimal)share : null;
        var tokensPerHourMillions = (decimal)tps * 3600m / 1_000_000m;
        decimal? perMillion = replicaHourly is { } r ? r / tokensPerHourMillions : null;
        return new TokenCost(deployment, pool.Name, burst, request.ResourceName, tps, share, basis, replicaHourly, perMillion);
    }

    /// <summary>The fraction of one GPU a replica of <paramref name="request"/> uses in <paramref name="pool"/>.</summary>
    internal static (double Share, string Basis) ShareOf(GpuPoolSpec pool, GpuRequest request)
    {
        if (request.Kind == GpuRequestKind.Mig && request.Profile is { } name && pool.Gpu?.FindProfile(name) is { } profile && pool.Gpu.ComputeSlices > 0)
        {
            return ((double)profile.ComputeSlices / pool.Gpu.ComputeSlices,
                $"MIG {name}: {profile.ComputeSlices.ToString(CultureInfo.InvariantCulture)}/{pool.Gpu.ComputeSlices.ToString(CultureInfo.InvariantCulture)} compute slices");
        }

        if (pool.TimeSliced)
        {
            return (1.0 / pool.TimeSlicingReplicas, $"time-sliced: 1/{pool.TimeSlicingReplicas.ToString(CultureInfo.InvariantCulture)} GPU");
        }

        return request.Count > 1
            ? (request.Count, $"{request.Count.ToString(CultureInfo.InvariantCulture)} whole GPUs (tensor parallel)")
            : (1.0, "1 whole GPU");
    }
}
