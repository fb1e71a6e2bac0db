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

        problems.Require(KubernetesNames.IsDnsLabel(spec.SecretName), "SecretName", $"{(spec.SecretName is null ? "a missing value" : $"\"{spec.SecretName}\"")} is not {KubernetesNames.DnsLabelRule}");
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid spec (call <see cref="Validate"/> first).</summary>
    public static ModelBucketAccessPlan Plan(ModelBucketAccessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(spec.Access, spec.Region, spec.Namespaces.IsDefault ? [] : spec.Namespaces, spec.SecretName, spec.Ownership);
    }
}
