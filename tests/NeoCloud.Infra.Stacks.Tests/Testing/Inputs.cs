using System.Collections.Immutable;
using Pulumi.Testing;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>Navigation over the recorded inputs (nested maps and lists, as the mock engine hands them).</summary>
internal static class Inputs
{
    public static object? At(this MockResourceArgs r, params string[] path) => At(r.Inputs, path);

    public static object? At(object? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is IReadOnlyDictionary<string, object> map && map.TryGetValue(key, out var next) ? next : null;
        }

        return node;
    }

    public static IReadOnlyDictionary<string, object> Map(this MockResourceArgs r, params string[] path) =>
        At(r.Inputs, path) as IReadOnlyDictionary<string, object> ?? ImmutableDictionary<string, object>.Empty;

    public static IReadOnlyList<object> List(this MockResourceArgs r, params string[] path) =>
        At(r.Inputs, path) is ImmutableArray<object> a ? a : [];

    public static string? Str(this MockResourceArgs r, params string[] path) => At(r.Inputs, path) as string;

    public static int Int(this MockResourceArgs r, params string[] path) => Convert.ToInt32(At(r.Inputs, path), System.Globalization.CultureInfo.InvariantCulture);
}
