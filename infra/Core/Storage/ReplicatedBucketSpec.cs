using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>
/// What a replicated model bucket is asked to be: the plain values of <c>ReplicatedBucketArgs</c> (same property
/// names). Validated by <see cref="ReplicatedBucketPlanner.Validate"/>, the rule the component and the stack
/// configuration binder (<c>neocloud:storage.modelBucket</c>) share.
/// </summary>
/// <param name="NamePrefix">Bucket name prefix; a random hex suffix makes the names globally unique.</param>
/// <param name="Region">Primary region.</param>
/// <param name="ReplicaRegion">Replica region (different from <paramref name="Region"/>).</param>
/// <param name="Ownership">Environment, cost center and extra tags.</param>
public sealed record ReplicatedBucketSpec(string NamePrefix, string Region, string ReplicaRegion, OwnershipSpec Ownership)
{
    /// <summary>Days after which noncurrent versions expire (default 30).</summary>
    public int NoncurrentVersionDays { get; init; } = 30;

    /// <summary>Days after which incomplete multipart uploads are aborted (default 7).</summary>
    public int AbortIncompleteMultipartDays { get; init; } = 7;

    /// <summary>Prefix of old checkpoints to expire, or null.</summary>
    public string? CheckpointPrefix { get; init; }

    /// <summary>Days after which checkpoint objects expire (required with a prefix).</summary>
    public int? CheckpointExpiryDays { get; init; }

    /// <summary>S3 Replication Time Control (15 minutes, with metrics).</summary>
    public bool ReplicationTimeControl { get; init; }

    /// <summary>S3 storage class of replicas, AWS spelling (<see cref="ReplicaStorageClassExtensions.AwsNames"/>); default <c>STANDARD</c>.</summary>
    public string ReplicaStorageClass { get; init; } = "STANDARD";

    /// <summary>Replicate only this prefix, or null for the whole bucket.</summary>
    public string? ReplicationPrefix { get; init; }

    /// <summary>Key prefix of the Triton model repository inside the bucket (default <c>models</c>).</summary>
    public string ModelPrefix { get; init; } = "models";

    /// <summary>Let <c>pulumi destroy</c> delete non-empty buckets (default false).</summary>
    public bool ForceDestroy { get; init; }
}

/// <summary>Validation and plan of a <see cref="ReplicatedBucketSpec"/> (architecture.md, component contract 1).</summary>
public static partial class ReplicatedBucketPlanner
{
    /// <summary>The bucket name prefix rule, for messages.</summary>
    public static readonly string NamePrefixRule =
        $"3-{ReplicatedBucketPlan.MaxPrefixLength} lower-case letters, digits and single hyphens, starting and ending with a letter or digit";

    /// <summary>Upper bound of the version and checkpoint expiry days (10 years).</summary>
    public const int MaxRetentionDays = 3650;

    /// <summary>Upper bound of the incomplete-multipart-upload abort days (one year).</summary>
    public const int MaxAbortDays = 365;

    /// <summary>The AWS region rule, for messages.</summary>
    public const string RegionRule = "an AWS region name such as us-east-1";

    /// <summary>Why <paramref name="prefix"/> cannot name the bucket pair, or null when it can.</summary>
    public static string? NamePrefixProblem(string? prefix) =>
        string.IsNullOrEmpty(prefix) || prefix.Length < 3 || prefix.Length > ReplicatedBucketPlan.MaxPrefixLength || !Prefix().IsMatch(prefix) || prefix.Contains("--", StringComparison.Ordinal)
            ? $"\"{prefix}\" is not a valid bucket name prefix; use {NamePrefixRule}"
            : null;

    /// <summary>True for an AWS region name (<see cref="RegionRule"/>).</summary>
    public static bool IsRegion(string? region) => region is not null && Region().IsMatch(region);

    /// <summary>Adds the problem of a required region property, if any; true when it is a region.</summary>
    /// <param name="problems">The collector.</param>
    /// <param name="path">Property path, e.g. <c>Region</c>, <c>SyncToS3.Region</c>.</param>
    /// <param name="region">The value.</param>
    public static bool CheckRegion(SpecProblems problems, string path, string? region)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return region is null
            ? problems.Require(false, path, "is required")
            : problems.Require(IsRegion(region), path, $"\"{region}\" is not {RegionRule}");
    }

    /// <summary>
    /// Every problem of <paramref name="spec"/>, paths relative to the spec: <c>NamePrefix</c>, <c>Region</c>,
    /// <c>ReplicaRegion</c>, the day counts, the checkpoint pair, <c>ReplicationPrefix</c>, <c>ReplicaStorageClass</c>,
    /// <c>ModelPrefix</c> and the ownership (<see cref="OwnershipPlanner.Validate"/>).
    /// </summary>
    public static ImmutableArray<SpecProblem> Validate(ReplicatedBucketSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        if (spec.NamePrefix is null)
        {
            problems.Add("NamePrefix", "is required");
        }
        else if (NamePrefixProblem(spec.NamePrefix) is { } problem)
        {
            problems.Add("NamePrefix", problem);
        }

        CheckRegion(problems, "Region", spec.Region);
        if (CheckRegion(problems, "ReplicaRegion", spec.ReplicaRegion))
        {
            problems.Require(
                !string.Equals(spec.Region, spec.ReplicaRegion, StringComparison.Ordinal),
                "ReplicaRegion",
                $"\"{spec.ReplicaRegion}\" equals the primary region; cross-region replication needs a different region");
        }

        Days(problems, "NoncurrentVersionDays", spec.NoncurrentVersionDays, MaxRetentionDays);
        Days(problems, "AbortIncompleteMultipartDays", spec.AbortIncompleteMultipartDays, MaxAbortDays);
        if (spec.CheckpointPrefix is not null)
        {
            problems.Require(
                spec.CheckpointPrefix.Length > 0 && !spec.CheckpointPrefix.StartsWith('/'),
                "CheckpointPrefix",
                $"\"{spec.CheckpointPrefix}\" must be a non-empty key prefix not starting with '/', e.g. checkpoints/");
            problems.Require(spec.CheckpointExpiryDays is not null, "CheckpointExpiryDays", "is required when CheckpointPrefix is set (set both or neither)");
        }
        else if (spec.CheckpointExpiryDays is not null)
        {
            problems.Add("CheckpointPrefix", "is required when CheckpointExpiryDays is set (set both or neither; expiring the whole bucket is not offered)");
        }

        if (spec.CheckpointExpiryDays is int days)
        {
            Days(problems, "CheckpointExpiryDays", days, MaxRetentionDays);
        }

        problems.Require(spec.ReplicationPrefix is not { Length: 0 }, "ReplicationPrefix", "must be null (whole bucket) or a non-empty key prefix");
        if (spec.ReplicaStorageClass is null)
        {
            problems.Add("ReplicaStorageClass", "is required");
        }
        else
        {
            problems.Require(
                ReplicaStorageClassExtensions.TryParseAws(spec.ReplicaStorageClass, out _),
                "ReplicaStorageClass",
                $"\"{spec.ReplicaStorageClass}\" is not allowed; allowed: {string.Join(", ", ReplicaStorageClassExtensions.AwsNames)}");
        }

        problems.Require(spec.ModelPrefix is not null, "ModelPrefix", "is required (use \"\" for the bucket root)");
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid spec (call <see cref="Validate"/> first).</summary>
    public static ReplicatedBucketPlan Plan(ReplicatedBucketSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!ReplicaStorageClassExtensions.TryParseAws(spec.ReplicaStorageClass, out var storageClass))
        {
            throw new ArgumentException($"invalid spec (ReplicaStorageClass \"{spec.ReplicaStorageClass}\"); call Validate first", nameof(spec));
        }

        return new ReplicatedBucketPlan(
            spec.NamePrefix,
            spec.Region,
            spec.ReplicaRegion,
            spec.NoncurrentVersionDays,
            spec.AbortIncompleteMultipartDays,
            spec.CheckpointPrefix,
            spec.CheckpointExpiryDays,
            spec.ReplicationTimeControl,
            storageClass,
            spec.ReplicationPrefix)
        {
            Ownership = spec.Ownership,
            ModelPrefix = spec.ModelPrefix,
            ForceDestroy = spec.ForceDestroy,
        };
    }

    private static void Days(SpecProblems problems, string path, int days, int max) =>
        problems.Require(days >= 1 && days <= max, path, $"{days} is out of range; allowed: 1..{max} days");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Region();
}
