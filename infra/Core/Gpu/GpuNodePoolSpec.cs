using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// The decisions of one GPU node pool, as a user states them: the plain part of <c>GpuNodePoolArgs</c> (same property
/// names and value spellings, see <see cref="PoolValues"/>), validated by <see cref="GpuPoolPlanner.Validate(GpuNodePoolSpec)"/>
/// and planned by <see cref="GpuPoolPlanner.Plan(GpuNodePoolSpec)"/>. The binder builds it from <c>gpuPools[]</c>
/// (<see cref="ForPool"/>) and calls the same Validate.
/// </summary>
public sealed record GpuNodePoolSpec
{
    /// <summary>Environment, cost center and extra tags of every object of the pool.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Required. Pool name; nodes carry it as label <c>neocloud.io/pool</c>. <see cref="GpuPoolPlanner.PoolNameRule"/>.</summary>
    public string? PoolName { get; init; }

    /// <summary>Required. <c>eks</c> (managed node group) or <c>onprem</c> (existing nodes).</summary>
    public string? Substrate { get; init; }

    /// <summary><c>training</c> or <c>inference</c>. Defaults to <c>inference</c>.</summary>
    public string? Purpose { get; init; }

    /// <summary>EKS only: EC2 instance type of the catalog; decides GPU model and GPUs per node.</summary>
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

    /// <summary>EKS only: <c>ON_DEMAND</c> or <c>SPOT</c>. Defaults to <c>ON_DEMAND</c>.</summary>
    public string? CapacityType { get; init; }

    /// <summary>Whether workloads tolerate node interruption. Defaults to true for training, false for inference. Spot needs true.</summary>
    public bool? Interruptible { get; init; }

    /// <summary>The MIG config name (node label <c>nvidia.com/mig.config</c>), built-in (e.g. <c>all-1g.10gb</c>) or <see cref="CustomMigConfig"/>'s name. Null: MIG not managed.</summary>
    public string? MigConfig { get; init; }

    /// <summary>A custom mig-parted config; <see cref="MigConfig"/> defaults to its name.</summary>
    public MigConfigDefinition? CustomMigConfig { get; init; }

    /// <summary>Device-plugin time-slicing replicas per GPU, 1 to <see cref="GpuPoolPlanner.MaxTimeSlicingReplicas"/>. Defaults to 1 (not shared). Conflicts with MIG.</summary>
    public int? TimeSlicingReplicas { get; init; }

    /// <summary>
    /// <c>operator</c> or <c>preinstalled</c>: who provides the nodes' NVIDIA driver and toolkit. On-prem defaults to
    /// <c>operator</c>; <c>preinstalled</c> (DGX OS, pre-provisioned hosts) labels the nodes so the operator's driver and
    /// toolkit DaemonSets skip them. EKS GPU AMIs ship the driver: only <c>preinstalled</c> (the default there) is allowed.
    /// </summary>
    public string? Driver { get; init; }

    /// <summary>
    /// EKS, required: the GPU AMI release of the node group (its <c>releaseVersion</c>, e.g. <c>1.33.13-20260714</c>), a
    /// row of the compatibility matrix, which names the NVIDIA driver it ships.
    /// </summary>
    public string? AmiReleaseVersion { get; init; }

    /// <summary><c>none</c>, <c>single</c> or <c>mixed</c>: the cluster's <c>mig.strategy</c>. Defaults to mixed for MIG pools, none otherwise.</summary>
    public string? MigStrategy { get; init; }

    /// <summary>EKS only: root volume in GiB, at least 20. Defaults to <see cref="GpuPoolPlanner.DefaultDiskSizeGiB"/>.</summary>
    public int? DiskSizeGiB { get; init; }

    /// <summary>EKS only: also attach <c>AmazonSSMManagedInstanceCore</c> to the node role. Defaults to false.</summary>
    public bool? EnableSsm { get; init; }

    /// <summary>
    /// The tenant the pool is dedicated to (<c>gpuPools[].dedicatedTo</c>), a DNS label. Its nodes also carry
    /// <see cref="Tenancy.DedicatedPools.Taint"/> and the placement adds <see cref="Tenancy.DedicatedPools.Toleration"/>; the
    /// other tenants' admission policies refuse that toleration. Null: shared.
    /// </summary>
    public string? DedicatedTo { get; init; }

    /// <summary>
    /// The Args' <c>Input</c> properties that were given (their values come from other resources, so only their presence
    /// is decided here): <c>ClusterName</c>, <c>NodeSubnetIds</c>, <c>KubernetesVersion</c>.
    /// </summary>
    public ImmutableSortedSet<string> ProvidedInputs { get; init; } = ImmutableSortedSet<string>.Empty;

    /// <summary>
    /// The spec of an environment's GPU pool (what the stack passes to <c>GpuNodePool</c> and the binder validates):
    /// the substrate's fields only, the custom MIG config by name, the cluster's strategy for MIG pools.
    /// </summary>
    /// <param name="ownership">The environment's ownership.</param>
    /// <param name="pool">The bound pool (GPU purpose).</param>
    /// <param name="customMigConfig">The environment's <c>migConfigs</c> entry the pool's MIG config names, or null.</param>
    /// <param name="clusterStrategy">The cluster's MIG strategy, or null when not decided yet.</param>
    /// <param name="dedicatedTo">The tenant the pool is dedicated to (<see cref="Tenancy.TenantPools.DedicatedTo"/>), or null.</param>
    public static GpuNodePoolSpec ForPool(OwnershipSpec ownership, GpuPoolSpec pool, MigConfigDefinition? customMigConfig, Hardware.MigStrategy? clusterStrategy, string? dedicatedTo = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var eks = pool.Substrate == Environments.Substrate.Eks;
        return new GpuNodePoolSpec
        {
            Ownership = ownership,
            PoolName = pool.Name,
            Substrate = PoolValues.NameOf(PoolValues.Substrates, pool.Substrate),
            Purpose = PoolValues.NameOf(PoolValues.Purposes, pool.Purpose),
            Interruptible = pool.Interruptible,
            TimeSlicingReplicas = pool.TimeSlicingReplicas,
            MigConfig = pool.Mig?.ConfigName,
            CustomMigConfig = customMigConfig,
            MigStrategy = pool.Mig is not null && clusterStrategy is { } s ? s.ToChartValue() : null,
            InstanceType = eks ? pool.InstanceType : null,
            MinSize = eks ? pool.MinSize : null,
            DesiredSize = eks ? pool.DesiredSize : null,
            MaxSize = eks ? pool.MaxSize : null,
            CapacityType = eks ? PoolValues.NameOf(PoolValues.CapacityTypes, pool.CapacityType) : null,
            GpuModel = eks ? null : pool.Gpu?.Id,
            GpusPerNode = eks ? null : pool.GpusPerNode,
            NodeNames = eks ? [] : pool.NodeNames,
            Driver = PoolValues.NameOf(PoolValues.Drivers.ToImmutableSortedDictionary(), pool.Driver),
            AmiReleaseVersion = eks ? pool.AmiReleaseVersion : null,
            ProvidedInputs = eks ? GpuPoolPlanner.EksInputs : [],
            DedicatedTo = dedicatedTo,
        };
    }
}

/// <summary>Where a workload lands on a pool and what it may ask for (published by the pool components as <c>placement</c>).</summary>
/// <param name="PoolName">The pool's name.</param>
/// <param name="NodeSelector">Node selector that lands a pod on the pool.</param>
/// <param name="Tolerations">Tolerations a pod needs for the pool's taints.</param>
/// <param name="Strategy">MIG strategy of the pool's nodes.</param>
/// <param name="GpuModel">Catalog id of the GPU; empty for a cpu pool.</param>
/// <param name="GpusPerNode">Whole GPUs per node; 0 for a cpu pool.</param>
/// <param name="MinNodes">Minimum node count.</param>
/// <param name="MaxNodes">Maximum node count.</param>
/// <param name="AllocatableAtMin">Extended resources of the whole pool at its minimum size.</param>
/// <param name="AllocatableAtMax">Extended resources of the whole pool at its maximum size.</param>
/// <param name="NodeCpuMillicores">CPU one node offers to pods (<see cref="Platform.NodeAllocatable"/>); 0 when unknown (on-prem).</param>
/// <param name="NodeMemoryMebibytes">Memory one node offers to pods (<see cref="Platform.NodeAllocatable"/>); 0 when unknown (on-prem).</param>
public sealed record PoolPlacement(
    string PoolName,
    ImmutableSortedDictionary<string, string> NodeSelector,
    ImmutableArray<PodToleration> Tolerations,
    Hardware.MigStrategy Strategy,
    string GpuModel,
    int GpusPerNode,
    int MinNodes,
    int MaxNodes,
    ImmutableSortedDictionary<string, int> AllocatableAtMin,
    ImmutableSortedDictionary<string, int> AllocatableAtMax,
    int NodeCpuMillicores,
    int NodeMemoryMebibytes)
{
    /// <summary>The CPU and memory (millicores, MiB) a node of <paramref name="vcpus"/> cores and <paramref name="memoryGiB"/> GiB offers to pods.</summary>
    public static (int CpuMillicores, int MemoryMebibytes) NodeCpuMemory(int vcpus, int memoryGiB, int diskGiB)
    {
        var allocatable = Platform.NodeAllocatable.For(vcpus, memoryGiB, diskGiB, ImmutableSortedDictionary<string, int>.Empty);
        return ((int)allocatable[Platform.Quantities.Cpu], (int)(allocatable[Platform.Quantities.Memory] / (1L << 20)));
    }
}

/// <summary>An EKS managed node group and its node role, as the GPU and cpu pool planners decide it (one shape for both).</summary>
/// <param name="Description">Description of the node role.</param>
/// <param name="InstanceType">EC2 instance type.</param>
/// <param name="AmiType">EKS AMI type.</param>
/// <param name="ReleaseVersion">Pinned AMI release, or null for EKS's newest of the AMI type.</param>
/// <param name="CapacityType"><c>ON_DEMAND</c> or <c>SPOT</c>.</param>
/// <param name="DiskSizeGiB">Root volume, GiB.</param>
/// <param name="MinSize">Minimum nodes.</param>
/// <param name="DesiredSize">Nodes at creation.</param>
/// <param name="MaxSize">Maximum nodes.</param>
/// <param name="Labels">Node labels.</param>
/// <param name="Taints">Node taints.</param>
/// <param name="Tags">AWS tags of the node group and its role.</param>
/// <param name="EnableSsm">Whether the role also gets <c>AmazonSSMManagedInstanceCore</c>.</param>
public sealed record EksNodeGroupPlan(
    string Description,
    string InstanceType,
    string AmiType,
    string? ReleaseVersion,
    string CapacityType,
    int DiskSizeGiB,
    int MinSize,
    int DesiredSize,
    int MaxSize,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<NodeTaint> Taints,
    ImmutableSortedDictionary<string, string> Tags,
    bool EnableSsm)
{
    /// <summary>
    /// The node-template tags cluster-autoscaler builds a node of this group from while the group has none
    /// (<see cref="AutoscalerNodeTemplate.Tags"/>): written on the node group and on its Auto Scaling group.
    /// </summary>
    public ImmutableSortedDictionary<string, string> AutoscalerTemplate { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>What one node offers pods (<see cref="Platform.NodeAllocatable.For"/>), the resources of <see cref="AutoscalerTemplate"/>.</summary>
    public ImmutableSortedDictionary<string, long> NodeAllocatable { get; init; } = ImmutableSortedDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal);
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
/// <param name="Placement">What the pool publishes as <c>placement</c>.</param>
/// <param name="NodeGroup">EKS: the node group; null on-prem (the nodes in <c>Spec.NodeNames</c> are labelled).</param>
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
    Capacity.PoolCapacity Capacity,
    PoolPlacement Placement,
    EksNodeGroupPlan? NodeGroup)
{
    /// <summary>The pool name.</summary>
    public string Name => Spec.Name;

    /// <summary>The MIG config name, or null when the pool does not manage MIG.</summary>
    public string? MigConfigName => Spec.Mig?.ConfigName;
}
