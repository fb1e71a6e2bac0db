using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using Pulumi;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Eks.Inputs;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>The nodes of a pool, GPU or cpu (one function per substrate, shared by <see cref="GpuNodePool"/> and <see cref="CpuNodePool"/>).</summary>
internal static class PoolNodes
{
    /// <summary>EKS: the node role and the managed node group Core planned, as children of <paramref name="parent"/>.</summary>
    /// <returns>The ARNs of the node group and of its role.</returns>
    public static (Output<string> NodeGroupArn, Output<string> NodeRoleArn) NodeGroup(
        string name, EksNodeGroupPlan plan, Input<string> clusterName, InputList<string> subnetIds, Input<string>? kubernetesVersion, Resource parent)
    {
        var tags = plan.Tags.ToImmutableDictionary(StringComparer.Ordinal);
        var (role, attachments) = EksNodeRole.Create(name, plan.Description, tags, plan.EnableSsm, parent);

        // cluster-autoscaler's node template (scale from zero): on the node group, where CA reads it through
        // eks:DescribeNodegroup, and below on its Auto Scaling group, which EKS does not copy the tags to (kubernetes/autoscaler#5278).
        var nodeGroupTags = plan.Tags.SetItems(plan.AutoscalerTemplate).ToImmutableDictionary(StringComparer.Ordinal);
        var nodeGroup = new NodeGroup($"{name}-node-group", new NodeGroupArgs
        {
            ClusterName = clusterName,
            NodeRoleArn = role.Arn,
            SubnetIds = subnetIds,
            Version = kubernetesVersion!,
            AmiType = plan.AmiType,
            // GPU pools: the AMI release (and so NVIDIA driver) pinned from the compatibility matrix; without it EKS takes the newest.
            ReleaseVersion = plan.ReleaseVersion!,
            InstanceTypes = { plan.InstanceType },
            CapacityType = plan.CapacityType,
            DiskSize = plan.DiskSizeGiB,
            ScalingConfig = new NodeGroupScalingConfigArgs
            {
                MinSize = plan.MinSize,
                DesiredSize = plan.DesiredSize,
                MaxSize = plan.MaxSize,
            },
            Labels = plan.Labels.ToImmutableDictionary(StringComparer.Ordinal),
            Taints = plan.Taints.Select(t => new NodeGroupTaintArgs { Key = t.Key, Value = t.Value, Effect = t.EksEffect }).ToList(),
            Tags = nodeGroupTags,
        }, new CustomResourceOptions
        {
            Parent = parent,
            DependsOn = attachments,
            // cluster-autoscaler owns the running size after creation.
            IgnoreChanges = ["scalingConfig.desiredSize"],
        });

        var asgName = nodeGroup.Resources.Apply(r => r.IsDefault ? "" : r.SelectMany(x => x.AutoscalingGroups).Select(g => g.Name).FirstOrDefault() ?? "");
        foreach (var (key, value) in plan.AutoscalerTemplate)
        {
            _ = new Pulumi.Aws.AutoScaling.Tag($"{name}-asg-{TagResourceSuffix(key)}", new Pulumi.Aws.AutoScaling.TagArgs
            {
                AutoscalingGroupName = asgName,
                TagDetails = new Pulumi.Aws.AutoScaling.Inputs.TagTagArgs { Key = key, Value = value, PropagateAtLaunch = false },
            }, new CustomResourceOptions { Parent = parent });
        }

        return (nodeGroup.Arn, role.Arn);
    }

    /// <summary>A resource-name suffix for a node-template tag: the part after the prefix, with every character outside [a-z0-9.-] as '-'.</summary>
    internal static string TagResourceSuffix(string key)
    {
        var rest = key.StartsWith(AutoscalerNodeTemplate.Prefix, StringComparison.Ordinal) ? key[AutoscalerNodeTemplate.Prefix.Length..] : key;
        return new string([.. rest.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-')]);
    }

    /// <summary>
    /// On-prem: labels on the existing nodes, one <c>NodePatch</c> per node with the pool's field manager. Labels only:
    /// <c>spec.taints</c> is an atomic list under server-side apply, so owning it would fight kubelet, cordon and the node
    /// lifecycle controller; node provisioning sets the GPU taint (see README).
    /// </summary>
    public static void Label(string name, string poolName, IEnumerable<string> nodes, ImmutableSortedDictionary<string, string> labels, Resource parent)
    {
        var fieldManager = GpuNodeLabels.FieldManagerPrefix + poolName;
        var map = labels.ToImmutableDictionary(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            _ = new NodePatch($"{name}-{node}", new Pulumi.Kubernetes.Types.Inputs.Core.V1.NodePatchArgs
            {
                Metadata = new ObjectMetaPatchArgs
                {
                    Name = node,
                    Labels = map,
                    Annotations = { { "pulumi.com/patchFieldManager", fieldManager } },
                },
            }, new CustomResourceOptions { Parent = parent });
        }
    }

    /// <summary>The <c>placement</c> output of Core's placement.</summary>
    public static NodePlacement Placement(PoolPlacement p) => new(
        p.PoolName,
        new Dictionary<string, string>(p.NodeSelector, StringComparer.Ordinal),
        [.. p.Tolerations.Select(t => new PlacementToleration(t.Key, t.Operator, t.Value, t.Effect.ToString()))],
        Core.Hardware.MigStrategyExtensions.ToChartValue(p.Strategy),
        p.GpuModel,
        p.GpusPerNode,
        p.MinNodes,
        p.MaxNodes,
        new Dictionary<string, int>(p.AllocatableAtMin, StringComparer.Ordinal),
        new Dictionary<string, int>(p.AllocatableAtMax, StringComparer.Ordinal),
        p.NodeCpuMillicores,
        p.NodeMemoryMebibytes);
}
