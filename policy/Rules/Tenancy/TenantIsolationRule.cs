using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Tenancy;

/// <summary>Every tenant namespace has a ResourceQuota and a default-deny NetworkPolicy.</summary>
public sealed class TenantIsolationRule : IStackRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        ConfigChecks.TenantHasQuotaAndDefaultDeny, "Tenant namespaces have a quota and default-deny network policy",
        "Every namespace labelled neocloud.io/tenant has a ResourceQuota and a NetworkPolicy selecting all pods (podSelector {}) with policyTypes Ingress and Egress and no allow-all rule.",
        PolicySeverity.High, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None,
        ["tenancy", "security"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var quotas = Namespaced(stack, "kubernetes:core/v1:ResourceQuota");
        var policies = Namespaced(stack, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        var unknownNamespaces = quotas.Concat(policies).Any(p => p.Namespace is null);
        // Indexed once: a stack with N tenants costs O(N), not O(N²).
        var quotaNamespaces = quotas.Select(q => q.Namespace).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var denyNamespaces = policies.Where(p => p.Namespace is not null && IsDefaultDeny(p.Resource)).Select(p => p.Namespace!).ToHashSet(StringComparer.Ordinal);
        foreach (var ns in stack.OfType("kubernetes:core/v1:Namespace"))
        {
            var metadata = ns["metadata"];
            if (!metadata.IsKnown || !metadata["labels"].IsKnown)
            {
                yield return Violation.CannotEvaluate($"the labels of namespace '{ns.Name}'", ns.Urn);
                continue;
            }
            if (metadata["labels"][ResourceLabels.Tenant].IsNull)
            {
                continue;
            }
            var name = metadata["name"];
            if (!name.IsKnown)
            {
                yield return Violation.CannotEvaluate($"the name of tenant namespace '{ns.Name}'", ns.Urn);
                continue;
            }
            var nsName = name.AsString() ?? ns.Name;
            var shown = name.AsString() is null ? ns.Name : name.Display(); // a secret namespace name prints as [secret]
            var hasQuota = quotaNamespaces.Contains(nsName);
            var hasDeny = denyNamespaces.Contains(nsName);
            if ((!hasQuota || !hasDeny) && unknownNamespaces)
            {
                yield return Violation.CannotEvaluate($"the namespace of a ResourceQuota or NetworkPolicy (checking tenant namespace '{shown}')", ns.Urn);
                continue;
            }
            if (!hasQuota)
            {
                yield return new Violation($"tenant namespace '{shown}' has no ResourceQuota", ns.Urn);
            }
            if (!hasDeny)
            {
                yield return new Violation($"tenant namespace '{shown}' has no default-deny NetworkPolicy (podSelector {{}}, policyTypes Ingress+Egress, no allow-all rule)", ns.Urn);
            }
        }
    }

    /// <summary>True when the policy selects all pods, covers ingress and egress, and has no rule allowing everything.</summary>
    public static bool IsDefaultDeny(ResourceSnapshot policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        try
        {
            var spec = policy["spec"];
            var selector = spec["podSelector"];
            var selectsAll = selector["matchLabels"].Entries().Any() == false && selector["matchExpressions"].Items().Length == 0;
            var types = spec["policyTypes"].Items().Select(t => t.AsString()).ToHashSet();
            var allowAll = spec["ingress"].Items().Any(IsAllowAll) || spec["egress"].Items().Any(IsAllowAll);
            return selectsAll && types.Contains("Ingress") && types.Contains("Egress") && !allowAll;
        }
        catch (UnknownValueException)
        {
            return false;
        }
    }

    private static bool IsAllowAll(PropertyValue rule) =>
        rule["from"].Items().Length == 0 && rule["to"].Items().Length == 0 && rule["ports"].Items().Length == 0;

    private static List<(ResourceSnapshot Resource, string? Namespace)> Namespaced(StackSnapshot stack, string type) =>
        [.. stack.OfType(type).Select(r =>
        {
            var ns = r["metadata"].IsKnown ? r["metadata"]["namespace"] : r["metadata"];
            return (r, ns.IsKnown ? ns.AsString() ?? "default" : null);
        })];
}
