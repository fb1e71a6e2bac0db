using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>
/// What an identity on the AWS model bucket is asked to be: the plain values of <c>ModelBucketAccessArgs</c>
/// (same property names). The bucket and key ARNs are inputs another resource produces (the
/// <c>ReplicatedBucket</c>): the spec records only whether each was given.
/// </summary>
/// <param name="Region">The bucket's region (the policy allows KMS use only through S3 in it).</param>
/// <param name="Ownership">Environment, cost center and extra tags.</param>
public sealed record ModelBucketAccessSpec(string Region, OwnershipSpec Ownership)
{
    /// <summary><c>read</c> (default: list and read the model repository prefix) or <c>write</c> (the hybrid sync writer).</summary>
    public string Access { get; init; } = ModelBucketAccessPlanner.Read;

    /// <summary>Namespaces that get the identity's key as a Secret (one each); empty: none (use the key outputs).</summary>
    public ImmutableArray<string> Namespaces { get; init; } = [];

    /// <summary>Name of the Secret in each namespace (default <see cref="StackLayout.ModelCredentialsSecret"/>).</summary>
    public string SecretName { get; init; } = StackLayout.ModelCredentialsSecret;

    /// <summary>Whether <c>ModelBucketAccessArgs.BucketArn</c> was given.</summary>
    public bool HasBucketArn { get; init; } = true;

    /// <summary>Whether <c>ModelBucketAccessArgs.KmsKeyArn</c> was given.</summary>
    public bool HasKmsKeyArn { get; init; } = true;

    /// <summary>
    /// <c>accessKey</c> (default: an IAM user and its key in a Secret, for clusters without an AWS identity, i.e. on-prem)
    /// or <c>podIdentity</c> (EKS: an IAM role handed to a ServiceAccount per namespace through EKS Pod Identity; no user,
    /// no key).
    /// </summary>
    public string Identity { get; init; } = ModelBucketAccessPlanner.AccessKey;

    /// <summary>Whether <c>ModelBucketAccessArgs.ClusterName</c> (the EKS cluster, for the Pod Identity associations) was given.</summary>
    public bool HasClusterName { get; init; }

    /// <summary>Name of the ServiceAccount in each namespace (podIdentity). Default <see cref="ModelBucketAccessPlan.DefaultServiceAccountName"/>.</summary>
    public string ServiceAccountName { get; init; } = ModelBucketAccessPlan.DefaultServiceAccountName;
}

/// <summary>The decisions of a model bucket identity: its IAM policy, tags and the Secrets of its key.</summary>
/// <param name="Access"><c>read</c> or <c>write</c>.</param>
/// <param name="Region">The bucket's region.</param>
/// <param name="Namespaces">Namespaces that get a Secret, in order, distinct.</param>
/// <param name="SecretName">Name of each Secret.</param>
/// <param name="Ownership">The owner (tags and labels).</param>
public sealed record ModelBucketAccessPlan(string Access, string Region, ImmutableArray<string> Namespaces, string SecretName, OwnershipSpec Ownership)
{
    /// <summary>Key of the region in each Secret (the AWS SDKs read it).</summary>
    public const string RegionKey = "AWS_DEFAULT_REGION";

    /// <summary>The ServiceAccount Triton runs as where it reads the bucket through EKS Pod Identity.</summary>
    public const string DefaultServiceAccountName = "model-reader";

    /// <summary><c>accessKey</c> or <c>podIdentity</c>.</summary>
    public string Identity { get; init; } = ModelBucketAccessPlanner.AccessKey;

    /// <summary>The ServiceAccount of each namespace (podIdentity).</summary>
    public string ServiceAccountName { get; init; } = DefaultServiceAccountName;

    /// <summary>True when pods get the role through EKS Pod Identity (no IAM user, no key).</summary>
    public bool UsesPodIdentity => Identity == ModelBucketAccessPlanner.PodIdentity;

    /// <summary>The trust policy of the Pod Identity role.</summary>
    public static string TrustPolicy() => Networking.EksClusterLayout.PodIdentityTrustPolicy();

    /// <summary>Labels of the ServiceAccount of <paramref name="identity"/> in namespace <paramref name="ns"/>.</summary>
    public ImmutableSortedDictionary<string, string> ServiceAccountLabels(string identity, string ns) =>
        Ownership.Tags.SetItems(ResourceLabels.For("model-reader", identity, "identity", Ownership.Environment, Ownership.CostCenter, ns));

    /// <summary>The identity's IAM policy (JSON) for the bucket and its KMS key.</summary>
    public string Policy(string bucketArn, string kmsKeyArn) => Access == ModelBucketAccessPlanner.Write
        ? S3Policies.SyncWriterPolicy(bucketArn, kmsKeyArn, Region)
        : StackLayout.ModelReaderPolicy(bucketArn, kmsKeyArn, Region);

    /// <summary>AWS tags of the identity <paramref name="identity"/>: the owner's, cost attribution and <c>Name</c>.</summary>
    public ImmutableSortedDictionary<string, string> Tags(string identity) => Ownership.Labels().SetItem("Name", identity);

    /// <summary>Labels of the Secret of <paramref name="identity"/> in tenant namespace <paramref name="ns"/>.</summary>
    public ImmutableSortedDictionary<string, string> SecretLabels(string identity, string ns) =>
        Ownership.Tags.SetItems(ResourceLabels.For("model-store-credentials", identity, "credentials", Ownership.Environment, Ownership.CostCenter, ns));
}

/// <summary>Validation and plan of a <see cref="ModelBucketAccessSpec"/> (architecture.md, component contract 1).</summary>
public static class ModelBucketAccessPlanner
{
    /// <summary>Read access: list the bucket and read the model repository prefix.</summary>
    public const string Read = "read";

    /// <summary>Write access: the hybrid sync writer (put objects, never change the bucket).</summary>
    public const string Write = "write";

    /// <summary>An IAM user with an access key in a Secret (clusters with no AWS identity: on-prem).</summary>
    public const string AccessKey = "accessKey";

    /// <summary>An IAM role through EKS Pod Identity (EKS clusters): no long-lived key exists.</summary>
    public const string PodIdentity = "podIdentity";

    /// <summary>Every problem of <paramref name="spec"/>, paths relative to the spec.</summary>
    public static ImmutableArray<SpecProblem> Validate(ModelBucketAccessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.Require(spec.Access is Read or Write, "Access", $"{(spec.Access is null ? "a missing value" : $"\"{spec.Access}\"")} is not allowed; allowed: {Read}, {Write}");
        problems.Require(spec.HasBucketArn, "BucketArn", "is required");
        problems.Require(spec.HasKmsKeyArn, "KmsKeyArn", "is required");
        ReplicatedBucketPlanner.CheckRegion(problems, "Region", spec.Region);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.Namespaces.IsDefault ? 0 : spec.Namespaces.Length); i++)
        {
            var ns = spec.Namespaces[i];
            if (!KubernetesNames.IsDnsLabel(ns))
            {
                problems.Add($"Namespaces[{i}]", $"\"{ns}\" is not {KubernetesNames.DnsLabelRule}");
            }
            else
            {
                problems.Require(seen.Add(ns), $"Namespaces[{i}]", $"\"{ns}\" is listed twice; one Secret per namespace");
            }
        }

        if (problems.Require(spec.Identity is AccessKey or PodIdentity, "Identity", $"{(spec.Identity is null ? "a missing value" : $"\"{spec.Identity}\"")} is not allowed; allowed: {AccessKey}, {PodIdentity}") && spec.Identity == PodIdentity)
        {
            problems.Require(spec.HasClusterName, "ClusterName", "is required with Identity podIdentity (the EKS cluster whose pods get the role)");
            problems.Require(!spec.Namespaces.IsDefaultOrEmpty, "Namespaces", "must list at least one namespace with Identity podIdentity (each gets the ServiceAccount the role is associated with)");
            problems.Require(spec.Access == Read, "Access", "podIdentity serves readers on EKS; the write identity is the on-prem sync's (accessKey)");
            problems.Require(KubernetesNames.IsDnsLabel(spec.ServiceAccountName), "ServiceAccountName", $"{(spec.ServiceAccountName is null ? "a missing value" : $"\"{spec.ServiceAccountName}\"")} is not {KubernetesNames.DnsLabelRule}");
        }
        else
        {
            problems.Require(!spec.HasClusterName, "ClusterName", "is only used with Identity podIdentity");
        }

        problems.Require(KubernetesNames.IsDnsLabel(spec.SecretName), "SecretName", $"{(spec.SecretName is null ? "a missing value" : $"\"{spec.SecretName}\"")} is not {KubernetesNames.DnsLabelRule}");
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid spec (call <see cref="Validate"/> first).</summary>
    public static ModelBucketAccessPlan Plan(ModelBucketAccessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(spec.Access, spec.Region, spec.Namespaces.IsDefault ? [] : spec.Namespaces, spec.SecretName, spec.Ownership)
        {
            Identity = spec.Identity,
            ServiceAccountName = spec.ServiceAccountName,
        };
    }
}
