using System.Collections.Immutable;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.VectorDb;

/// <summary>
/// The decisions of a replicated Qdrant cluster (<see cref="VectorDatabasePlanner.Plan"/>): the chart values (plain data). Cluster mode is on,
/// collections default to <see cref="ReplicationFactor"/> copies of each shard, peers are spread over hosts (and zones).
/// </summary>
/// <param name="Replicas">Qdrant peers (pods).</param>
/// <param name="ReplicationFactor">Default copies of each shard of a new collection.</param>
/// <param name="WriteConsistencyFactor">Copies that must acknowledge a write.</param>
/// <param name="ShardsPerNode">Default shards per peer of a new collection (collection shard_number = peers × this).</param>
/// <param name="StorageClass">Storage class of each peer's volume.</param>
/// <param name="StorageSize">Volume size per peer, e.g. 200Gi.</param>
/// <param name="Production">Production rules apply (≥ 3 peers, replication factor ≥ 2, required host anti-affinity).</param>
/// <param name="SpreadAcrossZones">Add a zone topology spread constraint (clusters whose nodes carry topology.kubernetes.io/zone).</param>
/// <param name="ReleaseLabel">Value of the <c>release</c> label of the ServiceMonitor (kube-prometheus-stack's release name).</param>
/// <param name="Labels">Labels of the pods (cost attribution).</param>
public sealed record VectorDatabasePlan(
    int Replicas,
    int ReplicationFactor,
    int WriteConsistencyFactor,
    int ShardsPerNode,
    string StorageClass,
    string StorageSize,
    bool Production,
    bool SpreadAcrossZones,
    string ReleaseLabel,
    ImmutableSortedDictionary<string, string> Labels)
{
    /// <summary>The namespace's ingress policy the component creates (<see cref="VectorDatabaseSpec.RestrictIngress"/>), or null.</summary>
    public NetworkPolicyShape? Ingress { get; init; }

    /// <summary>
    /// Node selector of the Qdrant StatefulSet: the cluster's system pools (<see cref="Gpu.SystemAddonPlacement.NodeSelector"/>);
    /// empty (the default) leaves the chart's <c>nodeSelector: {}</c> (qdrant/qdrant-helm qdrant-1.19.0 charts/qdrant/values.yaml,
    /// rendered by templates/statefulset.yaml).
    /// </summary>
    public ImmutableSortedDictionary<string, string> NodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Peers required in production (Raft needs a majority; one peer may be down).</summary>
    public const int MinProductionReplicas = 3;

    /// <summary>
    /// The chart values. The API key reaches Qdrant as <c>QDRANT__SERVICE__API_KEY</c> from the Secret
    /// (<c>env[].valueFrom.secretKeyRef</c>); the chart's own <c>apiKey</c> stays false, so no key is in the values.
    /// Qdrant's <c>/metrics</c> requires the API key once one is set (qdrant/qdrant#1980), and the chart's ServiceMonitor
    /// adds credentials by itself only for the chart's own <c>apiKey</c> (qdrant-helm#97); so the ServiceMonitor gets
    /// <c>metrics.serviceMonitor.authorization</c> (Bearer, credentials from the same Secret), which the chart renders
    /// verbatim into the endpoint (qdrant/qdrant-helm charts/qdrant/templates/servicemonitor.yaml and values.yaml at tag
    /// qdrant-1.19.0; added in qdrant-1.16.1, PR #407). Every key set here is in that values.yaml (or, under
    /// <c>config</c>, Qdrant's own configuration, which the chart renders as-is in templates/configmap.yaml).
    /// </summary>
    /// <param name="releaseName">The chart release name (the chart's selector uses it as <c>app.kubernetes.io/instance</c>).</param>
    public ImmutableSortedDictionary<string, object> ChartValues(string releaseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(releaseName);
        var apiKeySecret = ApiKeySecretName(releaseName);
        var selector = Tree(("app.kubernetes.io/name", QdrantChart.Name), ("app.kubernetes.io/instance", releaseName));
        var hostTerm = Tree(("labelSelector", Tree(("matchLabels", selector))), ("topologyKey", "kubernetes.io/hostname"));
        var affinity = Production
            ? Tree(("podAntiAffinity", Tree(("requiredDuringSchedulingIgnoredDuringExecution", List(hostTerm)))))
            : Tree(("podAntiAffinity", Tree(("preferredDuringSchedulingIgnoredDuringExecution", List(Tree(("weight", 100), ("podAffinityTerm", hostTerm)))))));
        var spread = SpreadAcrossZones
            ? List(Tree(
                ("maxSkew", 1),
                ("topologyKey", "topology.kubernetes.io/zone"),
                ("whenUnsatisfiable", Production ? "DoNotSchedule" : "ScheduleAnyway"),
                ("labelSelector", Tree(("matchLabels", selector)))))
            : List();
        var apiKeyEnv = Tree(
            ("name", "QDRANT__SERVICE__API_KEY"),
            ("valueFrom", Tree(("secretKeyRef", Tree(("name", apiKeySecret), ("key", QdrantChart.ApiKeySecretKey))))));
        var values = Tree(
            ("replicaCount", Replicas),
            ("apiKey", false),
            ("env", List(apiKeyEnv)),
            ("podLabels", Labels.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal)),
            ("additionalLabels", Labels.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal)),
            ("config", Tree(
                ("cluster", Tree(("enabled", true), ("p2p", Tree(("port", 6335))), ("consensus", Tree(("tick_period_ms", 100))))),
                ("storage", Tree(("collection", Tree(
                    ("replication_factor", ReplicationFactor),
                    ("write_consistency_factor", WriteConsistencyFactor),
                    ("shard_number_per_node", ShardsPerNode))))))),
            ("persistence", Tree(("storageClassName", StorageClass), ("size", StorageSize), ("accessModes", List("ReadWriteOnce")))),
            ("affinity", affinity),
            ("topologySpreadConstraints", spread),
            ("podDisruptionBudget", Tree(("enabled", true), ("maxUnavailable", 1))),
            ("metrics", Tree(("serviceMonitor", Tree(
                ("enabled", true),
                ("authorization", Tree(("type", "Bearer"), ("credentials", Tree(("name", apiKeySecret), ("key", QdrantChart.ApiKeySecretKey))))),
                ("additionalLabels", Tree(("release", ReleaseLabel))),
                ("scrapeInterval", "30s"))))));
        return Gpu.SystemAddonPlacement.ChartValue(NodeSelector ?? ImmutableSortedDictionary<string, string>.Empty) is { } nodeSelector
            ? values.SetItem("nodeSelector", nodeSelector)
            : values;
    }

    /// <summary>
    /// The vector DB namespace's ingress policy: default-deny for every pod of the namespace, then its own peers (Raft
    /// p2p on 6335 and the API between peers), Prometheus in <paramref name="monitoringNamespace"/> on the HTTP port
    /// (<c>/metrics</c>), and only the tenants that declare <c>uses: [vectorDb]</c> on the HTTP and gRPC ports.
    /// </summary>
    /// <param name="tenants">Tenant namespaces admitted (may be empty: only peers and Prometheus).</param>
    /// <param name="monitoringNamespace">Namespace of Prometheus.</param>
    public static NetworkPolicyShape IngressPolicy(IEnumerable<string> tenants, string monitoringNamespace)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var rules = ImmutableArray.CreateBuilder<PolicyRule>();
        rules.Add(new([new(null, ImmutableSortedDictionary<string, string>.Empty, null)], []));
        rules.Add(new([new(TenantPlan.Labels1(TenantPlan.NamespaceNameLabel, monitoringNamespace), null, null)], [new("TCP", QdrantChart.HttpPort)]));
        var admitted = tenants.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (admitted.Count > 0)
        {
            rules.Add(new(
                [.. admitted.Select(t => new PolicyPeer(TenantPlan.Labels1(TenantPlan.NamespaceNameLabel, t), null, null))],
                [new("TCP", QdrantChart.HttpPort), new("TCP", QdrantChart.GrpcPort)]));
        }

        return new(IngressPolicyName, [PolicyDirection.Ingress], rules.ToImmutable(), []);
    }

    /// <summary>The Secret holding the API key of the release (key <see cref="QdrantChart.ApiKeySecretKey"/>).</summary>
    /// <param name="releaseName">The chart release name (the component's name).</param>
    public static string ApiKeySecretName(string releaseName) => $"{releaseName}-api-key";

    /// <summary>Name of the vector DB namespace's ingress NetworkPolicy.</summary>
    public const string IngressPolicyName = "qdrant-ingress";

    /// <summary>The chart's object name (Helm's standard fullname: the release name when it contains "qdrant", else release-qdrant, at most 63 characters).</summary>
    public static string FullName(string releaseName) =>
        (releaseName.Contains(QdrantChart.Name, StringComparison.Ordinal) ? releaseName : $"{releaseName}-{QdrantChart.Name}") is var n && n.Length > 63 ? n[..63].TrimEnd('-') : (releaseName.Contains(QdrantChart.Name, StringComparison.Ordinal) ? releaseName : $"{releaseName}-{QdrantChart.Name}");

    private static ImmutableSortedDictionary<string, object> Tree(params (string Key, object Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries.Select(e => new KeyValuePair<string, object>(e.Key, e.Value)));

    private static ImmutableArray<object> List(params object[] items) => [.. items];
}
