using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>
/// What an EKS cluster's node-dependent add-ons and storage are asked for (the plain part of <c>EksClusterAddonsArgs</c>):
/// CoreDNS and the EBS CSI driver (its controller's IAM role through EKS Pod Identity) at the pins of
/// <see cref="KubernetesVersion"/>, and the StorageClasses the cluster's claims name.
/// </summary>
public sealed record EksClusterAddonsSpec
{
    /// <summary>Environment, cost center and extra tags.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Whether the component's Args give the cluster name.</summary>
    public bool HasClusterName { get; init; } = true;

    /// <summary>The cluster's Kubernetes minor version. Defaults to <see cref="EksClusterPlanner.DefaultKubernetesVersion"/>.</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>False for a cluster the stack does not own (its add-ons are its owner's): only the StorageClasses are created. Defaults to true.</summary>
    public bool ManageAddons { get; init; } = true;

    /// <summary>StorageClasses to create besides the default gp3 (all with <c>Existing = false</c>).</summary>
    public ImmutableArray<StorageClassSpec> StorageClasses { get; init; } = [];
}

/// <summary>The decisions of an <see cref="EksClusterAddonsSpec"/>.</summary>
/// <param name="Addons">The add-ons (CoreDNS, EBS CSI driver) at their pins; empty when the add-ons are not managed.</param>
/// <param name="StorageClasses">The StorageClasses, gp3 first.</param>
/// <param name="Tags">AWS tags.</param>
/// <param name="Ownership">The owner (labels).</param>
public sealed record EksClusterAddonsPlan(ImmutableArray<EksAddonPin> Addons, ImmutableArray<EbsStorageClassPlan> StorageClasses, ImmutableSortedDictionary<string, string> Tags, OwnershipSpec Ownership)
{
    /// <summary>The cluster's Kubernetes minor version (the add-ons' pins are for it).</summary>
    public string KubernetesVersion { get; init; } = EksClusterPlanner.DefaultKubernetesVersion;

    /// <summary>Labels of a StorageClass.</summary>
    public ImmutableSortedDictionary<string, string> Labels(string instance, string className) =>
        Ownership.Tags.SetItems(ResourceLabels.For("storage", instance, className, Ownership.Environment, Ownership.CostCenter));
}

/// <summary>Validation and plan of <see cref="EksClusterAddonsSpec"/>.</summary>
public static class EksClusterAddonsPlanner
{
    /// <summary>Every problem: <c>ClusterName</c>, <c>KubernetesVersion</c>, <c>StorageClasses[i].Name|Default|VolumeType|Iops|Throughput</c>, ownership.</summary>
    public static ImmutableArray<SpecProblem> Validate(EksClusterAddonsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        GpuPoolPlanner.CheckOwnership(spec.Ownership, problems);
        problems.Require(spec.HasClusterName, "ClusterName", "is required (the EKS cluster's name, e.g. EksCluster.ClusterName)");
        if (spec.ManageAddons && EksAddons.Problem(spec.KubernetesVersion ?? EksClusterPlanner.DefaultKubernetesVersion) is { } version)
        {
            problems.Add("KubernetesVersion", version);
        }

        foreach (var (index, property, reason) in EbsStorageClasses.Problems(spec.StorageClasses.IsDefault ? [] : spec.StorageClasses, eks: true))
        {
            problems.Add($"StorageClasses[{index}].{char.ToUpperInvariant(property[0])}{property[1..]}", reason);
        }

        return problems.ToImmutable();
    }

    /// <summary>The plan of a valid spec.</summary>
    public static EksClusterAddonsPlan Plan(EksClusterAddonsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var version = spec.KubernetesVersion ?? EksClusterPlanner.DefaultKubernetesVersion;
        ImmutableArray<EksAddonPin> addons = spec.ManageAddons ? [.. EksAddons.For(version)!.Value.Where(p => EksAddons.AfterCompute.Contains(p.Name))] : [];
        return new EksClusterAddonsPlan(addons, EbsStorageClasses.For(spec.StorageClasses.IsDefault ? [] : spec.StorageClasses), spec.Ownership.Labels(), spec.Ownership) { KubernetesVersion = version };
    }
}
