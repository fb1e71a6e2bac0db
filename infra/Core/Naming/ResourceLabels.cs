using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Naming;

/// <summary>
/// The label and tag keys every NeoCloud resource carries. Kubernetes objects get <c>app.kubernetes.io/*</c>
/// plus the <c>neocloud.io/*</c> keys; AWS resources get the same <c>neocloud.io/*</c> keys as tags, so cost
/// reports group by the same keys on both sides.
/// </summary>
public static class ResourceLabels
{
    /// <summary>Environment (stack) key, e.g. dev, prod.</summary>
    public const string Environment = "neocloud.io/environment";

    /// <summary>Cost-center key for cost attribution.</summary>
    public const string CostCenter = "neocloud.io/cost-center";

    /// <summary>Tenant key on tenant-scoped objects.</summary>
    public const string Tenant = "neocloud.io/tenant";

    /// <summary>GPU pool key: on nodes, and in workloads' node selectors.</summary>
    public const string Pool = "neocloud.io/pool";

    /// <summary>Pool purpose key (training, inference, cpu).</summary>
    public const string Purpose = "neocloud.io/purpose";

    /// <summary>GPU model key on nodes (catalog id), so policies can tell a node's GPU without the instance type.</summary>
    public const string GpuModel = "neocloud.io/gpu-model";

    /// <summary>Served model key on serving workloads.</summary>
    public const string Model = "neocloud.io/model";

    /// <summary>
    /// Bucket role tag on the AWS resources of a replicated bucket (<c>primary</c>, <c>replica</c>, <c>replication</c>:
    /// the source bucket, its cross-region copy, the replication IAM role), written by the Storage component
    /// <c>ReplicatedBucket</c> and read by the policy pack's bucket rules.
    /// </summary>
    public const string BucketRole = "neocloud.io/bucket-role";

    /// <summary>Value of <see cref="BucketRole"/> on the cross-region copy of a replicated bucket (the replication's destination).</summary>
    public const string BucketRoleReplica = "replica";

    /// <summary>
    /// Well-known node label set by the kubelet / cloud provider: the node's instance type (kubernetes/api
    /// <c>core/v1/well_known_labels.go</c>, <c>LabelInstanceTypeStable</c>). Read, never written, by this library.
    /// </summary>
    public const string NodeInstanceType = "node.kubernetes.io/instance-type";

    /// <summary>
    /// Node label set by NVIDIA GPU Feature Discovery: the number of GPUs of the node (NVIDIA/gpu-feature-discovery
    /// README, "Generated Labels"). Read, never written, by this library.
    /// </summary>
    public const string NodeGpuCount = "nvidia.com/gpu.count";

    /// <summary>
    /// GPUs per node as the pool declares them, on the nodes of an on-prem pool (written by the pool's NodePatch; EKS nodes
    /// are known by their instance type). <see cref="NodeGpuCount"/> only appears on the live node, after GPU Feature
    /// Discovery ran, so a preview would otherwise not know an on-prem node's GPU count; the policy pack reads this label.
    /// </summary>
    public const string GpusPerNode = "neocloud.io/gpus-per-node";

    /// <summary>Kubernetes recommended label: the application's name.</summary>
    public const string AppName = "app.kubernetes.io/name";

    /// <summary>Kubernetes recommended label: the instance (release) name.</summary>
    public const string AppInstance = "app.kubernetes.io/instance";

    /// <summary>Kubernetes recommended label: the component within the application.</summary>
    public const string AppComponent = "app.kubernetes.io/component";

    /// <summary>Kubernetes recommended label: the tool managing the object.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Kubernetes recommended label: the higher-level application this is part of.</summary>
    public const string PartOf = "app.kubernetes.io/part-of";

    /// <summary>Value of <see cref="ManagedBy"/> and <see cref="PartOf"/> on every object this library creates.</summary>
    public const string ManagedByValue = "pulumi";

    /// <summary>Value of <see cref="PartOf"/>.</summary>
    public const string PartOfValue = "neocloud";

    /// <summary>The keys every Kubernetes object and AWS resource must carry (the policy pack's <c>required-labels</c> defaults to them).</summary>
    public static readonly ImmutableArray<string> Required = [Environment, CostCenter];

    /// <summary>The cost-attribution labels of an environment (and tenant, when the object is tenant-scoped).</summary>
    public static ImmutableSortedDictionary<string, string> CostAttribution(string environment, string costCenter, string? tenant = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(environment);
        ArgumentException.ThrowIfNullOrEmpty(costCenter);
        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        labels[Environment] = environment;
        labels[CostCenter] = costCenter;
        if (!string.IsNullOrEmpty(tenant))
        {
            labels[Tenant] = tenant;
        }

        return labels.ToImmutable();
    }

    /// <summary>
    /// The full label set of a Kubernetes object: recommended <c>app.kubernetes.io/*</c> labels plus cost attribution.
    /// </summary>
    /// <param name="app">Application name (e.g. triton, qdrant).</param>
    /// <param name="instance">Instance name (the component's name).</param>
    /// <param name="component">Component within the application (e.g. inference-server), or null.</param>
    /// <param name="environment">Environment (stack).</param>
    /// <param name="costCenter">Cost center.</param>
    /// <param name="tenant">Tenant, for tenant-scoped objects.</param>
    public static ImmutableSortedDictionary<string, string> For(string app, string instance, string? component, string environment, string costCenter, string? tenant = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        var labels = CostAttribution(environment, costCenter, tenant).ToBuilder();
        labels[AppName] = app;
        labels[AppInstance] = instance;
        labels[ManagedBy] = ManagedByValue;
        labels[PartOf] = PartOfValue;
        if (!string.IsNullOrEmpty(component))
        {
            labels[AppComponent] = component;
        }

        return labels.ToImmutable();
    }

    /// <summary>The selector labels of a workload: stable across label additions (name + instance only).</summary>
    public static ImmutableSortedDictionary<string, string> Selector(string app, string instance) =>
        ImmutableSortedDictionary.CreateRange<string, string>(StringComparer.Ordinal, [new(AppName, app), new(AppInstance, instance)]);
}
