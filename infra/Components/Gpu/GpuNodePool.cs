using NeoCloud.Infra.Core.Gpu;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// A pool of GPU nodes: an EKS managed node group with its node role (substrate <c>eks</c>), or labels on existing on-prem
/// nodes (substrate <c>onprem</c>). Publishes <see cref="Placement"/>: what workloads need to be placed on and bounded by
/// the pool (node selector, tolerations, GPU model, allocatable GPU resources at minimum and maximum size), which serving
/// Args take as-is.
/// </summary>
public sealed class GpuNodePool : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:GpuNodePool";

    /// <summary>The token stacks created before issue 17 registered the component under (kept as an alias).</summary>
    public const string PreviousTypeToken = "neocloud:gpu:GpuNodePool";

    /// <summary>Creates the pool; throws <see cref="ComponentArgsException"/> listing every problem before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it; the pool name defaults to it.</param>
    /// <param name="args">The pool's inputs.</param>
    /// <param name="options">Options; the Kubernetes provider (on-prem) and AWS provider (EKS) reach children through them.</param>
    public GpuNodePool(string name, GpuNodePoolArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(GpuNodePoolArgs), name, args?.ToSpec(name), GpuPoolPlanner.Validate, GpuPoolPlanner.Plan), options)
    {
    }

    private GpuNodePool(string name, GpuNodePoolArgs args, GpuPoolPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        Plan = plan;
        if (plan.NodeGroup is { } nodeGroup)
        {
            var (nodeGroupArn, roleArn) = PoolNodes.NodeGroup(name, nodeGroup, args.ClusterName!, args.NodeSubnetIds!, args.KubernetesVersion, this);
            NodeGroupArn = nodeGroupArn.Apply(a => (string?)a);
            NodeRoleArn = roleArn.Apply(a => (string?)a);
            PatchedNodes = Output.Create(new List<string>());
        }
        else
        {
            PoolNodes.Label(name, plan.Name, plan.Spec.NodeNames, plan.NodeLabels, this);
            NodeGroupArn = Output.Create((string?)null);
            NodeRoleArn = Output.Create((string?)null);
            PatchedNodes = Output.Create(plan.Spec.NodeNames.ToList());
        }

        Placement = Output.Create(PoolNodes.Placement(plan.Placement));
        Taints = Output.Create(plan.Taints.Select(t => t.ToString()).ToList());
        MigConfigName = Output.Create(plan.MigConfigName);

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["placement"] = Placement,
            ["taints"] = Taints,
            ["migConfigName"] = MigConfigName,
            ["nodeGroupArn"] = NodeGroupArn,
            ["nodeRoleArn"] = NodeRoleArn,
            ["patchedNodes"] = PatchedNodes,
        });
    }

    /// <summary>
    /// Where a workload lands on this pool and what it may ask for: node selector (<c>neocloud.io/pool</c>), the GPU
    /// toleration, MIG strategy, GPU model, allocatable extended resources at minimum and maximum size, and a node's
    /// CPU/memory allocatable (EKS; 0 on-prem, where the nodes' shape is not in the Args). Pass it to serving Args.
    /// </summary>
    [Output("placement")]
    public Output<NodePlacement> Placement { get; private set; }

    /// <summary>
    /// Taints the pool's nodes carry, e.g. <c>nvidia.com/gpu=true:NoSchedule</c>. EKS: set by the node group. On-prem:
    /// the taints node provisioning must set (kubelet <c>--register-with-taints</c>); this component does not write taints.
    /// </summary>
    [Output("taints")]
    public Output<List<string>> Taints { get; private set; }

    /// <summary>The MIG config the nodes are labelled with, or null when the pool does not manage MIG.</summary>
    [Output("migConfigName")]
    public Output<string?> MigConfigName { get; private set; }

    /// <summary>EKS: ARN of the node group; null on-prem.</summary>
    [Output("nodeGroupArn")]
    public Output<string?> NodeGroupArn { get; private set; }

    /// <summary>EKS: ARN of the node role (e.g. for an EKS access entry); null on-prem.</summary>
    [Output("nodeRoleArn")]
    public Output<string?> NodeRoleArn { get; private set; }

    /// <summary>On-prem: the nodes labelled; empty on EKS.</summary>
    [Output("patchedNodes")]
    public Output<List<string>> PatchedNodes { get; private set; }

    /// <summary>Core's plan of the pool (spec, labels, MIG config, capacity, placement); internal: components connect through <see cref="Placement"/>.</summary>
    internal GpuPoolPlan Plan { get; }
}
