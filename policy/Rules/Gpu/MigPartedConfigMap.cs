using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Policy.Rules.Model;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>
/// The custom MIG configs of a mig-parted config document (ConfigMap key <c>config.yaml</c>: <c>version: v1</c>,
/// <c>mig-configs</c> name → entries of devices, optional device-filter, mig-enabled, mig-devices).
/// </summary>
public sealed class MigPartedConfigMap
{
    private readonly ImmutableDictionary<string, ImmutableArray<RawEntry>> _configs;

    private MigPartedConfigMap(ImmutableDictionary<string, ImmutableArray<RawEntry>> configs) => _configs = configs;

    /// <summary>No custom configs.</summary>
    public static MigPartedConfigMap Empty { get; } = new(ImmutableDictionary<string, ImmutableArray<RawEntry>>.Empty);

    /// <summary>Config names defined.</summary>
    public IEnumerable<string> Names => _configs.Keys;

    /// <summary>The first ConfigMap of the stack whose <c>config.yaml</c> has <c>mig-configs</c>; empty when none.</summary>
    /// <exception cref="UnknownValueException">Its data is not known yet.</exception>
    /// <exception cref="FormatException">The YAML is malformed.</exception>
    public static MigPartedConfigMap FromStack(StackSnapshot stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        foreach (var map in stack.OfType("kubernetes:core/v1:ConfigMap"))
        {
            var text = map["data"]["config.yaml"];
            if (text.IsNull)
            {
                continue;
            }
            var yaml = text.AsString();
            if (yaml is not null && yaml.Contains("mig-configs", StringComparison.Ordinal))
            {
                return Parse(yaml);
            }
        }
        return Empty;
    }

    /// <summary>Parses a mig-parted document.</summary>
    /// <exception cref="FormatException">The YAML is malformed or has the wrong shape.</exception>
    public static MigPartedConfigMap Parse(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
                !root.Children.TryGetValue(new YamlScalarNode("mig-configs"), out var configsNode) || configsNode is not YamlMappingNode configs)
            {
                throw new FormatException("a mig-parted config has a 'mig-configs' mapping");
            }
            var result = ImmutableDictionary.CreateBuilder<string, ImmutableArray<RawEntry>>(StringComparer.Ordinal);
            foreach (var (nameNode, entriesNode) in configs.Children)
            {
                var name = ((YamlScalarNode)nameNode).Value ?? string.Empty;
                var entries = entriesNode is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>().Select(ParseEntry).ToImmutableArray() : [];
                result[name] = entries;
            }
            return new MigPartedConfigMap(result.ToImmutable());
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException)
        {
            throw new FormatException($"the mig-parted config is not valid: {e.Message}", e);
        }
    }

    /// <summary>The custom definitions that apply to <paramref name="gpu"/> (entries whose device-filter names its PCI id or that have none).</summary>
    public IReadOnlyDictionary<string, MigConfigDefinition> For(GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return _configs.ToDictionary(c => c.Key, c => new MigConfigDefinition(c.Key,
            [.. c.Value.Where(e => e.DeviceFilter.IsEmpty || e.DeviceFilter.Contains(gpu.PciDeviceId, StringComparer.OrdinalIgnoreCase))
                .Select(e => new MigDeviceLayout(e.Devices, e.Layout))]), StringComparer.Ordinal);
    }

    private static RawEntry ParseEntry(YamlMappingNode node)
    {
        YamlNode? Get(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
        var filter = Get("device-filter") switch
        {
            YamlScalarNode s => [s.Value ?? string.Empty],
            YamlSequenceNode s => s.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? string.Empty).ToImmutableArray(),
            _ => ImmutableArray<string>.Empty,
        };
        ImmutableArray<int>? devices = Get("devices") switch
        {
            YamlSequenceNode s => [.. s.Children.OfType<YamlScalarNode>().Select(x => int.Parse(x.Value ?? "-1", CultureInfo.InvariantCulture))],
            _ => null,
        };
        var enabled = Get("mig-enabled") is YamlScalarNode { Value: var flag } && bool.TryParse(flag, out var b) && b;
        var layout = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        if (enabled && Get("mig-devices") is YamlMappingNode migDevices)
        {
            foreach (var (profile, count) in migDevices.Children)
            {
                layout[((YamlScalarNode)profile).Value ?? string.Empty] = int.Parse(((YamlScalarNode)count).Value ?? "0", CultureInfo.InvariantCulture);
            }
        }
        return new RawEntry(filter, devices, layout.ToImmutable());
    }

    private sealed record RawEntry(ImmutableArray<string> DeviceFilter, ImmutableArray<int>? Devices, ImmutableSortedDictionary<string, int> Layout);
}
