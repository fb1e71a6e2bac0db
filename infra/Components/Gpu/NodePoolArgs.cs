using System.Collections.Immutable;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// The inputs <see cref="GpuNodePool"/> and <see cref="CpuNodePool"/> share: where the nodes are (EKS node group or
/// named on-prem nodes) and how many. Plain values are validated by Core's pool planners before anything is registered.
/// </summary>
public abstract class NodePoolArgs : NeoCloudArgs
{
    /// <summary>Required. <c>eks</c> (an EKS managed node group) or <c>onprem</c> (existing nodes, labelled by name).</summary>
    [Input("substrate", required: true)]
    public string Substrate { get; set; } = null!;

    /// <summary>Pool name (node label <c>neocloud.io/pool</c>): a DNS label of at most 40 characters, starting with a letter. Defaults to the component's name.</summary>
    [Input("poolName")]
    public string? PoolName { get; set; }

    /// <summary>EKS, required: the cluster's name (e.g. <c>EksCluster.ClusterName</c> or an existing cluster's). Not allowed on-prem.</summary>
    [Input("clusterName")]
    public Input<string>? ClusterName { get; set; }

    /// <summary>EKS, required: subnets the nodes launch into (usually the private subnets). Not allowed on-prem.</summary>
    [Input("nodeSubnetIds")]
    public InputList<string>? NodeSubnetIds { get; set; }

    /// <summary>EKS: the node group's Kubernetes version. Defaults to the cluster's version. Not allowed on-prem.</summary>
    [Input("kubernetesVersion")]
    public Input<string>? KubernetesVersion { get; set; }

    /// <summary>EKS, required: an EC2 instance type of the hardware catalog (GPU pools: e.g. <c>p5.48xlarge</c>; cpu pools: e.g. <c>m7i.xlarge</c>). Not allowed on-prem.</summary>
    [Input("instanceType")]
    public string? InstanceType { get; set; }

    /// <summary>EKS, required: minimum nodes (0 allows scale to zero).</summary>
    [Input("minSize")]
    public int? MinSize { get; set; }

    /// <summary>EKS: desired nodes at creation. Defaults to <see cref="MinSize"/>; later changes by an autoscaler are ignored.</summary>
    [Input("desiredSize")]
    public int? DesiredSize { get; set; }

    /// <summary>EKS, required: maximum nodes.</summary>
    [Input("maxSize")]
    public int? MaxSize { get; set; }

    /// <summary>EKS: <c>ON_DEMAND</c> or <c>SPOT</c>. Defaults to <c>ON_DEMAND</c>; <c>SPOT</c> on a GPU pool needs an interruptible pool.</summary>
    [Input("capacityType")]
    public string? CapacityType { get; set; }

    /// <summary>On-prem, required: names of the existing nodes of the pool; they are labelled, never created or deleted. Defaults to none.</summary>
    [Input("nodeNames")]
    public List<string>? NodeNames { get; set; }

    /// <summary>The Input properties that were given (the planners decide which are required or not allowed).</summary>
    internal ImmutableSortedSet<string> ProvidedInputs() =>
        [.. new[] { (ClusterName is not null, "ClusterName"), (NodeSubnetIds is not null, "NodeSubnetIds"), (KubernetesVersion is not null, "KubernetesVersion") }.Where(i => i.Item1).Select(i => i.Item2)];
}
