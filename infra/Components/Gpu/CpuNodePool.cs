using NeoCloud.Infra.Core.Gpu;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>Inputs of <see cref="CpuNodePool"/>; the plain part is validated by Core's <see cref="CpuPoolPlanner.Validate(CpuNodePoolSpec)"/>.</summary>
public sealed class CpuNodePoolArgs : NeoCloudArgs
{
    /// <summary>Required. <c>eks</c> (an EKS managed node group) or <c>onprem</c> (existing nodes, labelled by name).</summary>
    [Input("substrate", required: true)]
    public string Substrate { get; set; } = null!;

    /// <summary>Pool name (node label <c>neocloud.io/pool</c>): a DNS label of at most 40 characters, starting with a letter. Defaults to the component's name.</summary>
    [Input("poolName")]
    public string? PoolName { get; set; }

    /// <summary>EKS, required: a CPU instance type of the hardware catalog (e.g. <c>m7i.xlarge</c>). Not allowed on-prem.</summary>
    [Input("instanceType")]
    public string? InstanceType { get; set; }

    /// <summary>EKS, required: minimum nodes.</summary>
    [Input("minSize")]
    public int? MinSize { get; set; }

    /// <summary>EKS: nodes at creation. Defaults to <see cref="MinSize"/>; later changes by an autoscaler are ignored.</summary>
    [Input("desiredSize")]
    public int? DesiredSize { get; set; }

    /// <summary>EKS, required: maximum nodes.</summary>
    [Input("maxSize")]
    public int? MaxSize { get; set; }

    /// <summary>EKS: <c>ON_DEMAND</c> or <c>SPOT</c>. Defaults to <c>ON_DEMAND</c>.</summary>
    [Input("capacityType")]
    public string? CapacityType { get; set; }

    /// <summary>On-prem, required: names of the existing nodes of the pool; they are labelled, never created or deleted. Defaults to none.</summary>
    [Input("nodeNames")]
    public List<string>? NodeNames { get; set; }

    /// <summary>Whether the pool admits the cluster's system add-ons: its nodes carry <c>neocloud.io/node-role=system</c>, which the add-ons' chart values select. Defaults to false.</summary>
    [Input("system")]
    public bool? System { get; set; }

    /// <summary>EKS, required: the cluster's name. Not allowed on-prem.</summary>
    [Input("clusterName")]
    public Input<string>? ClusterName { get; set; }

    /// <summary>EKS, required: subnets the nodes launch into. Not allowed on-prem.</summary>
    [Input("nodeSubnetIds")]
    public InputList<string>? NodeSubnetIds { get; set; }

    /// <summary>EKS: the node group's Kubernetes version. Defaults to the cluster's version. Not allowed on-prem.</summary>
    [Input("kubernetesVersion")]
    public Input<string>? KubernetesVersion { get; set; }

    internal CpuNodePoolSpec ToSpec(string name) => new()
    {
        Ownership = ToOwnership(),
        PoolName = PoolName ?? name,
        Substrate = Substrate,
        InstanceType = InstanceType,
        MinSize = MinSize,
        DesiredSize = DesiredSize,
        MaxSize = MaxSize,
        CapacityType = CapacityType,
        NodeNames = [.. NodeNames ?? []],
        System = System,
        ProvidedInputs = GpuNodePoolArgs.ProvidedInputs((ClusterName is not null, "ClusterName"), (NodeSubnetIds is not null, "NodeSubnetIds"), (KubernetesVersion is not null, "KubernetesVersion")),
    };
}

/// <summary>
/// A pool of CPU nodes (system add-ons, CPU workloads): an EKS managed node group of a catalog CPU instance type with
/// no GPU taint (substrate <c>eks</c>), or labels on existing on-prem nodes. A <c>system: true</c> pool's nodes carry
/// <see cref="CpuPoolPlanner.SystemLabel"/>, which the add-ons' chart values select on EKS. Publishes
/// <see cref="Placement"/> like <see cref="GpuNodePool"/> (no GPU resources, no tolerations).
/// </summary>
public sealed class CpuNodePool : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:CpuNodePool";

    /// <summary>The token stacks created before issue 17 registered the component under (kept as an alias).</summary>
    public const string PreviousTypeToken = "neocloud:gpu:CpuNodePool";

    /// <summary>Creates the pool; throws <see cref="ComponentArgsException"/> listing every problem before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it; the pool name defaults to it.</param>
    /// <param name="args">The pool's inputs.</param>
    /// <param name="options">Options; the Kubernetes provider (on-prem) and AWS provider (EKS) reach children through them.</param>
    public CpuNodePool(string name, CpuNodePoolArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(CpuNodePoolArgs), ComponentNames.Required(name), args?.ToSpec(name), CpuPoolPlanner.Validate, CpuPoolPlanner.Plan), options)
    {
    }

    private CpuNodePool(string name, CpuNodePoolArgs args, CpuPoolPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        if (plan.NodeGroup is { } nodeGroup)
        {
            var (nodeGroupArn, _) = PoolNodes.NodeGroup(name, nodeGroup, args.ClusterName!, args.NodeSubnetIds!, args.KubernetesVersion, this);
            NodeGroupArn = nodeGroupArn.Apply(a => (string?)a);
        }
        else
        {
            PoolNodes.Label(name, plan.Name, plan.NodeNames, plan.NodeLabels, this);
            NodeGroupArn = Output.Create((string?)null);
        }

        Placement = Output.Create(PoolNodes.Placement(plan.Placement));
        NodeLabels = Output.Create(new Dictionary<string, string>(plan.NodeLabels, StringComparer.Ordinal));
        RegisterOutputs(new Dictionary<string, object?> { ["placement"] = Placement, ["nodeLabels"] = NodeLabels, ["nodeGroupArn"] = NodeGroupArn });
    }

    /// <summary>Where a workload lands on this pool: node selector, node CPU/memory allocatable (EKS; 0 on-prem), sizes; no tolerations, no GPU resources.</summary>
    [Output("placement")]
    public Output<NodePlacement> Placement { get; private set; }

    /// <summary>Labels the pool's nodes carry.</summary>
    [Output("nodeLabels")]
    public Output<Dictionary<string, string>> NodeLabels { get; private set; }

    /// <summary>EKS: ARN of the node group; null on-prem.</summary>
    [Output("nodeGroupArn")]
    public Output<string?> NodeGroupArn { get; private set; }
}
