using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>One MIG GPU instance placed on a GPU.</summary>
/// <param name="Profile">Profile name, e.g. <c>3g.40gb</c>.</param>
/// <param name="Start">First memory slice it occupies (an allowed start of the profile).</param>
public sealed record MigPlacement(string Profile, int Start)
{
    /// <summary>Formats as <c>3g.40gb@4</c>.</summary>
    public override string ToString() => $"{Profile}@{Start.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>The outcome of checking a MIG layout of one GPU.</summary>
/// <param name="IsValid">True when the layout can be created on the GPU.</param>
/// <param name="Errors">Every problem found; empty when valid.</param>
/// <param name="Placements">One non-overlapping placement of every instance, ordered by start slice; empty when invalid or when the layout is empty.</param>
public sealed record MigLayoutCheck(bool IsValid, ImmutableArray<string> Errors, ImmutableArray<MigPlacement> Placements);

/// <summary>
/// MIG geometry of one GPU: whether a set of GPU-instance profiles (profile → count) fits, by searching over the
/// profiles' allowed start slices for a placement where no two instances share a memory slice.
/// </summary>
public static class MigGeometry
{
    /// <summary>
    /// Checks a layout: every profile exists on <paramref name="gpu"/>, no profile exceeds its maximum count,
    /// the compute slices add up to at most <see cref="GpuModel.ComputeSlices"/>, and all instances can be placed
    /// at allowed start slices without overlapping memory slices. An empty layout (MIG disabled) is valid on every GPU.
    /// </summary>
    /// <param name="gpu">The GPU model.</param>
    /// <param name="layout">Profile name → number of instances on this one GPU. Zero counts are ignored.</param>
    public static MigLayoutCheck Validate(GpuModel gpu, IReadOnlyDictionary<string, int> layout)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(layout);
        var errors = new List<string>();
        var entries = new List<(MigProfile Profile, int Count)>();
        foreach (var (name, count) in layout.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (count < 0)
            {
                errors.Add($"profile \"{name}\" has a negative count ({count.ToString(CultureInfo.InvariantCulture)})");
            }
            else if (count > 0)
            {
                entries.Add((gpu.FindProfile(name)!, count));
                if (gpu.MigSupported && entries[^1].Profile is null)
                {
                    errors.Add($"profile \"{name}\" is not a MIG profile of {gpu.Id} (profiles: {ProfileList(gpu)})");
                }
            }
        }

        if (entries.Count == 0)
        {
            return errors.Count == 0 ? new MigLayoutCheck(true, [], []) : Invalid(errors);
        }

        if (!gpu.MigSupported)
        {
            errors.Insert(0, $"MIG is not supported on {gpu.Id}");
            return Invalid(errors);
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        foreach (var (profile, count) in entries)
        {
            if (count > profile.MaxCount)
            {
                errors.Add($"\"{profile.Name}\" ×{count.ToString(CultureInfo.InvariantCulture)} exceeds its maximum of {profile.MaxCount.ToString(CultureInfo.InvariantCulture)} per GPU");
            }
        }

        var compute = entries.Sum(e => e.Profile.ComputeSlices * e.Count);
        if (compute > gpu.ComputeSlices)
        {
            var terms = string.Join(" + ", entries.Select(e => $"{e.Count.ToString(CultureInfo.InvariantCulture)}×{e.Profile.Name}"));
            errors.Add($"{terms} needs {compute.ToString(CultureInfo.InvariantCulture)} compute slices; {gpu.Id} has {gpu.ComputeSlices.ToString(CultureInfo.InvariantCulture)}");
        }

        var search = Place(gpu, entries);
        if (search.Placements is null)
        {
            errors.Add(search.Failure!);
        }

        return errors.Count == 0
            ? new MigLayoutCheck(true, [], search.Placements!.Value)
            : Invalid(errors);
    }

    /// <summary>Every valid non-empty layout of <paramref name="gpu"/> as a multiset (profile → count), in a deterministic order.</summary>
    /// <remarks>Ordered by the layout's canonical text (profiles in ordinal order, e.g. <c>1g.10gb×2+2g.20gb×1</c>). Empty for GPUs without MIG.</remarks>
    /// <param name="gpu">The GPU model.</param>
    public static ImmutableArray<ImmutableSortedDictionary<string, int>> EnumerateLayouts(GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        if (!gpu.MigSupported)
        {
            return [];
        }

        var profiles = gpu.MigProfiles.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        var counts = new int[profiles.Length];
        var result = new List<ImmutableSortedDictionary<string, int>>();
        Enumerate(0, 0);
        return [.. result.OrderBy(Describe, StringComparer.Ordinal)];

        void Enumerate(int index, int computeUsed)
        {
            if (index == profiles.Length)
            {
                if (computeUsed == 0)
                {
                    return;
                }

                var layout = ToLayout(profiles, counts);
                if (Validate(gpu, layout).IsValid)
                {
                    result.Add(layout);
                }

                return;
            }

            var p = profiles[index];
            for (var c = 0; c <= p.MaxCount && computeUsed + (c * p.ComputeSlices) <= gpu.ComputeSlices; c++)
            {
                counts[index] = c;
                Enumerate(index + 1, computeUsed + (c * p.ComputeSlices));
            }

            counts[index] = 0;
        }
    }

    /// <summary>
    /// Every maximal placement configuration of <paramref name="gpu"/>: a set of placed instances (profile@start) with no
    /// overlap, within the compute slices and maximum counts, to which no further instance of the considered profiles
    /// can be added. This is the notion behind per-slot tables of "valid configurations" (two configurations with the
    /// same profiles at different starts are distinct).
    /// </summary>
    /// <param name="gpu">The GPU model.</param>
    /// <param name="profiles">The profiles to consider (e.g. the ones an older driver offered); null for all of the model's profiles.</param>
    public static ImmutableArray<ImmutableArray<MigPlacement>> EnumerateMaximalPlacements(GpuModel gpu, IEnumerable<string>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        if (!gpu.MigSupported)
        {
            return [];
        }

        var considered = profiles is null
            ? [.. gpu.MigProfiles]
            : profiles.Select(n => gpu.FindProfile(n)
                ?? throw new ArgumentException($"profile \"{n}\" is not a MIG profile of {gpu.Id} (profiles: {ProfileList(gpu)})", nameof(profiles))).ToArray();
        var candidates = considered
            .SelectMany(p => p.Placements.Select(s => (Profile: p, Start: s)))
            .OrderBy(c => c.Start).ThenByDescending(c => c.Profile.MemorySlices).ThenBy(c => c.Profile.Name, StringComparer.Ordinal)
            .ToArray();
        var chosen = new List<(MigProfile Profile, int Start)>();
        var counts = considered.ToDictionary(p => p.Name, _ => 0, StringComparer.Ordinal);
        var result = new List<ImmutableArray<MigPlacement>>();
        Walk(0, 0UL, 0);
        return [.. result];

        bool CanAdd((MigProfile Profile, int Start) c, ulong used, int compute) =>
            (used & Mask(c.Profile, c.Start)) == 0
            && compute + c.Profile.ComputeSlices <= gpu.ComputeSlices
            && counts[c.Profile.Name] < c.Profile.MaxCount;

        void Walk(int from, ulong used, int compute)
        {
            for (var i = from; i < candidates.Length; i++)
            {
                var c = candidates[i];
                if (!CanAdd(c, used, compute))
                {
                    continue;
                }

                chosen.Add(c);
                counts[c.Profile.Name]++;
                Walk(i + 1, used | Mask(c.Profile, c.Start), compute + c.Profile.ComputeSlices);
                counts[c.Profile.Name]--;
                chosen.RemoveAt(chosen.Count - 1);
            }

            if (chosen.Count > 0 && !candidates.Any(c => CanAdd(c, used, compute)))
            {
                result.Add([.. chosen.Select(c => new MigPlacement(c.Profile.Name, c.Start))]);
            }
        }
    }

    /// <summary>Canonical text of a layout, e.g. <c>1g.10gb×2+2g.20gb×1+3g.40gb×1</c>; <c>(disabled)</c> when empty.</summary>
    /// <param name="layout">Profile name → count.</param>
    public static string Describe(IReadOnlyDictionary<string, int> layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var parts = layout.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}×{kv.Value.ToString(CultureInfo.InvariantCulture)}").ToArray();
        return parts.Length == 0 ? "(disabled)" : string.Join("+", parts);
    }

    internal static string ProfileList(GpuModel gpu) =>
        gpu.MigProfiles.IsEmpty ? "none" : string.Join(", ", gpu.MigProfiles.Select(p => p.Name));

    private static MigLayoutCheck Invalid(List<string> errors) => new(false, [.. errors], []);

    private static ImmutableSortedDictionary<string, int> ToLayout(MigProfile[] profiles, int[] counts)
    {
        var b = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < profiles.Length; i++)
        {
            if (counts[i] > 0)
            {
                b.Add(profiles[i].Name, counts[i]);
            }
        }

        return b.ToImmutable();
    }

    private static ulong Mask(MigProfile p, int start) => ((1UL << p.MemorySlices) - 1) << start;

    private static string Slices(MigProfile p, int start) =>
        p.MemorySlices == 1
            ? $"slice {start.ToString(CultureInfo.InvariantCulture)}"
            : $"slices {start.ToString(CultureInfo.InvariantCulture)}-{(start + p.MemorySlices - 1).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Backtracking search: widest instances first, each tried at its allowed starts in order.</summary>
    private static (ImmutableArray<MigPlacement>? Placements, string? Failure) Place(GpuModel gpu, List<(MigProfile Profile, int Count)> entries)
    {
        var instances = entries
            .SelectMany(e => Enumerable.Repeat(e.Profile, e.Count))
            .OrderByDescending(p => p.MemorySlices).ThenBy(p => p.Placements.Length).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();
        var starts = new int[instances.Length];
        var deepest = -1;
        (MigPlacement[] Placed, MigProfile Blocked)? witness = null;

        if (Search(0, 0UL))
        {
            var placed = instances.Select((p, i) => new MigPlacement(p.Name, starts[i]))
                .OrderBy(x => x.Start).ThenBy(x => x.Profile, StringComparer.Ordinal);
            return ([.. placed], null);
        }

        var (placedSoFar, blocked) = witness!.Value;
        var reasons = blocked.Placements
            .Select(s => (Start: s, Conflicts: placedSoFar.Where(x => (Mask(gpu.FindProfile(x.Profile)!, x.Start) & Mask(blocked, s)) != 0).ToArray()))
            .Where(r => r.Conflicts.Length > 0)
            .Select(r => $"at {r.Start.ToString(CultureInfo.InvariantCulture)} it needs memory {Slices(blocked, r.Start)}, which {string.Join(" and ", r.Conflicts.Select(x => x.ToString()))} already use{(r.Conflicts.Length == 1 ? "s" : "")}");
        var prefix = placedSoFar.Length == 0 ? "" : $"after {string.Join(", ", placedSoFar.Select(x => x.ToString()))}, ";
        return (null, $"no non-overlapping placement on {gpu.Id}: {prefix}{blocked.Name} cannot be placed ({string.Join("; ", reasons)})");

        bool Search(int index, ulong used)
        {
            if (index == instances.Length)
            {
                return true;
            }

            var p = instances[index];
            var minStart = index > 0 && instances[index - 1] == p ? starts[index - 1] + 1 : int.MinValue;
            var any = false;
            foreach (var s in p.Placements)
            {
                if (s < minStart || (used & Mask(p, s)) != 0)
                {
                    continue;
                }

                any = true;
                starts[index] = s;
                if (Search(index + 1, used | Mask(p, s)))
                {
                    return true;
                }
            }

            if (!any && index > deepest)
            {
                deepest = index;
                var placed = Enumerable.Range(0, index).Select(i => new MigPlacement(instances[i].Name, starts[i])).ToArray();
                witness = (placed, p);
            }

            return false;
        }
    }
}
