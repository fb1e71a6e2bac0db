using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>
/// What a Prometheus federation (the <c>PrometheusFederation</c> component) is asked for: the local Prometheus (on the
/// burst cluster) scrapes another cluster's Prometheus at <c>/federate</c> for the serving series of some namespaces,
/// each series labelled with <see cref="BurstScaling.ClusterLabel"/> = <see cref="SourceCluster"/>.
/// </summary>
/// <param name="Ownership">Environment, cost center and extra tags.</param>
/// <param name="SourceCluster">Name of the federated (source) cluster: the value of <see cref="BurstScaling.ClusterLabel"/>.</param>
/// <param name="HasTarget">Whether the Args give the target (<c>host:port</c>, usually another component's output).</param>
/// <param name="Namespaces">Namespaces whose series are federated.</param>
/// <param name="Namespace">Namespace of the local Prometheus (where the ScrapeConfig lives).</param>
/// <param name="HasReleaseLabel">Whether the Args give the local Prometheus' release label.</param>
public sealed record PrometheusFederationSpec(
    OwnershipSpec Ownership,
    string? SourceCluster,
    bool HasTarget,
    ImmutableArray<string> Namespaces,
    string? Namespace,
    bool HasReleaseLabel);

/// <summary>The decisions of a <see cref="PrometheusFederationSpec"/>.</summary>
/// <param name="SourceCluster">The source cluster's name.</param>
/// <param name="ScrapeConfigName">The ScrapeConfig's name, <c>federate-&lt;source cluster&gt;</c>.</param>
/// <param name="Namespace">Namespace of the ScrapeConfig.</param>
/// <param name="Namespaces">Federated namespaces, sorted, without duplicates.</param>
/// <param name="Ownership">Environment, cost center and tags.</param>
public sealed record PrometheusFederationPlan(string SourceCluster, string ScrapeConfigName, string Namespace, ImmutableArray<string> Namespaces, OwnershipSpec Ownership)
{
    /// <summary>apiVersion of the ScrapeConfig (prometheus-operator; the kube-prometheus-stack chart installs its CRD).</summary>
    public const string ApiVersion = "monitoring.coreos.com/v1alpha1";

    /// <summary>The ScrapeConfig spec for the source's federation endpoint <paramref name="target"/> (<c>host:port</c>).</summary>
    public ImmutableSortedDictionary<string, object> ScrapeConfigSpec(string target) => BurstScaling.ScrapeConfigSpec(SourceCluster, Namespaces, target);

    /// <summary>Labels of the ScrapeConfig (without the <c>release</c> label, which is an input).</summary>
    /// <param name="instance">The component's name.</param>
    public ImmutableSortedDictionary<string, string> Labels(string instance) =>
        Ownership.Tags.SetItems(ResourceLabels.For("prometheus", instance, "federation", Ownership.Environment, Ownership.CostCenter));
}

/// <summary>The one validation and plan of <see cref="PrometheusFederationSpec"/>.</summary>
public static class PrometheusFederationPlanner
{
    /// <summary>Longest source cluster name: <c>federate-</c> + name is a DNS label (at most 63 characters).</summary>
    public const int MaxSourceClusterLength = 63 - 9;

    /// <summary>Every problem of <paramref name="spec"/>, with property paths relative to the Args.</summary>
    public static ImmutableArray<SpecProblem> Validate(PrometheusFederationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        if (string.IsNullOrEmpty(spec.SourceCluster))
        {
            problems.Add(nameof(spec.SourceCluster), "is required");
        }
        else if (spec.SourceCluster.Length > MaxSourceClusterLength || !KubernetesNames.IsDnsLabel(spec.SourceCluster))
        {
            problems.Add(nameof(spec.SourceCluster), $"\"{spec.SourceCluster}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}, at most {MaxSourceClusterLength} characters (the ScrapeConfig is named federate-<cluster>)");
        }

        problems.Require(spec.HasTarget, "Target", "is required (host:port of the source cluster's federation endpoint, e.g. PrometheusStack.FederationTarget)");
        problems.Require(spec.HasReleaseLabel, "ReleaseLabel", "is required (the local kube-prometheus-stack selects ScrapeConfigs by release label, e.g. PrometheusStack.ReleaseLabel)");
        var namespaces = spec.Namespaces.IsDefault ? [] : spec.Namespaces;
        problems.Require(namespaces.Length > 0, nameof(spec.Namespaces), "is required: at least one namespace whose serving series are federated");
        for (var i = 0; i < namespaces.Length; i++)
        {
            if (!KubernetesNames.IsDnsLabel(namespaces[i]))
            {
                problems.Add($"{nameof(spec.Namespaces)}[{i}]", $"\"{namespaces[i]}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
            }
        }

        if (string.IsNullOrEmpty(spec.Namespace))
        {
            problems.Add(nameof(spec.Namespace), "is required");
        }
        else if (!KubernetesNames.IsDnsLabel(spec.Namespace))
        {
            problems.Add(nameof(spec.Namespace), $"\"{spec.Namespace}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
        }

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid <paramref name="spec"/> (call <see cref="Validate"/> first).</summary>
    public static PrometheusFederationPlan Plan(PrometheusFederationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new PrometheusFederationPlan(
            spec.SourceCluster!,
            "federate-" + spec.SourceCluster,
            spec.Namespace!,
            [.. spec.Namespaces.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            spec.Ownership);
    }
}
