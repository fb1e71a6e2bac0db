using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using Pulumi;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Eks.Inputs;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// A pool of GPU nodes: an EKS managed node group with its node role (substrate EKS), or labels on existing on-prem
/// nodes (substrate on-prem). Publishes what workloads need to be placed on and bounded by the pool: node selector,
/// tolerations, GPU model and allocatable GPU resources at minimum and maximum size.
/// </summary>
public sealed class GpuNodePool : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:gpu:GpuNodePool";

    /// <summary>Creates the pool; throws <see cref="ComponentArgsException"/> listing every problem before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it.</param>
    /// <param name="args">The pool's inputs.</param>
    /// <param name="options">Options; the Kubernetes provider (on-prem) and AWS provider (EKS) reach children through them.</param>
    public GpuNodePool(string name, GpuNodePoolArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, Validated(name, args), options)
    {
        Plan = GpuPoolPlanner.Plan(args.ToDefinition(name));
        var plan = Plan;

        if (plan.Spec.Substrate == Substrate.Eks)
        {
            var tags = GpuNodePoolArgs.ToDictionary(plan.Tags);
            var (role, attachments) = EksNodeRole.Create(name, $"Nodes of GPU pool {plan.Name}", tags, args.EnableSsm == true, this);

            var nodeGroup = new NodeGroup($"{name}-node-group", new NodeGroupArgs
            {
                ClusterName = args.ClusterName!,
                NodeRoleArn = role.Arn,
                SubnetIds = args.NodeSubnetIds,
                Version = args.KubernetesVersion!,
                AmiType = plan.AmiType!,
                // Pinned AMI release (and so NVIDIA driver) from the compatibility matrix; without it EKS takes the newest.
                ReleaseVersion = plan.Spec.AmiReleaseVersion!,
                InstanceTypes = { plan.Spec.InstanceType! },
                CapacityType = plan.Spec.CapacityType == CapacityType.Spot ? "SPOT" : "ON_DEMAND",
                DiskSize = args.DiskSizeGiB ?? 200,
                ScalingConfig = new NodeGroupScalingConfigArgs
                {
                    MinSize = plan.Spec.MinSize,
                    DesiredSize = plan.Spec.DesiredSize,
                    MaxSize = plan.Spec.MaxSize,
                },
                Labels = GpuNodePoolArgs.ToDictionary(plan.NodeLabels),
                Taints = plan.Taints.Select(t => new NodeGroupTaintArgs { Key = t.Key, Value = t.Value, Effect = t.EksEffect }).ToList(),
                Tags = tags,
            }, new CustomResourceOptions
            {
                Parent = this,
                DependsOn = attachments,
                // Cluster autoscaler / Karpenter own the running size after creation.
                IgnoreChanges = ["scalingConfig.desiredSize"],
            });

            NodeGroupArn = nodeGroup.Arn.Apply(a => (string?)a);
            NodeRoleArn = role.Arn.Apply(a => (string?)a);
            PatchedNodes = Output.Create(ImmutableArray<string>.Empty);
        }
        else
        {
            // Labels only: spec.taints is an atomic list under server-side apply, so owning it would fight kubelet,
            // cordon and the node lifecycle controller. Node provisioning sets the GPU taint (see README).
            var fieldManager = GpuNodeLabels.FieldManagerPrefix + plan.Name;
            foreach (var node in plan.Spec.NodeNames)
            {
                _ = new NodePatch($"{name}-{node}", new Pulumi.Kubernetes.Types.Inputs.Core.V1.NodePatchArgs
                {
                    Metadata = new ObjectMetaPatchArgs
                    {
                        Name = node,
                        Labels = GpuNodePoolArgs.ToDictionary(plan.NodeLabels),
                        Annotations = { { "pulumi.com/patchFieldManager", fieldManager } },
                    },
                }, new CustomResourceOptions { Parent = this });
            }

            NodeGroupArn = Output.Create((string?)null);
            NodeRoleArn = Output.Create((string?)null);
            PatchedNodes = Output.Create(plan.Spec.NodeNames);
        }

        NodeSelector = Output.Create(GpuNodePoolArgs.ToDictionary(plan.NodeSelector));
        Tolerations = Output.Create(plan.Tolerations.Select(t => GpuNodePoolArgs.ToDictionary(t.ToMap())).ToImmutableArray());
        Taints = Output.Create(plan.Taints.Select(t => t.ToString()).ToImmutableArray());
        GpuModel = Output.Create(plan.Spec.Gpu!.Id);
        AllocatableAtMin = Output.Create(plan.Capacity.AtMin.ToImmutableDictionary(StringComparer.Ordinal));
        AllocatableAtMax = Output.Create(plan.Capacity.AtMax.ToImmutableDictionary(StringComparer.Ordinal));
        MigConfigName = Output.Create(plan.MigConfigName);
        MigStrategy = Output.Create(plan.Strategy.ToChartValue());

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["nodeSelector"] = NodeSelector,
            ["tolerations"] = Tolerations,
            ["taints"] = Taints,
            ["gpuModel"] = GpuModel,
            ["allocatableAtMin"] = AllocatableAtMin,
            ["allocatableAtMax"] = AllocatableAtMax,
            ["migConfigName"] = MigConfigName,
            ["migStrategy"] = MigStrategy,
            ["nodeGroupArn"] = NodeGroupArn,
            ["nodeRoleArn"] = NodeRoleArn,
            ["patchedNodes"] = PatchedNodes,
        });
    }

    /// <summary>
    /// Core's plan of the pool (spec, labels, MIG config, capacity). Pass it to <see cref="GpuOperatorArgs.Pools"/> so the
    /// cluster's operator renders the configs this pool's node labels select.
    /// </summary>
    public GpuPoolPlan Plan { get; }

    /// <summary>Node selector that places a workload on this pool (<c>neocloud.io/pool</c>).</summary>
    [Output("nodeSelector")]
    public Output<ImmutableDictionary<string, string>> NodeSelector { get; private set; }

    /// <summary>Tolerations a workload on this pool needs (key, operator, value when set, effect).</summary>
    [Output("tolerations")]
    public Output<ImmutableArray<ImmutableDictionary<string, string>>> Tolerations { get; private set; }

    /// <summary>
    /// Taints the pool's nodes carry, e.g. <c>nvidia.com/gpu=true:NoSchedule</c>. EKS: set by the node group. On-prem:
    /// the taints node provisioning must set (kubelet <c>--register-with-taints</c>); this component does not write taints.
    /// </summary>
    [Output("taints")]
    public Output<ImmutableArray<string>> Taints { get; private set; }

    /// <summary>Catalog id of the pool's GPU model.</summary>
    [Output("gpuModel")]
    public Output<string> GpuModel { get; private set; }

    /// <summary>Allocatable extended GPU resources of the pool at its minimum size (e.g. <c>nvidia.com/mig-1g.10gb</c> → 56).</summary>
    [Output("allocatableAtMin")]
    public Output<ImmutableDictionary<string, int>> AllocatableAtMin { get; private set; }

    /// <summary>Allocatable extended GPU resources of the pool at its maximum size.</summary>
    [Output("allocatableAtMax")]
    public Output<ImmutableDictionary<string, int>> AllocatableAtMax { get; private set; }

    /// <summary>The MIG config the nodes are labelled with, or null when the pool does not manage MIG.</summary>
    [Output("migConfigName")]
    public Output<string?> MigConfigName { get; private set; }

    /// <summary>The MIG strategy the allocatable resources assume: <c>none</c>, <c>single</c> or <c>mixed</c>.</summary>
    [Output("migStrategy")]
    public Output<string> MigStrategy { get; private set; }

    /// <summary>EKS: ARN of the node group; null on-prem.</summary>
    [Output("nodeGroupArn")]
    public Output<string?> NodeGroupArn { get; private set; }

    /// <summary>EKS: ARN of the node role (e.g. for an EKS access entry); null on-prem.</summary>
    [Output("nodeRoleArn")]
    public Output<string?> NodeRoleArn { get; private set; }

    /// <summary>On-prem: the nodes labelled; empty on EKS.</summary>
    [Output("patchedNodes")]
    public Output<ImmutableArray<string>> PatchedNodes { get; private set; }

    private static string Validated(string name, GpuNodePoolArgs args)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(args);
        var errors = args.Validate(name);
        return errors.Count > 0 ? throw new ComponentArgsException("GpuNodePool", name, errors) : name;
    }
}
