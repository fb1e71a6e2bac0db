using NeoCloud.Infra.Core.Storage;
using Pulumi;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>
/// Inputs of <see cref="ReplicatedBucket"/>. Every value decides which resources exist or how, so all are plain.
/// Validated by <see cref="ReplicatedBucketPlanner.Validate"/> (the rule <c>neocloud:storage.modelBucket</c> shares).
/// </summary>
public sealed class ReplicatedBucketArgs : NeoCloudArgs
{
    /// <summary>Bucket name prefix (3-46 lower-case letters, digits, hyphens); names become <c>prefix-xxxxxxxx</c> and <c>prefix-xxxxxxxx-replica</c>. Required.</summary>
    [Input("namePrefix", required: true)]
    public string NamePrefix { get; set; } = null!;

    /// <summary>Primary region, e.g. us-east-1. Required.</summary>
    [Input("region", required: true)]
    public string Region { get; set; } = null!;

    /// <summary>Replica region; must differ from <see cref="Region"/>. Required.</summary>
    [Input("replicaRegion", required: true)]
    public string ReplicaRegion { get; set; } = null!;

    /// <summary>Days after which noncurrent object versions expire (both buckets), 1-3650. Defaults to 30.</summary>
    [Input("noncurrentVersionDays")]
    public int NoncurrentVersionDays { get; set; } = 30;

    /// <summary>Days after which incomplete multipart uploads are aborted (both buckets), 1-365. Defaults to 7.</summary>
    [Input("abortIncompleteMultipartDays")]
    public int AbortIncompleteMultipartDays { get; set; } = 7;

    /// <summary>Key prefix of old checkpoints to expire, e.g. <c>checkpoints/</c>. Defaults to null (no expiry). Requires <see cref="CheckpointExpiryDays"/>.</summary>
    [Input("checkpointPrefix")]
    public string? CheckpointPrefix { get; set; }

    /// <summary>Days after which objects under <see cref="CheckpointPrefix"/> expire, 1-3650. Defaults to null; required with a prefix.</summary>
    [Input("checkpointExpiryDays")]
    public int? CheckpointExpiryDays { get; set; }

    /// <summary>S3 Replication Time Control (99.99 % of objects within 15 minutes, with replication metrics; extra cost). Defaults to false.</summary>
    [Input("replicationTimeControl")]
    public bool ReplicationTimeControl { get; set; }

    /// <summary>
    /// S3 storage class of replicas: <c>STANDARD</c>, <c>STANDARD_IA</c> (cheaper, retrieval fee; a good
    /// disaster-recovery default), <c>INTELLIGENT_TIERING</c> or <c>GLACIER_IR</c>. Defaults to <c>STANDARD</c>.
    /// </summary>
    [Input("replicaStorageClass")]
    public string ReplicaStorageClass { get; set; } = "STANDARD";

    /// <summary>Replicate only this key prefix. Defaults to null (the whole bucket, an empty filter).</summary>
    [Input("replicationPrefix")]
    public string? ReplicationPrefix { get; set; }

    /// <summary>Key prefix of the Triton model repository inside the bucket. Defaults to <c>models</c>.</summary>
    [Input("modelPrefix")]
    public string ModelPrefix { get; set; } = "models";

    /// <summary>Let <c>pulumi destroy</c> delete non-empty buckets. Defaults to false (model artifacts are kept).</summary>
    [Input("forceDestroy")]
    public bool ForceDestroy { get; set; }

    /// <summary>The spec the planner validates and plans.</summary>
    internal ReplicatedBucketSpec ToSpec() => new(NamePrefix, Region, ReplicaRegion, ToOwnership())
    {
        NoncurrentVersionDays = NoncurrentVersionDays,
        AbortIncompleteMultipartDays = AbortIncompleteMultipartDays,
        CheckpointPrefix = CheckpointPrefix,
        CheckpointExpiryDays = CheckpointExpiryDays,
        ReplicationTimeControl = ReplicationTimeControl,
        ReplicaStorageClass = ReplicaStorageClass,
        ReplicationPrefix = ReplicationPrefix,
        ModelPrefix = ModelPrefix,
        ForceDestroy = ForceDestroy,
    };
}
