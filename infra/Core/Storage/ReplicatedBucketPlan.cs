using System.Collections.Immutable;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>One lifecycle rule of a bucket (applied identically to the primary and the replica).</summary>
/// <param name="Id">Rule id.</param>
/// <param name="Prefix">Object key prefix the rule applies to, or null for every object.</param>
/// <param name="NoncurrentVersionExpirationDays">Days after which noncurrent versions expire, or null.</param>
/// <param name="AbortIncompleteMultipartUploadDays">Days after which incomplete multipart uploads are aborted, or null.</param>
/// <param name="ExpirationDays">Days after which current objects expire, or null.</param>
public sealed record LifecycleRule(
    string Id,
    string? Prefix,
    int? NoncurrentVersionExpirationDays,
    int? AbortIncompleteMultipartUploadDays,
    int? ExpirationDays);

/// <summary>The replication rule of the primary bucket (V2 rule shape: filter + priority).</summary>
/// <param name="Id">Rule id.</param>
/// <param name="Priority">Rule priority (1: the only rule).</param>
/// <param name="Prefix">Replicated key prefix, or null for the whole bucket (an empty filter).</param>
/// <param name="StorageClass">S3 storage class of replicas (AWS spelling).</param>
/// <param name="ReplicationTimeMinutes">S3 Replication Time Control threshold (15) with metrics, or null when off.</param>
public sealed record ReplicationRule(string Id, int Priority, string? Prefix, string StorageClass, int? ReplicationTimeMinutes)
{
    /// <summary>Delete markers are replicated, so a delete on the primary is visible on the replica (versions are kept).</summary>
    public bool DeleteMarkerReplication => true;

    /// <summary>SSE-KMS encrypted objects are selected (without it S3 skips them).</summary>
    public bool SseKmsEncryptedObjects => true;

    /// <summary>Replication metrics: required by Replication Time Control, on whenever it is.</summary>
    public int? MetricsEventThresholdMinutes => ReplicationTimeMinutes;
}

/// <summary>
/// The decisions of a replicated model bucket (<see cref="ReplicatedBucketPlanner.Plan"/> of a valid
/// <see cref="ReplicatedBucketSpec"/>): lifecycle rules, replication rule, names and tags. Plain values only, so it is
/// tested without Pulumi.
/// </summary>
/// <param name="NamePrefix">Bucket name prefix; a random hex suffix makes the names globally unique.</param>
/// <param name="Region">Primary region.</param>
/// <param name="ReplicaRegion">Replica region (different from <paramref name="Region"/>).</param>
/// <param name="NoncurrentVersionDays">Days after which noncurrent versions expire.</param>
/// <param name="AbortIncompleteMultipartDays">Days after which incomplete multipart uploads are aborted.</param>
/// <param name="CheckpointPrefix">Prefix of old checkpoints to expire, or null.</param>
/// <param name="CheckpointExpiryDays">Days after which checkpoint objects expire (required with a prefix).</param>
/// <param name="ReplicationTimeControl">S3 Replication Time Control (15 minutes, with metrics).</param>
/// <param name="ReplicaStorageClass">Storage class of replicas.</param>
/// <param name="ReplicationPrefix">Replicate only this prefix, or null for the whole bucket.</param>
public sealed record ReplicatedBucketPlan(
    string NamePrefix,
    string Region,
    string ReplicaRegion,
    int NoncurrentVersionDays,
    int AbortIncompleteMultipartDays,
    string? CheckpointPrefix,
    int? CheckpointExpiryDays,
    bool ReplicationTimeControl,
    ReplicaStorageClass ReplicaStorageClass,
    string? ReplicationPrefix)
{
    /// <summary>Hex characters of the random suffix (4 random bytes).</summary>
    public const int SuffixLength = 8;

    /// <summary>Suffix of the replica bucket's name.</summary>
    public const string ReplicaSuffix = "-replica";

    /// <summary>Longest prefix that keeps <c>prefix-xxxxxxxx-replica</c> within S3's 63 characters.</summary>
    public const int MaxPrefixLength = 63 - 1 - SuffixLength - 8;

    /// <summary>Replication Time Control threshold, fixed by S3 at 15 minutes.</summary>
    public const int ReplicationTimeMinutes = 15;

    /// <summary>The owner of the buckets (tags on every object).</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Key prefix of the Triton model repository in the bucket.</summary>
    public string ModelPrefix { get; init; } = "models";

    /// <summary>Let <c>pulumi destroy</c> delete non-empty buckets.</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>The primary bucket's name for a random suffix.</summary>
    public string PrimaryBucketName(string suffix) => $"{NamePrefix}-{suffix}";

    /// <summary>The replica bucket's name for a random suffix.</summary>
    public string ReplicaBucketName(string suffix) => $"{NamePrefix}-{suffix}{ReplicaSuffix}";

    /// <summary>The tags of the objects of one side (<paramref name="role"/>: primary, replica, replication) of component <paramref name="component"/>.</summary>
    public ImmutableSortedDictionary<string, string> Tags(string component, string role) =>
        Ownership.Labels().SetItem("neocloud.io/component", component).SetItem(ResourceLabels.BucketRole, role);

    /// <summary>The lifecycle rules of both buckets.</summary>
    public ImmutableArray<LifecycleRule> LifecycleRules()
    {
        var rules = ImmutableArray.CreateBuilder<LifecycleRule>();
        rules.Add(new("expire-noncurrent-versions", null, NoncurrentVersionDays, null, null));
        rules.Add(new("abort-incomplete-multipart-uploads", null, null, AbortIncompleteMultipartDays, null));
        if (CheckpointPrefix is not null && CheckpointExpiryDays is int days)
        {
            rules.Add(new("expire-old-checkpoints", CheckpointPrefix, null, null, days));
        }

        return rules.ToImmutable();
    }

    /// <summary>The replication rule of the primary bucket.</summary>
    public ReplicationRule Replication() => new(
        "replicate-to-" + ReplicaRegion,
        1,
        ReplicationPrefix,
        ReplicaStorageClass.ToAws(),
        ReplicationTimeControl ? ReplicationTimeMinutes : null);

    /// <summary>The S3 URL Triton reads a model repository from, e.g. <c>s3://bucket/models</c>.</summary>
    public static string ModelRepositoryUrl(string bucketName, string modelPrefix) =>
        string.IsNullOrEmpty(modelPrefix) ? $"s3://{bucketName}" : $"s3://{bucketName}/{modelPrefix.Trim('/')}";
}
