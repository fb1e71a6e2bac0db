using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// The decisions of one GPU node pool, as a user states them (the plain part of <c>GpuNodePoolArgs</c>). Validated and
/// turned into a <see cref="GpuPoolPlan"/> by <see cref="GpuPoolPlanner"/>. Property names equal the Args property names,
/// so validation messages name what the user wrote.
/// </summary>
public sealed record GpuNodePoolDefinition
{
    /// <summary>Pool name; nodes carry it as label <c>neocloud.io/pool</c>. A DNS label (lower-case, digits, '-', at most 63).</summary>
    public required string PoolName { get; init; }

    /// <summary>EKS managed node group, or existing on-prem nodes.</summary>
    public required Substrate Substrate { get; init; }

    /// <summary>Training or inference (CPU pools are not GPU pools). Defaults to <see cref="PoolPurpose.Inference"/>.</summary>
    public PoolPurpose Purpose { get; init; } = PoolPurpose.Inference;

    /// <summary>Environment (stack) name for label <c>neocloud.io/environment</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>Cost center for label <c>neocloud.io/cost-center</c>.</summary>
    public required string CostCenter { get; init; }

    /// <summary>EKS only: EC2 instance type of the catalog; decides GPU model and GPUs per node. Conflicts with <see cref="GpuModel"/>/<see cref="GpusPerNode"/>.</summary>
    public string? InstanceType { get; init; }

    /// <summary>On-prem only: catalog id of the nodes' GPU model, e.g. <c>H100-SXM5-80GB</c>.</summary>
    public string? GpuModel { get; init; }

    /// <summary>On-prem only: GPUs in each node.</summary>
    public int? GpusPerNode { get; init; }

    /// <summary>On-prem only: the existing nodes of the pool, by name.</summary>
    public ImmutableArray<string> NodeNames { get; init; } = [];

    /// <summary>EKS only: minimum nodes (required).</summary>
    public int? MinSize { get; init; }

    /// <summary>EKS only: desired nodes at creation. Defaults to <see cref="MinSize"/>.</summary>
    public int? DesiredSize { get; init; }

    /// <summary>EKS only: maximum nodes (required).</summary>
    public int? MaxSize { get; init; }

    /// <summary>EKS only: on-demand or spot. Defaults to on-demand.</summary>
    public CapacityType CapacityType { get; init; } = CapacityType.OnDemand;

    /// <summary>Whether workloads tolerate node interruption. Defaults to true for training, false for inference. Spot needs true.</summary>
    public bool? Interruptible { get; init; }

    /// <summary>The MIG config name (node label <c>nvidia.com/mig.config</c>), built-in (e.g. <c>all-1g.10gb</c>) or <see cref="CustomMigConfig"/>'s name. Null: MIG not managed.</summary>
    public string? MigConfig { get; init; }

    /// <summary>A custom mig-parted config; <see cref="MigConfig"/> defaults to its name.</summary>
    public MigConfigDefinition? CustomMigConfig { get; init; }

    /// <summary>Device-plugin time-slicing replicas per GPU; 1 (the default) means not shared. Conflicts with MIG.</summary>
    public int TimeSlicingReplicas { get; init; } = 1;

    /// <summary>
    /// Who provides the nodes' NVIDIA driver and toolkit. On-prem defaults to <see cref="GpuDriver.Operator"/>;
    /// <see cref="GpuDriver.Preinstalled"/> (DGX OS, pre-provisioned hosts) labels the nodes so the operator's driver and
    /// toolkit DaemonSets skip them. EKS GPU AMIs ship the driver: only Preinstalled (the default there) is allowed.
    /// </summary>
    public GpuDriver? Driver { get; init; }

    /// <summary>
    /// EKS, required: the GPU AMI release of the node group (its <c>releaseVersion</c>, e.g. <c>1.33.13-20260714</c>), a
    /// row of the compatibility matrix, which names the NVIDIA driver it ships. Pinning it keeps the driver from floating
    /// to whatever AMI is newest when a node group is created or updated.
    /// </summary>
    public string? AmiReleaseVersion { get; init; }

    /// <summary>The cluster's <c>mig.strategy</c> the pool's resources are advertised under. Defaults to mixed for MIG pools, none otherwise.</summary>
    public MigStrategy? MigStrategy { get; init; }
}

/// <summary>What Core decided for one pool: the spec, labels, taints, tolerations, tags and capacity.</summary>
/// <param name="Spec">The pool in the environment model's terms (its <c>Cluster</c> is empty when planned outside an environment).</param>
/// <param name="Strategy">The MIG strategy the pool's resources are advertised under.</param>
/// <param name="CustomMigConfig">The custom MIG definition, or null.</param>
/// <param name="NodeLabels">Labels every node of the pool carries.</param>
/// <param name="Taints">Taints every node of the pool carries (on-prem: set by node provisioning, not by this library).</param>
/// <param name="Tolerations">Tolerations a workload placed on the pool needs.</param>
/// <param name="NodeSelector">Node selector that places a workload on the pool.</param>
/// <param name="Tags">AWS tags of the pool's resources (same keys as the labels).</param>
/// <param name="AmiType">EKS AMI type, or null on-prem.</param>
/// <param name="DevicePluginConfigName">The pool's time-slicing config name (label <c>nvidia.com/device-plugin.config</c>), or null.</param>
/// <param name="Capacity">Allocatable GPU resources per node, at minimum and at maximum size.</param>
public sealed record GpuPoolPlan(
    GpuPoolSpec Spec,
    MigStrategy Strategy,
    MigConfigDefinition? CustomMigConfig,
    ImmutableSortedDictionary<string, string> NodeLabels,
    ImmutableArray<NodeTaint> Taints,
    ImmutableArray<PodToleration> Tolerations,
    ImmutableSortedDictionary<string, string> NodeSelector,
    ImmutableSortedDictionary<string, string> Tags,
    string? AmiType,
    string? DevicePluginConfigName,
    Capacity.PoolCapacity Capacity)
{
    /// <summary>The pool name.</summary>
    public string Name => Spec.Name;

    /// <summary>The MIG config name, or null when the pool does not manage MIG.</summary>
    public string? MigConfigName => Spec.Mig?.ConfigName;
}
