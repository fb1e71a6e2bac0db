using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>The plain values of <c>KedaOperatorArgs</c> under the same property names.</summary>
/// <param name="Name">The component's resource name, also the Helm release name; problem path <c>(name)</c>.</param>
/// <param name="Ownership">Environment, cost center and extra tags.</param>
/// <param name="Namespace">Namespace of the operator.</param>
/// <param name="CreateNamespace">Whether the component creates <paramref name="Namespace"/>.</param>
/// <param name="MonitoringRelease">kube-prometheus-stack release label of KEDA's own ServiceMonitors, or null.</param>
public sealed record KedaOperatorSpec(string? Name, OwnershipSpec Ownership, string? Namespace, bool CreateNamespace, string? MonitoringRelease)
{
    /// <summary>Node selector of KEDA's Deployments (the cluster's system pools); empty: the chart's placement.</summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Default <see cref="Namespace"/>.</summary>
    public const string DefaultNamespace = "keda";
}

/// <summary>The decisions of a KEDA operator: where it runs, its labels and the chart values.</summary>
/// <param name="ReleaseName">Helm release name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="CreateNamespace">Whether the Namespace object is created.</param>
/// <param name="Labels">Labels of every object (the caller's tags, recommended labels, cost attribution).</param>
/// <param name="Values">Chart values (<see cref="KedaChart.Values"/>).</param>
public sealed record KedaOperatorPlan(
    string ReleaseName,
    string Namespace,
    bool CreateNamespace,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, object> Values);

/// <summary>The rules of a KEDA operator (<see cref="KedaOperatorSpec"/>); never throws for user input.</summary>
public static class KedaOperatorPlanner
{
    /// <summary>Longest Helm release name (Helm: 53 characters, a DNS label).</summary>
    public const int MaxReleaseNameLength = 53;

    /// <summary>Every problem of <paramref name="spec"/>.</summary>
    /// <param name="spec">The spec.</param>
    public static ImmutableArray<SpecProblem> Validate(KedaOperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new SpecProblems();
        p.Require(
            spec.Name is { Length: > 0 and <= MaxReleaseNameLength } && KubernetesNames.IsDnsLabel(spec.Name),
            "(name)",
            $"{Show(spec.Name)} is the Helm release name: a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most {MaxReleaseNameLength} characters");
        p.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        p.Require(KubernetesNames.IsDnsLabel(spec.Namespace), "Namespace", $"{Show(spec.Namespace)} must be {KubernetesNames.DnsLabelRule}");
        p.Require(
            spec.MonitoringRelease is null || (spec.MonitoringRelease.Length > 0 && KubernetesNames.IsLabelValue(spec.MonitoringRelease)),
            "MonitoringRelease",
            $"{Show(spec.MonitoringRelease)} must be a non-empty Kubernetes label value (the ServiceMonitors' `release` label), or null for no ServiceMonitors");
        p.AddRange(Gpu.SystemAddonPlacement.SelectorProblems(spec.SystemNodeSelector));

        return p.ToImmutable();
    }

    /// <summary>The decisions of a valid spec (call <see cref="Validate"/> first: an invalid spec throws <see cref="ArgumentException"/>).</summary>
    /// <param name="spec">A spec without problems.</param>
    public static KedaOperatorPlan Plan(KedaOperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Validate(spec).IsEmpty)
        {
            throw new ArgumentException("the spec has problems; call KedaOperatorPlanner.Validate first", nameof(spec));
        }

        var labels = spec.Ownership.Tags.SetItems(ResourceLabels.For(KedaChart.Chart, spec.Name!, "autoscaler", spec.Ownership.Environment, spec.Ownership.CostCenter));
        return new KedaOperatorPlan(spec.Name!, spec.Namespace!, spec.CreateNamespace, labels, KedaChart.Values(spec.MonitoringRelease, labels, spec.SystemNodeSelector));
    }

    private static string Show(string? value) => value is null ? "a missing value" : $"\"{value}\"";
}
