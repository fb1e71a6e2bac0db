using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>One use of a named MIG config on nodes of one GPU model.</summary>
/// <param name="ConfigName">Config name (node label <c>nvidia.com/mig.config</c>).</param>
/// <param name="Gpu">GPU model of those nodes.</param>
/// <param name="Custom">The custom definition when the name is not built in; null for built-in names.</param>
public sealed record MigConfigUse(string ConfigName, GpuModel Gpu, MigConfigDefinition? Custom = null)
{
    /// <summary>
    /// GPUs per node; when set, a custom definition gets an extra <c>mig-enabled: false</c> entry for the devices it does
    /// not list (so the node matches <see cref="MigConfigs.Resolve"/>). Null leaves unlisted devices to mig-parted.
    /// </summary>
    public int? GpusPerNode { get; init; }
}

/// <summary>Renders the mig-parted config document (ConfigMap key <c>config.yaml</c>) for the configs in use.</summary>
public static class MigPartedConfig
{
    /// <summary>
    /// Renders <c>version: v1</c> and <c>mig-configs</c> with <c>all-disabled</c> plus every used config, names sorted.
    /// A config used with several GPU models gets one entry per distinct layout, each with
    /// <c>device-filter</c> (a list of PCI device ids, e.g. <c>["0x233010DE"]</c>).
    /// </summary>
    /// <param name="uses">Configs in use; duplicates are fine.</param>
    /// <exception cref="ArgumentException">A name is not valid for its GPU, a custom layout is invalid, or one name has two different definitions for one GPU model.</exception>
    public static string Render(IEnumerable<MigConfigUse> uses)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var byName = new SortedDictionary<string, Dictionary<string, (GpuModel Gpu, List<Entry> Entries)>>(StringComparer.Ordinal)
        {
            [MigConfigs.AllDisabled] = [],
        };
        var errors = new List<string>();
        foreach (var use in uses)
        {
            ArgumentNullException.ThrowIfNull(use);
            if (use.Custom is { } c && c.Name != use.ConfigName)
            {
                errors.Add($"custom MIG config \"{c.Name}\" is used under the name \"{use.ConfigName}\"");
                continue;
            }

            var entries = EntriesOf(use, errors);
            if (entries is null)
            {
                continue;
            }

            if (!byName.TryGetValue(use.ConfigName, out var models))
            {
                byName[use.ConfigName] = models = [];
            }

            if (use.ConfigName == MigConfigs.AllDisabled)
            {
                continue;
            }

            if (models.TryGetValue(use.Gpu.Id, out var existing))
            {
                if (!existing.Entries.SequenceEqual(entries))
                {
                    errors.Add($"MIG config \"{use.ConfigName}\" has two different definitions for {use.Gpu.Id}");
                }

                continue;
            }

            models[use.Gpu.Id] = (use.Gpu, entries);
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors.Distinct()), nameof(uses));
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        emitter.Emit(new MappingStart());
        Plain(emitter, "version");
        Plain(emitter, "v1");
        Plain(emitter, "mig-configs");
        emitter.Emit(new MappingStart());
        foreach (var (name, models) in byName)
        {
            Plain(emitter, name);
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            if (models.Count == 0)
            {
                EmitEntry(emitter, null, new Entry(null, ImmutableSortedDictionary<string, int>.Empty));
            }
            else
            {
                // Models with identical entries share one entry whose device-filter lists all their PCI ids.
                var groups = models.Values
                    .GroupBy(m => string.Join("|", m.Entries.Select(e => e.Key)), StringComparer.Ordinal)
                    .Select(g => (Filter: g.Select(m => m.Gpu.PciDeviceId).Distinct().Order(StringComparer.Ordinal).ToArray(), g.First().Entries))
                    .OrderBy(g => g.Filter[0], StringComparer.Ordinal);
                var filtered = models.Count > 1;
                foreach (var (filter, entries) in groups)
                {
                    foreach (var entry in entries)
                    {
                        EmitEntry(emitter, filtered ? filter : null, entry);
                    }
                }
            }

            emitter.Emit(new SequenceEnd());
        }

        emitter.Emit(new MappingEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static List<Entry>? EntriesOf(MigConfigUse use, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(use.Gpu);
        if (use.Custom is null)
        {
            var layout = MigConfigs.BuiltInLayout(use.ConfigName, use.Gpu);
            if (layout is null)
            {
                errors.Add($"\"{use.ConfigName}\" is not a MIG config of {use.Gpu.Id}; valid: {string.Join(", ", MigConfigs.BuiltInNames(use.Gpu))}");
                return null;
            }

            return [new Entry(null, layout)];
        }

        var gpus = use.GpusPerNode ?? 1 + use.Custom.Entries.SelectMany(e => e.Devices ?? []).DefaultIfEmpty(0).Max();
        var resolution = MigConfigs.Resolve(use.ConfigName, use.Gpu, gpus, new Dictionary<string, MigConfigDefinition> { [use.ConfigName] = use.Custom });
        if (!resolution.IsValid)
        {
            errors.AddRange(resolution.Errors);
            return null;
        }

        var entries = use.Custom.Entries.Select(e => new Entry(e.Devices is { } d ? [.. d.Order()] : null, e.Layout)).ToList();
        if (use.GpusPerNode is { } n)
        {
            var listed = use.Custom.Entries.Any(e => e.Devices is null)
                ? Enumerable.Range(0, n).ToHashSet()
                : use.Custom.Entries.SelectMany(e => e.Devices!.Value).ToHashSet();
            var rest = Enumerable.Range(0, n).Where(i => !listed.Contains(i)).ToImmutableArray();
            if (!rest.IsEmpty)
            {
                entries.Add(new Entry(rest, ImmutableSortedDictionary<string, int>.Empty));
            }
        }

        return entries;
    }

    private static void EmitEntry(IEmitter emitter, string[]? deviceFilter, Entry entry)
    {
        emitter.Emit(new MappingStart());
        if (deviceFilter is not null)
        {
            Plain(emitter, "device-filter");
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
            foreach (var id in deviceFilter)
            {
                Quoted(emitter, id);
            }

            emitter.Emit(new SequenceEnd());
        }

        Plain(emitter, "devices");
        if (entry.Devices is { } devices)
        {
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
            foreach (var d in devices)
            {
                Plain(emitter, d.ToString(CultureInfo.InvariantCulture));
            }

            emitter.Emit(new SequenceEnd());
        }
        else
        {
            Plain(emitter, "all");
        }

        var enabled = entry.Layout.Values.Any(v => v > 0);
        Plain(emitter, "mig-enabled");
        Plain(emitter, enabled ? "true" : "false");
        if (enabled)
        {
            Plain(emitter, "mig-devices");
            emitter.Emit(new MappingStart());
            foreach (var (profile, count) in entry.Layout.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Quoted(emitter, profile);
                Plain(emitter, count.ToString(CultureInfo.InvariantCulture));
            }

            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new MappingEnd());
    }

    private static void Plain(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, ScalarStyle.Plain, true, false));

    private static void Quoted(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, ScalarStyle.DoubleQuoted, false, true));

    private sealed record Entry(ImmutableArray<int>? Devices, IReadOnlyDictionary<string, int> Layout)
    {
        public string Key => MigConfigs.DeviceSet(Devices) + ":" + MigGeometry.Describe(Layout);

        public bool Equals(Entry? other) => other is not null && Key == other.Key;

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
    }
}
