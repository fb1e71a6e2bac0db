using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Autoscaling;
using Pulumi;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Iam;

namespace NeoCloud.Infra.Components.Autoscaling;

/// <summary>One node group the autoscaler resizes (its limits are checked against <see cref="ClusterAutoscalerArgs.MaxNodesTotal"/>).</summary>
public sealed class AutoscaledPoolArgs : ResourceArgs
{
    /// <summary>Required. The pool (node group) name.</summary>
    [Input("poolName", required: true)]
    public string PoolName { get; set; } = null!;

    /// <summary>The node group's minimum size. Defaults to 0.</summary>
    [Input("minSize")]
    public int MinSize { get; set; }

    /// <summary>Required. The node group's maximum size.</summary>
    [Input("maxSize", required: true)]
    public int MaxSize { get; set; }

    /// <summary><c>ON_DEMAND</c> or <c>SPOT</c>. Defaults to <c>ON_DEMAND</c>.</summary>
    [Input("capacityType")]
    public string? CapacityType { get; set; }
}

/// <summary>Inputs of a <see cref="ClusterAutoscaler"/>; validated by Core's <see cref="ClusterAutoscalerPlanner"/> before anything is registered.</summary>
public sealed class ClusterAutoscalerArgs : NeoCloudArgs
{
    /// <summary>Required. The EKS cluster whose managed node groups are resized (found by their auto-discovery tags).</summary>
    [Input("clusterName", required: true)]
    public Input<string> ClusterName { get; set; } = null!;

    /// <summary>Required. AWS region of the cluster.</summary>
    [Input("region", required: true)]
    public string Region { get; set; } = null!;

    /// <summary>Required. The cluster's Kubernetes minor (e.g. <c>1.33</c>): picks the cluster-autoscaler release of that minor.</summary>
    [Input("kubernetesVersion", required: true)]
    public string KubernetesVersion { get; set; } = null!;

    /// <summary>Required. The node groups of the cluster (the pools the stack or your program creates).</summary>
    [Input("pools", required: true)]
    public List<AutoscaledPoolArgs> Pools { get; set; } = [];

    /// <summary>Cap on all nodes (<c>--max-nodes-total</c>); at least the sum of the pools' <c>MaxSize</c>. Defaults to that sum.</summary>
    [Input("maxNodesTotal")]
    public int? MaxNodesTotal { get; set; }

    /// <summary>Node selector of the autoscaler's pod, e.g. a system <c>CpuNodePool</c>'s <c>neocloud.io/node-role: system</c>. Defaults to none.</summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>The spec Core validates and plans.</summary>
    /// <param name="name">The component's resource name (the Helm release name).</param>
    internal ClusterAutoscalerSpec ToSpec(string name) => new()
    {
        Name = name,
        Ownership = ToOwnership(),
        Region = Region,
        KubernetesVersion = KubernetesVersion,
        Pools = [.. (Pools ?? []).Select(p => new AutoscaledPoolSpec(p?.PoolName, p?.MinSize ?? 0, p?.MaxSize ?? 0, p?.CapacityType))],
        MaxNodesTotal = MaxNodesTotal,
        NodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        ProvidedInputs = ClusterName is null ? [] : ["ClusterName"],
    };
}

/// <summary>
/// Node autoscaling for the managed node groups of an EKS cluster: cluster-autoscaler from its official chart
/// (<see cref="ClusterAutoscalerChart.Version"/>, image of the cluster's Kubernetes minor), its AWS identity through EKS
/// Pod Identity (a role only <c>pods.eks.amazonaws.com</c> may assume, bound to the chart's ServiceAccount; no key), and
/// the flags <see cref="ClusterAutoscalerPlanner"/> decides. Scale from zero works because every pool component writes
/// Core's node template on its node group and Auto Scaling group (<c>AutoscalerNodeTemplate</c>). The cluster needs the
/// <c>eks-pod-identity-agent</c> add-on.
/// </summary>
public sealed class ClusterAutoscaler : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:ClusterAutoscaler";

    // awsdocs/amazon-eks-user-guide latest/ug/manage-access/aws-access/service-accounts.adoc: EKS Pod Identity roles trust
    // the service principal pods.eks.amazonaws.com (AssumeRole, and TagSession for the session tags it adds).
    private const string PodIdentityTrustPolicy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"pods.eks.amazonaws.com\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]}]}";

    /// <summary>Creates the autoscaler; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; also the Helm release name.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes and AWS providers through <c>Providers</c>.</param>
    public ClusterAutoscaler(string name, ClusterAutoscalerArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(ClusterAutoscalerArgs), name, args?.ToSpec(name), ClusterAutoscalerPlanner.Validate, ClusterAutoscalerPlanner.Plan), options)
    {
    }

    private ClusterAutoscaler(string name, ClusterAutoscalerArgs args, ClusterAutoscalerPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var tags = CoreData.ToLabels(plan.Labels);
        var role = new Role($"{name}-role", new RoleArgs
        {
            Description = "cluster-autoscaler (EKS Pod Identity): resizes this cluster's managed node groups",
            AssumeRolePolicy = PodIdentityTrustPolicy,
            Tags = tags,
        }, new CustomResourceOptions { Parent = this });
        var clusterName = args.ClusterName.Apply(n => n);
        var policy = new RolePolicy($"{name}-policy", new RolePolicyArgs
        {
            Role = role.Name,
            Policy = clusterName.Apply(ClusterAutoscalerPlanner.PolicyDocument),
        }, new CustomResourceOptions { Parent = this });
        var association = new PodIdentityAssociation($"{name}-pod-identity", new PodIdentityAssociationArgs
        {
            ClusterName = clusterName,
            Namespace = plan.Namespace,
            ServiceAccount = ClusterAutoscalerChart.ServiceAccount,
            RoleArn = role.Arn,
            Tags = tags,
        }, new CustomResourceOptions { Parent = this, DependsOn = { policy } });

        // autoDiscovery.clusterName is the cluster's output: the chart then finds the node groups by the tags EKS puts on
        // their Auto Scaling groups (k8s.io/cluster-autoscaler/enabled, k8s.io/cluster-autoscaler/<cluster>).
        var values = plan.Values.SetItem("autoDiscovery", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create<string, object>("clusterName", clusterName)]));
        _ = PinnedChart.Create($"{name}-chart", plan.ReleaseName, plan.Namespace, ClusterAutoscalerChart.Pin, values,
            new ComponentResourceOptions { Parent = this, DependsOn = { association } });

        RoleArn = role.Arn;
        Namespace = Output.Create(plan.Namespace);
        ServiceAccount = Output.Create(ClusterAutoscalerChart.ServiceAccount);
        ImageTag = Output.Create(plan.ImageTag);
        MaxNodesTotal = Output.Create(plan.MaxNodesTotal);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["roleArn"] = RoleArn,
            ["namespace"] = Namespace,
            ["serviceAccount"] = ServiceAccount,
            ["imageTag"] = ImageTag,
            ["maxNodesTotal"] = MaxNodesTotal,
        });
    }

    /// <summary>ARN of the role the autoscaler's pod assumes through EKS Pod Identity.</summary>
    [Output("roleArn")]
    public Output<string> RoleArn { get; private set; }

    /// <summary>Namespace of the release.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The ServiceAccount the Pod Identity association binds.</summary>
    [Output("serviceAccount")]
    public Output<string> ServiceAccount { get; private set; }

    /// <summary>The cluster-autoscaler image tag (the cluster's Kubernetes minor).</summary>
    [Output("imageTag")]
    public Output<string> ImageTag { get; private set; }

    /// <summary>The <c>--max-nodes-total</c> it runs with.</summary>
    [Output("maxNodesTotal")]
    public Output<int> MaxNodesTotal { get; private set; }
}
