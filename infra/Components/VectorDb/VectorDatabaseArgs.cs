using System.Collections.Immutable;
using NeoCloud.Infra.Core.VectorDb;
using Pulumi;

namespace NeoCloud.Infra.Components.VectorDb;

/// <summary>Inputs of <see cref="VectorDatabase"/> (a replicated Qdrant cluster).</summary>
public sealed class VectorDatabaseArgs : NeoCloudArgs
{
    /// <summary>Namespace to install into (must exist; a DNS label). Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>Production rules (≥ 3 peers, replication factor ≥ 2, required host anti-affinity, zone spread DoNotSchedule). Defaults to whether <see cref="NeoCloudArgs.Environment"/> is prod or production.</summary>
    [Input("production")]
    public bool? Production { get; set; }

    /// <summary>Qdrant peers (StatefulSet replicas), at least 1. Defaults to 3.</summary>
    [Input("replicas")]
    public int Replicas { get; set; } = 3;

    /// <summary>Default copies of each shard of new collections (<c>storage.collection.replication_factor</c>); at most <see cref="Replicas"/>. Defaults to 2.</summary>
    [Input("replicationFactor")]
    public int ReplicationFactor { get; set; } = 2;

    /// <summary>Copies that must acknowledge a write (<c>storage.collection.write_consistency_factor</c>), 1 to <see cref="ReplicationFactor"/>. Defaults to 1.</summary>
    [Input("writeConsistencyFactor")]
    public int WriteConsistencyFactor { get; set; } = 1;

    /// <summary>Default shards per peer of new collections (<c>storage.collection.shard_number_per_node</c>), at least 1. Defaults to 1.</summary>
    [Input("shardsPerNode")]
    public int ShardsPerNode { get; set; } = 1;

    /// <summary>Storage class of each peer's volume. Required.</summary>
    [Input("storageClass", required: true)]
    public string StorageClass { get; set; } = null!;

    /// <summary>Volume size per peer (a Kubernetes quantity). Defaults to 50Gi.</summary>
    [Input("storageSize")]
    public string StorageSize { get; set; } = "50Gi";

    /// <summary>Spread peers across <c>topology.kubernetes.io/zone</c> (nodes must carry the label). Defaults to false.</summary>
    [Input("spreadAcrossZones")]
    public bool SpreadAcrossZones { get; set; }

    /// <summary>The <c>release</c> label kube-prometheus-stack selects ServiceMonitors by (a <c>PrometheusStack.ReleaseLabel</c>). Defaults to kube-prometheus-stack.</summary>
    [Input("prometheusReleaseLabel")]
    public string PrometheusReleaseLabel { get; set; } = "kube-prometheus-stack";

    /// <summary>
    /// Whether the component owns the namespace's ingress: a NetworkPolicy <c>qdrant-ingress</c> that denies every other
    /// ingress to the namespace's pods and admits the Qdrant peers (Raft p2p 6335 and the API), Prometheus from
    /// <see cref="MonitoringNamespace"/> on the HTTP port (<c>/metrics</c>) and <see cref="ClientNamespaces"/> on HTTP and
    /// gRPC. Defaults to false (the namespace's policies are the caller's).
    /// </summary>
    [Input("restrictIngress")]
    public bool RestrictIngress { get; set; }

    /// <summary>With <see cref="RestrictIngress"/>: the namespaces (DNS labels) whose pods may call Qdrant. Defaults to none (only peers and Prometheus).</summary>
    [Input("clientNamespaces")]
    public List<string>? ClientNamespaces { get; set; }

    /// <summary>With <see cref="RestrictIngress"/>: Prometheus' namespace (a <c>PrometheusStack.Namespace</c>). Defaults to "monitoring".</summary>
    [Input("monitoringNamespace")]
    public string MonitoringNamespace { get; set; } = "monitoring";

    /// <summary>
    /// Node selector of the Qdrant pods (the chart's <c>nodeSelector</c>), e.g. the cluster's system pool
    /// <c>{"neocloud.io/node-role": "system"}</c> of a <see cref="Gpu.CpuNodePool"/> with <c>System</c>. Defaults to none
    /// (the chart's placement: any node without taints).
    /// </summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>The spec Core validates and plans.</summary>
    internal VectorDatabaseSpec ToSpec() => new(
        ToOwnership(),
        Namespace,
        Production,
        Replicas,
        ReplicationFactor,
        WriteConsistencyFactor,
        ShardsPerNode,
        StorageClass,
        StorageSize,
        SpreadAcrossZones,
        PrometheusReleaseLabel)
    {
        RestrictIngress = RestrictIngress,
        ClientNamespaces = [.. ClientNamespaces ?? []],
        MonitoringNamespace = MonitoringNamespace,
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
    };
}
