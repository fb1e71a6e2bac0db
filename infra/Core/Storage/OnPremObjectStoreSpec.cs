using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>
/// What the on-prem object store is asked to be: the plain values of <c>OnPremObjectStoreArgs</c> (same property
/// names). Validated by <see cref="OnPremObjectStorePlanner.Validate"/>.
/// </summary>
/// <param name="Namespace">Namespace of the bucket claim, its credentials Secret and the jobs.</param>
/// <param name="BucketName">The model bucket's name in the store.</param>
/// <param name="Ownership">Environment, cost center and extra labels.</param>
public sealed record OnPremObjectStoreSpec(string Namespace, string BucketName, OwnershipSpec Ownership)
{
    /// <summary>CephObjectStore name (default <c>models</c>).</summary>
    public string StoreName { get; init; } = "models";

    /// <summary>Namespace of the Rook operator and CephCluster (default <c>rook-ceph</c>).</summary>
    public string RookNamespace { get; init; } = "rook-ceph";

    /// <summary>Production rules; null: whether the environment is prod/production.</summary>
    public bool? Production { get; init; }

    /// <summary>Copies of every object in the pools (default 3).</summary>
    public int PoolReplicas { get; init; } = 3;

    /// <summary>RGW gateway pods (default 2).</summary>
    public int GatewayInstances { get; init; } = 2;

    /// <summary>Key prefix of the Triton model repository (default <c>models</c>).</summary>
    public string ModelPrefix { get; init; } = "models";

    /// <summary>The hybrid sync to AWS S3, or null.</summary>
    public S3SyncSpec? SyncToS3 { get; init; }

    /// <summary>
    /// Node labels the RGW gateway pods and the store's Jobs must run on (a system cpu pool's
    /// <c>neocloud.io/node-role: system</c>); empty: anywhere (Rook's default placement).
    /// </summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>
/// The plain part of <c>S3SyncArgs</c>. The bucket name and the writer's keys are inputs produced by other resources
/// (known at deploy time): the spec records only whether each was given, so a missing one is reported before anything
/// is registered.
/// </summary>
/// <param name="Region">The AWS bucket's region.</param>
public sealed record S3SyncSpec(string Region)
{
    /// <summary>Cron schedule (five fields); default every 15 minutes.</summary>
    public string Schedule { get; init; } = "*/15 * * * *";

    /// <summary>Whether <c>S3SyncArgs.BucketName</c> was given.</summary>
    public bool HasBucketName { get; init; } = true;

    /// <summary>Whether <c>S3SyncArgs.AccessKeyId</c> was given.</summary>
    public bool HasAccessKeyId { get; init; } = true;

    /// <summary>Whether <c>S3SyncArgs.SecretAccessKey</c> was given.</summary>
    public bool HasSecretAccessKey { get; init; } = true;
}

/// <summary>Validation and plan of an <see cref="OnPremObjectStoreSpec"/> (architecture.md, component contract 1).</summary>
public static partial class OnPremObjectStorePlanner
{
    /// <summary>The S3 bucket name rule, for messages.</summary>
    public const string BucketNameRule = "an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit";

    /// <summary>True for an S3 bucket name (<see cref="BucketNameRule"/>).</summary>
    public static bool IsBucketName(string? name) => name is not null && Bucket().IsMatch(name);

    /// <summary>Whether the production rules apply to <paramref name="spec"/>.</summary>
    public static bool IsProduction(OnPremObjectStoreSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Production ?? EnvironmentModel.IsProductionEnvironment(spec.Ownership?.Environment ?? string.Empty, PolicyEnforcement.Advisory);
    }

    /// <summary>
    /// Every problem of <paramref name="spec"/>, paths relative to the spec: names (<c>StoreName</c>,
    /// <c>RookNamespace</c>, <c>Namespace</c>, <c>BucketName</c>), production minimums (<c>PoolReplicas</c>,
    /// <c>GatewayInstances</c>), <c>SyncToS3.*</c> and the ownership.
    /// </summary>
    public static ImmutableArray<SpecProblem> Validate(OnPremObjectStoreSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        Label(problems, "StoreName", spec.StoreName);
        Label(problems, "RookNamespace", spec.RookNamespace);
        Label(problems, "Namespace", spec.Namespace);
        if (spec.BucketName is null)
        {
            problems.Add("BucketName", "is required");
        }
        else
        {
            problems.Require(IsBucketName(spec.BucketName), "BucketName", $"\"{spec.BucketName}\" is not {BucketNameRule}");
        }

        var production = IsProduction(spec);
        var minReplicas = production ? 3 : 1;
        problems.Require(
            spec.PoolReplicas >= minReplicas,
            "PoolReplicas",
            $"{spec.PoolReplicas} is below the minimum of {minReplicas}{(production ? " in production (one copy per host, survives a host loss during maintenance)" : string.Empty)}");
        var minGateways = production ? 2 : 1;
        problems.Require(
            spec.GatewayInstances >= minGateways,
            "GatewayInstances",
            $"{spec.GatewayInstances} is below the minimum of {minGateways}{(production ? " in production" : string.Empty)}");
        problems.Require(spec.ModelPrefix is not null, "ModelPrefix", "is required (use \"\" for the bucket root)");
        if (spec.SyncToS3 is { } sync)
        {
            problems.Require(sync.HasBucketName, "SyncToS3.BucketName", "is required");
            problems.Require(sync.HasAccessKeyId, "SyncToS3.AccessKeyId", "is required");
            problems.Require(sync.HasSecretAccessKey, "SyncToS3.SecretAccessKey", "is required");
            ReplicatedBucketPlanner.CheckRegion(problems, "SyncToS3.Region", sync.Region);

            if (CronSchedule.Problem(sync.Schedule) is { } problem)
            {
                problems.Add("SyncToS3.Schedule", problem);
            }
        }

        problems.AddRange(SystemAddonPlacement.SelectorProblems(spec.SystemNodeSelector));
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        return problems.ToImmutable();
    }

    /// <summary>
    /// The decisions for a valid spec (call <see cref="Validate"/> first). The sync target's bucket name and KMS key
    /// are empty: they are known at deploy time (see <see cref="OnPremObjectStorePlan"/>).
    /// </summary>
    public static OnPremObjectStorePlan Plan(OnPremObjectStoreSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new OnPremObjectStorePlan(
            spec.StoreName,
            spec.RookNamespace,
            spec.Namespace,
            spec.BucketName,
            spec.PoolReplicas,
            spec.GatewayInstances,
            IsProduction(spec),
            spec.SyncToS3 is { } s ? new S3SyncTarget(string.Empty, s.Region, null, s.Schedule) : null)
        {
            Ownership = spec.Ownership,
            ModelPrefix = spec.ModelPrefix,
            SystemNodeSelector = spec.SystemNodeSelector ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        };
    }

    private static void Label(SpecProblems problems, string path, string? value)
    {
        if (value is null)
        {
            problems.Add(path, "is required");
        }
        else
        {
            problems.Require(KubernetesNames.IsDnsLabel(value), path, $"\"{value}\" is not {KubernetesNames.DnsLabelRule}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Bucket();
}
