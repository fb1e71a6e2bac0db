using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Core.Naming;

/// <summary>
/// The Kubernetes name rules the specs share (kubernetes/apimachinery pkg/util/validation/validation.go:
/// IsDNS1123Label, IsValidLabelValue, IsQualifiedName). One copy, called by planners, the binder and the policies.
/// </summary>
public static partial class KubernetesNames
{
    /// <summary>What a DNS-1123 label is, for messages.</summary>
    public const string DnsLabelRule = "a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";

    /// <summary>What a label value is, for messages.</summary>
    public const string LabelValueRule = "a Kubernetes label value: at most 63 of A-Z a-z 0-9 '-' '_' '.', starting and ending with a letter or digit (or empty)";

    /// <summary>What a label key is, for messages.</summary>
    public const string LabelKeyRule = "a Kubernetes label key: an optional DNS-subdomain prefix and '/', then at most 63 of A-Z a-z 0-9 '-' '_' '.', starting and ending with a letter or digit";

    /// <summary>What a short name is, for messages (<see cref="IsShortName"/>).</summary>
    public const string ShortNameRule = "a DNS label: lowercase letters, digits and '-', starting with a letter, at most 40 characters";

    /// <summary>
    /// The library's short names: environment, cost center, cluster, pool and MIG-config names — a DNS label that starts
    /// with a letter and leaves room for the suffixes child names get (at most 40 characters).
    /// </summary>
    public static bool IsShortName(string? value) => value is not null && ShortName().IsMatch(value);

    /// <summary>The pattern of <see cref="IsShortName"/>, for readers that take one (the config binder).</summary>
    public static Regex ShortNamePattern => ShortName();

    /// <summary>True for a DNS-1123 label (namespaces, Service names, most object names).</summary>
    public static bool IsDnsLabel(string? value) => value is { Length: > 0 and <= 63 } && DnsLabel().IsMatch(value);

    /// <summary>True for a label value (the empty string is a valid label value).</summary>
    public static bool IsLabelValue(string? value) => value is { Length: <= 63 } && (value.Length == 0 || LabelValueShape().IsMatch(value));

    /// <summary>True for a label or annotation key (<c>[prefix/]name</c>).</summary>
    public static bool IsLabelKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (name.Length is 0 or > 63 || !LabelValueShape().IsMatch(name))
        {
            return false;
        }

        if (slash < 0)
        {
            return true;
        }

        var prefix = key[..slash];
        return prefix.Length is > 0 and <= 253 && prefix.Split('.').All(IsDnsLabel);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ShortName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValueShape();
}
