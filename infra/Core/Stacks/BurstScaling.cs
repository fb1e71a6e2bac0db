using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Stacks;

/// <summary>
/// How a hybrid burst deployment on the EKS cluster scales from zero on the on-prem deployment's saturation.
/// The burst cluster's Prometheus federates a few on-prem series (labelled <see cref="ClusterLabel"/>), and the burst
/// ScaledObject queries that local Prometheus: the requests in flight on both sides beyond what the on-prem maximum holds
/// at its per-replica target, counted only while the on-prem deployment's desired replicas are at its maximum (KEDA's
/// HPA cannot add on-prem replicas any more), else 0. An extensive metric with an AverageValue target, like the on-prem
/// trigger: the burst side asks for ceil(excess ÷ target) replicas, and, because its own in-flight requests count in the
/// excess, it does not drop back when it starts taking load. The federated on-prem series exist while the burst side has
/// no replica, so it scales from zero.
/// </summary>
public static class BurstScaling
{
    /// <summary>Label the federation adds to every series it copies from the on-prem Prometheus.</summary>
    public const string ClusterLabel = "neocloud_cluster";

    /// <summary>The series the burst cluster's Prometheus federates from the on-prem one.</summary>
    public static readonly ImmutableArray<string> FederatedMetrics =
        ["nv_inference_request_duration_us", "kube_deployment_spec_replicas"];

    /// <summary>Port of the on-prem Prometheus federation endpoint (Prometheus' own port).</summary>
    public const int FederationPort = 9090;

    /// <summary>
    /// The burst ScaledObject's query:
    /// <c>clamp_min(on-prem in-flight + (burst in-flight or 0) − on-prem max × target, 0) * (on-prem desired replicas ≥ max)</c>,
    /// or 0 when the federated series are absent (federation down: the burst side stays where it is rather than starting
    /// GPUs blind).
    /// </summary>
    /// <param name="ns">Namespace of the on-prem deployment (its tenant).</param>
    /// <param name="deployment">The on-prem deployment's name.</param>
    /// <param name="onPremCluster">The on-prem cluster's name (value of <see cref="ClusterLabel"/>).</param>
    /// <param name="onPremMaxReplicas">The on-prem deployment's maximum replicas.</param>
    /// <param name="targetInFlightPerReplica">The per-replica in-flight target of both sides.</param>
    public static string Query(string ns, string deployment, string onPremCluster, int onPremMaxReplicas, double targetInFlightPerReplica = QueueTimeScaling.DefaultTargetInFlightPerReplica)
    {
        ArgumentException.ThrowIfNullOrEmpty(onPremCluster);
        ArgumentOutOfRangeException.ThrowIfLessThan(onPremMaxReplicas, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetInFlightPerReplica);
        var cluster = $"{ClusterLabel}=\"{onPremCluster}\"";
        var onPrem = WithMatcher(ServingQueries.InFlightRequests(ns, deployment), ServingQueries.PodSelector(ns, deployment), cluster);
        var burst = ServingQueries.InFlightRequests(ns, deployment + StackLayout.BurstSuffix);
        var held = ScaledObjectSpec.Number(onPremMaxReplicas * targetInFlightPerReplica);
        var saturated = $"sum(kube_deployment_spec_replicas{{{cluster},namespace=\"{ns}\",deployment=\"{deployment}\"}}) >= bool {onPremMaxReplicas.ToString(CultureInfo.InvariantCulture)}";
        return $"(clamp_min(({onPrem}) + (({burst}) or vector(0)) - {held}, 0) * ({saturated})) or vector(0)";
    }

    /// <summary>
    /// The <c>match[]</c> selector of the federation scrape: the <see cref="FederatedMetrics"/> of the namespaces that have
    /// burst deployments.
    /// </summary>
    /// <param name="namespaces">Namespaces of the on-prem deployments with a burst part.</param>
    public static string FederationMatch(IEnumerable<string> namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var ns = string.Join('|', namespaces.Distinct().Order(StringComparer.Ordinal));
        return $"{{__name__=~\"{string.Join('|', FederatedMetrics)}\",namespace=~\"{ns}\"}}";
    }

    /// <summary>
    /// The <c>ScrapeConfig</c> (monitoring.coreos.com/v1alpha1) spec of the federation job on the burst cluster, with
    /// <paramref name="target"/> (<c>host:port</c> of the on-prem Prometheus) filled in by the caller.
    /// </summary>
    /// <param name="onPremCluster">On-prem cluster name (the value of <see cref="ClusterLabel"/>).</param>
    /// <param name="namespaces">Namespaces whose series are federated.</param>
    /// <param name="target">The on-prem federation endpoint, <c>host:port</c>.</param>
    public static ImmutableSortedDictionary<string, object> ScrapeConfigSpec(string onPremCluster, IEnumerable<string> namespaces, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(onPremCluster);
        return Map(
            ("metricsPath", "/federate"),
            ("honorLabels", true),
            ("scrapeInterval", "15s"),
            ("params", Map(("match[]", ImmutableArray.Create<object>(FederationMatch(namespaces))))),
            ("staticConfigs", ImmutableArray.Create<object>(Map(
                ("targets", ImmutableArray.Create<object>(target)),
                ("labels", Map((ClusterLabel, onPremCluster)))))));
    }

    /// <summary>The burst ScaledObject settings: the on-prem thresholds and per-replica target, the federated query, fallback 1, active above 0.</summary>
    /// <param name="serving">The serving deployment (with <see cref="ServingSpec.Burst"/>).</param>
    /// <param name="onPremCluster">The on-prem cluster's name.</param>
    public static QueueTimeScaling Scaling(ServingSpec serving, string onPremCluster)
    {
        ArgumentNullException.ThrowIfNull(serving);
        var target = serving.Autoscaling.TargetInFlightPerReplica;
        return new QueueTimeScaling(
            serving.Autoscaling.QueueTimeThresholdMs,
            serving.Autoscaling.QueueTimeThresholdMs,
            FallbackReplicas: 1,
            QueryOverride: Query(serving.Tenant, serving.Name, onPremCluster, serving.MaxReplicas, target),
            TargetInFlightPerReplica: target,
            ActivationInFlight: 0);
    }

    private static string WithMatcher(string query, string selector, string matcher) =>
        query.Replace("{" + selector + "}", "{" + selector + "," + matcher + "}", StringComparison.Ordinal);

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
