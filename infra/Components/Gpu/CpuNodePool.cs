using NeoCloud.Infra.Core.Gpu;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>Inputs of <see cref="CpuNodePool"/>; the plain part is validated by Core's <see cref="CpuPoolPlanner.Validate(CpuNodePoolSpec)"/>.</summary>
public sealed class CpuNodePoolArgs : NodePoolArgs
{
    /// <summary>Whether the pool admits the cluster's system add-ons: its nodes carry <c>neocloud.io/node-role=system</c>, which the add-ons' chart values select. Defaults to false.</summary>
    [Input("system")]
    public bool? System { get; set; }

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
        ProvidedInputs = ProvidedInputs(),
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
        : this(name, args, ComponentContract.Plan(nameof(CpuNodePoolArgs), name, args?.ToSpec(name), CpuPoolPlanner.Validate, CpuPoolPlanner.Plan), options)
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
