using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>
/// What a kube-prometheus-stack release (the <c>PrometheusStack</c> component) is asked for: the Args' plain values, by
/// the Args' property names. The binder reads <c>neocloud:monitoring</c> into one (<c>MonitoringSpec.ToSpec</c>).
/// </summary>
/// <param name="Ownership">Environment, cost center and extra tags.</param>
/// <param name="Namespace">Namespace of the release.</param>
/// <param name="CreateNamespace">Whether the component creates <paramref name="Namespace"/>.</param>
/// <param name="ReleaseName">Helm release name: the <c>release</c> label and the chart's fullnameOverride.</param>
/// <param name="Retention">Prometheus retention, e.g. 15d.</param>
/// <param name="StorageSize">Prometheus volume size, e.g. 100Gi.</param>
/// <param name="StorageClass">Storage class of the volume, or null for the cluster default.</param>
/// <param name="GpuOperatorNamespace">The GPU Operator's namespace (a DCGM exporter ServiceMonitor), or null.</param>
/// <param name="GrafanaAdminUser">Grafana's admin user.</param>
/// <param name="AlertReceivers">Alertmanager receivers (empty: none).</param>
/// <param name="ExposeFederation">Whether Prometheus is exposed to other clusters for federation (a LoadBalancer Service).</param>
/// <param name="FederationSourceRanges">IPv4 CIDRs the federation load balancer admits (empty: every address that reaches it).</param>
public sealed record PrometheusStackSpec(
    OwnershipSpec Ownership,
    string? Namespace,
    bool CreateNamespace,
    string? ReleaseName,
    string? Retention,
    string? StorageSize,
    string? StorageClass,
    string? GpuOperatorNamespace,
    string? GrafanaAdminUser,
    ImmutableArray<PrometheusReceiverSpec> AlertReceivers,
    bool ExposeFederation,
    ImmutableArray<string> FederationSourceRanges)
{
    /// <summary>
    /// Node selector of every kube-prometheus-stack workload (operator, Prometheus, Alertmanager, Grafana,
    /// kube-state-metrics): the cluster's system pools (<see cref="Gpu.SystemAddonPlacement.NodeSelector"/>). Empty (the
    /// default): the chart's placement. node-exporter is a DaemonSet on every node and is not affected.
    /// </summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>One Alertmanager receiver of a <see cref="PrometheusStackSpec"/> (Args <c>AlertReceiverArgs</c>).</summary>
/// <param name="Name">Receiver name (a DNS label, unique among the receivers).</param>
/// <param name="Kind"><c>webhook</c>, <c>slack</c> or <c>pagerduty</c>.</param>
/// <param name="HasSecret">Whether the Args give the secret (webhook URL or routing key); its value is never in a spec.</param>
/// <param name="Channel">Slack only: the channel, or null.</param>
public sealed record PrometheusReceiverSpec(string? Name, string? Kind, bool HasSecret, string? Channel = null);

/// <summary>The decisions of a <see cref="PrometheusStackSpec"/> (<see cref="PrometheusStackPlanner.Plan"/>).</summary>
/// <param name="Settings">Release, namespace, retention, storage and whether Alertmanager reads our configuration.</param>
/// <param name="CreateNamespace">Whether the component creates the namespace.</param>
/// <param name="GpuOperatorNamespace">Namespace of the DCGM exporter to scrape, or null.</param>
/// <param name="GrafanaAdminUser">Grafana's admin user.</param>
/// <param name="Receivers">The receivers, in order (their secret values come from the Args, not the plan).</param>
/// <param name="Ownership">Environment, cost center and tags.</param>
/// <param name="Federation">The federation endpoint, or null when Prometheus is not exposed.</param>
public sealed record PrometheusStackPlan(
    PrometheusSettings Settings,
    bool CreateNamespace,
    string? GpuOperatorNamespace,
    string GrafanaAdminUser,
    ImmutableArray<AlertReceiverSpec> Receivers,
    OwnershipSpec Ownership,
    PrometheusFederationEndpoint? Federation)
{
    /// <summary>In-cluster Prometheus URL (<see cref="KubePrometheusStackChart.PrometheusAddress"/>).</summary>
    public string Address => KubePrometheusStackChart.PrometheusAddress(Settings.Release, Settings.Namespace);

    /// <summary>Labels of the component's own objects: the caller's tags, <c>app.kubernetes.io/*</c> and cost attribution.</summary>
    /// <param name="instance">The component's name.</param>
    public ImmutableSortedDictionary<string, string> Labels(string instance) =>
        Ownership.Tags.SetItems(ResourceLabels.For("kube-prometheus-stack", instance, "monitoring", Ownership.Environment, Ownership.CostCenter));
}

/// <summary>
/// The on-prem side of Prometheus federation (hybrid topology): a LoadBalancer Service named <see cref="ServiceName"/>
/// in front of the Prometheus pods, port <see cref="KubePrometheusStackChart.PrometheusPort"/>, which the burst cluster's
/// <c>PrometheusFederation</c> scrapes at <c>/federate</c>.
/// </summary>
/// <param name="SourceRanges">IPv4 CIDRs admitted (<c>loadBalancerSourceRanges</c>); empty admits every address.</param>
public sealed record PrometheusFederationEndpoint(ImmutableArray<string> SourceRanges)
{
    /// <summary>The Service's name (the checked-in stacks and the platform check know it as <c>monitoring/prometheus-federation</c>).</summary>
    public const string ServiceName = "prometheus-federation";

    /// <summary>The Service's port name (the chart's Prometheus Service names its port <c>http-web</c>).</summary>
    public const string PortName = "http-web";
}

/// <summary>The one validation and plan of <see cref="PrometheusStackSpec"/>: the component and the binder (<c>neocloud:monitoring</c>) call it.</summary>
public static partial class PrometheusStackPlanner
{
    /// <summary>The release rule, for messages.</summary>
    public const string ReleaseRule = "a DNS label of at most 26 characters (the chart truncates longer names)";

    /// <summary>Every problem of <paramref name="spec"/>, with property paths relative to the Args (<c>Retention</c>, <c>AlertReceivers[1].Kind</c>).</summary>
    public static ImmutableArray<SpecProblem> Validate(PrometheusStackSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        if (Required(problems, nameof(spec.ReleaseName), spec.ReleaseName) is { } release && (release.Length > 26 || !KubernetesNames.IsDnsLabel(release)))
        {
            problems.Add(nameof(spec.ReleaseName), $"\"{release}\" is not allowed; allowed: {ReleaseRule}");
        }

        if (Required(problems, nameof(spec.Namespace), spec.Namespace) is { } ns && !KubernetesNames.IsDnsLabel(ns))
        {
            problems.Add(nameof(spec.Namespace), $"\"{ns}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
        }

        if (Required(problems, nameof(spec.Retention), spec.Retention) is { } retention && !Duration().IsMatch(retention))
        {
            problems.Add(nameof(spec.Retention), $"\"{retention}\" is not allowed; allowed: a Prometheus duration such as 15d, 12h or 4w");
        }

        if (Required(problems, nameof(spec.StorageSize), spec.StorageSize) is { } size && !Quantity().IsMatch(size))
        {
            problems.Add(nameof(spec.StorageSize), $"\"{size}\" is not allowed; allowed: a Kubernetes storage quantity such as 100Gi");
        }

        if (spec.StorageClass is { } storageClass && storageClass.Length == 0)
        {
            problems.Add(nameof(spec.StorageClass), "is empty; leave it unset for the cluster's default storage class");
        }

        if (spec.GpuOperatorNamespace is { } gpuNs && !KubernetesNames.IsDnsLabel(gpuNs))
        {
            problems.Add(nameof(spec.GpuOperatorNamespace), $"\"{gpuNs}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
        }

        if (Required(problems, nameof(spec.GrafanaAdminUser), spec.GrafanaAdminUser) is { } user && !KubernetesNames.IsDnsLabel(user))
        {
            problems.Add(nameof(spec.GrafanaAdminUser), $"\"{user}\" is not allowed; allowed: a user name of lower-case letters, digits and '-' ({KubernetesNames.DnsLabelRule})");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var receivers = spec.AlertReceivers.IsDefault ? [] : spec.AlertReceivers;
        for (var i = 0; i < receivers.Length; i++)
        {
            var at = $"{nameof(spec.AlertReceivers)}[{i}]";
            if (receivers[i] is not { } r)
            {
                problems.Add(at, "is required (null receiver)");
                continue;
            }

            if (Required(problems, at + ".Name", r.Name) is { } name)
            {
                if (!KubernetesNames.IsDnsLabel(name))
                {
                    problems.Add(at + ".Name", $"\"{name}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
                }
                else if (!names.Add(name))
                {
                    problems.Add(at + ".Name", $"duplicate receiver name \"{name}\"; names are unique among the receivers");
                }
            }

            AlertReceiverKind? kind = null;
            if (Required(problems, at + ".Kind", r.Kind) is { } kindText)
            {
                if (AlertmanagerConfig.Kinds.TryGetValue(kindText, out var k))
                {
                    kind = k;
                }
                else
                {
                    problems.Add(at + ".Kind", $"\"{kindText}\" is not allowed; allowed: {string.Join(", ", AlertmanagerConfig.Kinds.Keys)}");
                }
            }

            if (!r.HasSecret)
            {
                problems.Add(at + ".Secret", "is required (the webhook URL, or the PagerDuty routing key, as a Pulumi secret)");
            }

            if (r.Channel is not null && kind is not null and not AlertReceiverKind.Slack)
            {
                problems.Add(at + ".Channel", "is only for kind slack");
            }
        }

        var ranges = spec.FederationSourceRanges.IsDefault ? [] : spec.FederationSourceRanges;
        if (!spec.ExposeFederation && ranges.Length > 0)
        {
            problems.Add(nameof(spec.FederationSourceRanges), "is only used with ExposeFederation: true");
        }

        for (var i = 0; i < ranges.Length; i++)
        {
            if (!IsIpv4Cidr(ranges[i]))
            {
                problems.Add($"{nameof(spec.FederationSourceRanges)}[{i}]", $"\"{ranges[i]}\" is not allowed; allowed: an IPv4 CIDR such as 10.40.0.0/16");
            }
        }

        problems.AddRange(Gpu.SystemAddonPlacement.SelectorProblems(spec.SystemNodeSelector));

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid <paramref name="spec"/> (call <see cref="Validate"/> first).</summary>
    public static PrometheusStackPlan Plan(PrometheusStackSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var receivers = (spec.AlertReceivers.IsDefault ? [] : spec.AlertReceivers)
            .Select(r => new AlertReceiverSpec(r.Name!, AlertmanagerConfig.Kinds[r.Kind!], SecretKey: string.Empty, r.Channel))
            .ToImmutableArray();
        var settings = new PrometheusSettings(spec.ReleaseName!, spec.Namespace!, spec.Retention!, spec.StorageSize!, spec.StorageClass)
        {
            AlertmanagerConfigured = receivers.Length > 0,
            NodeSelector = spec.SystemNodeSelector ?? ImmutableSortedDictionary<string, string>.Empty,
        };
        var federation = spec.ExposeFederation
            ? new PrometheusFederationEndpoint(spec.FederationSourceRanges.IsDefault ? [] : spec.FederationSourceRanges)
            : null;
        return new PrometheusStackPlan(settings, spec.CreateNamespace, spec.GpuOperatorNamespace, spec.GrafanaAdminUser!, receivers, spec.Ownership, federation);
    }

    /// <summary>True for an IPv4 CIDR (<c>10.40.0.0/16</c>).</summary>
    public static bool IsIpv4Cidr(string? value) =>
        value is not null && value.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(value, out var network)
        && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;

    private static string? Required(SpecProblems problems, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(path, "is required");
            return null;
        }

        return value;
    }

    [GeneratedRegex("^([0-9]+(ms|s|m|h|d|w|y))+$")]
    private static partial Regex Duration();

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")]
    private static partial Regex Quantity();
}
