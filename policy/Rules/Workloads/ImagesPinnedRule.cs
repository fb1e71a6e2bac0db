using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Core.Tenancy;
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

    /// <summary>
    /// Why <paramref name="image"/> is not pinned, or null when it is: the tenant admission policy's rule
    /// (<see cref="PodAdmissionRules.ImageProblem"/>, one implementation so pack and API server cannot drift), plus this
    /// pack's <c>requireDigest</c> setting.
    /// </summary>
    public static string? Problem(string image, bool requireDigest)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (requireDigest && !image.Contains("@sha256:", StringComparison.Ordinal) && !image.Contains("@sha512:", StringComparison.Ordinal))
        {
            return "has no digest (@sha256:...); digests are required by this policy's settings";
        }

        return PodAdmissionRules.ImageProblem(image);
    }
}
