using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// Inputs of <see cref="GpuNodePool"/>. Values another resource may produce (cluster name, subnets) are
/// <see cref="Input{T}"/>; everything that decides which resources exist and what they contain is plain and validated
/// before anything is registered.
/// </summary>
public sealed class GpuNodePoolArgs : ResourceArgs
{
    /// <summary>Required. EKS managed node group, or existing on-prem nodes labelled by name.</summary>
    public Substrate? Substrate { get; set; }

    /// <summary>Pool name (node label <c>neocloud.io/pool</c>, a DNS label). Defaults to the component's name.</summary>
    public string? PoolName { get; set; }

    /// <summary>Training or inference. Defaults to <see cref="PoolPurpose.Inference"/>.</summary>
    public PoolPurpose Purpose { get; set; } = PoolPurpose.Inference;

    /// <summary>Required. Environment (stack) name: label and tag <c>neocloud.io/environment</c>.</summary>
    public string Environment { get; set; } = "";

    /// <summary>Required. Cost center: label and tag <c>neocloud.io/cost-center</c>.</summary>
    public string CostCenter { get; set; } = "";

    /// <summary>EKS, required: the cluster's name (e.g. <c>EksCluster.ClusterName</c> or an existing cluster's). Conflicts with on-prem.</summary>
    [Input("clusterName")]
    public Input<string>? ClusterName { get; set; }

    [Input("nodeSubnetIds")]
    private InputList<string>? _nodeSubnetIds;

    /// <summary>EKS, required: subnets the nodes launch into (usually the private subnets). Conflicts with on-prem.</summary>
    public InputList<string> NodeSubnetIds
    {
        get => _nodeSubnetIds ??= [];
        set => _nodeSubnetIds = value;
    }

    /// <summary>EKS: the node group's Kubernetes version. Defaults to the cluster's version.</summary>
    [Input("kubernetesVersion")]
    public Input<string>? KubernetesVersion { get; set; }

    /// <summary>EKS, required: EC2 instance type of the hardware catalog (e.g. <c>p5.48xlarge</c>). Conflicts with <see cref="GpuModel"/>/<see cref="GpusPerNode"/>.</summary>
    public string? InstanceType { get; set; }

    /// <summary>EKS, required: minimum nodes (0 allows scale to zero).</summary>
    public int? MinSize { get; set; }

    /// <summary>EKS: desired nodes at creation. Defaults to <see cref="MinSize"/>; later changes by an autoscaler are ignored.</summary>
    public int? DesiredSize { get; set; }

    /// <summary>EKS, required: maximum nodes.</summary>
    public int? MaxSize { get; set; }

    /// <summary>EKS: on-demand or spot. Defaults to on-demand. Spot conflicts with a non-interruptible pool.</summary>
    public CapacityType CapacityType { get; set; } = CapacityType.OnDemand;

    /// <summary>Whether the pool's workloads tolerate node interruption. Defaults to true for training, false for inference.</summary>
    public bool? Interruptible { get; set; }

    /// <summary>EKS: root volume size in GiB (images of inference servers are large). Defaults to 200.</summary>
    public int? DiskSizeGiB { get; set; }

    /// <summary>EKS: also attach <c>AmazonSSMManagedInstanceCore</c> to the node role (Session Manager access). Defaults to false.</summary>
    public bool? EnableSsm { get; set; }

    /// <summary>On-prem, required: catalog id of the nodes' GPU model (e.g. <c>H100-SXM5-80GB</c>). Conflicts with <see cref="InstanceType"/>.</summary>
    public string? GpuModel { get; set; }

    /// <summary>On-prem, required: GPUs in each node.</summary>
    public int? GpusPerNode { get; set; }

    /// <summary>On-prem, required: names of the existing nodes of the pool; they are labelled, never created or deleted.</summary>
    public List<string> NodeNames { get; set; } = [];

    /// <summary>MIG config name (node label <c>nvidia.com/mig.config</c>), built-in such as <c>all-1g.10gb</c> or <see cref="CustomMigConfig"/>'s name. Defaults to none (MIG not managed).</summary>
    public string? MigConfig { get; set; }

    /// <summary>A custom mig-parted config for this pool's GPU model; <see cref="MigConfig"/> defaults to its name. Defaults to none.</summary>
    public MigConfigDefinition? CustomMigConfig { get; set; }

    /// <summary>Device-plugin time-slicing replicas per GPU. Defaults to 1 (not shared). Conflicts with an enabled MIG config.</summary>
    public int TimeSlicingReplicas { get; set; } = 1;

    /// <summary>The cluster's <c>mig.strategy</c> (must match the cluster's <see cref="GpuOperator"/>). Defaults to mixed for MIG pools, none otherwise.</summary>
    public MigStrategy? MigStrategy { get; set; }

    /// <summary>
    /// Who provides the nodes' NVIDIA driver and toolkit: <c>Operator</c> (on-prem default) or <c>Preinstalled</c>
    /// (DGX OS, pre-provisioned hosts: the nodes are labelled so the GPU Operator's driver and toolkit skip them; the
    /// only choice, and the default, on EKS GPU AMIs).
    /// </summary>
    public GpuDriver? Driver { get; set; }

    /// <summary>
    /// EKS, required: the GPU AMI release (<c>releaseVersion</c> of the node group, e.g. <c>1.33.13-20260714</c>), a row
    /// of Core's compatibility matrix (<c>CompatibilityMatrix.Default.EksAmis</c>), which names the driver it ships; its
    /// Kubernetes version must be the node group's.
    /// </summary>
    public string? AmiReleaseVersion { get; set; }

    internal GpuNodePoolDefinition ToDefinition(string name) => new()
    {
        PoolName = PoolName ?? name,
        Substrate = Substrate ?? default,
        Purpose = Purpose,
        Environment = Environment,
        CostCenter = CostCenter,
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
        CustomMigConfig = CustomMigConfig,
        TimeSlicingReplicas = TimeSlicingReplicas,
        MigStrategy = MigStrategy,
        Driver = Driver,
        AmiReleaseVersion = AmiReleaseVersion,
    };

    internal IReadOnlyList<ConfigError> Validate(string name)
    {
        var errors = new List<ConfigError>();
        if (Substrate is null)
        {
            errors.Add(new ConfigError("Substrate", "is required: Eks or OnPrem"));
            return errors;
        }

        errors.AddRange(GpuPoolPlanner.Validate(ToDefinition(name)));
        if (Substrate == Core.Environments.Substrate.Eks)
        {
            if (ClusterName is null)
            {
                errors.Add(new ConfigError("ClusterName", "is required on EKS (an EksCluster's ClusterName or an existing cluster's name)"));
            }

            if (_nodeSubnetIds is null)
            {
                errors.Add(new ConfigError("NodeSubnetIds", "is required on EKS (the subnets nodes launch into)"));
            }

            if (DiskSizeGiB is < 20)
            {
                errors.Add(new ConfigError("DiskSizeGiB", $"must be at least 20, got {DiskSizeGiB}"));
            }
        }
        else
        {
            foreach (var (set, prop) in new[] { (ClusterName is not null, "ClusterName"), (_nodeSubnetIds is not null, "NodeSubnetIds"), (KubernetesVersion is not null, "KubernetesVersion"), (DiskSizeGiB is not null, "DiskSizeGiB"), (EnableSsm is not null, "EnableSsm") })
            {
                if (set)
                {
                    errors.Add(new ConfigError(prop, "is EKS only; on-prem nodes are reached through the Kubernetes provider"));
                }
            }
        }

        return errors;
    }

    internal static ImmutableDictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>> map) =>
        map.ToImmutableDictionary(StringComparer.Ordinal);
}
