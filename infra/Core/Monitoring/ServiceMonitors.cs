using System.Collections.Immutable;
using NeoCloud.Infra.Core.Serving;
using static NeoCloud.Infra.Core.Monitoring.KubePrometheusStackChart;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>ServiceMonitor specs (monitoring.coreos.com/v1) as plain data.</summary>
public static class ServiceMonitors
{
    /// <summary>API version of ServiceMonitor and PrometheusRule.</summary>
    public const string ApiVersion = "monitoring.coreos.com/v1";

    /// <summary>Scrape interval.</summary>
    public const string Interval = "15s";

    /// <summary>The GPU Operator's DCGM exporter Service label.</summary>
    public const string DcgmExporterApp = "nvidia-dcgm-exporter";

    /// <summary>The DCGM exporter's metrics port name.</summary>
    public const string DcgmPortName = "gpu-metrics";

    /// <summary>Scrapes one Triton Service's <c>metrics</c> port.</summary>
    /// <param name="selector">The Service's selector labels.</param>
    public static ImmutableSortedDictionary<string, object> Triton(IReadOnlyDictionary<string, string> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var endpoint = Map(("port", TritonServer.Metrics.Name), ("path", "/metrics"), ("interval", Interval));
        return Map(
            ("selector", Map(("matchLabels", selector.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal)))),
            ("endpoints", ImmutableArray.Create<object>(endpoint)));
    }

    /// <summary>
    /// Scrapes the GPU Operator's DCGM exporter in <paramref name="gpuOperatorNamespace"/>, copying the pod's node name
    /// into the <c>node</c> label so GPU series join <c>kube_node_labels</c> (the pool).
    /// </summary>
    /// <param name="gpuOperatorNamespace">The GPU Operator's namespace.</param>
    public static ImmutableSortedDictionary<string, object> DcgmExporter(string gpuOperatorNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(gpuOperatorNamespace);
        var relabel = Map(("sourceLabels", ImmutableArray.Create<object>("__meta_kubernetes_pod_node_name")), ("targetLabel", "node"), ("action", "replace"));
        var endpoint = Map(("port", DcgmPortName), ("path", "/metrics"), ("interval", Interval), ("relabelings", ImmutableArray.Create<object>(relabel)));
        return Map(
            ("namespaceSelector", Map(("matchNames", ImmutableArray.Create<object>(gpuOperatorNamespace)))),
            ("selector", Map(("matchLabels", Map(("app", DcgmExporterApp))))),
            ("endpoints", ImmutableArray.Create<object>(endpoint)));
    }
}
