using System.Collections.Immutable;
using NeoCloud.Infra.Core.Storage;
using Pulumi;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>
/// Inputs of <see cref="OnPremObjectStore"/>. Prerequisite: the Rook operator and a CephCluster run in
/// <see cref="RookNamespace"/>. Validated by <see cref="OnPremObjectStorePlanner.Validate"/>.
/// </summary>
public sealed class OnPremObjectStoreArgs : NeoCloudArgs
{
    /// <summary>CephObjectStore name (gateway Service <c>rook-ceph-rgw-&lt;name&gt;</c>), a DNS label. Defaults to <c>models</c>.</summary>
    [Input("storeName")]
    public string StoreName { get; set; } = "models";

    /// <summary>Namespace of the Rook operator and CephCluster. Defaults to <c>rook-ceph</c>.</summary>
    [Input("rookNamespace")]
    public string RookNamespace { get; set; } = "rook-ceph";

    /// <summary>Namespace of the bucket claim, its credentials Secret and the jobs (must exist). Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>The model bucket's name in the store (an S3 bucket name). Required.</summary>
    [Input("bucketName", required: true)]
    public string BucketName { get; set; } = null!;

    /// <summary>Production rules (pool size ≥ 3, ≥ 2 gateways). Defaults to null: whether <c>Environment</c> is prod or production.</summary>
    [Input("production")]
    public bool? Production { get; set; }

    /// <summary>Copies of every object in the data and metadata pools (failure domain host). Defaults to 3.</summary>
    [Input("poolReplicas")]
    public int PoolReplicas { get; set; } = 3;

    /// <summary>RGW gateway pods. Defaults to 2.</summary>
    [Input("gatewayInstances")]
    public int GatewayInstances { get; set; } = 2;

    /// <summary>Key prefix of the Triton model repository in the bucket. Defaults to <c>models</c>.</summary>
    [Input("modelPrefix")]
    public string ModelPrefix { get; set; } = "models";

    /// <summary>Hybrid: copy the bucket to an AWS S3 bucket on a schedule. Defaults to null (no sync).</summary>
    [Input("syncToS3")]
    public S3SyncArgs? SyncToS3 { get; set; }

    /// <summary>
    /// Node labels the RGW gateway pods (the CephObjectStore's <c>gateway.placement</c>) and the versioning and sync Jobs
    /// run on, e.g. a system <see cref="Gpu.CpuNodePool"/>'s <c>neocloud.io/node-role: system</c>. Defaults to none
    /// (Rook's placement).
    /// </summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>The spec the planner validates and plans.</summary>
    internal OnPremObjectStoreSpec ToSpec() => new(Namespace, BucketName, ToOwnership())
    {
        StoreName = StoreName,
        RookNamespace = RookNamespace,
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        Production = Production,
        PoolReplicas = PoolReplicas,
        GatewayInstances = GatewayInstances,
        ModelPrefix = ModelPrefix,
        SyncToS3 = SyncToS3 is { } sync
            ? new S3SyncSpec(sync.Region)
            {
                Schedule = sync.Schedule,
                HasBucketName = sync.BucketName is not null,
                HasAccessKeyId = sync.AccessKeyId is not null,
                HasSecretAccessKey = sync.SecretAccessKey is not null,
            }
            : null,
    };
}

/// <summary>The hybrid sync target and the credentials of the AWS identity that writes to it.</summary>
public sealed class S3SyncArgs : ResourceArgs
{
    /// <summary>The AWS model bucket (e.g. <see cref="ReplicatedBucket.BucketName"/>). Required.</summary>
    [Input("bucketName", required: true)]
    public Input<string> BucketName { get; set; } = null!;

    /// <summary>The AWS bucket's region, e.g. us-east-1. Required.</summary>
    [Input("region", required: true)]
    public string Region { get; set; } = null!;

    /// <summary>The AWS bucket's KMS key ARN, so synced objects are written SSE-KMS with it. Defaults to null (bucket default encryption).</summary>
    [Input("kmsKeyArn")]
    public Input<string>? KmsKeyArn { get; set; }

    /// <summary>Cron schedule (five fields). RPO ≈ interval + one sync's duration. Defaults to every 15 minutes (<c>*/15 * * * *</c>).</summary>
    [Input("schedule")]
    public string Schedule { get; set; } = "*/15 * * * *";

    /// <summary>Access key id of the AWS writer (e.g. <see cref="ModelBucketAccess.AccessKeyId"/> with <c>Access = "write"</c>). Required; stored only in a Secret.</summary>
    [Input("accessKeyId", required: true)]
    public Input<string> AccessKeyId { get; set; } = null!;

    /// <summary>Secret access key of the AWS writer. Required; stored only in a Secret.</summary>
    [Input("secretAccessKey", required: true)]
    public Input<string> SecretAccessKey { get; set; } = null!;
}
