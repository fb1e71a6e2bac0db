using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;
using Random = Pulumi.Random;

namespace NeoCloud.Infra.Components.Monitoring;

/// <summary>
/// kube-prometheus-stack from its official chart (version <see cref="KubePrometheusStackChart.Version"/>) with
/// retention and storage from Args, the GPU and KEDA alert groups, GPU and Triton Grafana dashboards, and optionally
/// a DCGM exporter ServiceMonitor.
/// </summary>
public sealed class PrometheusStack : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:PrometheusStack";

    /// <summary>The token of releases before issue 17 (kept as an alias, so existing stacks are not replaced).</summary>
    public const string PreviousTypeToken = "neocloud:monitoring:PrometheusStack";

    /// <summary>Creates the stack; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public PrometheusStack(string name, PrometheusStackArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(PrometheusStackArgs), name, args?.ToSpec(), PrometheusStackPlanner.Validate, PrometheusStackPlanner.Plan), options)
    {
    }

    private PrometheusStack(string name, PrometheusStackArgs args, PrometheusStackPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var settings = plan.Settings;
        var labels = plan.Labels(name);
        var child = new CustomResourceOptions { Parent = this };
        var dependsOn = new List<Resource>();
        if (plan.CreateNamespace)
        {
            dependsOn.Add(new K8s.Core.V1.Namespace($"{name}-namespace", new NamespaceArgs
            {
                Metadata = new ObjectMetaArgs { Name = settings.Namespace, Labels = CoreData.ToLabels(labels) },
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
                { KubePrometheusStackChart.GrafanaAdminUserKey, plan.GrafanaAdminUser },
                { KubePrometheusStackChart.GrafanaAdminPasswordKey, Output.CreateSecret(adminPassword.ToOutput()) },
            },
        }, secretOptions);
        var chartDependsOn = new List<Resource>(dependsOn) { grafanaAdmin };
        if (plan.Receivers.Length > 0)
        {
            var document = Output.All(args.AlertReceivers!.Select(r => r.Secret)).Apply(secrets =>
                AlertmanagerConfig.Render([.. plan.Receivers.Zip(secrets, (spec, secret) => (spec, secret))]));
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

        if (plan.GpuOperatorNamespace is { } gpuNamespace)
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

        FederationTarget = plan.Federation is { } federation
            ? FederationEndpoint(name, settings, federation, labels, afterChart)
            : Output.Create((string?)null);
        Address = Output.Create(plan.Address);
        ReleaseLabel = Output.Create(settings.Release);
        Namespace = Output.Create(settings.Namespace);
        ChartVersion = Output.Create(KubePrometheusStackChart.Version);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["address"] = Address,
            ["releaseLabel"] = ReleaseLabel,
            ["namespace"] = Namespace,
            ["chartVersion"] = ChartVersion,
            ["federationTarget"] = FederationTarget,
        });
    }

    /// <summary>
    /// The chart resource; ServiceMonitors and PrometheusRules depend on it (it carries the CRDs). Internal: other
    /// resources depend on the component itself (<c>DependsOn = { stack }</c> waits for every child, the chart included).
    /// </summary>
    internal Resource Chart { get; }

    /// <summary>In-cluster Prometheus URL, <c>http://&lt;release&gt;-prometheus.&lt;ns&gt;.svc:9090</c>: KEDA's server address.</summary>
    [Output("address")]
    public Output<string> Address { get; private set; }

    /// <summary>The value of the <c>release</c> label monitors and rules must carry.</summary>
    [Output("releaseLabel")]
    public Output<string> ReleaseLabel { get; private set; }

    /// <summary>The stack's namespace.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The pinned chart version.</summary>
    [Output("chartVersion")]
    public Output<string> ChartVersion { get; private set; }

    /// <summary>
    /// With <see cref="PrometheusStackArgs.ExposeFederation"/>: the federation endpoint <c>host:port</c> (the load
    /// balancer's address) a <see cref="PrometheusFederation"/> scrapes; null otherwise. Fails the deployment when the
    /// load balancer reports no address.
    /// </summary>
    [Output("federationTarget")]
    public Output<string?> FederationTarget { get; private set; }

    /// <summary>The LoadBalancer Service in front of the Prometheus pods (selector from the chart's Prometheus pod labels).</summary>
    private Output<string?> FederationEndpoint(string name, PrometheusSettings settings, PrometheusFederationEndpoint federation, ImmutableSortedDictionary<string, string> labels, CustomResourceOptions options)
    {
        var service = new K8s.Core.V1.Service($"{name}-federation", new ServiceArgs
        {
            Metadata = new ObjectMetaArgs { Name = PrometheusFederationEndpoint.ServiceName, Namespace = settings.Namespace, Labels = CoreData.ToLabels(labels.SetItem(ResourceLabels.AppComponent, "federation")) },
            Spec = new ServiceSpecArgs
            {
                Type = "LoadBalancer",
                Selector = CoreData.ToLabels(KubePrometheusStackWorkloads.PrometheusPodLabels(settings.Release)),
                Ports = { new ServicePortArgs { Name = PrometheusFederationEndpoint.PortName, Port = KubePrometheusStackChart.PrometheusPort, TargetPort = KubePrometheusStackChart.PrometheusPort, Protocol = "TCP" } },
                LoadBalancerSourceRanges = [.. federation.SourceRanges],
            },
        }, options);
        return service.Status.Apply(st =>
        {
            var ingress = st?.LoadBalancer?.Ingress.FirstOrDefault()
                ?? throw new InvalidOperationException($"Service {settings.Namespace}/{PrometheusFederationEndpoint.ServiceName} of PrometheusStack \"{name}\" has no load-balancer address; the other cluster cannot federate its metrics");
            return (string?)$"{ingress.Ip ?? ingress.Hostname}:{KubePrometheusStackChart.PrometheusPort}";
        });
    }
}
