using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;
using Random = Pulumi.Random;

namespace NeoCloud.Infra.Components.Monitoring;

/// <summary>Inputs of a <see cref="PrometheusStack"/>.</summary>
public sealed class PrometheusStackArgs : ResourceArgs
{
    /// <summary>Namespace of the stack. Defaults to "monitoring".</summary>
    public string Namespace { get; init; } = "monitoring";

    /// <summary>Whether the component creates <see cref="Namespace"/>. Defaults to true.</summary>
    public bool CreateNamespace { get; init; } = true;

    /// <summary>Helm release name, the <c>release</c> label monitors must carry, and the chart's fullnameOverride (DNS label, at most 26 characters). Defaults to "monitoring".</summary>
    public string ReleaseName { get; init; } = "monitoring";

    /// <summary>Prometheus retention, e.g. "15d". Defaults to "15d".</summary>
    public string Retention { get; init; } = "15d";

    /// <summary>Prometheus volume size. Defaults to "100Gi".</summary>
    public string StorageSize { get; init; } = "100Gi";

    /// <summary>Storage class of the Prometheus volume. Defaults to null (the cluster default).</summary>
    public string? StorageClass { get; init; }

    /// <summary>Environment (stack): label <c>neocloud.io/environment</c>. Required.</summary>
    public required string Environment { get; init; }

    /// <summary>Cost center: label <c>neocloud.io/cost-center</c>. Required.</summary>
    public required string CostCenter { get; init; }

    /// <summary>
    /// The GPU Operator's namespace: when set, a ServiceMonitor scrapes its DCGM exporter (with the <c>node</c> label the
    /// GPU alerts join on). Leave null when the GPU Operator's own <c>dcgmExporter.serviceMonitor</c> is enabled with
    /// the same relabeling. Defaults to null.
    /// </summary>
    public string? GpuOperatorNamespace { get; init; }

    /// <summary>Grafana's admin user. Defaults to "admin".</summary>
    public string GrafanaAdminUser { get; init; } = "admin";

    /// <summary>
    /// Grafana's admin password (a Pulumi secret, e.g. <c>config.RequireSecret(...)</c>). Defaults to null: a 32-character
    /// password is generated (Pulumi.Random). Either way it is stored in the Secret <c>&lt;release&gt;-grafana-admin</c>
    /// the chart reads (<c>grafana.admin.existingSecret</c>), so Grafana never runs with the chart's default credentials.
    /// </summary>
    public Input<string>? GrafanaAdminPassword { get; init; }

    /// <summary>
    /// Alertmanager receivers. Defaults to none: the chart's default configuration, which notifies no one. With receivers,
    /// the Alertmanager configuration (with their URLs and keys) is a Secret, never chart values.
    /// </summary>
    public IReadOnlyList<AlertReceiverArgs> AlertReceivers { get; init; } = [];
}

/// <summary>One Alertmanager receiver of a <see cref="PrometheusStack"/>.</summary>
public sealed class AlertReceiverArgs : ResourceArgs
{
    /// <summary>Receiver name (DNS label). Required.</summary>
    public required string Name { get; init; }

    /// <summary>Webhook, Slack or PagerDuty. Required.</summary>
    public required AlertReceiverKind Kind { get; init; }

    /// <summary>The webhook URL (Webhook, Slack) or the routing key (PagerDuty), as a Pulumi secret. Required.</summary>
    public required Input<string> Secret { get; init; }

    /// <summary>Slack only: the channel. Defaults to the webhook's own channel.</summary>
    public string? Channel { get; init; }
}

/// <summary>
/// kube-prometheus-stack from its official chart (version <see cref="KubePrometheusStackChart.Version"/>) with
/// retention and storage from Args, the GPU and KEDA alert groups, GPU and Triton Grafana dashboards, and optionally
/// a DCGM exporter ServiceMonitor.
/// </summary>
public sealed class PrometheusStack : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:monitoring:PrometheusStack";

    /// <summary>Creates the stack; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public PrometheusStack(string name, PrometheusStackArgs args, ComponentResourceOptions? options = null)
        : this(name, args, Validate(name, args), options)
    {
    }

    private PrometheusStack(string name, PrometheusStackArgs args, PrometheusSettings settings, ComponentResourceOptions? options)
        : base(TypeToken, name, options)
    {
        var labels = ResourceLabels.For("kube-prometheus-stack", name, "monitoring", args.Environment, args.CostCenter);
        var child = new CustomResourceOptions { Parent = this };
        var dependsOn = new List<Resource>();
        if (args.CreateNamespace)
        {
            dependsOn.Add(new K8s.Core.V1.Namespace($"{name}-namespace", new NamespaceArgs
            {
                Metadata = new ObjectMetaArgs { Name = args.Namespace, Labels = CoreData.ToLabels(labels) },
            }, child));
        }

        var secretOptions = new CustomResourceOptions { Parent = this, DependsOn = dependsOn, AdditionalSecretOutputs = ["stringData", "data"] };
        var adminPassword = args.GrafanaAdminPassword
            ?? new Random.RandomPassword($"{name}-grafana-admin", new Random.RandomPasswordArgs { Length = 32, Special = false }, new CustomResourceOptions { Parent = this }).Result;
        var grafanaAdmin = new K8s.Core.V1.Secret($"{name}-grafana-admin", new SecretArgs
        {
            Metadata = new ObjectMetaArgs { Name = KubePrometheusStackChart.GrafanaAdminSecretName(settings.Release), Namespace = settings.Namespace, Labels = CoreData.ToLabels(labels) },
            Type = "Opaque",
            StringData =
            {
                { KubePrometheusStackChart.GrafanaAdminUserKey, args.GrafanaAdminUser },
                { KubePrometheusStackChart.GrafanaAdminPasswordKey, Output.CreateSecret(adminPassword.ToOutput()) },
            },
        }, secretOptions);
        var chartDependsOn = new List<Resource>(dependsOn) { grafanaAdmin };
        if (args.AlertReceivers.Count > 0)
        {
            var receivers = args.AlertReceivers.Select(r => new AlertReceiverSpec(r.Name, r.Kind, SecretKey: string.Empty, r.Channel)).ToList();
            var document = Output.All(args.AlertReceivers.Select(r => r.Secret)).Apply(secrets =>
                AlertmanagerConfig.Render([.. receivers.Zip(secrets, (spec, secret) => (spec, secret))]));
            chartDependsOn.Add(new K8s.Core.V1.Secret($"{name}-alertmanager-config", new SecretArgs
            {
                Metadata = new ObjectMetaArgs { Name = KubePrometheusStackChart.AlertmanagerConfigSecretName(settings.Release), Namespace = settings.Namespace, Labels = CoreData.ToLabels(labels) },
                Type = "Opaque",
                StringData = { { AlertmanagerConfig.ConfigKey, Output.CreateSecret(document) } },
            }, secretOptions));
        }

        var chart = PinnedChart.Create($"{name}-chart", settings.Release, settings.Namespace, KubePrometheusStackChart.Pin,
            KubePrometheusStackChart.Values(settings, labels), new ComponentResourceOptions { Parent = this, DependsOn = chartDependsOn });
        Chart = chart;

        var monitorLabels = labels.SetItem(KubePrometheusStackChart.ReleaseLabel, settings.Release);
        var afterChart = new CustomResourceOptions { Parent = this, DependsOn = chart };
        ObjectMetaArgs Meta(string objectName, IReadOnlyDictionary<string, string> l) => new() { Name = objectName, Namespace = settings.Namespace, Labels = CoreData.ToLabels(l) };

        var groups = ImmutableArray.Create<object>(ServingAlerts.ToSpec(ServingAlerts.Gpu()), ServingAlerts.ToSpec(ServingAlerts.Keda()));
        _ = new K8s.ApiExtensions.CustomResource(
            $"{name}-gpu-keda-rules",
            new CustomObjectArgs(ServiceMonitors.ApiVersion, "PrometheusRule", Meta($"{name}-gpu-keda", monitorLabels), ImmutableSortedDictionary<string, object>.Empty.Add("groups", groups)),
            afterChart);

        if (args.GpuOperatorNamespace is { } gpuNamespace)
        {
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-dcgm-exporter",
                new CustomObjectArgs(ServiceMonitors.ApiVersion, "ServiceMonitor", Meta($"{name}-dcgm-exporter", monitorLabels), ServiceMonitors.DcgmExporter(gpuNamespace)),
                afterChart);
        }

        var dashboardLabels = labels.SetItem(GrafanaDashboards.Label, GrafanaDashboards.LabelValue);
        foreach (var (key, json) in new[] { ("gpu", GrafanaDashboards.Gpu()), ("triton", GrafanaDashboards.Triton()) })
        {
            _ = new K8s.Core.V1.ConfigMap($"{name}-dashboard-{key}", new ConfigMapArgs
            {
                Metadata = Meta($"{name}-dashboard-{key}", dashboardLabels),
                Data = new InputMap<string> { { $"neocloud-{key}.json", json } },
            }, child);
        }

        PrometheusAddress = Output.Create(KubePrometheusStackChart.PrometheusAddress(settings.Release, settings.Namespace));
        ReleaseLabel = Output.Create(settings.Release);
        Namespace = Output.Create(settings.Namespace);
        ChartVersion = Output.Create(KubePrometheusStackChart.Version);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["prometheusAddress"] = PrometheusAddress,
            ["releaseLabel"] = ReleaseLabel,
            ["namespace"] = Namespace,
            ["chartVersion"] = ChartVersion,
        });
    }

    /// <summary>The chart resource; ServiceMonitors and PrometheusRules depend on it (it carries the CRDs).</summary>
    public Resource Chart { get; }

    /// <summary>In-cluster Prometheus URL, <c>http://&lt;release&gt;-prometheus.&lt;ns&gt;.svc:9090</c>: KEDA's server address.</summary>
    [Output("prometheusAddress")]
    public Output<string> PrometheusAddress { get; private set; }

    /// <summary>The value of the <c>release</c> label monitors and rules must carry.</summary>
    [Output("releaseLabel")]
    public Output<string> ReleaseLabel { get; private set; }

    /// <summary>The stack's namespace.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The pinned chart version.</summary>
    [Output("chartVersion")]
    public Output<string> ChartVersion { get; private set; }

    /// <summary>The Prometheus address a stack with this release and namespace has (a plain value, for TritonServiceArgs).</summary>
    /// <param name="releaseName">The release name.</param>
    /// <param name="ns">The namespace.</param>
    public static string AddressOf(string releaseName = "monitoring", string ns = "monitoring") =>
        KubePrometheusStackChart.PrometheusAddress(releaseName, ns);

    private static PrometheusSettings Validate(string name, PrometheusStackArgs args)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(args);
        var settings = new PrometheusSettings(args.ReleaseName, args.Namespace, args.Retention, args.StorageSize, args.StorageClass)
        {
            AlertmanagerConfigured = args.AlertReceivers is { Count: > 0 },
        };
        var errors = KubePrometheusStackChart.Validate(settings, nameof(PrometheusStackArgs)).ToList();
        var receiverNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (args.AlertReceivers?.Count ?? 0); i++)
        {
            var r = args.AlertReceivers![i];
            if (string.IsNullOrEmpty(r?.Name) || !receiverNames.Add(r.Name))
            {
                errors.Add(new ConfigError($"{nameof(PrometheusStackArgs)}.{nameof(args.AlertReceivers)}[{i}].Name", "must be a non-empty name, unique among the receivers"));
            }
            else if (r.Channel is not null && r.Kind != AlertReceiverKind.Slack)
            {
                errors.Add(new ConfigError($"{nameof(PrometheusStackArgs)}.{nameof(args.AlertReceivers)}[{i}].Channel", "is only for Slack receivers"));
            }
        }

        if (string.IsNullOrEmpty(args.GrafanaAdminUser))
        {
            errors.Add(new ConfigError($"{nameof(PrometheusStackArgs)}.{nameof(args.GrafanaAdminUser)}", "is required"));
        }

        ComponentArgsException.ThrowIfAny("PrometheusStack", name, errors);
        return settings;
    }
}
