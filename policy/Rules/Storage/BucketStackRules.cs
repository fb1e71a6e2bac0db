using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Storage;

/// <summary>Finds, per bucket, whether a companion of a kind configures it.</summary>
internal static class BucketCompanionSearch
{
    /// <summary>Violations for each bucket (selected by <paramref name="applies"/>) without a companion of <paramref name="kind"/> satisfying <paramref name="accept"/>.</summary>
    public static IEnumerable<Violation> Missing(StackSnapshot stack, BucketCompanion kind, Func<ResourceSnapshot, bool> applies,
        Func<ResourceSnapshot, bool> accept, Func<ResourceSnapshot, string> message)
    {
        var companions = stack.OfType(BucketResources.CompanionTypes[kind]).ToList();
        foreach (var bucket in stack.OfType(BucketResources.BucketTypes).Where(applies))
        {
            var matches = companions.Select(c => (Companion: c, Match: BucketResources.Configures(c, bucket))).ToList();
            if (matches.Any(m => m.Match == true && accept(m.Companion)))
            {
                continue;
            }
            yield return matches.Any(m => m.Match is null)
                ? Violation.CannotEvaluate($"which bucket a {kind} resource configures (for bucket '{bucket.Name}')", bucket.Urn)
                : new Violation(message(bucket), bucket.Urn);
        }
    }
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
        "A bucket whose name or neocloud.io/bucket-purpose tag says checkpoint or model has a lifecycle configuration with at least one Enabled rule (old checkpoints and noncurrent versions expire).",
        PolicySeverity.Medium, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.List("bucketMarkers", "Words in a bucket's name or purpose tag that require lifecycle rules.", "checkpoint", "model")),
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
        "bucket-replication-prod", "Model buckets are replicated",
        "In production every model bucket has a BucketReplicationConfig (cross-region copy of the weights serving depends on).",
        PolicySeverity.High, PolicyKind.Stack, EnforcementLevel.Disabled, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.List("bucketMarkers", "Words in a bucket's name or purpose tag that require replication.", "model")),
        ["storage", "availability"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var markers = context.List("bucketMarkers");
        return BucketCompanionSearch.Missing(stack, BucketCompanion.Replication, b => BucketResources.Matches(b, markers), _ => true,
            b => $"model bucket '{b.Name}' has no BucketReplicationConfig");
    }
}
