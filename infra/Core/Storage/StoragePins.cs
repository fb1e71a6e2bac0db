namespace NeoCloud.Infra.Core.Storage;

/// <summary>Pinned images and API versions of the storage components, referenced by code, docs and tests.</summary>
public static class StoragePins
{
    /// <summary>rclone image of the on-prem → S3 sync CronJob.</summary>
    public const string RcloneImage = "docker.io/rclone/rclone:1.68.2";

    /// <summary>AWS CLI image of the Job that turns on versioning of the on-prem model bucket.</summary>
    public const string AwsCliImage = "docker.io/amazon/aws-cli:2.22.35";

    /// <summary>API version of Rook's <c>CephObjectStore</c>.</summary>
    public const string CephApiVersion = "ceph.rook.io/v1";

    /// <summary>API version of the bucket provisioner's <c>ObjectBucketClaim</c>.</summary>
    public const string ObjectBucketApiVersion = "objectbucket.io/v1alpha1";

    /// <summary>Provisioner name of Rook's bucket StorageClass (operator in namespace <c>rook-ceph</c>).</summary>
    public const string BucketProvisioner = "rook-ceph.ceph.rook.io/bucket";
}
