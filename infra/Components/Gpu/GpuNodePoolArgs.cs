using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// Inputs of <see cref="GpuNodePool"/>. Values another resource may produce (cluster name, subnets, Kubernetes version)
/// are <see cref="Input{T}"/>; everything that decides which resources exist and what they contain is plain and validated
/// by Core's <see cref="GpuPoolPlanner.Validate(GpuNodePoolSpec)"/> before anything is registered.
/// </summary>
public sealed class GpuNodePoolArgs : NodePoolArgs
{
    /// <summary><c>training</c> or <c>inference</c>. Defaults to <c>inference</c>.</summary>
    [Input("purpose")]
    public string? Purpose { get; set; }

    /// <summary>Whether the pool's workloads tolerate node interruption. Defaults to true for training, false for inference.</summary>
    [Input("interruptible")]
    public bool? Interruptible { get; set; }

    /// <summary>EKS: root volume size in GiB, at least 20 (images of inference servers are large). Defaults to 200.</summary>
    [Input("diskSizeGiB")]
    public int? DiskSizeGiB { get; set; }

    /// <summary>EKS: also attach <c>AmazonSSMManagedInstanceCore</c> to the node role (Session Manager access). Defaults to false.</summary>
    [Input("enableSsm")]
    public bool? EnableSsm { get; set; }

    /// <summary>On-prem, required: catalog id of the nodes' GPU model (e.g. <c>H100-SXM5-80GB</c>). Not allowed on EKS.</summary>
    [Input("gpuModel")]
    public string? GpuModel { get; set; }

    /// <summary>On-prem, required: GPUs in each node.</summary>
    [Input("gpusPerNode")]
    public int? GpusPerNode { get; set; }

    /// <summary>MIG config name (node label <c>nvidia.com/mig.config</c>), built-in such as <c>all-1g.10gb</c> or <see cref="CustomMigConfig"/>'s name. Defaults to none (MIG not managed).</summary>
    [Input("migConfig")]
    public string? MigConfig { get; set; }

    /// <summary>A custom mig-parted config for this pool's GPU model; <see cref="MigConfig"/> defaults to its name. Defaults to none.</summary>
    [Input("customMigConfig")]
    public MigConfigArgs? CustomMigConfig { get; set; }

    /// <summary>Device-plugin time-slicing replicas per GPU, 1 to 64. Defaults to 1 (not shared). Conflicts with an enabled MIG config.</summary>
    [Input("timeSlicingReplicas")]
    public int? TimeSlicingReplicas { get; set; }

    /// <summary><c>none</c>, <c>single</c> or <c>mixed</c>: the cluster's <c>mig.strategy</c> (must match the cluster's <see cref="GpuOperator"/>). Defaults to mixed for MIG pools, none otherwise.</summary>
    [Input("migStrategy")]
    public string? MigStrategy { get; set; }

    /// <summary>
    /// Who provides the nodes' NVIDIA driver and toolkit: <c>operator</c> (on-prem default) or <c>preinstalled</c>
    /// (DGX OS, pre-provisioned hosts: the nodes are labelled so the GPU Operator's driver and toolkit skip them; the
    /// only choice, and the default, on EKS GPU AMIs).
    /// </summary>
    [Input("driver")]
    public string? Driver { get; set; }

    /// <summary>
    /// EKS, required: the GPU AMI release (<c>releaseVersion</c> of the node group, e.g. <c>1.33.13-20260714</c>), a row
    /// of Core's compatibility matrix (<c>CompatibilityMatrix.Default.EksAmis</c>), which names the driver it ships; its
    /// Kubernetes version must be the node group's. Not allowed on-prem.
    /// </summary>
    [Input("amiReleaseVersion")]
    public string? AmiReleaseVersion { get; set; }

    /// <summary>
    /// The tenant the pool is dedicated to (a DNS label). Its nodes also carry the taint
    /// <c>neocloud.io/dedicated=&lt;tenant&gt;:NoSchedule</c> and <c>placement</c> adds the matching toleration; the
    /// <see cref="Tenancy.Tenant"/> admission policy of every other tenant refuses that toleration. Defaults to none (shared).
    /// </summary>
    [Input("dedicatedTo")]
    public string? DedicatedTo { get; set; }

    internal GpuNodePoolSpec ToSpec(string name) => new()
    {
        Ownership = ToOwnership(),
        PoolName = PoolName ?? name,
        Substrate = Substrate,
        Purpose = Purpose,
        InstanceType = InstanceType,
        GpuModel = GpuModel,
        GpusPerNode = GpusPerNode,
        NodeNames = [.. NodeNames ?? []],
        MinSize = MinSize,
        DesiredSize = DesiredSize,
        MaxSize = MaxSize,
        CapacityType = CapacityType,
        Interruptible = Interruptible,
        MigConfig = MigConfig,
        CustomMigConfig = CustomMigConfig?.ToDefinition(),
        TimeSlicingReplicas = TimeSlicingReplicas,
        MigStrategy = MigStrategy,
        Driver = Driver,
        AmiReleaseVersion = AmiReleaseVersion,
        DiskSizeGiB = DiskSizeGiB,
        EnableSsm = EnableSsm,
        DedicatedTo = DedicatedTo,
        ProvidedInputs = ProvidedInputs(),
    };
}

/// <summary>A custom mig-parted config (a <c>mig-configs</c> entry) for one GPU model.</summary>
public sealed class MigConfigArgs : ResourceArgs
{
    /// <summary>Required. Config name: the value of the node label <c>nvidia.com/mig.config</c>.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary>Required. Layouts per device set; sets must not overlap; GPUs not covered are MIG-disabled.</summary>
    [Input("devices", required: true)]
    public List<MigDeviceArgs> Devices { get; set; } = [];

    internal MigConfigDefinition ToDefinition() =>
        new(Name, [.. (Devices ?? []).Select(d => new MigDeviceLayout(d.Gpus is { } g ? [.. g] : null, (d.Layout ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal)))]);
}

/// <summary>The MIG layout of a set of GPUs of a node.</summary>
public sealed class MigDeviceArgs : ResourceArgs
{
    /// <summary>GPU indexes this layout applies to (0-based). Defaults to every GPU of the node.</summary>
    [Input("gpus")]
    public List<int>? Gpus { get; set; }

    /// <summary>Required. MIG profile → instances per GPU, e.g. <c>{"1g.10gb": 7}</c>.</summary>
    [Input("layout", required: true)]
    public Dictionary<string, int> Layout { get; set; } = [];
}
