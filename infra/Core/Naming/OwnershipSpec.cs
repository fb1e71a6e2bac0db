using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;

namespace NeoCloud.Infra.Core.Naming;

/// <summary>
/// What every component carries (architecture.md, component contract 2): the environment and cost center that become
/// <see cref="ResourceLabels.Environment"/> / <see cref="ResourceLabels.CostCenter"/> on every Kubernetes object and
/// AWS resource, and the caller's extra <see cref="Tags"/> (the escape hatch: added to labels and tags, never
/// overriding the library's own keys).
/// </summary>
/// <param name="Environment">Environment (stack), e.g. <c>prod</c>.</param>
/// <param name="CostCenter">Cost center, e.g. <c>ml-platform</c>.</param>
/// <param name="Tags">Extra labels/tags; empty when none.</param>
public sealed record OwnershipSpec(string Environment, string CostCenter, ImmutableSortedDictionary<string, string> Tags)
{
    /// <summary>An ownership without extra tags.</summary>
    public OwnershipSpec(string environment, string costCenter)
        : this(environment, costCenter, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal))
    {
    }

    /// <summary>The labels of a Kubernetes object (or tags of an AWS resource) with this ownership: the caller's tags, then the cost-attribution keys.</summary>
    /// <param name="tenant">Tenant on tenant-scoped objects, else null.</param>
    public ImmutableSortedDictionary<string, string> Labels(string? tenant = null) =>
        Tags.SetItems(ResourceLabels.CostAttribution(Environment, CostCenter, tenant));
}

/// <summary>The one validation of <see cref="OwnershipSpec"/>: used by every component, the binder (<c>neocloud:environment</c>, <c>neocloud:costCenter</c>) and the plan.</summary>
public static class OwnershipPlanner
{
    /// <summary>Every problem of <paramref name="spec"/>: paths <c>Environment</c>, <c>CostCenter</c>, <c>Tags["key"]</c>.</summary>
    public static ImmutableArray<SpecProblem> Validate(OwnershipSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.Require(KubernetesNames.IsShortName(spec.Environment), "Environment", Describe(spec.Environment) + " is not allowed; allowed: " + KubernetesNames.ShortNameRule);
        problems.Require(KubernetesNames.IsShortName(spec.CostCenter), "CostCenter", Describe(spec.CostCenter) + " is not allowed; allowed: " + KubernetesNames.ShortNameRule);
        foreach (var (key, value) in spec.Tags)
        {
            var path = $"Tags[\"{key}\"]";
            if (!KubernetesNames.IsLabelKey(key))
            {
                problems.Add(path, "the key must be " + KubernetesNames.LabelKeyRule);
            }
            else if (IsReserved(key))
            {
                problems.Add(path, $"the key is set by the library and cannot be overridden (reserved: {ResourceLabels.Environment}, {ResourceLabels.CostCenter}, {ResourceLabels.Tenant} and app.kubernetes.io/*)");
            }

            if (!KubernetesNames.IsLabelValue(value))
            {
                problems.Add(path, "the value must be " + KubernetesNames.LabelValueRule);
            }
        }

        return problems.ToImmutable();
    }

    private static bool IsReserved(string key) =>
        key is ResourceLabels.Environment or ResourceLabels.CostCenter or ResourceLabels.Tenant
        || key.StartsWith("app.kubernetes.io/", StringComparison.Ordinal);

    private static string Describe(string? value) => value is null ? "a missing value" : $"\"{value}\"";
}
