using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>
/// The IAM and bucket policy documents of the replicated model bucket, as JSON text. One place decides every
/// permission, so the component, its tests and the README show the same documents.
/// </summary>
public static class S3Policies
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>
    /// Bucket policy denying every S3 action on the bucket and its objects when the request is not sent over TLS
    /// (<c>aws:SecureTransport = false</c>).
    /// </summary>
    /// <param name="bucketArn">The bucket's ARN.</param>
    public static string TlsOnlyBucketPolicy(string bucketArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucketArn);
        return Document(Statement(
            "DenyInsecureTransport",
            "Deny",
            ["s3:*"],
            [bucketArn, bucketArn + "/*"],
            principal: "*",
            condition: new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } }));
    }

    /// <summary>Trust policy letting the S3 service assume the replication role.</summary>
    public static string ReplicationTrustPolicy() => Document(new JsonObject
    {
        ["Sid"] = "S3AssumesReplicationRole",
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Service"] = "s3.amazonaws.com" },
        ["Action"] = "sts:AssumeRole",
    });

    /// <summary>
    /// Least-privilege permissions of the replication role: read the source's replication configuration and
    /// object versions, replicate into the destination, decrypt with the source key and encrypt with the replica key
    /// — each KMS permission only when S3 in that key's region calls KMS (<c>kms:ViaService</c>).
    /// </summary>
    public static string ReplicationRolePolicy(ReplicationPolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Document(
            Statement("SourceBucketConfiguration", "Allow", ["s3:GetReplicationConfiguration", "s3:ListBucket"], [inputs.SourceBucketArn]),
            Statement(
                "SourceObjectVersions",
                "Allow",
                ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                [inputs.SourceBucketArn + "/*"]),
            Statement(
                "ReplicateToDestination",
                "Allow",
                ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                [inputs.DestinationBucketArn + "/*"]),
            Statement("DecryptWithSourceKey", "Allow", ["kms:Decrypt"], [inputs.SourceKeyArn], condition: ViaS3(inputs.SourceRegion)),
            Statement(
                "EncryptWithReplicaKey",
                "Allow",
                ["kms:Encrypt", "kms:GenerateDataKey"],
                [inputs.ReplicaKeyArn],
                condition: ViaS3(inputs.ReplicaRegion)));
    }

    /// <summary>
    /// Permissions of the identity the hybrid sync job uses to write into the AWS model bucket: list the bucket,
    /// put/get/delete objects, and use the bucket's KMS key through S3 only. No permission to change the bucket.
    /// </summary>
    /// <param name="bucketArn">The AWS model bucket's ARN.</param>
    /// <param name="keyArn">The bucket's KMS key ARN.</param>
    /// <param name="region">The bucket's region.</param>
    public static string SyncWriterPolicy(string bucketArn, string keyArn, string region)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucketArn);
        ArgumentException.ThrowIfNullOrEmpty(keyArn);
        ArgumentException.ThrowIfNullOrEmpty(region);
        return Document(
            Statement("ListModelBucket", "Allow", ["s3:ListBucket", "s3:GetBucketLocation"], [bucketArn]),
            Statement(
                "WriteModelObjects",
                "Allow",
                ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                [bucketArn + "/*"]),
            Statement("UseBucketKeyThroughS3", "Allow", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], [keyArn], condition: ViaS3(region)));
    }

    /// <summary>The <c>kms:ViaService</c> value of S3 in a region, e.g. <c>s3.eu-west-1.amazonaws.com</c>.</summary>
    public static string S3ViaService(string region) => $"s3.{region}.amazonaws.com";

    private static JsonObject ViaS3(string region) =>
        new() { ["StringEquals"] = new JsonObject { ["kms:ViaService"] = S3ViaService(region) } };

    private static JsonObject Statement(string sid, string effect, string[] actions, string[] resources, string? principal = null, JsonObject? condition = null)
    {
        var statement = new JsonObject { ["Sid"] = sid, ["Effect"] = effect };
        if (principal is not null)
        {
            statement["Principal"] = principal;
        }

        statement["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)JsonValue.Create(a))]);
        statement["Resource"] = new JsonArray([.. resources.Select(r => (JsonNode)JsonValue.Create(r))]);
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }

    private static string Document(params JsonObject[] statements) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray([.. statements]),
    }.ToJsonString(Compact);
}

/// <summary>The ARNs and regions the replication role's policy names.</summary>
/// <param name="SourceBucketArn">Primary bucket ARN.</param>
/// <param name="DestinationBucketArn">Replica bucket ARN.</param>
/// <param name="SourceKeyArn">Primary bucket's KMS key ARN.</param>
/// <param name="ReplicaKeyArn">Replica bucket's KMS key ARN.</param>
/// <param name="SourceRegion">Primary region.</param>
/// <param name="ReplicaRegion">Replica region.</param>
public sealed record ReplicationPolicyInputs(
    string SourceBucketArn,
    string DestinationBucketArn,
    string SourceKeyArn,
    string ReplicaKeyArn,
    string SourceRegion,
    string ReplicaRegion);
