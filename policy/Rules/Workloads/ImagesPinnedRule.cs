using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Workloads;

/// <summary>Every container image names a tag other than <c>latest</c>, or a digest.</summary>
public sealed class ImagesPinnedRule : IResourceRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "images-pinned", "Container images are pinned",
        "Every container and init container image has a tag other than 'latest' or a digest, so rollouts are reproducible.",
        PolicySeverity.High, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(ConfigProperty.Flag("requireDigest", "Require an @sha256 digest, not only a tag.", false)),
        ["supply-chain", "kubernetes"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        var workload = Workload.From(resource);
        if (workload is null)
        {
            yield break;
        }
        var requireDigest = context.Flag("requireDigest");
        foreach (var container in workload.Containers())
        {
            var image = container.Value["image"];
            if (!image.IsKnown)
            {
                yield return Violation.CannotEvaluate($"the image of {container.Label}");
                continue;
            }
            var reference = image.AsString();
            var shown = image.IsSecret ? "[secret]" : reference;
            if (string.IsNullOrWhiteSpace(reference))
            {
                yield return new Violation($"{container.Label} has no image");
                continue;
            }
            var problem = Problem(reference, requireDigest);
            if (problem is not null)
            {
                yield return new Violation($"{container.Label} image '{shown}' {problem}");
            }
        }
    }

    /// <summary>Why <paramref name="image"/> is not pinned, or null when it is.</summary>
    public static string? Problem(string image, bool requireDigest)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Contains("@sha256:", StringComparison.Ordinal) || image.Contains("@sha512:", StringComparison.Ordinal))
        {
            return null;
        }
        if (requireDigest)
        {
            return "has no digest (@sha256:...); digests are required by this policy's settings";
        }
        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        if (colon < 0)
        {
            return "has no tag (defaults to 'latest'); pin a version tag or a digest";
        }
        var tag = image[(colon + 1)..];
        return tag.Length == 0 || tag.Equals("latest", StringComparison.OrdinalIgnoreCase)
            ? "uses the 'latest' tag; pin a version tag or a digest"
            : null;
    }
}
