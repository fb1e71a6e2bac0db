using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// Kubernetes resource quantities in the check's canonical integer units: <c>cpu</c> in millicores, <c>memory</c> and
/// <c>ephemeral-storage</c> in bytes, everything else (pods, <c>nvidia.com/*</c>) as a count. Parsed by hand: the
/// grammar is small (k8s.io/apimachinery pkg/api/resource/quantity.go: a decimal number, then a binary suffix Ki..Ei, a
/// decimal suffix n u m k M G T P E, or an exponent e/E), and the maintained parser (KubernetesClient's ResourceQuantity)
/// would pull a Kubernetes client into Core.
/// </summary>
public static class Quantities
{
    /// <summary>Resource name of CPU (millicores in this model).</summary>
    public const string Cpu = "cpu";

    /// <summary>Resource name of memory (bytes).</summary>
    public const string Memory = "memory";

    /// <summary>Resource name of ephemeral storage (bytes).</summary>
    public const string EphemeralStorage = "ephemeral-storage";

    /// <summary>Resource name of the pod count.</summary>
    public const string Pods = "pods";

    private const long GiB = 1L << 30;

    /// <summary>Parses <paramref name="quantity"/> of resource <paramref name="resource"/> into canonical units (rounded up).</summary>
    /// <exception cref="FormatException">The text is not a Kubernetes quantity.</exception>
    public static long Parse(string resource, string quantity)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!TryParse(quantity, out var value))
        {
            throw new FormatException($"\"{quantity}\" is not a Kubernetes quantity (resource {resource})");
        }

        return resource == Cpu ? (long)Math.Ceiling(value * 1000m) : (long)Math.Ceiling(value);
    }

    /// <summary>Parses a quantity into its decimal value (e.g. "500m" → 0.5, "16Gi" → 17179869184).</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] is '.' or '+' or '-'))
        {
            end++;
        }

        if (end == 0 || !decimal.TryParse(s[..end], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = s[end..];
        decimal multiplier;
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E' && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp) && exp is > -19 and < 19)
        {
            multiplier = Pow10(exp);
        }
        else
        {
            decimal? m = suffix switch
            {
                "" => 1m,
                "n" => 0.000000001m,
                "u" => 0.000001m,
                "m" => 0.001m,
                "k" => 1e3m,
                "M" => 1e6m,
                "G" => 1e9m,
                "T" => 1e12m,
                "P" => 1e15m,
                "E" => 1e18m,
                "Ki" => 1024m,
                "Mi" => 1024m * 1024,
                "Gi" => 1024m * 1024 * 1024,
                "Ti" => 1024m * 1024 * 1024 * 1024,
                "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
                "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
                _ => null,
            };
            if (m is null)
            {
                return false;
            }

            multiplier = m.Value;
        }

        value = number * multiplier;
        return value >= 0;
    }

    /// <summary>Requests in canonical units from Kubernetes quantities (name → quantity text).</summary>
    public static ImmutableSortedDictionary<string, long> Requests(params (string Resource, string Quantity)[] entries) =>
        entries.GroupBy(e => e.Resource, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Sum(e => Parse(e.Resource, e.Quantity)), StringComparer.Ordinal);

    /// <summary>The human spelling of an amount: cpu "3.9", memory "15.2Gi", counts as integers.</summary>
    public static string Format(string resource, long amount) => resource switch
    {
        Cpu => (amount / 1000m).ToString("0.###", CultureInfo.InvariantCulture),
        Memory or EphemeralStorage => (amount / (decimal)GiB).ToString("0.#", CultureInfo.InvariantCulture) + "Gi",
        _ => amount.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Adds two resource lists.</summary>
    public static ImmutableSortedDictionary<string, long> Add(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b)
    {
        var result = a.ToImmutableSortedDictionary(StringComparer.Ordinal).ToBuilder();
        foreach (var (k, v) in b)
        {
            result[k] = result.GetValueOrDefault(k) + v;
        }

        return result.ToImmutable();
    }

    private static decimal Pow10(int exp)
    {
        var r = 1m;
        for (var i = 0; i < Math.Abs(exp); i++)
        {
            r *= 10m;
        }

        return exp < 0 ? 1m / r : r;
    }
}
