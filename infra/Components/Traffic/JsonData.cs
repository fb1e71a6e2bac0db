using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeoCloud.Infra.Components.Traffic;

/// <summary>Core's Kubernetes JSON (the gateway planner's objects) as the plain data Pulumi inputs carry.</summary>
internal static class JsonData
{
    /// <summary><paramref name="o"/> as an immutable map; nested objects and arrays as maps and arrays, numbers as int or double.</summary>
    public static ImmutableSortedDictionary<string, object> ToMap(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return o.Where(kv => kv.Value is not null).ToImmutableSortedDictionary(kv => kv.Key, kv => ToPlain(kv.Value!), StringComparer.Ordinal);
    }

    private static object ToPlain(JsonNode node) => node switch
    {
        JsonObject o => ToMap(o),
        JsonArray a => a.Where(n => n is not null).Select(n => ToPlain(n!)).ToImmutableArray(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number when v.TryGetValue<int>(out var i) => i,
            JsonValueKind.Number => v.GetValue<double>(),
            var kind => throw new InvalidOperationException($"unexpected JSON value kind {kind}"),
        },
        _ => throw new InvalidOperationException($"unexpected JSON node {node.GetType().Name}"),
    };
}
