using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>The extended resources a GPU node advertises to Kubernetes, as the NVIDIA device plugin does.</summary>
public static class GpuResources
{
    /// <summary>Whole GPUs, and MIG instances under <see cref="MigStrategy.Single"/>.</summary>
    public const string Gpu = "nvidia.com/gpu";

    /// <summary>
    /// Allocatable extended resources of one node. Without MIG (null or all-empty layouts): <c>nvidia.com/gpu</c> =
    /// GPUs × <paramref name="timeSlicingReplicas"/>. Mixed: each MIG-enabled GPU adds <c>nvidia.com/mig-&lt;profile&gt;</c>
    /// counts, MIG-disabled GPUs add <c>nvidia.com/gpu</c>. Single: every GPU must be MIG-enabled with one profile; the
    /// instances are advertised as <c>nvidia.com/gpu</c>. Time-slicing replicas multiply every advertised resource.
    /// </summary>
    /// <param name="gpu">GPU model of the node.</param>
    /// <param name="gpusPerNode">GPUs in the node (at least 1).</param>
    /// <param name="perDeviceLayouts">Layout per GPU index (count must equal <paramref name="gpusPerNode"/>), or null for no MIG.</param>
    /// <param name="strategy">The cluster's MIG strategy.</param>
    /// <param name="timeSlicingReplicas">Device-plugin time-slicing replicas (1 = no sharing).</param>
    /// <exception cref="ArgumentException">The layouts do not fit the GPU, or the strategy cannot expose them (single with non-homogeneous layouts, none with MIG).</exception>
    public static ImmutableSortedDictionary<string, int> PerNode(
        GpuModel gpu,
        int gpusPerNode,
        IReadOnlyList<ImmutableSortedDictionary<string, int>>? perDeviceLayouts,
        MigStrategy strategy,
        int timeSlicingReplicas = 1)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentOutOfRangeException.ThrowIfLessThan(gpusPerNode, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeSlicingReplicas, 1);
        if (!Enum.IsDefined(strategy))
        {
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown MIG strategy");
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        if (perDeviceLayouts is null || perDeviceLayouts.All(IsDisabled))
        {
            if (perDeviceLayouts is not null && perDeviceLayouts.Count != gpusPerNode)
            {
                throw CountMismatch(perDeviceLayouts.Count, gpusPerNode);
            }

            result[Gpu] = gpusPerNode * timeSlicingReplicas;
            return result.ToImmutable();
        }

        if (perDeviceLayouts.Count != gpusPerNode)
        {
            throw CountMismatch(perDeviceLayouts.Count, gpusPerNode);
        }

        for (var i = 0; i < perDeviceLayouts.Count; i++)
        {
            var check = MigGeometry.Validate(gpu, perDeviceLayouts[i]);
            if (!check.IsValid)
            {
                throw new ArgumentException($"GPU {i.ToString(CultureInfo.InvariantCulture)}: {string.Join("; ", check.Errors)}", nameof(perDeviceLayouts));
            }
        }

        switch (strategy)
        {
            case MigStrategy.None:
                throw new ArgumentException(
                    "MIG strategy none does not expose MIG devices, but some GPUs have MIG layouts; use single or mixed", nameof(strategy));
            case MigStrategy.Single:
                if (SingleStrategyProblem(perDeviceLayouts) is { } problem)
                {
                    throw new ArgumentException($"single strategy requires homogeneous layouts: {problem}", nameof(perDeviceLayouts));
                }

                result[Gpu] = perDeviceLayouts.Sum(l => l.Values.Sum()) * timeSlicingReplicas;
                break;
            default:
                foreach (var layout in perDeviceLayouts)
                {
                    if (IsDisabled(layout))
                    {
                        Add(result, Gpu, timeSlicingReplicas);
                        continue;
                    }

                    foreach (var (profile, count) in layout.Where(kv => kv.Value > 0))
                    {
                        Add(result, "nvidia.com/mig-" + profile, count * timeSlicingReplicas);
                    }
                }

                break;
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// True when the layouts can run under <see cref="MigStrategy.Single"/>: at least one GPU, every GPU MIG-enabled,
    /// and all instances of one profile.
    /// </summary>
    /// <param name="perDeviceLayouts">Layout per GPU index.</param>
    public static bool IsHomogeneous(IReadOnlyList<ImmutableSortedDictionary<string, int>> perDeviceLayouts)
    {
        ArgumentNullException.ThrowIfNull(perDeviceLayouts);
        return SingleStrategyProblem(perDeviceLayouts) is null;
    }

    /// <summary>The least permissive strategy that can expose these layouts: none without MIG, single when homogeneous, else mixed.</summary>
    /// <param name="perDeviceLayouts">Layout per GPU index, or null for no MIG.</param>
    public static MigStrategy MinimalStrategy(IReadOnlyList<ImmutableSortedDictionary<string, int>>? perDeviceLayouts)
    {
        if (perDeviceLayouts is null || perDeviceLayouts.All(IsDisabled))
        {
            return MigStrategy.None;
        }

        return IsHomogeneous(perDeviceLayouts) ? MigStrategy.Single : MigStrategy.Mixed;
    }

    private static string? SingleStrategyProblem(IReadOnlyList<ImmutableSortedDictionary<string, int>> layouts)
    {
        if (layouts.Count == 0)
        {
            return "there are no GPUs";
        }

        var disabled = Enumerable.Range(0, layouts.Count).Where(i => IsDisabled(layouts[i])).ToArray();
        if (disabled.Length > 0)
        {
            return $"GPU {string.Join(", ", disabled)} {(disabled.Length == 1 ? "has" : "have")} MIG disabled, but every GPU must be MIG-enabled";
        }

        var profiles = layouts.SelectMany(l => l.Where(kv => kv.Value > 0).Select(kv => kv.Key)).Distinct().Order(StringComparer.Ordinal).ToArray();
        return profiles.Length == 1 ? null : $"the node mixes profiles {string.Join(", ", profiles)}, but all MIG devices must be of one profile";
    }

    private static bool IsDisabled(IReadOnlyDictionary<string, int> layout) => layout.Values.All(v => v == 0);

    private static void Add(ImmutableSortedDictionary<string, int>.Builder result, string key, int count) =>
        result[key] = result.GetValueOrDefault(key) + count;

    private static ArgumentException CountMismatch(int layouts, int gpus) =>
        new($"{layouts.ToString(CultureInfo.InvariantCulture)} per-device layouts given for a node of {gpus.ToString(CultureInfo.InvariantCulture)} GPUs", "perDeviceLayouts");
}
