using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Stacks;

/// <summary>
/// The decisions of the per-environment Pulumi program that are not any one component's: namespaces, component names
/// per cluster, model repository prefixes, and what the stack exports. Plain values, tested without Pulumi.
/// </summary>
public static class StackLayout
{
    /// <summary>Namespace of kube-prometheus-stack on every cluster.</summary>
    public const string MonitoringNamespace = "monitoring";

    /// <summary>Namespace of the KEDA operator on every cluster.</summary>
    public const string KedaNamespace = "keda";

    /// <summary>Namespace of the NVIDIA GPU Operator on every cluster with GPU pools.</summary>
    public const string GpuOperatorNamespace = "gpu-operator";

    /// <summary>Namespace of the on-prem model store's bucket claim, its credentials and jobs.</summary>
    public const string ModelStoreNamespace = "model-store";

    /// <summary>Namespace of the Rook operator and CephCluster the on-prem store runs in (platform prerequisite).</summary>
    public const string RookNamespace = "rook-ceph";

    /// <summary>Namespace of the vector database.</summary>
    public const string VectorDbNamespace = "vector-db";

    /// <summary>Release (and component) name of the vector DB chart.</summary>
    public const string VectorDbRelease = "qdrant";

    /// <summary>The namespaces the stack creates (or requires) besides tenants: what <c>tenants[].allowFrom</c> may name.</summary>
    public static ImmutableArray<string> PlatformNamespaces { get; } =
        [GpuOperatorNamespace, KedaNamespace, ModelStoreNamespace, MonitoringNamespace, RookNamespace, VectorDbNamespace];

    /// <summary>Name of the Secret, in each tenant namespace that serves models, that Triton reads the model bucket with.</summary>
    public const string ModelCredentialsSecret = "model-store-credentials";

    /// <summary>Key prefix of Triton model repositories inside the model bucket; each deployment reads <c>models/&lt;name&gt;</c>.</summary>
    public const string ModelPrefix = "models";

    /// <summary>RGW's container port (what a NetworkPolicy to the gateway pods must allow).</summary>
    public const int RgwPodPort = 8080;

    /// <summary>Name of the policy pack directory passed to <c>pulumi preview --policy-pack</c>.</summary>
    public const string PolicyPackPath = "policy";

    /// <summary>Suffix of the component name of a hybrid burst deployment (also its Kubernetes name on the burst cluster).</summary>
    public const string BurstSuffix = "-burst";

    /// <summary>The name of a per-cluster component: <c>&lt;cluster&gt;-&lt;part&gt;</c>.</summary>
    /// <param name="cluster">Cluster name.</param>
    /// <param name="part">What the component is (monitoring, keda, gpu-operator, a tenant's name).</param>
    public static string ComponentName(string cluster, string part)
    {
        ArgumentException.ThrowIfNullOrEmpty(cluster);
        ArgumentException.ThrowIfNullOrEmpty(part);
        return $"{cluster}-{part}";
    }

    /// <summary>The Triton model repository prefix of one deployment: <c>models/&lt;deployment&gt;</c>.</summary>
    /// <param name="deployment">Serving deployment name.</param>
    public static string ModelRepositoryPrefix(string deployment) => $"{ModelPrefix}/{deployment}";

    /// <summary>
    /// The model id as a Kubernetes label value (label <c>neocloud.io/model</c>): a Hugging Face id such as
    /// <c>meta-llama/Llama-3.1-8B-Instruct</c> becomes <c>meta-llama_Llama-3.1-8B-Instruct</c> (characters other than
    /// letters, digits, '-', '_' and '.' become '_'; at most 63 characters, starting and ending alphanumeric).
    /// </summary>
    /// <param name="model">The model id from the configuration.</param>
    public static string ModelLabel(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var chars = model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var value = new string(chars);
        value = value.Length > 63 ? value[..63] : value;
        value = value.Trim('-', '_', '.');
        return value.Length == 0 ? "model" : value;
    }

    /// <summary>The labels of the on-prem store's RGW pods (Rook's), which tenants' model-store NetworkPolicy allows.</summary>
    /// <param name="storeName">The CephObjectStore's name.</param>
    public static ImmutableSortedDictionary<string, string> RgwPodLabels(string storeName) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("app", "rook-ceph-rgw"), KeyValuePair.Create("rook_object_store", storeName)]);

    /// <summary>The tenants that run serving deployments on <paramref name="cluster"/> (primary or burst).</summary>
    /// <param name="env">The environment.</param>
    /// <param name="cluster">Cluster name.</param>
    public static ImmutableArray<string> ServingTenants(EnvironmentModel env, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        return [.. env.Serving
            .Where(s => env.Pool(s.Pool).Cluster == cluster || (s.Burst is { } b && env.Pool(b.Pool).Cluster == cluster))
            .Select(s => s.Tenant).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The GPU resources of one cluster at its pools' maximum size (a tenant quota above them is an error).</summary>
    /// <param name="report">The environment's capacity report.</param>
    /// <param name="cluster">Cluster name.</param>
    public static ImmutableSortedDictionary<string, int> ClusterCapacity(CapacityReport report, string cluster)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Pools.Where(p => p.Cluster == cluster)
            .SelectMany(p => p.AtMax)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// The stack output <c>capacity</c>: per pool its cluster, MIG strategy, GPU resources per node, at minimum and at
    /// maximum size, and what the serving deployments reserve of it at their maximum (Core <see cref="CapacityPlanner"/>).
    /// </summary>
    /// <param name="report">The environment's capacity report.</param>
    public static ImmutableSortedDictionary<string, object> CapacitySummary(CapacityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var pools = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        foreach (var pool in report.Pools)
        {
            var reserved = report.Reservations.Where(r => r.Pool == pool.Pool)
                .ToImmutableSortedDictionary(r => r.Resource, r => (object)r.Reserved, StringComparer.Ordinal);
            pools[pool.Pool] = ImmutableSortedDictionary.CreateRange<string, object>(StringComparer.Ordinal,
            [
                KeyValuePair.Create<string, object>("cluster", pool.Cluster),
                KeyValuePair.Create<string, object>("migStrategy", pool.Strategy.ToString().ToLowerInvariant()),
                KeyValuePair.Create<string, object>("perNode", Boxed(pool.PerNode)),
                KeyValuePair.Create<string, object>("atMin", Boxed(pool.AtMin)),
                KeyValuePair.Create<string, object>("atMax", Boxed(pool.AtMax)),
                KeyValuePair.Create<string, object>("reservedAtMax", reserved),
            ]);
        }

        return pools.ToImmutable();
    }

    /// <summary>The stack output <c>policyPack</c>: the pack directory, the stack's pack config and the preview command.</summary>
    /// <param name="policy">The stack's policy settings.</param>
    public static ImmutableSortedDictionary<string, object> PolicyPack(PolicySpec policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ImmutableSortedDictionary.CreateRange<string, object>(StringComparer.Ordinal,
        [
            KeyValuePair.Create<string, object>("path", PolicyPackPath),
            KeyValuePair.Create<string, object>("config", policy.PackConfig),
            KeyValuePair.Create<string, object>("enforcement", policy.Enforcement.ToString().ToLowerInvariant()),
            KeyValuePair.Create<string, object>("previewCommand", $"pulumi preview --policy-pack {PolicyPackPath} --policy-pack-config {policy.PackConfig}"),
        ]);
    }

    /// <summary>
    /// The IAM policy (JSON) of the identity serving replicas read the AWS model bucket with: list the bucket, read objects
    /// under <see cref="ModelPrefix"/>, and decrypt with the bucket's KMS key only through S3 in its region.
    /// </summary>
    /// <param name="bucketArn">The model bucket's ARN.</param>
    /// <param name="keyArn">The bucket's KMS key ARN.</param>
    /// <param name="region">The bucket's region.</param>
    public static string ModelReaderPolicy(string bucketArn, string keyArn, string region)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucketArn);
        ArgumentException.ThrowIfNullOrEmpty(keyArn);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var doc = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray
            {
                new JsonObject
                {
                    ["Sid"] = "ListModels",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("s3:ListBucket", "s3:GetBucketLocation"),
                    ["Resource"] = bucketArn,
                    ["Condition"] = new JsonObject { ["StringLike"] = new JsonObject { ["s3:prefix"] = new JsonArray($"{ModelPrefix}/*", ModelPrefix, "") } },
                },
                new JsonObject
                {
                    ["Sid"] = "ReadModels",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("s3:GetObject", "s3:GetObjectVersion"),
                    ["Resource"] = $"{bucketArn}/{ModelPrefix}/*",
                },
                new JsonObject
                {
                    ["Sid"] = "DecryptModels",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("kms:Decrypt"),
                    ["Resource"] = keyArn,
                    ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["kms:ViaService"] = $"s3.{region}.amazonaws.com" } },
                },
            },
        };
        return doc.ToJsonString();
    }

    private static ImmutableSortedDictionary<string, object> Boxed(ImmutableSortedDictionary<string, int> map) =>
        map.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
}
