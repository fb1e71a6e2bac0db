using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>Where the hybrid sync job copies the on-prem model bucket to.</summary>
/// <param name="BucketName">The AWS model bucket.</param>
/// <param name="Region">The AWS bucket's region.</param>
/// <param name="KmsKeyArn">The AWS bucket's KMS key (objects are written SSE-KMS with it), or null for the bucket default.</param>
/// <param name="Schedule">Cron schedule of the sync (five fields), e.g. <c>*/15 * * * *</c>.</param>
public sealed record S3SyncTarget(string BucketName, string Region, string? KmsKeyArn, string Schedule);

/// <summary>
/// The decisions of the on-prem object store (<see cref="OnPremObjectStorePlanner.Plan"/> of a valid
/// <see cref="OnPremObjectStoreSpec"/>): Rook-Ceph <c>CephObjectStore</c> pools, the bucket claim, the Job that
/// turns on versioning and the CronJob that syncs the bucket to S3. Plain data, tested without Pulumi.
/// </summary>
/// <param name="StoreName">CephObjectStore name (RGW Service: <c>rook-ceph-rgw-&lt;name&gt;</c>).</param>
/// <param name="RookNamespace">Namespace of the Rook operator and CephCluster.</param>
/// <param name="BucketNamespace">Namespace of the bucket claim, its credentials Secret and the jobs.</param>
/// <param name="BucketName">The model bucket's name in the store.</param>
/// <param name="PoolReplicas">Copies of each object in the data and metadata pools (3 in production).</param>
/// <param name="GatewayInstances">RGW pods.</param>
/// <param name="Production">Production rules apply (≥ 3 pool replicas, ≥ 2 gateways).</param>
/// <param name="Sync">The S3 sync target (hybrid), or null. Its bucket name and KMS key are known at deploy time only:
/// the planner leaves them empty and the component fills them in (<c>with</c>) once the bucket exists.</param>
public sealed record OnPremObjectStorePlan(
    string StoreName,
    string RookNamespace,
    string BucketNamespace,
    string BucketName,
    int PoolReplicas,
    int GatewayInstances,
    bool Production,
    S3SyncTarget? Sync)
{
    /// <summary>RGW's HTTP port on its Service.</summary>
    public const int GatewayPort = 80;

    /// <summary>Failure domain of the pools: one copy per host.</summary>
    public const string FailureDomain = "host";

    /// <summary>Name of the rclone remote of the on-prem store in the sync job.</summary>
    public const string OnPremRemote = "ONPREM";

    /// <summary>Name of the rclone remote of the AWS bucket in the sync job.</summary>
    public const string AwsRemote = "AWS";

    /// <summary>Key of the AWS access key id in the sync credentials Secret.</summary>
    public const string AwsAccessKeyIdKey = "AWS_ACCESS_KEY_ID";

    /// <summary>Key of the AWS secret access key in the sync credentials Secret (and of the bucket claim's Secret).</summary>
    public const string AwsSecretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";

    /// <summary>The owner (labels on every object), or null when the plan only computes endpoints (stack, platform check).</summary>
    public OwnershipSpec? Ownership { get; init; }

    /// <summary>Key prefix of the Triton model repository in the bucket.</summary>
    public string ModelPrefix { get; init; } = "models";

    /// <summary>Node labels the RGW pods (<c>gateway.placement</c>) and the Jobs (<c>nodeSelector</c>) run on; empty: Rook's and the scheduler's defaults.</summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Labels of every object of component <paramref name="component"/>: <c>app.kubernetes.io/*</c>, cost attribution and the owner's extra tags.</summary>
    public ImmutableSortedDictionary<string, string> Labels(string component)
    {
        var owner = Ownership ?? throw new InvalidOperationException("the plan has no ownership (built without the planner)");
        return owner.Tags.SetItems(ResourceLabels.For("rook-ceph-object-store", component, "model-store", owner.Environment, owner.CostCenter));
    }

    /// <summary>The in-cluster Service name of the store's gateway.</summary>
    public string GatewayService => $"rook-ceph-rgw-{StoreName}";

    /// <summary>The in-cluster S3 endpoint, e.g. <c>http://rook-ceph-rgw-models.rook-ceph.svc:80</c>.</summary>
    public string Endpoint => $"http://{GatewayService}.{RookNamespace}.svc:{GatewayPort}";

    /// <summary>The Triton model repository URL of a non-AWS S3 store: <c>s3://host:port/bucket/prefix</c>.</summary>
    public string ModelRepositoryUrl(string modelPrefix) =>
        $"s3://{GatewayService}.{RookNamespace}.svc:{GatewayPort}/{BucketName}" + (string.IsNullOrEmpty(modelPrefix) ? string.Empty : "/" + modelPrefix.Trim('/'));

    /// <summary>
    /// The <c>spec</c> of the <c>CephObjectStore</c>: replicated pools across hosts, pools kept on delete, and with a
    /// <see cref="SystemNodeSelector"/> the RGW pods placed by <c>gateway.placement.nodeAffinity</c> (one
    /// <c>In</c> expression per label, all required: rook/rook Documentation/ceph-object-store-crd.md, the
    /// <c>gateway.placement</c> block, a Kubernetes <c>NodeAffinity</c>).
    /// </summary>
    public ImmutableSortedDictionary<string, object> CephObjectStoreSpec()
    {
        ImmutableSortedDictionary<string, object> Pool() => Tree(
            ("failureDomain", FailureDomain),
            ("replicated", Tree(("size", PoolReplicas), ("requireSafeReplicaSize", PoolReplicas > 1))));
        var gateway = Tree(("port", GatewayPort), ("instances", GatewayInstances));
        if (SystemNodeSelector.Count > 0)
        {
            ImmutableArray<object> expressions = [.. SystemNodeSelector.Select(kv => (object)Tree(("key", kv.Key), ("operator", "In"), ("values", ImmutableArray.Create<object>(kv.Value))))];
            var required = Tree(("nodeSelectorTerms", ImmutableArray.Create<object>(Tree(("matchExpressions", expressions)))));
            var affinity = Tree(("requiredDuringSchedulingIgnoredDuringExecution", required));
            gateway = gateway.Add("placement", Tree(("nodeAffinity", affinity)));
        }

        return Tree(
            ("metadataPool", Pool()),
            ("dataPool", Pool()),
            ("preservePoolsOnDelete", true),
            ("gateway", gateway));
    }

    /// <summary>The <c>spec</c> of the <c>ObjectBucketClaim</c> of the model bucket.</summary>
    /// <param name="storageClassName">The bucket StorageClass pointing at the store.</param>
    public ImmutableSortedDictionary<string, object> BucketClaimSpec(string storageClassName) =>
        Tree(("bucketName", BucketName), ("storageClassName", storageClassName));

    /// <summary>Parameters of the bucket StorageClass (provisioner <see cref="StoragePins.BucketProvisioner"/>).</summary>
    public ImmutableSortedDictionary<string, string> BucketStorageClassParameters() =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("objectStoreName", StoreName), new("objectStoreNamespace", RookNamespace)]);

    /// <summary>
    /// The shell script of the versioning Job: enables S3 versioning on the bucket (idempotent) and fails unless the
    /// store reports it enabled. Credentials and endpoint come from the bucket claim's Secret and ConfigMap.
    /// </summary>
    public static string VersioningScript() =>
        "set -eu\n"
        + "endpoint=\"http://${BUCKET_HOST}:${BUCKET_PORT}\"\n"
        + "aws --endpoint-url \"$endpoint\" s3api put-bucket-versioning --bucket \"$BUCKET_NAME\" --versioning-configuration Status=Enabled\n"
        + "aws --endpoint-url \"$endpoint\" s3api get-bucket-versioning --bucket \"$BUCKET_NAME\" --query Status --output text | grep -qx Enabled\n";

    /// <summary>
    /// The rclone subcommand of the sync job: <c>copy</c>, which transfers new and changed objects and never deletes
    /// anything at the destination (https://rclone.org/commands/rclone_copy: "Doesn't delete files from the destination"), unlike
    /// <c>sync</c>, which mirrors deletions and would remove what the S3 side wrote itself (the prod stack's
    /// <c>checkpoints/</c> prefix, written by the EKS training pool).
    /// </summary>
    public const string SyncCommand = "copy";

    /// <summary>The rclone arguments of the sync job (Kubernetes expands <c>$(VAR)</c> from the container's env).</summary>
    public ImmutableArray<string> SyncArgs()
    {
        var sync = Sync ?? throw new InvalidOperationException("no sync target");
        return
        [
            SyncCommand,
            $"{OnPremRemote}:$(BUCKET_NAME)",
            $"{AwsRemote}:{sync.BucketName}",
            "--s3-no-check-bucket",
            "--fast-list",
            "--transfers=8",
            "--checkers=16",
            "--use-json-log",
            "--stats-one-line",
            "--stats=60s",
        ];
    }

    /// <summary>
    /// Plain (non-secret) environment of the sync container: the two rclone remotes configured by environment variables.
    /// The keys are added by the component from Secrets (never values).
    /// </summary>
    public ImmutableSortedDictionary<string, string> SyncPlainEnv()
    {
        var sync = Sync ?? throw new InvalidOperationException("no sync target");
        var env = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        env[$"RCLONE_CONFIG_{OnPremRemote}_TYPE"] = "s3";
        env[$"RCLONE_CONFIG_{OnPremRemote}_PROVIDER"] = "Ceph";
        env[$"RCLONE_CONFIG_{OnPremRemote}_ENDPOINT"] = "http://$(BUCKET_HOST):$(BUCKET_PORT)";
        env[$"RCLONE_CONFIG_{AwsRemote}_TYPE"] = "s3";
        env[$"RCLONE_CONFIG_{AwsRemote}_PROVIDER"] = "AWS";
        env[$"RCLONE_CONFIG_{AwsRemote}_REGION"] = sync.Region;
        env[$"RCLONE_CONFIG_{AwsRemote}_SERVER_SIDE_ENCRYPTION"] = "aws:kms";
        if (!string.IsNullOrEmpty(sync.KmsKeyArn))
        {
            env[$"RCLONE_CONFIG_{AwsRemote}_SSE_KMS_KEY_ID"] = sync.KmsKeyArn;
        }

        env["HOME"] = "/tmp";
        return env.ToImmutable();
    }

    /// <summary>Secret-sourced environment of the sync container: variable → (which Secret, key).</summary>
    /// <remarks><see cref="SyncSecretSource.BucketClaim"/> is the bucket claim's Secret; <see cref="SyncSecretSource.AwsCredentials"/> the component's AWS credentials Secret.</remarks>
    public static ImmutableSortedDictionary<string, (SyncSecretSource Source, string Key)> SyncSecretEnv() =>
        ImmutableSortedDictionary.CreateRange<string, (SyncSecretSource, string)>(StringComparer.Ordinal,
        [
            new($"RCLONE_CONFIG_{OnPremRemote}_ACCESS_KEY_ID", (SyncSecretSource.BucketClaim, AwsAccessKeyIdKey)),
            new($"RCLONE_CONFIG_{OnPremRemote}_SECRET_ACCESS_KEY", (SyncSecretSource.BucketClaim, AwsSecretAccessKeyKey)),
            new($"RCLONE_CONFIG_{AwsRemote}_ACCESS_KEY_ID", (SyncSecretSource.AwsCredentials, AwsAccessKeyIdKey)),
            new($"RCLONE_CONFIG_{AwsRemote}_SECRET_ACCESS_KEY", (SyncSecretSource.AwsCredentials, AwsSecretAccessKeyKey)),
        ]);

    private static ImmutableSortedDictionary<string, object> Tree(params (string Key, object Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries.Select(e => new KeyValuePair<string, object>(e.Key, e.Value)));
}

/// <summary>Which Secret a sync job variable reads.</summary>
public enum SyncSecretSource
{
    /// <summary>The bucket claim's Secret (on-prem RGW user keys), created by Rook.</summary>
    BucketClaim,

    /// <summary>The component's Secret with the AWS writer's keys.</summary>
    AwsCredentials,
}

/// <summary>Checks the five-field cron schedules of CronJobs.</summary>
public static class CronSchedule
{
    private static readonly Regex Field = new(@"^(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*$", RegexOptions.CultureInvariant);

    /// <summary>What is wrong with <paramref name="schedule"/>, or null when it is a valid five-field schedule.</summary>
    public static string? Problem(string? schedule)
    {
        var fields = (schedule ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"\"{schedule}\" is not a cron schedule of five fields (minute hour day-of-month month day-of-week), e.g. */15 * * * *";
        }

        var bad = fields.FirstOrDefault(f => !Field.IsMatch(f));
        return bad is null ? null : $"\"{schedule}\": field \"{bad}\" is not a cron field (numbers, ranges, lists, */step)";
    }
}
