namespace NeoCloud.Infra.Core.Storage;

/// <summary>S3 storage class of replicated objects in the replica bucket.</summary>
public enum ReplicaStorageClass
{
    /// <summary><c>STANDARD</c>: same class as the primary; fastest restore.</summary>
    Standard,

    /// <summary><c>STANDARD_IA</c>: cheaper storage, retrieval fee; a good default for a disaster-recovery copy.</summary>
    StandardInfrequentAccess,

    /// <summary><c>INTELLIGENT_TIERING</c>.</summary>
    IntelligentTiering,

    /// <summary><c>GLACIER_IR</c>: Glacier Instant Retrieval.</summary>
    GlacierInstantRetrieval,
}

/// <summary>AWS spellings of <see cref="ReplicaStorageClass"/>.</summary>
public static class ReplicaStorageClassExtensions
{
    /// <summary>The allowed AWS spellings, in declaration order (what <c>ReplicatedBucketArgs.ReplicaStorageClass</c> accepts).</summary>
    public static IReadOnlyList<string> AwsNames { get; } = [.. Enum.GetValues<ReplicaStorageClass>().Select(c => c.ToAws())];

    /// <summary>Parses an AWS spelling (exact, e.g. <c>STANDARD_IA</c>).</summary>
    public static bool TryParseAws(string? value, out ReplicaStorageClass storageClass)
    {
        foreach (var candidate in Enum.GetValues<ReplicaStorageClass>())
        {
            if (string.Equals(candidate.ToAws(), value, StringComparison.Ordinal))
            {
                storageClass = candidate;
                return true;
            }
        }

        storageClass = default;
        return false;
    }

    /// <summary>The S3 API value (e.g. <c>STANDARD_IA</c>).</summary>
    public static string ToAws(this ReplicaStorageClass storageClass) => storageClass switch
    {
        ReplicaStorageClass.Standard => "STANDARD",
        ReplicaStorageClass.StandardInfrequentAccess => "STANDARD_IA",
        ReplicaStorageClass.IntelligentTiering => "INTELLIGENT_TIERING",
        ReplicaStorageClass.GlacierInstantRetrieval => "GLACIER_IR",
        _ => throw new ArgumentOutOfRangeException(nameof(storageClass), storageClass, null),
    };
}
