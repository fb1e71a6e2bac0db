using System.Collections.Immutable;
using NeoCloud.Infra.Plan.Costing;
using NeoCloud.Infra.Plan.Planning;

namespace NeoCloud.Infra.Plan.Diff;

/// <summary>How a pool differs between the baseline (--against) and the planned stack.</summary>
internal enum PoolChange
{
    /// <summary>Only in the planned stack.</summary>
    Added,

    /// <summary>Only in the baseline.</summary>
    Removed,

    /// <summary>In both, with different nodes, capacity or cost.</summary>
    Changed,

    /// <summary>In both, the same.</summary>
    Unchanged,
}

/// <summary>What a pool has on one side of a diff.</summary>
/// <param name="MinNodes">Minimum nodes.</param>
/// <param name="MaxNodes">Maximum nodes.</param>
/// <param name="AtMin">Allocatable resources at minimum size.</param>
/// <param name="AtMax">Allocatable resources at maximum size.</param>
/// <param name="Hourly">Hourly cost range.</param>
/// <param name="Monthly">Monthly cost range.</param>
internal sealed record PoolSide(int MinNodes, int MaxNodes, ImmutableSortedDictionary<string, int> AtMin, ImmutableSortedDictionary<string, int> AtMax, UsdRange Hourly, UsdRange Monthly)
{
    /// <summary>True when both sides hold the same values.</summary>
    public bool SameAs(PoolSide other) =>
        MinNodes == other.MinNodes && MaxNodes == other.MaxNodes && Hourly == other.Hourly && Monthly == other.Monthly
        && AtMin.SequenceEqual(other.AtMin) && AtMax.SequenceEqual(other.AtMax);
}

/// <summary>One pool's before and after.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="Change">Kind of change.</param>
/// <param name="Before">Baseline side, or null when added.</param>
/// <param name="After">Planned side, or null when removed.</param>
internal sealed record PoolDiff(string Pool, PoolChange Change, PoolSide? Before, PoolSide? After)
{
    /// <summary>Every resource on either side with its before/after units at maximum size.</summary>
    public IEnumerable<(string Resource, int Before, int After)> CapacityAtMax() => Resources(Before?.AtMax, After?.AtMax);

    /// <summary>Every resource on either side with its before/after units at minimum size.</summary>
    public IEnumerable<(string Resource, int Before, int After)> CapacityAtMin() => Resources(Before?.AtMin, After?.AtMin);

    /// <summary>Hourly cost change (after − before).</summary>
    public UsdRange HourlyDelta => (After?.Hourly ?? UsdRange.Zero) - (Before?.Hourly ?? UsdRange.Zero);

    /// <summary>Monthly cost change (after − before).</summary>
    public UsdRange MonthlyDelta => (After?.Monthly ?? UsdRange.Zero) - (Before?.Monthly ?? UsdRange.Zero);

    private static IEnumerable<(string, int, int)> Resources(ImmutableSortedDictionary<string, int>? before, ImmutableSortedDictionary<string, int>? after)
    {
        var keys = (before?.Keys ?? []).Union(after?.Keys ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return keys.Select(k => (k, before?.GetValueOrDefault(k) ?? 0, after?.GetValueOrDefault(k) ?? 0));
    }
}

/// <summary>Capacity and cost deltas between a baseline stack file and the planned one.</summary>
/// <param name="AgainstFile">The baseline file.</param>
/// <param name="Pools">Per-pool differences: planned pools in order, then removed ones.</param>
/// <param name="HourlyBefore">Baseline total hourly cost.</param>
/// <param name="HourlyAfter">Planned total hourly cost.</param>
/// <param name="MonthlyBefore">Baseline total monthly cost.</param>
/// <param name="MonthlyAfter">Planned total monthly cost.</param>
internal sealed record PlanDiff(string AgainstFile, ImmutableArray<PoolDiff> Pools, UsdRange HourlyBefore, UsdRange HourlyAfter, UsdRange MonthlyBefore, UsdRange MonthlyAfter)
{
    /// <summary>Total hourly change.</summary>
    public UsdRange HourlyDelta => HourlyAfter - HourlyBefore;

    /// <summary>Total monthly change.</summary>
    public UsdRange MonthlyDelta => MonthlyAfter - MonthlyBefore;

    /// <summary>Compares <paramref name="after"/> with the baseline <paramref name="before"/>.</summary>
    public static PlanDiff Compare(StackPlan before, StackPlan after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var b = Sides(before);
        var a = Sides(after);
        var beforeByName = b.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var afterNames = a.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var pools = ImmutableArray.CreateBuilder<PoolDiff>();
        foreach (var (name, side) in a)
        {
            pools.Add(beforeByName.TryGetValue(name, out var old)
                ? new PoolDiff(name, old.SameAs(side) ? PoolChange.Unchanged : PoolChange.Changed, old, side)
                : new PoolDiff(name, PoolChange.Added, null, side));
        }

        foreach (var (name, side) in b.Where(kv => !afterNames.Contains(kv.Key)))
        {
            pools.Add(new PoolDiff(name, PoolChange.Removed, side, null));
        }

        return new PlanDiff(before.FilePath, pools.ToImmutable(), before.Cost.TotalHourly, after.Cost.TotalHourly, before.Cost.TotalMonthly, after.Cost.TotalMonthly);
    }

    private static List<KeyValuePair<string, PoolSide>> Sides(StackPlan plan)
    {
        var costs = plan.Cost.Pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);
        var caps = plan.Capacity.Pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);
        return [.. plan.Model.GpuPools.Select(p => KeyValuePair.Create(p.Name, new PoolSide(
            p.MinSize, p.MaxSize, caps[p.Name].AtMin, caps[p.Name].AtMax, costs[p.Name].Hourly, costs[p.Name].Monthly)))];
    }
}
