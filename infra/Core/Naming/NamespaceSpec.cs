using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;

namespace NeoCloud.Infra.Core.Naming;

/// <summary>
/// What a platform namespace is asked to be (the plain values of <c>NamespaceArgs</c>, same property names): the
/// namespace a shared service runs in (<c>model-store</c>, <c>vector-db</c>), labelled for cost attribution.
/// Tenant namespaces are the <c>Tenant</c> component's (quota, network policy, RBAC), not this one's.
/// </summary>
/// <param name="NamespaceName">The namespace's name: a DNS-1123 label, not a Kubernetes system namespace.</param>
/// <param name="App">The application it holds (<c>app.kubernetes.io/name</c>), e.g. <c>qdrant</c> or <c>vector-db</c>.</param>
/// <param name="Ownership">Environment, cost center and extra labels.</param>
public sealed record NamespaceSpec(string? NamespaceName, string? App, OwnershipSpec Ownership);

/// <summary>The decisions of a platform namespace: its name and labels.</summary>
/// <param name="Name">The namespace's name.</param>
/// <param name="Labels">Recommended labels, cost attribution and the caller's extra labels.</param>
public sealed record NamespacePlan(string Name, ImmutableSortedDictionary<string, string> Labels);

/// <summary>Validates and plans a <see cref="NamespaceSpec"/>; the component and the stack call the same functions.</summary>
public static class NamespacePlanner
{
    /// <summary>Namespaces Kubernetes itself owns; a platform namespace must not take them over.</summary>
    public static readonly ImmutableArray<string> SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Every problem of <paramref name="spec"/>: paths <c>NamespaceName</c>, <c>App</c> and the ownership's.</summary>
    public static ImmutableArray<SpecProblem> Validate(NamespaceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        if (string.IsNullOrEmpty(spec.NamespaceName))
        {
            problems.Add("NamespaceName", "is required");
        }
        else if (!KubernetesNames.IsDnsLabel(spec.NamespaceName))
        {
            problems.Add("NamespaceName", $"\"{spec.NamespaceName}\" is not allowed; expected {KubernetesNames.DnsLabelRule}");
        }
        else if (SystemNamespaces.Contains(spec.NamespaceName))
        {
            problems.Add("NamespaceName", $"\"{spec.NamespaceName}\" is a Kubernetes system namespace; choose another name");
        }

        if (string.IsNullOrEmpty(spec.App))
        {
            problems.Add("App", "is required (the app.kubernetes.io/name label)");
        }
        else if (!KubernetesNames.IsLabelValue(spec.App))
        {
            problems.Add("App", $"\"{spec.App}\" must be {KubernetesNames.LabelValueRule}");
        }

        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));
        return problems.ToImmutable();
    }

    /// <summary>The plan of a valid spec (call <see cref="Validate"/> first).</summary>
    public static NamespacePlan Plan(NamespaceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = spec.NamespaceName ?? throw new ArgumentException("NamespaceName is required", nameof(spec));
        var app = spec.App ?? throw new ArgumentException("App is required", nameof(spec));
        var labels = spec.Ownership.Tags.SetItems(ResourceLabels.For(app, name, null, spec.Ownership.Environment, spec.Ownership.CostCenter));
        return new NamespacePlan(name, labels);
    }
}
