using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>The node autoscaler settings of an EKS cluster (<c>clusters[].nodeAutoscaler</c>).</summary>
/// <param name="MaxNodesTotal">Cap on all nodes (<c>--max-nodes-total</c>), or null for the sum of the pools' maximum sizes.</param>
public sealed record NodeAutoscalerSettings(int? MaxNodesTotal)
{
    /// <summary>No overrides.</summary>
    public static NodeAutoscalerSettings Default { get; } = new((int?)null);
}

/// <summary>One EKS pool cluster-autoscaler resizes, as its limits are checked.</summary>
/// <param name="PoolName">The pool (node group) name.</param>
/// <param name="MinSize">The node group's minimum size.</param>
/// <param name="MaxSize">The node group's maximum size.</param>
/// <param name="CapacityType"><c>ON_DEMAND</c> or <c>SPOT</c>.</param>
public sealed record AutoscaledPoolSpec(string? PoolName, int MinSize, int MaxSize, string? CapacityType);

/// <summary>The plain part of <c>ClusterAutoscalerArgs</c>, under the same property names.</summary>
public sealed record ClusterAutoscalerSpec
{
    /// <summary>The component's resource name, also the Helm release name; problem path <c>(name)</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Environment, cost center and extra tags.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Required. AWS region of the cluster (the chart's <c>awsRegion</c>).</summary>
    public string? Region { get; init; }

    /// <summary>Required. The cluster's Kubernetes minor (e.g. <c>1.33</c>): picks the cluster-autoscaler image.</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>The node groups it resizes (found by the auto-discovery tags EKS puts on managed node groups' Auto Scaling groups).</summary>
    public ImmutableArray<AutoscaledPoolSpec> Pools { get; init; } = [];

    /// <summary>
    /// Optional cap on all nodes of the cluster (<c>--max-nodes-total</c>). Must leave every pool room to reach its
    /// <c>MaxSize</c>: at least the sum of the pools' maximum sizes. Defaults to that sum.
    /// </summary>
    public int? MaxNodesTotal { get; init; }

    /// <summary>Node selector of the autoscaler's own pod: the cluster's system pools (<see cref="CpuPoolPlanner.SystemNodeSelector"/>). Empty: chart default.</summary>
    public ImmutableSortedDictionary<string, string> NodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The Args' Input properties that were given (presence only): <c>ClusterName</c>.</summary>
    public ImmutableSortedSet<string> ProvidedInputs { get; init; } = ImmutableSortedSet<string>.Empty;

    /// <summary>
    /// The autoscaler of an environment's cluster: every EKS cluster the stack creates runs one over its pools (an
    /// existing EKS cluster brings its own node management; on-prem nodes exist already); null otherwise.
    /// </summary>
    /// <param name="env">The bound environment.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="name">The release name.</param>
    public static ClusterAutoscalerSpec? ForCluster(Environments.EnvironmentModel env, Environments.ClusterSpec cluster, string name)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Substrate != Environments.Substrate.Eks || cluster.Existing is not null)
        {
            return null;
        }

        return new ClusterAutoscalerSpec
        {
            Name = name,
            Ownership = new OwnershipSpec(env.Environment, env.CostCenter),
            Region = cluster.Region,
            KubernetesVersion = cluster.KubernetesVersion,
            Pools = [.. env.PoolsOf(cluster.Name).Select(p => new AutoscaledPoolSpec(p.Name, p.MinSize, p.MaxSize, PoolValues.NameOf(PoolValues.CapacityTypes, p.CapacityType)))],
            MaxNodesTotal = cluster.NodeAutoscaler.MaxNodesTotal,
            NodeSelector = SystemAddonPlacement.NodeSelector(env, cluster.Name),
            ProvidedInputs = ["ClusterName"],
        };
    }
}

/// <summary>The decisions of a cluster-autoscaler release.</summary>
/// <param name="ReleaseName">Helm release name.</param>
/// <param name="Namespace">Namespace (<see cref="ClusterAutoscalerChart.Namespace"/>).</param>
/// <param name="ImageTag">The image tag for the cluster's Kubernetes minor.</param>
/// <param name="MaxNodesTotal">The <c>--max-nodes-total</c> it runs with.</param>
/// <param name="Args">Every flag it runs with beyond the chart's (<c>extraArgs</c>), name → value.</param>
/// <param name="Labels">Labels of its objects.</param>
/// <param name="Values">Chart values without <c>autoDiscovery.clusterName</c> (an output of the cluster, set by the component).</param>
/// <param name="SpotPools">Pools on Spot: their interruption notices are handled by the managed node group (Capacity Rebalancing).</param>
public sealed record ClusterAutoscalerPlan(
    string ReleaseName,
    string Namespace,
    string ImageTag,
    int MaxNodesTotal,
    ImmutableSortedDictionary<string, string> Args,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, object> Values,
    ImmutableArray<string> SpotPools);

/// <summary>
/// cluster-autoscaler for the managed node groups of an EKS cluster (issue 14 item 2): chart values, the flags that make
/// scale from zero and scale-down behave for GPU pools, its IAM policy (through EKS Pod Identity, never a key), and
/// the check that its limits leave every pool room to reach its maximum size.
/// </summary>
/// <remarks>
/// Flags (kubernetes/autoscaler tag cluster-autoscaler-1.33.6, <c>cluster-autoscaler/config/flags/flags.go</c>):
/// <list type="bullet">
/// <item><c>--skip-nodes-with-local-storage=false</c>: the default <c>true</c> never deletes a node with an emptyDir pod,
/// and every Triton pod mounts a memory emptyDir for <c>/dev/shm</c>; a burst node would never scale back to zero.</item>
/// <item><c>--balance-similar-node-groups=true</c> (default false), <c>--expander=least-waste</c> (the default, stated).</item>
/// <item><c>--max-nodes-total</c> (default 0 = unlimited): the sum of the pools' maximum sizes unless config lowers it
/// (never below that sum: <see cref="Validate"/>).</item>
/// <item><c>--scale-down-delay-after-add=20m</c> (default 10m) and <c>--max-node-provision-time=25m</c> (default 15m): a
/// p5/p4d node boots, joins, starts the GPU Operator's operands and applies its MIG layout before it can host a pod.</item>
/// </list>
/// Scale-down respects PodDisruptionBudgets: CA evicts through the eviction API and its drainability rules block a node
/// whose pods a PDB protects (<c>simulator/drainability/rules/rules.go</c>, rule <c>pdb</c>), so Qdrant's and Triton's
/// PDBs hold. Spot: EKS managed node groups enable Capacity Rebalancing on Spot node groups and cordon and drain a node
/// on a rebalance recommendation or a two-minute interruption notice (awsdocs/amazon-eks-user-guide
/// <c>latest/ug/nodes/managed-node-groups.adoc</c>, "Managed node group capacity types"), so no separate termination
/// handler runs next to CA.
/// </remarks>
public static partial class ClusterAutoscalerPlanner
{
    /// <summary>Longest Helm release name.</summary>
    public const int MaxReleaseNameLength = 53;

    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex AwsRegion();

    /// <summary>Every problem of <paramref name="spec"/>; empty when valid.</summary>
    /// <param name="spec">The spec.</param>
    public static ImmutableArray<SpecProblem> Validate(ClusterAutoscalerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new SpecProblems();
        p.Require(
            spec.Name is { Length: > 0 and <= MaxReleaseNameLength } && KubernetesNames.IsDnsLabel(spec.Name),
            "(name)",
            $"{Show(spec.Name)} is the Helm release name: a DNS label of at most {MaxReleaseNameLength} characters");
        p.AddRange(OwnershipPlanner.Validate(spec.Ownership));
        p.Require(spec.ProvidedInputs.Contains("ClusterName"), "ClusterName", "is required: the EKS cluster whose managed node groups are resized (auto-discovery tags k8s.io/cluster-autoscaler/<cluster>)");
        p.Require(spec.Region is not null && AwsRegion().IsMatch(spec.Region), "Region", $"{Show(spec.Region)} must be an AWS region such as us-east-1");
        p.Require(
            spec.KubernetesVersion is not null && ClusterAutoscalerChart.ImageTags.ContainsKey(spec.KubernetesVersion),
            "KubernetesVersion",
            $"{Show(spec.KubernetesVersion)} has no pinned cluster-autoscaler release (one per Kubernetes minor); pinned: {string.Join(", ", ClusterAutoscalerChart.ImageTags.Select(kv => $"{kv.Key} → {kv.Value}"))}");
        p.Require(!spec.Pools.IsDefaultOrEmpty, "Pools", "must list at least one node group to resize");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.Pools.IsDefault ? 0 : spec.Pools.Length); i++)
        {
            var pool = spec.Pools[i];
            p.Require(!string.IsNullOrEmpty(pool.PoolName), $"Pools[{i}].PoolName", "is required");
            p.Require(pool.PoolName is null || names.Add(pool.PoolName), $"Pools[{i}].PoolName", $"{Show(pool.PoolName)} is listed twice");
            p.Require(pool.MinSize >= 0 && pool.MaxSize >= Math.Max(1, pool.MinSize), $"Pools[{i}].MaxSize", string.Create(CultureInfo.InvariantCulture, $"must be at least 1 and at least MinSize ({pool.MinSize}), got {pool.MaxSize}"));
        }

        if (spec.MaxNodesTotal is { } limit && !spec.Pools.IsDefaultOrEmpty && LimitProblem(limit, spec.Pools) is { } problem)
        {
            p.Add("MaxNodesTotal", problem);
        }

        return p.ToImmutable();
    }

    /// <summary>
    /// Why <paramref name="maxNodesTotal"/> is too low for <paramref name="pools"/> (CA stops adding nodes at the cap, so
    /// a pool could not reach its maximum size), or null when it leaves every pool room.
    /// </summary>
    /// <param name="maxNodesTotal">The configured <c>--max-nodes-total</c>.</param>
    /// <param name="pools">The pools of the cluster.</param>
    public static string? LimitProblem(int maxNodesTotal, IReadOnlyCollection<AutoscaledPoolSpec> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var sum = pools.Sum(x => x.MaxSize);
        if (maxNodesTotal >= sum)
        {
            return null;
        }

        var terms = string.Join(" + ", pools.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.PoolName} {x.MaxSize}")));
        var blocked = pools.Where(x => x.MaxSize > maxNodesTotal).Select(x => $"\"{x.PoolName}\"").ToList();
        var what = blocked.Count > 0
            ? $"pool {string.Join(", ", blocked)} could never reach its maxSize"
            : "the pools could not all reach their maxSize together";
        return string.Create(CultureInfo.InvariantCulture,
            $"{maxNodesTotal} is below the pools' maximum sizes ({terms} = {sum} nodes): cluster-autoscaler stops adding nodes at {maxNodesTotal}, so {what}; set at least {sum} or lower the pools' maxSize");
    }

    /// <summary>The decisions of a valid spec.</summary>
    /// <param name="spec">A spec without problems.</param>
    /// <exception cref="ArgumentException">The spec has problems.</exception>
    public static ClusterAutoscalerPlan Plan(ClusterAutoscalerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = Validate(spec);
        if (!problems.IsEmpty)
        {
            throw new ArgumentException($"invalid ClusterAutoscalerSpec: {string.Join("; ", problems)}", nameof(spec));
        }

        var labels = spec.Ownership.Tags.SetItems(ResourceLabels.For(ClusterAutoscalerChart.Chart, spec.Name!, "node-autoscaler", spec.Ownership.Environment, spec.Ownership.CostCenter));
        var max = spec.MaxNodesTotal ?? spec.Pools.Sum(x => x.MaxSize);
        var args = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
            KeyValuePair.Create("balance-similar-node-groups", "true"),
            KeyValuePair.Create("expander", "least-waste"),
            KeyValuePair.Create("max-node-provision-time", "25m"),
            KeyValuePair.Create("max-nodes-total", max.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("scale-down-delay-after-add", "20m"),
            KeyValuePair.Create("skip-nodes-with-local-storage", "false"),
        ]);
        var tag = ClusterAutoscalerChart.ImageTags[spec.KubernetesVersion!];
        var values = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        values["cloudProvider"] = "aws";
        values["awsRegion"] = spec.Region!;
        values["image"] = Map(("tag", tag));
        values["rbac"] = Map(("serviceAccount", Map(("create", true), ("name", ClusterAutoscalerChart.ServiceAccount))));
        values["extraArgs"] = args.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
        values["additionalLabels"] = labels.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
        if (!spec.NodeSelector.IsEmpty)
        {
            values["nodeSelector"] = spec.NodeSelector.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
        }

        var spot = spec.Pools.Where(x => x.CapacityType == "SPOT").Select(x => x.PoolName!).ToImmutableArray();
        return new ClusterAutoscalerPlan(spec.Name!, ClusterAutoscalerChart.Namespace, tag, max, args, labels, values.ToImmutable(), spot);
    }

    /// <summary>
    /// The IAM policy of the autoscaler's role (kubernetes/autoscaler cluster-autoscaler-1.33.6
    /// <c>cloudprovider/aws/README.md</c>, "Full Cluster Autoscaler Features Policy"): describe calls on every resource,
    /// and resizing only Auto Scaling groups EKS tagged as this cluster's (<c>k8s.io/cluster-autoscaler/&lt;cluster&gt;:
    /// owned</c>, the tag managed node groups carry for auto-discovery).
    /// </summary>
    /// <param name="clusterName">The EKS cluster's name.</param>
    public static string PolicyDocument(string clusterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        var document = new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new
                {
                    Sid = "Describe",
                    Effect = "Allow",
                    Action = new[]
                    {
                        "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
                        "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup",
                    },
                    Resource = "*",
                },
                new
                {
                    Sid = "ResizeOwnNodeGroups",
                    Effect = "Allow",
                    Action = new[] { "autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup" },
                    Resource = "*",
                    Condition = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, string> { [$"aws:ResourceTag/k8s.io/cluster-autoscaler/{clusterName}"] = "owned" },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(document);
    }

    /// <summary>
    /// The scale-up cluster-autoscaler's binpacking estimator computes for pods pending on a node group with no node:
    /// whether a template node (<see cref="AutoscalerNodeTemplate"/>) admits the pod (its node selector is among the
    /// template labels, its tolerations tolerate the template taints) and how many template nodes the pods fill,
    /// first fit, capped by the group's maximum size and the cluster's <c>--max-nodes-total</c> headroom.
    /// </summary>
    /// <param name="template">The node-template tags of the group.</param>
    /// <param name="nodeSelector">The pod's node selector.</param>
    /// <param name="tolerations">The pod's tolerations.</param>
    /// <param name="requests">One pod's requests (cpu millicores, bytes, counts).</param>
    /// <param name="pendingPods">Pods pending.</param>
    /// <param name="maxSize">The group's maximum size.</param>
    /// <param name="headroom">Nodes <c>--max-nodes-total</c> still allows.</param>
    public static ScaleUp EstimateScaleUp(
        IReadOnlyDictionary<string, string> template,
        IReadOnlyDictionary<string, string> nodeSelector,
        IReadOnlyCollection<PlatformToleration> tolerations,
        IReadOnlyDictionary<string, long> requests,
        int pendingPods,
        int maxSize,
        int headroom)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(nodeSelector);
        ArgumentNullException.ThrowIfNull(tolerations);
        ArgumentNullException.ThrowIfNull(requests);
        var labelPrefix = AutoscalerNodeTemplate.Prefix + "label/";
        var taintPrefix = AutoscalerNodeTemplate.Prefix + "taint/";
        var labels = template.Where(kv => kv.Key.StartsWith(labelPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[labelPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        var missing = nodeSelector.Where(kv => !labels.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        if (missing.Count > 0)
        {
            return new ScaleUp(0, 0, $"the template has no label {string.Join(", ", missing)}");
        }

        foreach (var (key, value) in template.Where(kv => kv.Key.StartsWith(taintPrefix, StringComparison.Ordinal)))
        {
            var parts = value.Split(':');
            var taint = new NodeTaint(key[taintPrefix.Length..], parts[0], Enum.Parse<TaintEffect>(parts[^1]));
            if (taint.Effect != TaintEffect.PreferNoSchedule && !tolerations.Any(t => t.Tolerates(taint)))
            {
                return new ScaleUp(0, 0, $"the pod does not tolerate the template's taint {taint.Key}={taint.Value}:{taint.Effect}");
            }
        }

        var offered = AutoscalerNodeTemplate.Resources(template);
        var perNode = int.MaxValue;
        string? limitedBy = null;
        foreach (var (resource, amount) in requests.Where(kv => kv.Value > 0))
        {
            var fit = (int)Math.Min(int.MaxValue, offered.GetValueOrDefault(resource) / amount);
            if (fit < perNode)
            {
                (perNode, limitedBy) = (fit, resource);
            }
        }

        var podsFit = Math.Min(perNode, (int)offered.GetValueOrDefault(Quantities.Pods, NodeAllocatable.DefaultMaxPods));
        if (podsFit == 0)
        {
            return new ScaleUp(0, 0, $"a template node offers no room for one pod ({limitedBy})");
        }

        var needed = (pendingPods + podsFit - 1) / podsFit;
        var nodes = Math.Min(needed, Math.Min(maxSize, headroom));
        return new ScaleUp(nodes, Math.Min(pendingPods, nodes * podsFit), nodes < needed ? string.Create(CultureInfo.InvariantCulture, $"{needed} nodes needed, capped at {nodes}") : null);
    }

    /// <summary>
    /// The autoscaler's pod as the chart (9.59.0) places it: a Deployment <c>&lt;release&gt;-aws-cluster-autoscaler</c>
    /// (the chart's fullname for <c>cloudProvider: aws</c>), one replica (<c>replicaCount: 1</c>), <c>resources: {}</c>,
    /// <c>tolerations: []</c>, our <c>nodeSelector</c>.
    /// </summary>
    /// <param name="plan">The plan.</param>
    public static WorkloadShape Workload(ClusterAutoscalerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var selector = GpuOperatorWorkloads.Selector(plan.Values);
        return new WorkloadShape("Deployment", plan.Namespace, $"{plan.ReleaseName}-aws-cluster-autoscaler", "cluster-autoscaler " + ClusterAutoscalerChart.Version,
            WorkloadShape.Labels(("app.kubernetes.io/name", "aws-cluster-autoscaler"), ("app.kubernetes.io/instance", plan.ReleaseName)), [], WorkloadShape.NoRequests)
        {
            NodeSelector = selector,
        };
    }

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static string Show(string? value) => value is null ? "a missing value" : $"\"{value}\"";
}

/// <summary>A scale-up estimate.</summary>
/// <param name="Nodes">Nodes added.</param>
/// <param name="PodsPlaced">Pending pods those nodes hold.</param>
/// <param name="Limit">Why fewer nodes (or none) are added, or null.</param>
public sealed record ScaleUp(int Nodes, int PodsPlaced, string? Limit);
