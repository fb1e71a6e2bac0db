using Pulumi;

namespace NeoCloud.Infra.Components.VectorDb;

/// <summary>Inputs of <see cref="VectorDatabase"/> (a replicated Qdrant cluster).</summary>
public sealed class VectorDatabaseArgs : ResourceArgs
{
    /// <summary>Namespace to install into (must exist). Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>Environment label value; <c>prod</c>/<c>production</c> turns on production rules unless <see cref="Production"/> says otherwise. Required.</summary>
    [Input("environment", required: true)]
    public string Environment { get; set; } = null!;

    /// <summary>Cost-center label value. Required.</summary>
    [Input("costCenter", required: true)]
    public string CostCenter { get; set; } = null!;

    /// <summary>Production rules (≥ 3 peers, replication factor ≥ 2, required host anti-affinity, zone spread DoNotSchedule). Defaults to whether <see cref="Environment"/> is prod or production.</summary>
    [Input("production")]
    public bool? Production { get; set; }

    /// <summary>Qdrant peers (StatefulSet replicas). Defaults to 3.</summary>
    [Input("replicas")]
    public int Replicas { get; set; } = 3;

    /// <summary>Default copies of each shard of new collections (<c>storage.collection.replication_factor</c>); at most <see cref="Replicas"/>. Defaults to 2.</summary>
    [Input("replicationFactor")]
    public int ReplicationFactor { get; set; } = 2;

    /// <summary>Copies that must acknowledge a write (<c>storage.collection.write_consistency_factor</c>). Defaults to 1.</summary>
    [Input("writeConsistencyFactor")]
    public int WriteConsistencyFactor { get; set; } = 1;

    /// <summary>Default shards per peer of new collections (<c>storage.collection.shard_number_per_node</c>). Defaults to 1.</summary>
    [Input("shardsPerNode")]
    public int ShardsPerNode { get; set; } = 1;

    /// <summary>Storage class of each peer's volume. Required.</summary>
    [Input("storageClass", required: true)]
    public string StorageClass { get; set; } = null!;

    /// <summary>Volume size per peer. Defaults to 50Gi.</summary>
    [Input("storageSize")]
    public string StorageSize { get; set; } = "50Gi";

    /// <summary>Spread peers across <c>topology.kubernetes.io/zone</c> (nodes must carry the label). Defaults to false.</summary>
    [Input("spreadAcrossZones")]
    public bool SpreadAcrossZones { get; set; }

    /// <summary>The <c>release</c> label kube-prometheus-stack selects ServiceMonitors by. Defaults to kube-prometheus-stack.</summary>
    [Input("prometheusReleaseLabel")]
    public string PrometheusReleaseLabel { get; set; } = "kube-prometheus-stack";
}
