using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using Pulumi;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Eks.Inputs;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>Inputs of <see cref="CpuNodePool"/>.</summary>
public sealed class CpuNodePoolArgs : ResourceArgs
{
    /// <summary>The bound cpu pool (<c>gpuPools[]</c> with <c>purpose: cpu</c>).</summary>
    public GpuPoolSpec? Pool { get; set; }

    /// <summary>Environment label value.</summary>
    public string Environment { get; set; } = "";

    /// <summary>Cost-center label value.</summary>
    public string CostCenter { get; set; } = "";

    /// <summary>EKS: the cluster's name.</summary>
    public Input<string>? ClusterName { get; set; }

    /// <summary>EKS: subnets the nodes launch into.</summary>
    public InputList<string>? NodeSubnetIds { get; set; }

    /// <summary>EKS: the cluster's Kubernetes version.</summary>
    public Input<string>? KubernetesVersion { get; set; }

    internal IReadOnlyList<ConfigError> Validate()
    {
        var errors = new List<ConfigError>();
        if (Pool is null)
        {
            errors.Add(new ConfigError("Pool", "is required"));
            return errors;
        }

        if (Pool.Purpose != PoolPurpose.Cpu)
        {
            errors.Add(new ConfigError("Pool", $"\"{Pool.Name}\" is a {Pool.Purpose} pool; CpuNodePool takes purpose cpu pools (GpuNodePool takes GPU pools)"));
        }

        if (Pool.Substrate == Substrate.Eks)
        {
            foreach (var (set, prop) in new[] { (ClusterName is not null, "ClusterName"), (NodeSubnetIds is not null, "NodeSubnetIds"), (KubernetesVersion is not null, "KubernetesVersion") })
            {
                if (!set)
                {
                    errors.Add(new ConfigError(prop, "is required for an eks pool"));
                }
            }
        }

        return errors;
    }
}

/// <summary>
/// A pool of CPU nodes (system add-ons, CPU workloads): an EKS managed node group of a catalog CPU instance type with
/// no GPU taint (substrate EKS), or labels on existing on-prem nodes. A <c>system: true</c> pool's nodes carry
/// <see cref="CpuPoolPlanner.SystemLabel"/>, which the add-ons' chart values select on EKS.
/// </summary>
public sealed class CpuNodePool : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:gpu:CpuNodePool";

    /// <summary>Creates the pool; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it.</param>
    /// <param name="args">The pool's inputs.</param>
    /// <param name="options">Options; the Kubernetes provider (on-prem) and AWS provider (EKS) reach children through them.</param>
    public CpuNodePool(string name, CpuNodePoolArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, Validated(name, args), options)
    {
        Plan = CpuPoolPlanner.Plan(args.Pool!, args.Environment, args.CostCenter);
        var spec = Plan.Spec;
        var labels = GpuNodePoolArgs.ToDictionary(Plan.NodeLabels);
        if (spec.Substrate == Substrate.Eks)
        {
            var tags = GpuNodePoolArgs.ToDictionary(Plan.Tags);
            var (role, attachments) = EksNodeRole.Create(name, $"Nodes of cpu pool {spec.Name}", tags, enableSsm: false, this);
            var nodeGroup = new NodeGroup($"{name}-node-group", new NodeGroupArgs
            {
                ClusterName = args.ClusterName!,
                NodeRoleArn = role.Arn,
                SubnetIds = args.NodeSubnetIds!,
                Version = args.KubernetesVersion!,
                AmiType = Plan.AmiType!,
                InstanceTypes = { Plan.InstanceType!.Name },
                CapacityType = spec.CapacityType == CapacityType.Spot ? "SPOT" : "ON_DEMAND",
                DiskSize = CpuPoolPlanner.DiskSizeGiB,
                ScalingConfig = new NodeGroupScalingConfigArgs
                {
                    MinSize = spec.MinSize,
                    DesiredSize = spec.DesiredSize,
                    MaxSize = spec.MaxSize,
                },
                Labels = labels,
                Tags = tags,
            }, new CustomResourceOptions
            {
                Parent = this,
                DependsOn = attachments,
                IgnoreChanges = ["scalingConfig.desiredSize"],
            });
            NodeGroupArn = nodeGroup.Arn.Apply(a => (string?)a);
        }
        else
        {
            var fieldManager = GpuNodeLabels.FieldManagerPrefix + spec.Name;
            foreach (var node in spec.NodeNames)
            {
                _ = new Pulumi.Kubernetes.Core.V1.NodePatch($"{name}-{node}", new Pulumi.Kubernetes.Types.Inputs.Core.V1.NodePatchArgs
                {
                    Metadata = new ObjectMetaPatchArgs
                    {
                        Name = node,
                        Labels = labels,
                        Annotations = { { "pulumi.com/patchFieldManager", fieldManager } },
                    },
                }, new CustomResourceOptions { Parent = this });
            }

            NodeGroupArn = Output.Create((string?)null);
        }

        NodeLabels = Output.Create(labels);
        RegisterOutputs(new Dictionary<string, object?> { ["nodeLabels"] = NodeLabels, ["nodeGroupArn"] = NodeGroupArn });
    }

    /// <summary>Core's plan of the pool.</summary>
    public CpuPoolPlan Plan { get; }

    /// <summary>Labels the pool's nodes carry.</summary>
    [Output("nodeLabels")]
    public Output<ImmutableDictionary<string, string>> NodeLabels { get; private set; }

    /// <summary>EKS: ARN of the node group; null on-prem.</summary>
    [Output("nodeGroupArn")]
    public Output<string?> NodeGroupArn { get; private set; }

    private static string Validated(string name, CpuNodePoolArgs args)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(args);
        var errors = args.Validate();
        return errors.Count > 0 ? throw new ComponentArgsException("CpuNodePool", name, errors) : name;
    }
}
