using System.Collections.Immutable;

namespace NeoCloud.Infra.Plan.Costing;

/// <summary>How a pool's price was found.</summary>
internal enum PriceBasis
{
    /// <summary>EKS on-demand: the catalog's on-demand list price of the instance type.</summary>
    OnDemand,

    /// <summary>EKS spot: on-demand list price × (1 − spot discount).</summary>
    Spot,

    /// <summary>On-prem: <c>cost.onPremGpuHourUsd[gpu]</c> × GPUs per node.</summary>
    OnPremGpuHour,

    /// <summary>No price is known: counted as 0 in totals.</summary>
    NotPriced,
}

/// <summary>A USD amount at the pool's minimum and maximum node count.</summary>
internal sealed record UsdRange(decimal Min, decimal Max)
{
    /// <summary>Zero at both ends.</summary>
    public static UsdRange Zero { get; } = new(0m, 0m);

    /// <summary>Adds two ranges end by end.</summary>
    public static UsdRange operator +(UsdRange a, UsdRange b) => new(a.Min + b.Min, a.Max + b.Max);

    /// <summary>Subtracts two ranges end by end.</summary>
    public static UsdRange operator -(UsdRange a, UsdRange b) => new(a.Min - b.Min, a.Max - b.Max);
}

/// <summary>The cost of one pool.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="Basis">Where the price comes from.</param>
/// <param name="NodeHourlyUsd">Price of one node-hour, or null when not priced.</param>
/// <param name="GpuHourlyUsd">Price of one GPU-hour (node price / GPUs per node), or null.</param>
/// <param name="Hourly">Hourly cost at min and max nodes.</param>
/// <param name="Monthly">Monthly cost (hourly × hours per month) at min and max nodes.</param>
/// <param name="PriceRegion">Region of the catalog price (EKS), or null.</param>
/// <param name="PriceDate">Date of the catalog price (EKS), or null.</param>
/// <param name="Note">Caveat for this pool, or null.</param>
internal sealed record PoolCost(
    string Pool,
    PriceBasis Basis,
    decimal? NodeHourlyUsd,
    decimal? GpuHourlyUsd,
    UsdRange Hourly,
    UsdRange Monthly,
    string? PriceRegion,
    DateOnly? PriceDate,
    string? Note)
{
    /// <summary>False when the pool's cost is unknown (counted as 0).</summary>
    public bool Priced => Basis != PriceBasis.NotPriced;
}

/// <summary>What one serving replica's tokens cost.</summary>
/// <param name="Deployment">Deployment name.</param>
/// <param name="Pool">Pool the replica runs in.</param>
/// <param name="Burst">True for the hybrid burst part.</param>
/// <param name="Resource">Resource one replica requests.</param>
/// <param name="TokensPerSecond">The deployment's stated throughput per replica.</param>
/// <param name="GpuShare">Fraction of one GPU a replica uses.</param>
/// <param name="ShareBasis">How <paramref name="GpuShare"/> was derived, e.g. "MIG 1g.10gb: 1/7 compute slices".</param>
/// <param name="ReplicaHourlyUsd">GPU-hour price × share, or null when the pool is not priced.</param>
/// <param name="UsdPerMillionTokens">Replica hourly cost / (tokens per hour / 1e6), or null when the pool is not priced.</param>
internal sealed record TokenCost(
    string Deployment,
    string Pool,
    bool Burst,
    string Resource,
    double TokensPerSecond,
    double GpuShare,
    string ShareBasis,
    decimal? ReplicaHourlyUsd,
    decimal? UsdPerMillionTokens);

/// <summary>The cost estimate of a stack.</summary>
/// <param name="SpotDiscount">Spot discount used (from config or --spot-discount).</param>
/// <param name="SpotDiscountOverridden">True when --spot-discount replaced the configured value.</param>
/// <param name="HoursPerMonth">Hours per billing month.</param>
/// <param name="Pools">Cost per pool, in pool order.</param>
/// <param name="TotalHourly">Sum of the pools' hourly cost.</param>
/// <param name="TotalMonthly">Sum of the pools' monthly cost.</param>
/// <param name="PerMillionTokens">Cost per 1M tokens of deployments with a stated throughput.</param>
/// <param name="Caveats">What the numbers do not include or assume.</param>
internal sealed record CostPlan(
    double SpotDiscount,
    bool SpotDiscountOverridden,
    double HoursPerMonth,
    ImmutableArray<PoolCost> Pools,
    UsdRange TotalHourly,
    UsdRange TotalMonthly,
    ImmutableArray<TokenCost> PerMillionTokens,
    ImmutableArray<string> Caveats);
