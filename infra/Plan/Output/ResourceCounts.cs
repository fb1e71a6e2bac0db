using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>Display of extended-resource maps such as <c>nvidia.com/mig-1g.10gb → 112</c>.</summary>
internal static class ResourceCounts
{
    private const string NvidiaPrefix = "nvidia.com/";

    /// <summary>The resource name without the <c>nvidia.com/</c> prefix (<c>gpu</c>, <c>mig-1g.10gb</c>).</summary>
    public static string Short(string resource) => resource.StartsWith(NvidiaPrefix, StringComparison.Ordinal) ? resource[NvidiaPrefix.Length..] : resource;

    /// <summary><c>mig-1g.10gb 56, gpu 4</c>, or <c>-</c> when empty.</summary>
    public static string Format(ImmutableSortedDictionary<string, int> resources) =>
        resources.Count == 0 ? "-" : string.Join(", ", resources.Select(kv => $"{Short(kv.Key)} {Int(kv.Value)}"));

    /// <summary>Invariant integer text.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Signed invariant integer text (<c>+3</c>, <c>-2</c>, <c>0</c>).</summary>
    public static string Signed(int value) => value > 0 ? "+" + Int(value) : Int(value);
}
