using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// What a node of an EKS pool offers before it exists, in cluster-autoscaler's terms: the
/// <c>k8s.io/cluster-autoscaler/node-template/*</c> tags its AWS provider builds a template node from when the pool has
/// no node to copy (scale from zero). Every figure is Core's: the labels and taint of the pool plan, and the allocatable
/// of <see cref="NodeAllocatable.For"/> with the extended resources of <see cref="Capacity.CapacityPlanner.PerNode"/>
/// (<c>nvidia.com/gpu</c> or <c>nvidia.com/mig-&lt;profile&gt;</c> counts under the cluster's MIG strategy, time-slicing
/// replicas included) — the numbers the plan prints for the pool.
/// </summary>
/// <remarks>
/// Tag formats from kubernetes/autoscaler tag cluster-autoscaler-1.33.6, <c>cluster-autoscaler/cloudprovider/aws/README.md</c>
/// ("Auto-Discovery Setup": <c>node-template/label/&lt;name&gt;</c> = value, <c>node-template/taint/&lt;key&gt;</c> =
/// <c>value:effect</c>, <c>node-template/resources/&lt;resource&gt;</c> = a quantity as in a pod's <c>resources</c>,
/// <c>node-template/autoscaling-options/scaledownunneededtime</c> = a duration) and <c>aws_manager.go</c>
/// <c>buildNodeFromTemplate</c>: resources from tags replace the instance type's capacity and become the template's
/// allocatable; for an EKS managed node group (ASG tags <c>eks:nodegroup-name</c>, <c>eks:cluster-name</c>) the labels,
/// taints and the node-template resource tags of the node group itself are read through <c>eks:DescribeNodegroup</c>
/// (<c>getManagedNodegroupTags</c>). Managed node groups do not copy their tags to the Auto Scaling group
/// (kubernetes/autoscaler#5278), so the pool components write these tags on both: the node group's tags and, through
/// <c>aws:autoscaling/tag:Tag</c>, its Auto Scaling group.
/// </remarks>
public static class AutoscalerNodeTemplate
{
    /// <summary>Prefix of every node-template tag.</summary>
    public const string Prefix = "k8s.io/cluster-autoscaler/node-template/";

    /// <summary>
    /// The label cluster-autoscaler's AWS provider treats as "this node has GPUs" (<c>aws_cloud_provider.go</c>
    /// <c>GPULabel</c>); a node carrying it while it advertises no <c>nvidia.com/gpu</c> yet is counted as unready
    /// rather than as a node that cannot host the pending pods (<c>processors/customresources/gpu_processor.go</c>), so
    /// CA does not add a second node while the device plugin starts (README "Special note on GPU instances").
    /// </summary>
    public const string AcceleratorLabel = "k8s.amazonaws.com/accelerator";

    /// <summary>
    /// How long a MIG pool's node must be unneeded before CA removes it (per-pool <c>scaledownunneededtime</c>): longer
    /// than the MIG manager's worst case for one layout (it waits up to 5 minutes for GPU clients to leave, then
    /// applies the layout and restarts them), so a node applying its layout at join is not taken for an empty one.
    /// </summary>
    public const string MigScaleDownUnneededTime = "30m0s";

    /// <summary>
    /// Whether a GPU pool's nodes carry <see cref="AcceleratorLabel"/>: every GPU pool except MIG pools under the
    /// <c>mixed</c> strategy, whose nodes advertise only <c>nvidia.com/mig-*</c> and no <c>nvidia.com/gpu</c>, so CA
    /// would hold them unready for good (NVIDIA/gpu-operator#693).
    /// </summary>
    /// <param name="mig">Whether the pool manages MIG.</param>
    /// <param name="strategy">The strategy its resources are advertised under.</param>
    public static bool CarriesAcceleratorLabel(bool mig, MigStrategy strategy) => !mig || strategy != MigStrategy.Mixed;

    /// <summary>The node-template tags of an EKS node group.</summary>
    /// <param name="labels">The node group's labels.</param>
    /// <param name="taints">The node group's taints.</param>
    /// <param name="allocatable">What one node offers pods (<see cref="NodeAllocatable.For"/>).</param>
    /// <param name="mig">Whether the pool manages MIG (adds <see cref="MigScaleDownUnneededTime"/>).</param>
    public static ImmutableSortedDictionary<string, string> Tags(
        IReadOnlyDictionary<string, string> labels, IEnumerable<NodeTaint> taints, IReadOnlyDictionary<string, long> allocatable, bool mig)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(taints);
        ArgumentNullException.ThrowIfNull(allocatable);
        var tags = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            tags[Prefix + "label/" + key] = value;
        }

        foreach (var taint in taints)
        {
            tags[Prefix + "taint/" + taint.Key] = $"{taint.Value}:{taint.Effect}";
        }

        foreach (var (resource, amount) in allocatable)
        {
            tags[Prefix + "resources/" + resource] = Quantity(resource, amount);
        }

        if (mig)
        {
            tags[Prefix + "autoscaling-options/scaledownunneededtime"] = MigScaleDownUnneededTime;
        }

        return tags.ToImmutable();
    }

    /// <summary>The resources a node template offers, read back from its tags (what CA parses).</summary>
    /// <param name="tags">Tags of <see cref="Tags"/>.</param>
    public static ImmutableSortedDictionary<string, long> Resources(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var prefix = Prefix + "resources/";
        return tags.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToImmutableSortedDictionary(kv => kv.Key[prefix.Length..], kv => Quantities.Parse(kv.Key[prefix.Length..], kv.Value), StringComparer.Ordinal);
    }

    /// <summary>A quantity as Kubernetes writes it: CPU in millicores (<c>7910m</c>), everything else as an integer.</summary>
    private static string Quantity(string resource, long amount) =>
        resource == Quantities.Cpu ? amount.ToString(CultureInfo.InvariantCulture) + "m" : amount.ToString(CultureInfo.InvariantCulture);
}
