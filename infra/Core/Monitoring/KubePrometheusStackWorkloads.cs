using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>
/// The pods of kube-prometheus-stack (<see cref="KubePrometheusStackChart.Version"/>) as
/// <see cref="KubePrometheusStackChart.Values"/> places them. Our values set Prometheus's volume claim template and, on a
/// cluster with a system pool, the <c>nodeSelector</c> of every Deployment and StatefulSet
/// (<see cref="PrometheusSettings.NodeSelector"/>, keys <see cref="KubePrometheusStackChart.NodeSelectorPaths"/>);
/// tolerations and resources are the chart defaults, read from prometheus-community/helm-charts at tag
/// kube-prometheus-stack-88.5.3 <c>charts/kube-prometheus-stack/values.yaml</c> (operator, Prometheus, Alertmanager:
/// <c>resources: {}</c>, <c>tolerations: []</c>; Alertmanager without storage), kube-state-metrics 8.4.0
/// (<c>nodeSelector: {}</c>, <c>tolerations: []</c>), Grafana (<c>tolerations: []</c>), and prometheus-node-exporter
/// <c>values.yaml</c> (<c>tolerations: [{effect: NoSchedule, operator: Exists}]</c>, <c>nodeSelector: kubernetes.io/os: linux</c>).
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
        var values = KubePrometheusStackChart.Values(settings, ImmutableSortedDictionary<string, string>.Empty);
        ImmutableSortedDictionary<string, string> At(params string[] path) => Gpu.GpuOperatorWorkloads.Selector(values, path);
        return
        [
            new("Deployment", ns, $"{r}-operator", source, WorkloadShape.Labels(("app", $"{r}-operator")), [], WorkloadShape.NoRequests) { NodeSelector = At("prometheusOperator") },
            new("StatefulSet", ns, $"prometheus-{r}-prometheus", source, PrometheusPodLabels(r), [], WorkloadShape.NoRequests) { ClaimTemplates = [settings.StorageClass], NodeSelector = At("prometheus", "prometheusSpec") },
            new("StatefulSet", ns, $"alertmanager-{r}-alertmanager", source, WorkloadShape.Labels(("app.kubernetes.io/name", "alertmanager")), [], WorkloadShape.NoRequests) { NodeSelector = At("alertmanager", "alertmanagerSpec") },
            new("Deployment", ns, $"{r}-grafana", source, WorkloadShape.Labels(("app.kubernetes.io/name", "grafana")), [], WorkloadShape.NoRequests) { NodeSelector = At("grafana") },
            new("Deployment", ns, $"{r}-kube-state-metrics", source, WorkloadShape.Labels(("app.kubernetes.io/name", "kube-state-metrics")), [], WorkloadShape.NoRequests) { NodeSelector = At("kube-state-metrics") },
            new("DaemonSet", ns, $"{r}-prometheus-node-exporter", source, WorkloadShape.Labels(("app.kubernetes.io/name", "prometheus-node-exporter")), [WorkloadShape.Exists(null, TaintEffect.NoSchedule)], WorkloadShape.NoRequests)
            {
                NodeSelector = WorkloadShape.Labels(("kubernetes.io/os", "linux")),
            },
        ];
    }
}
