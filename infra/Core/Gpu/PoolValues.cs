using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// The one spelling of the pools' and operator's choice values, shared by the component Args (plain strings), the
/// planners that parse them and the binder (<c>gpuPools[]</c>, <c>clusters[]</c>): the stack-config spellings.
/// </summary>
public static class PoolValues
{
    /// <summary><c>eks</c>, <c>onprem</c>.</summary>
    public static readonly ImmutableSortedDictionary<string, Substrate> Substrates = Of(("eks", Substrate.Eks), ("onprem", Substrate.OnPrem));

    /// <summary><c>training</c>, <c>inference</c> (GPU pools) and <c>cpu</c> (cpu pools).</summary>
    public static readonly ImmutableSortedDictionary<string, PoolPurpose> Purposes = Of(("training", PoolPurpose.Training), ("inference", PoolPurpose.Inference), ("cpu", PoolPurpose.Cpu));

    /// <summary><c>training</c>, <c>inference</c>: the purposes of a GPU pool.</summary>
    public static readonly ImmutableSortedDictionary<string, PoolPurpose> GpuPurposes = Purposes.Remove("cpu");

    /// <summary><c>ON_DEMAND</c>, <c>SPOT</c> (the EKS API spellings).</summary>
    public static readonly ImmutableSortedDictionary<string, CapacityType> CapacityTypes = Of(("ON_DEMAND", CapacityType.OnDemand), ("SPOT", CapacityType.Spot));

    /// <summary><c>none</c>, <c>single</c>, <c>mixed</c> (the chart's <c>mig.strategy</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, MigStrategy> Strategies = Of(("none", MigStrategy.None), ("single", MigStrategy.Single), ("mixed", MigStrategy.Mixed));

    /// <summary><c>operator</c>, <c>preinstalled</c>.</summary>
    public static ImmutableSortedDictionary<string, GpuDriver> Drivers => GpuDrivers.ByName;

    /// <summary>The spelling of <paramref name="value"/> in <paramref name="names"/>.</summary>
    public static string NameOf<T>(ImmutableSortedDictionary<string, T> names, T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.First(kv => kv.Value.Equals(value)).Key;
    }

    /// <summary>
    /// Parses <paramref name="value"/> (null: <paramref name="fallback"/>, or "is required" when that is null too);
    /// adds a problem at <paramref name="path"/> naming the allowed values when it is not one of them.
    /// </summary>
    public static T? Parse<T>(ImmutableSortedDictionary<string, T> names, string? value, string path, SpecProblems problems, T? fallback = null)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(problems);
        if (value is null)
        {
            if (fallback is null)
            {
                problems.Add(path, $"is required; allowed: {string.Join(", ", names.Keys)}");
            }

            return fallback;
        }

        if (names.TryGetValue(value, out var parsed))
        {
            return parsed;
        }

        problems.Add(path, $"\"{value}\" is not allowed; allowed: {string.Join(", ", names.Keys)}");
        return null;
    }

    private static ImmutableSortedDictionary<string, T> Of<T>(params (string Name, T Value)[] values) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, values.Select(v => KeyValuePair.Create(v.Name, v.Value)));
}
