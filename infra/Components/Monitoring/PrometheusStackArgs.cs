using System.Collections.Immutable;
using NeoCloud.Infra.Core.Monitoring;
using Pulumi;

namespace NeoCloud.Infra.Components.Monitoring;

/// <summary>Inputs of a <see cref="PrometheusStack"/>.</summary>
public sealed class PrometheusStackArgs : NeoCloudArgs
{
    /// <summary>Namespace of the stack (a DNS label). Defaults to "monitoring".</summary>
    [Input("namespace")]
    public string Namespace { get; set; } = "monitoring";

    /// <summary>Whether the component creates <see cref="Namespace"/>. Defaults to true.</summary>
    [Input("createNamespace")]
    public bool CreateNamespace { get; set; } = true;

    /// <summary>Helm release name, the <c>release</c> label monitors must carry, and the chart's fullnameOverride (DNS label, at most 26 characters). Defaults to "monitoring".</summary>
    [Input("releaseName")]
    public string ReleaseName { get; set; } = "monitoring";

    /// <summary>Prometheus retention, a Prometheus duration such as "15d", "12h" or "4w". Defaults to "15d".</summary>
    [Input("retention")]
    public string Retention { get; set; } = "15d";

    /// <summary>Prometheus volume size (a Kubernetes quantity). Defaults to "100Gi".</summary>
    [Input("storageSize")]
    public string StorageSize { get; set; } = "100Gi";

    /// <summary>Storage class of the Prometheus volume. Defaults to null (the cluster default).</summary>
    [Input("storageClass")]
    public string? StorageClass { get; set; }

    /// <summary>
    /// The GPU Operator's namespace: when set, a ServiceMonitor scrapes its DCGM exporter (with the <c>node</c> label the
    /// GPU alerts join on). Leave null when the GPU Operator's own <c>dcgmExporter.serviceMonitor</c> is enabled with
    /// the same relabeling. Defaults to null.
    /// </summary>
    [Input("gpuOperatorNamespace")]
    public string? GpuOperatorNamespace { get; set; }

    /// <summary>Grafana's admin user (lower-case letters, digits and '-'). Defaults to "admin".</summary>
    [Input("grafanaAdminUser")]
    public string GrafanaAdminUser { get; set; } = "admin";

    /// <summary>
    /// Grafana's admin password (a Pulumi secret, e.g. <c>config.RequireSecret(...)</c>). Defaults to null: a 32-character
    /// password is generated (Pulumi.Random). Either way it is stored in the Secret <c>&lt;release&gt;-grafana-admin</c>
    /// the chart reads (<c>grafana.admin.existingSecret</c>), so Grafana never runs with the chart's default credentials.
    /// </summary>
    [Input("grafanaAdminPassword")]
    public Input<string>? GrafanaAdminPassword { get; set; }

    /// <summary>
    /// Alertmanager receivers. Defaults to none: the chart's default configuration, which notifies no one. With receivers,
    /// the Alertmanager configuration (with their URLs and keys) is a Secret, never chart values.
    /// </summary>
    [Input("alertReceivers")]
    public List<AlertReceiverArgs>? AlertReceivers { get; set; }

    /// <summary>
    /// Expose Prometheus to other clusters for federation (hybrid burst): a LoadBalancer Service
    /// <c>prometheus-federation</c> in <see cref="Namespace"/> on port 9090, published as <see cref="PrometheusStack.FederationTarget"/>
    /// and scraped by a <see cref="PrometheusFederation"/> on the other cluster. Defaults to false.
    /// </summary>
    [Input("exposeFederation")]
    public bool ExposeFederation { get; set; }

    /// <summary>
    /// With <see cref="ExposeFederation"/>: the IPv4 CIDRs the load balancer admits (<c>loadBalancerSourceRanges</c>), e.g.
    /// the burst cluster's VPC. Defaults to none: every address that reaches the load balancer. Only with <see cref="ExposeFederation"/>.
    /// </summary>
    [Input("federationSourceRanges")]
    public List<string>? FederationSourceRanges { get; set; }

    /// <summary>
    /// Node selector of the release's workloads (operator, Prometheus, Alertmanager, Grafana, kube-state-metrics), usually
    /// <see cref="Gpu.CpuNodePool"/>'s <c>neocloud.io/node-role: system</c>. Defaults to none (the chart's placement);
    /// node-exporter runs on every node either way.
    /// </summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>The spec Core validates and plans.</summary>
    internal PrometheusStackSpec ToSpec() => new(
        ToOwnership(),
        Namespace,
        CreateNamespace,
        ReleaseName,
        Retention,
        StorageSize,
        StorageClass,
        GpuOperatorNamespace,
        GrafanaAdminUser,
        [.. (AlertReceivers ?? []).Select(r => r is null ? null! : new PrometheusReceiverSpec(r.Name, r.Kind, r.Secret is not null, r.Channel))],
        ExposeFederation,
        (FederationSourceRanges ?? []).ToImmutableArray())
    {
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
    };
}

/// <summary>One Alertmanager receiver of a <see cref="PrometheusStack"/>.</summary>
public sealed class AlertReceiverArgs : ResourceArgs
{
    /// <summary>Receiver name (DNS label, unique among the receivers). Required.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary><c>webhook</c>, <c>slack</c> or <c>pagerduty</c>. Required.</summary>
    [Input("kind", required: true)]
    public string Kind { get; set; } = null!;

    /// <summary>The webhook URL (webhook, slack) or the routing key (pagerduty), as a Pulumi secret. Required.</summary>
    [Input("secret", required: true)]
    public Input<string> Secret { get; set; } = null!;

    /// <summary>Slack only: the channel. Defaults to the webhook's own channel.</summary>
    [Input("channel")]
    public string? Channel { get; set; }
}
