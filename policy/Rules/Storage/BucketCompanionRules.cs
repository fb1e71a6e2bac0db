using System.Text.Json;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Storage;

/// <summary>Versioning companions enable versioning.</summary>
public sealed class BucketVersioningRule : IResourceRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "bucket-versioning-enabled", "Buckets are versioned",
        "A bucket's versioning configuration has status Enabled (checkpoints and model weights survive overwrites and deletes; replication needs it).",
        PolicySeverity.High, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None, ["storage"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        if (BucketResources.CompanionOf(resource.Type) != BucketCompanion.Versioning)
        {
            return [];
        }
        var status = resource["versioningConfiguration"]["status"];
        if (!status.IsKnown)
        {
            return [Violation.CannotEvaluate("versioningConfiguration.status")];
        }
        return status.AsString() == "Enabled" ? [] : [new Violation($"bucket versioning status is '{status.Display()}', expected 'Enabled'")];
    }
}

/// <summary>Encryption companions use SSE-KMS.</summary>
public sealed class BucketKmsEncryptionRule : IResourceRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "bucket-kms-encryption", "Buckets are KMS-encrypted",
        "A bucket's server-side encryption configuration uses aws:kms (or aws:kms:dsse), optionally with a customer managed key.",
        PolicySeverity.High, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.Flag("requireKeyId", "Require kmsMasterKeyId (a customer managed key).", false)), ["storage", "encryption"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        if (BucketResources.CompanionOf(resource.Type) != BucketCompanion.Encryption)
        {
            return [];
        }
        var rules = resource["rules"];
        if (!rules.IsKnown)
        {
            return [Violation.CannotEvaluate("the encryption rules")];
        }
        var defaults = rules.Items().Select(r => r["applyServerSideEncryptionByDefault"]).ToList();
        if (defaults.Any(d => !d.IsKnown || !d["sseAlgorithm"].IsKnown))
        {
            return [Violation.CannotEvaluate("sseAlgorithm")];
        }
        var kms = defaults.Where(d => d["sseAlgorithm"].AsString() is "aws:kms" or "aws:kms:dsse").ToList();
        if (kms.Count == 0)
        {
            return [new Violation("bucket encryption does not use aws:kms; set applyServerSideEncryptionByDefault.sseAlgorithm to aws:kms")];
        }
        if (context.Flag("requireKeyId") && !kms.Any(d => !d["kmsMasterKeyId"].IsKnown || !string.IsNullOrEmpty(d["kmsMasterKeyId"].AsString())))
        {
            return [new Violation("bucket encryption uses the AWS managed key; set kmsMasterKeyId to a customer managed key")];
        }
        return [];
    }
}

/// <summary>Public access blocks set all four flags.</summary>
public sealed class BucketPublicAccessBlockRule : IResourceRule
{
    private static readonly string[] Flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "bucket-public-access-blocked", "Bucket public access is blocked",
        "A bucket's public access block sets blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
        PolicySeverity.Critical, PolicyKind.Resource, EnforcementLevel.Mandatory, EnforcementLevel.Mandatory, ConfigSchema.None, ["storage", "security"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        if (BucketResources.CompanionOf(resource.Type) != BucketCompanion.PublicAccessBlock)
        {
            yield break;
        }
        foreach (var flag in Flags)
        {
            var value = resource[flag];
            if (!value.IsKnown)
            {
                yield return Violation.CannotEvaluate(flag);
            }
            else if (value.AsBool() != true)
            {
                yield return new Violation($"public access block must set {flag} = true");
            }
        }
    }
}

/// <summary>Bucket policies deny requests without TLS.</summary>
public sealed class BucketTlsOnlyRule : IResourceRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "bucket-tls-only", "Buckets accept TLS requests only",
        "A bucket policy has a Deny statement with condition Bool aws:SecureTransport = false.",
        PolicySeverity.High, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None, ["storage", "security"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        if (BucketResources.CompanionOf(resource.Type) != BucketCompanion.Policy)
        {
            return [];
        }
        var policy = resource["policy"];
        if (!policy.IsKnown)
        {
            return [Violation.CannotEvaluate("the bucket policy document")];
        }
        var document = policy.Known();
        if (document is StringValue text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text.Value);
                document = PulumiWireValues.Decode(doc.RootElement);
            }
            catch (JsonException)
            {
                return [new Violation("the bucket policy is not valid JSON")];
            }
        }
        return DeniesInsecureTransport(document) ? [] : [new Violation("the bucket policy has no Deny statement for aws:SecureTransport = false; add one so only TLS requests are served")];
    }

    /// <summary>True when the policy document has a Deny statement conditioned on aws:SecureTransport false.</summary>
    public static bool DeniesInsecureTransport(PropertyValue document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var statements = document["Statement"];
        var list = statements.Known() is ArrayValue ? statements.Items() : [statements];
        return list.Any(s =>
            s["Effect"].AsString() == "Deny" &&
            s["Condition"]["Bool"].Entries().Any(c =>
                c.Key.Equals("aws:SecureTransport", StringComparison.OrdinalIgnoreCase) &&
                (c.Value.Known() is ArrayValue ? c.Value.Items() : [c.Value]).Any(v => v.AsBool() == false)));
    }
}
