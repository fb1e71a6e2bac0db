using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Monitoring;

/// <summary>ServiceMonitors and PodMonitors carry the label kube-prometheus-stack selects them by.</summary>
public sealed class MonitorReleaseLabelRule : IResourceRule
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
        "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    };

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "monitor-release-label", "Monitors carry the Prometheus release label",
        "A ServiceMonitor or PodMonitor carries the label Prometheus selects monitors by (kube-prometheus-stack: release=<release name>); without it nothing is scraped.",
        PolicySeverity.Medium, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(
            ConfigProperty.Text("labelKey", "Label key Prometheus selects monitors by.", "release"),
            ConfigProperty.Text("labelValue", "Expected label value (the kube-prometheus-stack release name).", "kube-prometheus-stack")),
        ["observability"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        if (!Types.Contains(resource.Type))
        {
            yield break;
        }
        var key = context.Text("labelKey");
        var expected = context.Text("labelValue");
        var label = resource["metadata"]["labels"][key];
        if (!label.IsKnown)
        {
            yield return Violation.CannotEvaluate($"label '{key}'");
            yield break;
        }
        var actual = label.AsString();
        if (actual != expected)
        {
            var kind = resource.Type[(resource.Type.LastIndexOf(':') + 1)..];
            yield return new Violation(actual is null
                ? $"{kind} has no '{key}' label; Prometheus selects monitors by '{key}: {expected}'"
                : $"{kind} label '{key}' is '{(label.IsSecret ? "[secret]" : actual)}', Prometheus selects '{expected}'");
        }
    }
}
