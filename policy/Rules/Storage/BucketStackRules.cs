using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Storage;

/// <summary>
/// Finds, per bucket, whether a companion of a kind configures it. Companions are indexed once by the bucket URNs their
/// <c>bucket</c> property depends on and by the bucket name it holds, so a stack of N buckets and N companions costs
/// O(N), not O(N²) (<see cref="BucketResources.Configures"/> still decides each candidate).
/// </summary>
internal static class BucketCompanionSearch
{
    /// <summary>Violations for each bucket (selected by <paramref name="applies"/>) without a companion of <paramref name="kind"/> satisfying <paramref name="accept"/>.</summary>
    public static IEnumerable<Violation> Missing(StackSnapshot stack, BucketCompanion kind, Func<ResourceSnapshot, bool> applies,
        Func<ResourceSnapshot, bool> accept, Func<ResourceSnapshot, string> message)
    {
        var byKey = new Dictionary<string, List<ResourceSnapshot>>(StringComparer.Ordinal);
        var undecided = false; // a companion whose bucket is unknown and has no dependency: it may configure any bucket
        foreach (var companion in stack.OfType(BucketResources.CompanionTypes[kind]))
        {
            if (companion.PropertyDependencies.TryGetValue("bucket", out var urns))
            {
                foreach (var urn in urns)
                {
                    Add(byKey, "urn:" + urn, companion);
                }
            }

            var reference = companion["bucket"];
            if (!reference.IsKnown)
            {
                undecided |= !companion.PropertyDependencies.ContainsKey("bucket");
            }
            else if (reference.AsString() is { Length: > 0 } name)
            {
                Add(byKey, "name:" + name, companion);
            }
        }

        foreach (var bucket in stack.OfType(BucketResources.BucketTypes).Where(applies))
        {
            var candidates = new List<ResourceSnapshot>();
            foreach (var key in new[] { "urn:" + bucket.Urn, "name:" + KnownText(bucket["bucket"]), "name:" + KnownText(bucket["id"]) })
            {
                if (byKey.TryGetValue(key, out var found))
                {
                    candidates.AddRange(found);
                }
            }

            if (candidates.Any(c => BucketResources.Configures(c, bucket) == true && accept(c)))
            {
                continue;
            }
            yield return undecided
                ? Violation.CannotEvaluate($"which bucket a {kind} resource configures (for bucket '{bucket.Name}')", bucket.Urn)
                : new Violation(message(bucket), bucket.Urn);
        }
    }

    private static void Add(Dictionary<string, List<ResourceSnapshot>> index, string key, ResourceSnapshot companion)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        if (list.Count == 0 || !ReferenceEquals(list[^1], companion))
        {
            list.Add(companion);
        }
    }

    private static string? KnownText(PropertyValue value) => value.IsKnown ? value.AsString() : null;
}

/// <summary>Every bucket has its versioning, encryption, public access block and policy resources.</summary>
public sealed class BucketCompanionsPresentRule : IStackRule
{
    private static readonly BucketCompanion[] Required = [BucketCompanion.Versioning, BucketCompanion.Encryption, BucketCompanion.PublicAccessBlock, BucketCompanion.Policy];

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "bucket-companions-present", "Buckets have versioning, encryption, public access block and policy",
        "Every S3 bucket has a versioning configuration, a server-side encryption configuration, a public access block and a bucket policy resource (their settings are checked by the bucket-* resource policies).",
        PolicySeverity.High, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None, ["storage"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context) =>
        Required.SelectMany(kind => BucketCompanionSearch.Missing(stack, kind, _ => true, _ => true,
            b => $"bucket '{b.Name}' has no {kind} resource ({BucketResources.CompanionTypes[kind][0]})"));
}

/// <summary>Checkpoint and model buckets have enabled lifecycle rules.</summary>
public sealed class BucketLifecycleRule : IStackRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "bucket-lifecycle-rules", "Checkpoint and model buckets have lifecycle rules",
        "A bucket whose name says checkpoint or model has a lifecycle configuration with at least one Enabled rule (old checkpoints and noncurrent versions expire).",
        PolicySeverity.Medium, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.List("bucketMarkers", "Words in a bucket's name that require lifecycle rules.", "checkpoint", "model")),
        ["storage", "cost"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var markers = context.List("bucketMarkers");
        return BucketCompanionSearch.Missing(stack, BucketCompanion.Lifecycle, b => BucketResources.Matches(b, markers),
            l => !l["rules"].IsKnown || l["rules"].Items().Any(r => !r["status"].IsKnown || r["status"].AsString() == "Enabled"),
            b => $"bucket '{b.Name}' holds checkpoints or models but has no lifecycle configuration with an Enabled rule");
    }
}

/// <summary>Model buckets are replicated (prod).</summary>
public sealed class BucketReplicationRule : IStackRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        ConfigChecks.BucketsReplicatedInProd, "Model buckets are replicated",
        "In production every model bucket has a BucketReplicationConfig (cross-region copy of the weights serving depends on); the copy itself (tag neocloud.io/bucket-role: replica) does not need one.",
        PolicySeverity.High, PolicyKind.Stack, EnforcementLevel.Disabled, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.List("bucketMarkers", "Words in a bucket's name that require replication.", "model")),
        ["storage", "availability"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var markers = context.List("bucketMarkers");
        return BucketCompanionSearch.Missing(stack, BucketCompanion.Replication, b => BucketResources.Matches(b, markers) && !BucketResources.IsReplica(b), _ => true,
            b => $"model bucket '{b.Name}' has no BucketReplicationConfig");
    }
}
