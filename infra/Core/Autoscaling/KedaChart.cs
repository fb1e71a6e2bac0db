using System.Collections.Immutable;
using NeoCloud.Infra.Core.Charts;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>The official KEDA Helm chart: where it comes from, the pinned version, and this library's values.</summary>
public static class KedaChart
{
    /// <summary>Chart repository.</summary>
    public const string Repository = "https://kedacore.github.io/charts";

    /// <summary>Chart name.</summary>
    public const string Chart = "keda";

    /// <summary>
    /// Pinned chart version (the chart and KEDA share version numbers): kedacore/charts tag <c>v2.20.2</c>, keda/Chart.yaml
    /// <c>version: 2.20.2</c>, <c>appVersion: 2.20.2</c> (the newest tag). Every key <see cref="Values"/> sets is in that
    /// tag's keda/values.yaml (crds.install, additionalLabels, prometheus.{operator,metricServer}.enabled and
    /// .serviceMonitor.{enabled,additionalLabels}).
    /// </summary>
    public const string Version = "2.20.2";

    /// <summary>The pinned chart: <see cref="Repository"/>, <see cref="Chart"/>, <see cref="Version"/>.</summary>
    public static readonly HelmChartPin Pin = new(Repository, Chart, Version);

    /// <summary>
    /// Chart values: CRDs installed by the chart (so ScaledObjects can depend on it), and, when
    /// <paramref name="prometheusReleaseLabel"/> is given, the operator's metrics scraped through a ServiceMonitor
    /// carrying <c>release: &lt;label&gt;</c> so the KEDA scaler-error alerts have data.
    /// </summary>
    /// <param name="prometheusReleaseLabel">The kube-prometheus-stack release label, or null when not monitored.</param>
    /// <param name="labels">Labels every object of the chart carries (cost attribution).</param>
    /// <param name="nodeSelector">
    /// Node selector of the operator, the metrics API server and the admission webhooks (the cluster's system pools), or
    /// null/empty for the chart's placement. kedacore/charts v2.20.2 <c>keda/values.yaml</c> top-level <c>nodeSelector</c>,
    /// which <c>templates/{manager,metrics-server,webhooks}/deployment.yaml</c> each use (<c>.Values.&lt;component&gt;.nodeSelector
    /// | default .Values.nodeSelector</c>, after <c>kubernetes.io/os: linux</c>).
    /// </param>
    public static ImmutableSortedDictionary<string, object> Values(string? prometheusReleaseLabel, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string>? nodeSelector = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var values = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        values["crds"] = Map(("install", true));
        values["additionalLabels"] = labels.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
        if (prometheusReleaseLabel is not null)
        {
            var monitor = Map(("enabled", true), ("additionalLabels", Map(("release", prometheusReleaseLabel))));
            values["prometheus"] = Map(
                ("operator", Map(("enabled", true), ("serviceMonitor", monitor))),
                ("metricServer", Map(("enabled", true), ("serviceMonitor", monitor))));
        }

        if (Gpu.SystemAddonPlacement.ChartValue(nodeSelector ?? ImmutableSortedDictionary<string, string>.Empty) is { } selector)
        {
            values["nodeSelector"] = selector;
        }

        return values.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
