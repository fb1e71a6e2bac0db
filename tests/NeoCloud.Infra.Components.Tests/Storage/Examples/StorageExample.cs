using NeoCloud.Infra.Components.Storage;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Storage.Examples;

/// <summary>The README's usage example, compiled and run under the mock engine.</summary>
public static class StorageExample
{
    public static (ReplicatedBucket Bucket, OnPremObjectStore Store) Run(ProviderResource onPremCluster)
    {
        // <readme>
        var bucket = new ReplicatedBucket("models", new ReplicatedBucketArgs
        {
            NamePrefix = "acme-models",
            Region = "us-east-1",
            ReplicaRegion = "us-west-2",
            Environment = "prod",
            CostCenter = "ml-platform",
            NoncurrentVersionDays = 30,
            AbortIncompleteMultipartDays = 7,
            CheckpointPrefix = "checkpoints/",
            CheckpointExpiryDays = 90,
            ReplicationTimeControl = true,
        });

        var config = new Config("acme");
        var store = new OnPremObjectStore("onprem-models", new OnPremObjectStoreArgs
        {
            Namespace = "model-store",
            BucketName = "models",
            Environment = "prod",
            CostCenter = "ml-platform",
            SyncToS3 = new S3SyncArgs
            {
                BucketName = bucket.BucketName,
                Region = "us-east-1",
                KmsKeyArn = bucket.KmsKeyArn,
                Schedule = "*/15 * * * *",
                AccessKeyId = config.RequireSecret("syncAccessKeyId"),
                SecretAccessKey = config.RequireSecret("syncSecretAccessKey"),
            },
        }, new ComponentResourceOptions { Provider = onPremCluster });
        // </readme>
        return (bucket, store);
    }
}
