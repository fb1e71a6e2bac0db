using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Serving;

/// <summary>Vector databases run at least three replicas spread by anti-affinity or topology spread (prod).</summary>
public sealed class VectorDbHighAvailabilityRule : IStackRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "vector-db-ha", "Vector databases are highly available",
        "In production a vector database (Qdrant, Weaviate, Milvus) runs at least 3 replicas with pod anti-affinity or a topology spread constraint.",
        PolicySeverity.High, PolicyKind.Stack, EnforcementLevel.Disabled, EnforcementLevel.Mandatory,
        ConfigSchema.Of(
            ConfigProperty.Integer("minReplicas", "Fewest replicas.", 3, 1),
            ConfigProperty.List("imageMarkers", "Image substrings that identify a vector database.", "qdrant", "weaviate", "milvus")),
        ["availability", "serving"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var min = context.Integer("minReplicas");
        var markers = context.List("imageMarkers");
        foreach (var resource in stack.OfType("kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:Deployment"))
        {
            var result = CheckOne(resource, min, markers);
            if (result is not null)
            {
                yield return result;
            }
        }
    }

    private static Violation? CheckOne(ResourceSnapshot resource, int min, IReadOnlyCollection<string> markers)
    {
        try
        {
            var workload = Workload.From(resource)!;
            var images = workload.Containers().Where(c => !c.IsInit).Select(c => c.Value["image"]).ToList();
            if (images.Any(i => !i.IsKnown))
            {
                return null; // cannot tell whether it is a vector DB; other policies report unknown images
            }
            if (!images.Any(i => markers.Any(m => (i.AsString() ?? string.Empty).Contains(m, StringComparison.OrdinalIgnoreCase))))
            {
                return null;
            }
            var problems = new List<string>();
            var replicas = resource["spec"]["replicas"];
            if (!replicas.IsKnown)
            {
                return Violation.CannotEvaluate($"spec.replicas of vector database '{workload.Name}'", resource.Urn);
            }
            if ((replicas.AsNumber() ?? 1) < min)
            {
                problems.Add($"runs {replicas.AsNumber() ?? 1} replica(s), needs at least {min}");
            }
            var spec = workload.PodSpec;
            var spread = !spec["affinity"]["podAntiAffinity"].IsNull || spec["topologySpreadConstraints"].Items().Length > 0;
            if (!spread)
            {
                problems.Add("has no pod anti-affinity or topology spread constraint");
            }
            return problems.Count == 0 ? null : new Violation($"vector database {workload.Kind} '{workload.Name}' {string.Join(" and ", problems)}", resource.Urn);
        }
        catch (UnknownValueException)
        {
            return Violation.CannotEvaluate($"the spec of {resource.Type} '{resource.Name}'", resource.Urn);
        }
    }
}
