using System.Collections;
using System.Collections.Immutable;
using Pulumi;

namespace NeoCloud.Infra.Components.Kubernetes;

/// <summary>Turns Core's plain data (chart values, specs, label sets) into Pulumi inputs, the one way every component does it.</summary>
internal static class CoreData
{
    /// <summary>A Core data tree as a Pulumi input map; nested maps and lists become immutable dictionaries and arrays.</summary>
    public static InputMap<object> ToInputMap(IReadOnlyDictionary<string, object> values)
    {
        var map = new InputMap<object>();
        foreach (var (key, value) in values)
        {
            map.Add(key, ToPlain(value));
        }

        return map;
    }

    /// <summary>A label (or tag) set as a Pulumi input map.</summary>
    public static InputMap<string> ToLabels(IReadOnlyDictionary<string, string> labels)
    {
        var map = new InputMap<string>();
        foreach (var (key, value) in labels)
        {
            map.Add(key, value);
        }

        return map;
    }

    // Plain immutable dictionaries and arrays, which the Pulumi serializer accepts at any depth.
    private static object ToPlain(object value) => value switch
    {
        IDictionary<string, object> d => d.ToImmutableDictionary(kv => kv.Key, kv => ToPlain(kv.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<string, object> d => d.ToImmutableDictionary(kv => kv.Key, kv => ToPlain(kv.Value), StringComparer.Ordinal),
        string s => s,
        IEnumerable e => e.Cast<object>().Select(ToPlain).ToImmutableArray(),
        _ => value,
    };
}
