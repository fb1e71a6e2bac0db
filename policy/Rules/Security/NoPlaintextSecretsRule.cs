using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Security;

/// <summary>
/// No secret-looking key (password, token, secret, apiKey, ...) has a literal value in Helm chart values or
/// container env. A Pulumi secret is still plaintext once rendered into a manifest, so it is a violation too.
/// Messages name the key, never the value.
/// </summary>
public sealed partial class NoPlaintextSecretsRule : IResourceRule
{
    private static readonly HashSet<string> ChartTypes = new(StringComparer.Ordinal)
    {
        "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release",
    };

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "no-plaintext-secrets", "No plaintext secrets in chart values or container env",
        "Helm chart values and container env carry no literal password/token/secret/API key; reference a Kubernetes Secret (existingSecret, valueFrom.secretKeyRef) instead.",
        PolicySeverity.Critical, PolicyKind.Resource, EnforcementLevel.Mandatory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.List("allowKeys", "Keys (exact, case-insensitive) that look secret but hold no secret.")),
        ["security", "secrets"]);

    /// <summary>True when a key name looks like it holds a secret value (and not a reference to one).</summary>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecretKey().IsMatch(key) && !ReferenceKey().IsMatch(key);
    }

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        if (ChartTypes.Contains(resource.Type))
        {
            var allow = AllowKeys(context);
            var values = resource["values"];
            if (!values.IsKnown)
            {
                return [Violation.CannotEvaluate("the chart values")];
            }
            var found = new List<Violation>();
            Walk(values, "values", allow, found, 0);
            return found;
        }
        var workload = Workload.From(resource);
        if (workload is null)
        {
            return [];
        }
        var result = new List<Violation>();
        HashSet<string>? allowed = null;
        foreach (var container in workload.Containers())
        {
            foreach (var env in container.Value["env"].Items())
            {
                var name = env["name"].IsKnown ? env["name"].AsString() : null;
                if (name is null || !IsSecretKey(name) || (allowed ??= AllowKeys(context)).Contains(name))
                {
                    continue;
                }
                // A name inside a secret (a secret env list or container) is itself secret: it prints as [secret].
                var shown = env["name"].Display();
                var value = env["value"];
                if (!value.IsKnown)
                {
                    result.Add(Violation.CannotEvaluate($"env '{shown}' of {container.Label}"));
                }
                else if (!string.IsNullOrEmpty(value.AsString()))
                {
                    result.Add(new Violation($"{container.Label} env '{shown}' has a literal value{(value.IsSecret ? " (a Pulumi secret, still plaintext in the pod spec)" : string.Empty)}; use valueFrom.secretKeyRef"));
                }
            }
        }
        return result;
    }

    // Read from the settings only for a resource this rule looks into (a chart, or a secret-looking env name): the other
    // resources of an Analyze call skip building the set.
    private static HashSet<string> AllowKeys(RuleContext context) => context.List("allowKeys").ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static void Walk(PropertyValue node, string path, HashSet<string> allow, List<Violation> found, int depth)
    {
        if (depth > 64)
        {
            return;
        }
        if (!node.IsKnown)
        {
            return;
        }
        foreach (var (key, value) in node.Entries())
        {
            // Keys inside a secret object are part of the secret: the path shows [secret] from there on.
            var childPath = path + "." + (node.IsSecret ? "[secret]" : key);
            if (IsSecretKey(key) && !allow.Contains(key))
            {
                if (!value.IsKnown)
                {
                    found.Add(Violation.CannotEvaluate($"chart value '{childPath}'"));
                    continue;
                }
                if (value.Unwrap() is StringValue { Value.Length: > 0 } or NumberValue)
                {
                    found.Add(new Violation($"chart value '{childPath}' is a literal secret{(value.IsSecret ? " (a Pulumi secret, still plaintext in the rendered manifest)" : string.Empty)}; reference a Kubernetes Secret (e.g. existingSecret) instead"));
                    continue;
                }
            }
            var known = value.Unwrap();
            if (known is ObjectValue)
            {
                Walk(value, childPath, allow, found, depth + 1);
            }
            else if (known is ArrayValue)
            {
                var i = 0;
                foreach (var item in value.Items())
                {
                    Walk(item, $"{childPath}[{i++}]", allow, found, depth + 1);
                }
            }
        }
    }

    [GeneratedRegex("(password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    [GeneratedRegex("(secretname|existingsecret|secretref|keyref|(password|token)key$|(name|file|path|ref|enabled|create|secrets|policy|mode)$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceKey();
}
