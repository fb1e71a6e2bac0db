using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>
/// The pods of kube-prometheus-stack (<see cref="KubePrometheusStackChart.Version"/>) as
/// <see cref="KubePrometheusStackChart.Values"/> places them. Our values set only Prometheus's volume claim template;
/// placement and resources are the chart defaults, read from prometheus-community/helm-charts at tag
/// kube-prometheus-stack-76.5.1 <c>charts/kube-prometheus-stack/values.yaml</c> (operator, Prometheus, Alertmanager:
/// <c>resources: {}</c>, <c>tolerations: []</c>; Alertmanager without storage), Grafana 9.3.4 and kube-state-metrics 6.1.4
/// (<c>resources: {}</c>, <c>tolerations: []</c>), and prometheus-node-exporter 4.47.3 <c>values.yaml</c>
/// (<c>tolerations: [{effect: NoSchedule, operator: Exists}]</c>, <c>nodeSelector: kubernetes.io/os: linux</c>).
/// Names follow <c>fullnameOverride: &lt;release&gt;</c>.
/// </summary>
public static class KubePrometheusStackWorkloads
{
    /// <summary>Pod labels of the Prometheus pods the operator creates for <paramref name="release"/>.</summary>
    public static ImmutableSortedDictionary<string, string> PrometheusPodLabels(string release) =>
        WorkloadShape.Labels(("app.kubernetes.io/name", "prometheus"), ("prometheus", $"{release}-prometheus"));

    /// <summary>The chart's pods.</summary>
    /// <param name="settings">Release, namespace and the Prometheus volume's StorageClass.</param>
    public static ImmutableArray<WorkloadShape> For(PrometheusSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (r, ns) = (settings.Release, settings.Namespace);
        var source = "kube-prometheus-stack " + KubePrometheusStackChart.Version;
        return
        [
            new("Deployment", ns, $"{r}-operator", source, WorkloadShape.Labels(("app", $"{r}-operator")), [], WorkloadShape.NoRequests),
            new("StatefulSet", ns, $"prometheus-{r}-prometheus", source, PrometheusPodLabels(r), [], WorkloadShape.NoRequests) { ClaimTemplates = [settings.StorageClass] },
            new("StatefulSet", ns, $"alertmanager-{r}-alertmanager", source, WorkloadShape.Labels(("app.kubernetes.io/name", "alertmanager")), [], WorkloadShape.NoRequests),
            new("Deployment", ns, $"{r}-grafana", source, WorkloadShape.Labels(("app.kubernetes.io/name", "grafana")), [], WorkloadShape.NoRequests),
            new("Deployment", ns, $"{r}-kube-state-metrics", source, WorkloadShape.Labels(("app.kubernetes.io/name", "kube-state-metrics")), [], WorkloadShape.NoRequests),
            new("DaemonSet", ns, $"{r}-prometheus-node-exporter", source, WorkloadShape.Labels(("app.kubernetes.io/name", "prometheus-node-exporter")), [WorkloadShape.Exists(null, TaintEffect.NoSchedule)], WorkloadShape.NoRequests)
            {
                NodeSelector = WorkloadShape.Labels(("kubernetes.io/os", "linux")),
            },
        ];
    }
}
