using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>The MIG layout of a set of GPUs of a node within a named config.</summary>
/// <param name="Devices">GPU indices the entry applies to; null for all GPUs of the node.</param>
/// <param name="Layout">Profile → count on each of those GPUs; empty means <c>mig-enabled: false</c>.</param>
public sealed record MigDeviceLayout(ImmutableArray<int>? Devices, ImmutableSortedDictionary<string, int> Layout);

/// <summary>A custom named MIG config (a mig-parted <c>mig-configs</c> entry) for one GPU model.</summary>
/// <param name="Name">Config name, the value of the node label <c>nvidia.com/mig.config</c>.</param>
/// <param name="Entries">Layouts per device set; device sets must not overlap; GPUs not covered are MIG-disabled.</param>
public sealed record MigConfigDefinition(string Name, ImmutableArray<MigDeviceLayout> Entries);

/// <summary>A named config resolved for one node: either one layout per GPU index, or the errors.</summary>
/// <param name="PerDevice">Layout of GPU 0..gpusPerNode-1 (empty layout = MIG disabled); empty when invalid.</param>
/// <param name="Errors">Every problem; empty when valid.</param>
public sealed record MigConfigResolution(
    ImmutableArray<ImmutableSortedDictionary<string, int>> PerDevice,
    ImmutableArray<string> Errors)
{
    /// <summary>True when the config resolved without errors.</summary>
    public bool IsValid => Errors.IsEmpty;
}

/// <summary>
/// Built-in MIG config names as NVIDIA's mig-parted / GPU Operator default config defines them
/// (<c>all-disabled</c>, <c>all-&lt;profile&gt;</c> with the profile's maximum count, <c>all-balanced</c>) and their resolution.
/// </summary>
/// <remarks>
/// <c>all-enabled</c> (MIG mode on, no instances) is deliberately not offered: it leaves a node with no allocatable GPU
/// resource and cannot be expressed as per-device layouts. Media-extension profiles (<c>+me</c>) are not in the catalog.
/// </remarks>
public static class MigConfigs
{
    /// <summary>MIG disabled on every GPU; always present in a rendered config.</summary>
    public const string AllDisabled = "all-disabled";

    /// <summary>The mixed layout mig-parted defines per model (e.g. 2×1g.10gb + 1×2g.20gb + 1×3g.40gb on H100 80GB).</summary>
    public const string AllBalanced = "all-balanced";

    private const string AllPrefix = "all-";

    /// <summary>The built-in config names valid for <paramref name="gpu"/>: all-disabled, all-&lt;profile&gt; per profile, all-balanced.</summary>
    /// <param name="gpu">The GPU model.</param>
    public static ImmutableArray<string> BuiltInNames(GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        if (!gpu.MigSupported)
        {
            return [AllDisabled];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        names.Add(AllDisabled);
        names.AddRange(gpu.MigProfiles.Select(p => AllPrefix + p.Name));
        if (gpu.BalancedLayout.Count > 0)
        {
            names.Add(AllBalanced);
        }

        return names.ToImmutable();
    }

    /// <summary>The per-GPU layout of a built-in config, or null when <paramref name="name"/> is not built in for <paramref name="gpu"/>.</summary>
    /// <param name="name">Config name.</param>
    /// <param name="gpu">The GPU model.</param>
    public static ImmutableSortedDictionary<string, int>? BuiltInLayout(string name, GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(gpu);
        if (name == AllDisabled)
        {
            return ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);
        }

        if (!gpu.MigSupported)
        {
            return null;
        }

        if (name == AllBalanced)
        {
            return gpu.BalancedLayout.Count > 0 ? gpu.BalancedLayout.WithComparers(StringComparer.Ordinal) : null;
        }

        if (name.StartsWith(AllPrefix, StringComparison.Ordinal) && gpu.FindProfile(name[AllPrefix.Length..]) is { } profile)
        {
            return ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(profile.Name, profile.MaxCount)]);
        }

        return null;
    }

    /// <summary>
    /// Resolves a config name for a node of <paramref name="gpusPerNode"/> GPUs of model <paramref name="gpu"/>:
    /// a custom definition of that name first, else a built-in name.
    /// </summary>
    /// <param name="name">Config name (node label <c>nvidia.com/mig.config</c>).</param>
    /// <param name="gpu">The GPU model of the node.</param>
    /// <param name="gpusPerNode">GPUs per node (at least 1).</param>
    /// <param name="custom">Custom definitions by name (may be empty).</param>
    public static MigConfigResolution Resolve(
        string name, GpuModel gpu, int gpusPerNode, IReadOnlyDictionary<string, MigConfigDefinition> custom)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(custom);
        if (gpusPerNode < 1)
        {
            return Fail($"gpusPerNode must be at least 1, got {gpusPerNode.ToString(CultureInfo.InvariantCulture)}");
        }

        if (custom.TryGetValue(name, out var definition))
        {
            return ResolveCustom(definition, gpu, gpusPerNode);
        }

        var builtIn = BuiltInLayout(name, gpu);
        if (builtIn is null)
        {
            var valid = string.Join(", ", BuiltInNames(gpu));
            var customNames = custom.Count == 0 ? "" : $"; custom: {string.Join(", ", custom.Keys.Order(StringComparer.Ordinal))}";
            return Fail($"\"{name}\" is not a MIG config of {gpu.Id}; valid: {valid}{customNames}");
        }

        return new MigConfigResolution([.. Enumerable.Repeat(builtIn, gpusPerNode)], []);
    }

    private static MigConfigResolution ResolveCustom(MigConfigDefinition definition, GpuModel gpu, int gpusPerNode)
    {
        var errors = new List<string>();
        var perDevice = new ImmutableSortedDictionary<string, int>?[gpusPerNode];
        var owner = new string?[gpusPerNode];
        if (definition.Entries.IsDefaultOrEmpty)
        {
            errors.Add($"custom MIG config \"{definition.Name}\" has no entries");
        }

        foreach (var entry in definition.Entries.IsDefault ? [] : definition.Entries)
        {
            var set = DeviceSet(entry.Devices);
            var where = $"custom MIG config \"{definition.Name}\", devices {set}";
            var layout = entry.Layout.WithComparers(StringComparer.Ordinal);
            var check = MigGeometry.Validate(gpu, layout);
            errors.AddRange(check.Errors.Select(e => $"{where}: {e}"));
            var indices = entry.Devices is { } devices ? devices.ToArray() : Enumerable.Range(0, gpusPerNode).ToArray();
            if (entry.Devices is { IsEmpty: true })
            {
                errors.Add($"{where}: an explicit device list must not be empty (use null for all devices)");
            }

            foreach (var d in indices)
            {
                if (d < 0 || d >= gpusPerNode)
                {
                    errors.Add($"{where}: device index {d.ToString(CultureInfo.InvariantCulture)} is out of range; a node of {gpu.Id} here has GPUs 0-{(gpusPerNode - 1).ToString(CultureInfo.InvariantCulture)}");
                    continue;
                }

                if (owner[d] is { } other)
                {
                    errors.Add($"{where}: device {d.ToString(CultureInfo.InvariantCulture)} is also in devices {other}; device sets must not overlap");
                    continue;
                }

                owner[d] = set;
                perDevice[d] = layout;
            }
        }

        if (errors.Count > 0)
        {
            return new MigConfigResolution([], [.. errors.Distinct()]);
        }

        var disabled = ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);
        return new MigConfigResolution([.. perDevice.Select(l => l ?? disabled)], []);
    }

    internal static string DeviceSet(ImmutableArray<int>? devices) =>
        devices is { } d ? "[" + string.Join(",", d.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]" : "all";

    private static MigConfigResolution Fail(string error) => new([], [error]);
}
