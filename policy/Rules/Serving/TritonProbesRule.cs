using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Serving;

/// <summary>Triton containers have readiness and liveness probes on its health endpoints and expose the metrics port.</summary>
public sealed class TritonProbesRule : IResourceRule
{
    /// <summary>Triton's readiness endpoint.</summary>
    public const string ReadyPath = "/v2/health/ready";
    /// <summary>Triton's liveness endpoint.</summary>
    public const string LivePath = "/v2/health/live";

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "triton-probes-and-metrics", "Triton has health probes and its metrics port",
        "A container running tritonserver has a readiness probe on /v2/health/ready, a liveness probe on /v2/health/live and exposes the metrics port (8002).",
        PolicySeverity.Medium, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(
            ConfigProperty.Integer("metricsPort", "Triton's metrics port.", 8002, 1),
            ConfigProperty.Text("imageMarker", "Substring of the image that identifies Triton.", "tritonserver")),
        ["serving", "observability"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        var workload = Workload.From(resource);
        if (workload is null)
        {
            yield break;
        }
        var marker = context.Text("imageMarker");
        var metricsPort = context.Integer("metricsPort");
        foreach (var container in workload.Containers().Where(c => !c.IsInit))
        {
            var image = container.Value["image"];
            if (!image.IsKnown)
            {
                yield return Violation.CannotEvaluate($"the image of {container.Label} (is it Triton?)");
                continue;
            }
            if (!(image.AsString() ?? string.Empty).Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (container.Value["readinessProbe"]["httpGet"]["path"].AsString() != ReadyPath)
            {
                yield return new Violation($"Triton {container.Label} needs a readinessProbe httpGet on {ReadyPath}");
            }
            if (container.Value["livenessProbe"]["httpGet"]["path"].AsString() != LivePath)
            {
                yield return new Violation($"Triton {container.Label} needs a livenessProbe httpGet on {LivePath}");
            }
            if (!container.Value["ports"].Items().Any(p => p["containerPort"].AsNumber() == metricsPort))
            {
                yield return new Violation($"Triton {container.Label} does not expose its metrics port {metricsPort}");
            }
        }
    }
}
