using System.Collections.Immutable;
using NeoCloud.Infra.Core.Charts;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>The chart-facing part of a <see cref="PrometheusStackPlan"/>: what <see cref="KubePrometheusStackChart.Values"/> and the platform check read.</summary>
/// <param name="Release">Helm release name; also the <c>release</c> label every monitor and rule must carry, and the
/// chart's <c>fullnameOverride</c> (at most 26 characters, the chart truncates longer names).</param>
/// <param name="Namespace">Namespace of the release.</param>
/// <param name="Retention">Prometheus retention, e.g. <c>15d</c>.</param>
/// <param name="StorageSize">Prometheus volume size, e.g. <c>100Gi</c>.</param>
/// <param name="StorageClass">Storage class of the volume, or null for the cluster default.</param>
public sealed record PrometheusSettings(string Release, string Namespace, string Retention, string StorageSize, string? StorageClass)
{
    /// <summary>True when Alertmanager reads its configuration (receivers) from <see cref="KubePrometheusStackChart.AlertmanagerConfigSecretName"/>; false keeps the chart's default configuration, which notifies no one.</summary>
    public bool AlertmanagerConfigured { get; init; }

    /// <summary>
    /// Node selector of the chart's Deployments and StatefulSets (operator, Prometheus, Alertmanager, Grafana,
    /// kube-state-metrics): the cluster's system pools (<see cref="Gpu.SystemAddonPlacement.NodeSelector"/>). Empty (the
    /// default): the chart's placement. The node exporter DaemonSet runs on every node either way.
    /// </summary>
    public ImmutableSortedDictionary<string, string> NodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>The official kube-prometheus-stack chart: pin, values, and the service names the values lead to.</summary>
public static class KubePrometheusStackChart
{
    /// <summary>Chart repository.</summary>
    public const string Repository = "https://prometheus-community.github.io/helm-charts";

    /// <summary>Chart name.</summary>
    public const string Chart = "kube-prometheus-stack";

    /// <summary>
    /// Pinned chart version: prometheus-community/helm-charts tag <c>kube-prometheus-stack-88.5.3</c>,
    /// charts/kube-prometheus-stack/Chart.yaml <c>version: 88.5.3</c> (appVersion v0.93.1; the newest 88.x tag). Every key
    /// <see cref="Values"/> sets is in that tag's values.yaml (fullnameOverride, commonLabels, crds.enabled,
    /// prometheusOperator.admissionWebhooks.enabled/.patch.enabled, prometheusOperator.tls.enabled,
    /// prometheus.prometheusSpec.{retention,serviceMonitorSelectorNilUsesHelmValues,podMonitorSelectorNilUsesHelmValues,
    /// ruleSelectorNilUsesHelmValues,storageSpec}, grafana.admin.{existingSecret,userKey,passwordKey},
    /// grafana.sidecar.dashboards.{enabled,label,labelValue,searchNamespace},
    /// alertmanager.alertmanagerSpec.{useExistingSecret,configSecret}) or, for kube-state-metrics.metricLabelsAllowlist,
    /// in its kube-state-metrics 8.4.0 dependency's values.yaml (tag kube-state-metrics-8.4.0).
    /// </summary>
    public const string Version = "88.5.3";

    /// <summary>The pinned chart: <see cref="Repository"/>, <see cref="Chart"/>, <see cref="Version"/>.</summary>
    public static readonly HelmChartPin Pin = new(Repository, Chart, Version);

    /// <summary>Key of the Grafana admin user in <see cref="GrafanaAdminSecretName"/> (the chart's <c>grafana.admin.userKey</c> default).</summary>
    public const string GrafanaAdminUserKey = "admin-user";

    /// <summary>Key of the Grafana admin password in <see cref="GrafanaAdminSecretName"/> (the chart's <c>grafana.admin.passwordKey</c> default).</summary>
    public const string GrafanaAdminPasswordKey = "admin-password";

    /// <summary>The Secret holding Grafana's admin credentials (the component creates it; the chart reads it).</summary>
    /// <param name="release">Release name.</param>
    public static string GrafanaAdminSecretName(string release) => $"{release}-grafana-admin";

    /// <summary>The Secret holding Alertmanager's configuration (key <see cref="AlertmanagerConfig.ConfigKey"/>).</summary>
    /// <param name="release">Release name.</param>
    public static string AlertmanagerConfigSecretName(string release) => $"{release}-alertmanager-config";

    /// <summary>The Prometheus port.</summary>
    public const int PrometheusPort = 9090;

    /// <summary>The label monitors and rules need to be selected (<c>serviceMonitorSelectorNilUsesHelmValues: true</c>).</summary>
    public const string ReleaseLabel = "release";

    /// <summary>
    /// In-cluster Prometheus URL. The values set <c>fullnameOverride</c> to the release name, so the chart's Service is
    /// <c>&lt;release&gt;-prometheus</c> whatever the release is called (without it the chart derives
    /// <c>&lt;release&gt;-kube-prometheus-prometheus</c> truncated at 26 characters before the suffix).
    /// </summary>
    /// <param name="release">Release name.</param>
    /// <param name="ns">Namespace.</param>
    public static string PrometheusAddress(string release, string ns) => $"http://{release}-prometheus.{ns}.svc:{PrometheusPort}";

    /// <summary>
    /// Chart values: deterministic names (<c>fullnameOverride</c>), retention and a persistent volume for Prometheus,
    /// admission webhooks off (their certificates come from Helm hook Jobs, which a client-side rendered chart does not
    /// run as Helm does), default monitor selection (so our monitors carry the release label), the Grafana dashboard
    /// sidecar on, and kube-state-metrics exporting the node label <c>neocloud.io/pool</c> for per-pool GPU alerts.
    /// </summary>
    /// <param name="settings">The settings.</param>
    /// <param name="labels">Labels every object of the chart carries (cost attribution).</param>
    public static ImmutableSortedDictionary<string, object> Values(PrometheusSettings settings, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(labels);
        var claimSpec = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        claimSpec["accessModes"] = ImmutableArray.Create<object>("ReadWriteOnce");
        claimSpec["resources"] = Map(("requests", Map(("storage", settings.StorageSize))));
        if (settings.StorageClass is not null)
        {
            claimSpec["storageClassName"] = settings.StorageClass;
        }

        var commonLabels = CommonLabels(labels).ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
        var values = Map(
            ("fullnameOverride", settings.Release),
            ("commonLabels", commonLabels),
            ("crds", Map(("enabled", true))),
            ("prometheusOperator", Map(("admissionWebhooks", Map(("enabled", false), ("patch", Map(("enabled", false))))), ("tls", Map(("enabled", false))))),
            ("prometheus", Map(("prometheusSpec", Map(
                ("retention", settings.Retention),
                ("serviceMonitorSelectorNilUsesHelmValues", true),
                ("podMonitorSelectorNilUsesHelmValues", true),
                ("ruleSelectorNilUsesHelmValues", true),
                ("storageSpec", Map(("volumeClaimTemplate", Map(("spec", claimSpec.ToImmutable()))))))))),
            // Grafana never runs with the chart's default admin/prom-operator credentials: it reads them from a Secret
            // (kube-prometheus-stack 88.5.3 values.yaml grafana.admin.{existingSecret,userKey,passwordKey}).
            ("grafana", Map(
                ("admin", Map(("existingSecret", GrafanaAdminSecretName(settings.Release)), ("userKey", GrafanaAdminUserKey), ("passwordKey", GrafanaAdminPasswordKey))),
                ("sidecar", Map(("dashboards", Map(("enabled", true), ("label", GrafanaDashboards.Label), ("labelValue", GrafanaDashboards.LabelValue), ("searchNamespace", "ALL"))))))),
            // With receivers, Alertmanager reads its whole configuration from our Secret (values.yaml
            // alertmanager.alertmanagerSpec.useExistingSecret / configSecret; templates/alertmanager/alertmanager.yaml).
            ("alertmanager", settings.AlertmanagerConfigured
                ? Map(("alertmanagerSpec", Map(("useExistingSecret", true), ("configSecret", AlertmanagerConfigSecretName(settings.Release)))))
                : Map(("enabled", true))),
            ("kube-state-metrics", Map(("metricLabelsAllowlist", ImmutableArray.Create<object>($"nodes=[{ResourceLabels.Pool}]")))));
        return Gpu.SystemAddonPlacement.ChartValue(settings.NodeSelector ?? ImmutableSortedDictionary<string, string>.Empty) is { } selector
            ? WithNodeSelector(values, selector)
            : values;
    }

    /// <summary>
    /// The keys that place the chart's pods (kube-prometheus-stack 88.5.3 values.yaml <c>prometheusOperator.nodeSelector</c>,
    /// <c>prometheus.prometheusSpec.nodeSelector</c>, <c>alertmanager.alertmanagerSpec.nodeSelector</c>; the
    /// kube-state-metrics 8.4.0 and grafana charts' top-level <c>nodeSelector</c>), each path from the values' root.
    /// </summary>
    public static readonly ImmutableArray<ImmutableArray<string>> NodeSelectorPaths =
    [
        ["prometheusOperator"], ["prometheus", "prometheusSpec"], ["alertmanager", "alertmanagerSpec"], ["grafana"], ["kube-state-metrics"],
    ];

    private static ImmutableSortedDictionary<string, object> WithNodeSelector(ImmutableSortedDictionary<string, object> values, ImmutableSortedDictionary<string, object> selector)
    {
        foreach (var path in NodeSelectorPaths)
        {
            values = SetAt(values, path, 0, selector);
        }

        return values;
    }

    private static ImmutableSortedDictionary<string, object> SetAt(ImmutableSortedDictionary<string, object> node, ImmutableArray<string> path, int depth, object selector)
    {
        var child = node.TryGetValue(path[depth], out var existing) && existing is ImmutableSortedDictionary<string, object> map ? map : Map();
        var updated = depth == path.Length - 1 ? child.SetItem("nodeSelector", selector) : SetAt(child, path, depth + 1, selector);
        return node.SetItem(path[depth], updated);
    }

    /// <summary>
    /// The labels the chart writes on its objects itself (kube-prometheus-stack 88.5.3 templates/_helpers.tpl,
    /// <c>kube-prometheus-stack.labels</c>: managed-by, instance, version, part-of, chart, release, heritage; its
    /// templates and subcharts add <c>app.kubernetes.io/name</c> and <c>component</c> per object). <c>commonLabels</c>
    /// is appended after them, so repeating one would emit a duplicate key whose last value wins.
    /// </summary>
    public static readonly ImmutableArray<string> ChartOwnedLabels = ["chart", "heritage", ReleaseLabel];

    /// <summary>
    /// The <c>commonLabels</c> value: <paramref name="labels"/> without <c>app.kubernetes.io/*</c> and
    /// <see cref="ChartOwnedLabels"/>, i.e. our cost-attribution labels only.
    /// </summary>
    /// <param name="labels">The component's labels.</param>
    public static ImmutableSortedDictionary<string, string> CommonLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Where(kv => !kv.Key.StartsWith("app.kubernetes.io/", StringComparison.Ordinal) && !ChartOwnedLabels.Contains(kv.Key))
            .ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    internal static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
