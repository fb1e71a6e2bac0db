using NeoCloud.Infra.Core.Storage;
using Pulumi;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>Inputs of <see cref="ModelBucketAccess"/>. Validated by <see cref="ModelBucketAccessPlanner.Validate"/>.</summary>
public sealed class ModelBucketAccessArgs : NeoCloudArgs
{
    /// <summary>
    /// <c>read</c>: list the bucket and read objects under <c>models/</c> (Triton's model repository), decrypting with the
    /// bucket's key only through S3 in <see cref="Region"/>; <c>write</c>: the hybrid sync writer (put and read objects,
    /// never change the bucket's configuration). Defaults to <c>read</c>.
    /// </summary>
    [Input("access")]
    public string Access { get; set; } = ModelBucketAccessPlanner.Read;

    /// <summary>The model bucket's ARN (e.g. <see cref="ReplicatedBucket.BucketArn"/>). Required.</summary>
    [Input("bucketArn", required: true)]
    public Input<string> BucketArn { get; set; } = null!;

    /// <summary>The bucket's KMS key ARN (e.g. <see cref="ReplicatedBucket.KmsKeyArn"/>). Required.</summary>
    [Input("kmsKeyArn", required: true)]
    public Input<string> KmsKeyArn { get; set; } = null!;

    /// <summary>The bucket's region, e.g. us-east-1. Required.</summary>
    [Input("region", required: true)]
    public string Region { get; set; } = null!;

    /// <summary>
    /// Namespaces (e.g. the serving tenants of a cluster) that each get a Secret <see cref="SecretName"/> with the
    /// identity's key (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_DEFAULT_REGION</c>); they must exist
    /// (pass what creates them as <c>dependsOn</c>: the Secrets wait for it). Defaults to none (use the key outputs).
    /// </summary>
    [Input("namespaces")]
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Name of the Secret in each namespace, a DNS label. Defaults to <c>model-store-credentials</c> (what <c>TritonService</c> reads).</summary>
    [Input("secretName")]
    public string SecretName { get; set; } = Core.Stacks.StackLayout.ModelCredentialsSecret;

    /// <summary>
    /// How the identity reaches pods: <c>accessKey</c> (an IAM user, its key in <see cref="SecretName"/>: only for clusters
    /// with no AWS identity, i.e. on-prem) or <c>podIdentity</c> (EKS: an IAM role, a ServiceAccount
    /// <see cref="ServiceAccountName"/> per namespace and an EKS Pod Identity association each; no user, no key — the
    /// Secret then holds only <c>AWS_DEFAULT_REGION</c>). Defaults to <c>accessKey</c>.
    /// </summary>
    [Input("identity")]
    public string? Identity { get; set; }

    /// <summary>With <c>podIdentity</c>: the EKS cluster's name (e.g. <c>EksCluster.ClusterName</c>). Required then; not allowed otherwise.</summary>
    [Input("clusterName")]
    public Input<string>? ClusterName { get; set; }

    /// <summary>With <c>podIdentity</c>: the ServiceAccount created in each namespace, which pods run as (TritonService's <c>ServiceAccountName</c>). Defaults to <c>model-reader</c>.</summary>
    [Input("serviceAccountName")]
    public string? ServiceAccountName { get; set; }

    /// <summary>The spec the planner validates and plans.</summary>
    internal ModelBucketAccessSpec ToSpec() => new(Region, ToOwnership())
    {
        Access = Access,
        Namespaces = [.. Namespaces ?? []],
        SecretName = SecretName,
        HasBucketArn = BucketArn is not null,
        HasKmsKeyArn = KmsKeyArn is not null,
        Identity = Identity ?? ModelBucketAccessPlanner.AccessKey,
        HasClusterName = ClusterName is not null,
        ServiceAccountName = ServiceAccountName ?? ModelBucketAccessPlan.DefaultServiceAccountName,
    };
}
