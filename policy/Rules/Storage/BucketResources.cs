using System.Collections.Frozen;
using System.Collections.Immutable;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Storage;

/// <summary>The S3 resources that configure a bucket (the AWS provider's split bucket resources).</summary>
public enum BucketCompanion
{
    /// <summary>BucketVersioning (AWS provider v7; BucketVersioningV2 in v6).</summary>
    Versioning,
    /// <summary>BucketServerSideEncryptionConfiguration (v7; BucketServerSideEncryptionConfigurationV2 in v6).</summary>
    Encryption,
    /// <summary>BucketPublicAccessBlock.</summary>
    PublicAccessBlock,
    /// <summary>BucketPolicy.</summary>
    Policy,
    /// <summary>BucketLifecycleConfiguration (v7; BucketLifecycleConfigurationV2 in v6).</summary>
    Lifecycle,
    /// <summary>BucketReplicationConfig.</summary>
    Replication,
}

/// <summary>Type tokens of S3 buckets and their companions, and how a companion names its bucket.</summary>
public static class BucketResources
{
    /// <summary>Bucket type tokens: v6 BucketV2 (existing state) and v7 Bucket.</summary>
    public static ImmutableArray<string> BucketTypes { get; } = ["aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket"];

    /// <summary>Companion type tokens (V2 names of provider v6 and their v7 successors).</summary>
    public static ImmutableDictionary<BucketCompanion, ImmutableArray<string>> CompanionTypes { get; } =
        new Dictionary<BucketCompanion, ImmutableArray<string>>
        {
            [BucketCompanion.Versioning] = ["aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucketVersioning:BucketVersioning"],
            [BucketCompanion.Encryption] = ["aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
            [BucketCompanion.PublicAccessBlock] = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
            [BucketCompanion.Policy] = ["aws:s3/bucketPolicy:BucketPolicy"],
            [BucketCompanion.Lifecycle] = ["aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"],
            [BucketCompanion.Replication] = ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
        }.ToImmutableDictionary();

    // Type token → companion, built once from CompanionTypes (each token belongs to one companion). CompanionOf runs for
    // every resource in four resource rules: the earlier search of CompanionTypes (an enumerated ImmutableDictionary and
    // LINQ) was ~40,000 instructions per Analyze call, 19% of the native server's (callgrind, bench/README.md).
    private static readonly FrozenDictionary<string, BucketCompanion> CompanionByType =
        CompanionTypes.SelectMany(p => p.Value, (p, type) => KeyValuePair.Create(type, p.Key)).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Which companion <paramref name="type"/> is, or null.</summary>
    public static BucketCompanion? CompanionOf(string type) =>
        type is not null && CompanionByType.TryGetValue(type, out var companion) ? companion : null;

    /// <summary>
    /// Whether <paramref name="companion"/> configures <paramref name="bucket"/>: by the engine's property
    /// dependencies of its <c>bucket</c> input, else by equal bucket names. Null when undecidable (unknown name, no dependency).
    /// </summary>
    public static bool? Configures(ResourceSnapshot companion, ResourceSnapshot bucket)
    {
        ArgumentNullException.ThrowIfNull(companion);
        ArgumentNullException.ThrowIfNull(bucket);
        if (companion.PropertyDependsOn("bucket", bucket.Urn))
        {
            return true;
        }
        var reference = companion["bucket"];
        if (!reference.IsKnown)
        {
            return companion.PropertyDependencies.ContainsKey("bucket") ? false : null;
        }
        var name = reference.AsString();
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        return Known(bucket["bucket"]) == name || Known(bucket["id"]) == name;
    }

    /// <summary>Words by which a bucket is classified: resource name, bucket name/prefix.</summary>
    public static string Identity(ResourceSnapshot bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return string.Join(' ', new[] { bucket.Name, Known(bucket["bucket"]), Known(bucket["bucketPrefix"]) }.OfType<string>()).ToLowerInvariant();
    }

    /// <summary>
    /// True for the cross-region copy of a replicated bucket: its <see cref="ResourceLabels.BucketRole"/> tag (Core's
    /// key, written by the Storage component <c>ReplicatedBucket</c>) is <see cref="ResourceLabels.BucketRoleReplica"/>.
    /// </summary>
    public static bool IsReplica(ResourceSnapshot bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return bucket["tags"].IsKnown && Known(bucket["tags"][ResourceLabels.BucketRole]) == ResourceLabels.BucketRoleReplica;
    }

    /// <summary>True when the bucket's identity contains any of <paramref name="markers"/>.</summary>
    public static bool Matches(ResourceSnapshot bucket, IEnumerable<string> markers)
    {
        var identity = Identity(bucket);
        return markers.Any(m => m.Length > 0 && identity.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    private static string? Known(PropertyValue value) => value.IsKnown ? value.AsString() : null;
}
