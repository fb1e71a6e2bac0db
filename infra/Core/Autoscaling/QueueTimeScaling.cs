using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>
/// KEDA scaling of a Triton deployment on the requests it holds (queued plus in service), read from Prometheus, with a
/// per-replica target: the trigger is <c>metricType: AverageValue</c> on an extensive metric (a sum over pods), so the
/// HPA computes desired = ceil(in-flight ÷ <see cref="TargetInFlightPerReplica"/>), which follows load both ways. The
/// queue-time threshold stays the alerting line and the saturation sign of the burst gate.
/// </summary>
/// <param name="ThresholdMs">Mean queue time per request (ms) the deployment should stay under (alerts; burst gate).</param>
/// <param name="ActivationThresholdMs">Queue time (ms) that counts as queueing for alerts; not a trigger setting any more.</param>
/// <param name="FallbackReplicas">Replicas KEDA keeps after <see cref="ScaledObjectSpec.FallbackFailureThreshold"/> failed reads.</param>
/// <param name="QueryOverride">
/// A PromQL query to scale on instead of this deployment's own in-flight requests, e.g. the on-prem deployment's excess
/// for a cloud burst deployment. Required for <c>minReplicas = 0</c>: the metric must exist while no replica runs.
/// </param>
/// <param name="TargetInFlightPerReplica">Requests in the system (queued plus executing) one replica should hold (KEDA <c>threshold</c>, AverageValue).</param>
/// <param name="ActivationInFlight">Requests in the system above which the deployment is active (KEDA <c>activationThreshold</c>, 0 → 1).</param>
public sealed record QueueTimeScaling(
    double ThresholdMs,
    double ActivationThresholdMs,
    int FallbackReplicas,
    string? QueryOverride = null,
    double TargetInFlightPerReplica = QueueTimeScaling.DefaultTargetInFlightPerReplica,
    double ActivationInFlight = 0)
{
    /// <summary>Default <see cref="TargetInFlightPerReplica"/>: 0.8 requests per replica (one request in service 80 % of the time, little queueing).</summary>
    public const double DefaultTargetInFlightPerReplica = 0.8;
}

/// <summary>The PromQL this library scales and alerts on.</summary>
public static class ServingQueries
{
    /// <summary>The rate window of the scaling query.</summary>
    public const string ScalingWindow = "1m";

    /// <summary>The selector of one Triton deployment's pods: namespace and the Deployment's pod names (<c>&lt;deployment&gt;-&lt;replicaset hash&gt;-&lt;pod hash&gt;</c>, so <c>llama</c> does not match <c>llama-big</c>'s pods).</summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="deployment">Deployment name.</param>
    public static string PodSelector(string ns, string deployment)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(deployment);
        return $"namespace=\"{ns}\",pod=~\"{deployment}-[a-z0-9]+-[a-z0-9]+\"";
    }

    /// <summary>
    /// Average queue time per request in milliseconds over <paramref name="window"/>: the rate of Triton's cumulative
    /// <c>nv_inference_queue_duration_us</c> divided by the rate of <c>nv_inference_request_success</c> (at least 1
    /// request/s in the denominator, so an idle deployment reads 0 rather than NaN), divided by 1000.
    /// </summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="deployment">Deployment name.</param>
    /// <param name="window">Rate window, e.g. 1m.</param>
    public static string AverageQueueMs(string ns, string deployment, string window = ScalingWindow)
    {
        var sel = PodSelector(ns, deployment);
        return $"sum(rate(nv_inference_queue_duration_us{{{sel}}}[{window}])) / clamp_min(sum(rate(nv_inference_request_success{{{sel}}}[{window}])), 1) / 1000";
    }

    /// <summary>
    /// Requests in the system (queued plus executing) summed over one deployment's pods, by Little's law: the rate of
    /// Triton's cumulative end-to-end request time <c>nv_inference_request_duration_us</c> (µs of request handling per
    /// second = requests in flight × 10⁶; it includes the queue time). An extensive metric: it adds up over pods and grows
    /// with load whether the deployment is over- or under-provisioned, and keeps growing under saturation (queue time is
    /// part of it). Metric: triton-inference-server/server docs/user_guide/metrics.md @ 067c1e9, "Latency / Request Time",
    /// <c>nv_inference_request_duration_us</c>: "Cumulative end-to-end inference request handling time (includes cached
    /// requests)", a counter per model, on by default (<c>--metrics-config counter_latencies</c>). It is added when a
    /// request completes, so a request still queued counts only once it is served: under saturation the metric lags
    /// by the queue time and still rises.
    /// </summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="deployment">Deployment name.</param>
    /// <param name="window">Rate window, e.g. 1m.</param>
    public static string InFlightRequests(string ns, string deployment, string window = ScalingWindow) =>
        $"sum(rate(nv_inference_request_duration_us{{{PodSelector(ns, deployment)}}}[{window}])) / 1000000";

    /// <summary>
    /// Requests in the system of a vLLM deployment: <c>vllm:num_requests_running</c> + <c>vllm:num_requests_waiting</c>
    /// (gauges, "Number of requests in model execution batches" / "waiting to be processed": vllm-project/vllm
    /// vllm/v1/metrics/loggers.py @ 005a810bc40faa25b8870fbc8559c3462581eee3) summed over the pods. Extensive, like
    /// <see cref="InFlightRequests"/>, so the same per-replica AverageValue target applies.
    /// </summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="deployment">Deployment name.</param>
    public static string VllmInFlightRequests(string ns, string deployment)
    {
        var sel = PodSelector(ns, deployment);
        return $"sum(vllm:num_requests_running{{{sel}}}) + sum(vllm:num_requests_waiting{{{sel}}})";
    }

    /// <summary>A latency quantile (ms) of one deployment from Triton's latency summaries (<c>nv_inference_request_summary_us</c>); the worst pod counts.</summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="deployment">Deployment name.</param>
    /// <param name="quantile">0.95 or 0.99 (the quantiles the server publishes).</param>
    public static string LatencyQuantileMs(string ns, string deployment, double quantile) =>
        $"max(nv_inference_request_summary_us{{{PodSelector(ns, deployment)},quantile=\"{quantile.ToString(CultureInfo.InvariantCulture)}\"}}) / 1000";
}

/// <summary>The KEDA <c>ScaledObject</c> (keda.sh/v1alpha1) spec of a Triton deployment, as plain data.</summary>
public static class ScaledObjectSpec
{
    /// <summary>API version of the ScaledObject.</summary>
    public const string ApiVersion = "keda.sh/v1alpha1";

    /// <summary>Kind of the ScaledObject.</summary>
    public const string Kind = "ScaledObject";

    /// <summary>Failed metric reads after which KEDA applies the fallback replica count.</summary>
    public const int FallbackFailureThreshold = 3;

    /// <summary>Seconds between KEDA's metric reads.</summary>
    public const int PollingIntervalSeconds = 15;

    /// <summary>Seconds after the last active reading before scaling to zero (only with <c>minReplicas = 0</c>).</summary>
    public const int CooldownPeriodSeconds = 300;

    /// <summary>
    /// The spec: target, bounds, fallback, and the Prometheus trigger — <c>metricType: AverageValue</c> with threshold
    /// <see cref="QueueTimeScaling.TargetInFlightPerReplica"/> on <see cref="ServingQueries.InFlightRequests"/> (or the
    /// override). KEDA's prometheus scaler (https://keda.sh/docs/2.20/scalers/prometheus/): <c>threshold</c> is the target
    /// per replica for AverageValue; <c>activationThreshold</c> the 0 → 1 line.
    /// </summary>
    /// <param name="deployment">Name of the Deployment to scale (apps/v1).</param>
    /// <param name="ns">Its namespace (for the default query).</param>
    /// <param name="prometheusAddress">Prometheus server address KEDA queries.</param>
    /// <param name="scaling">Thresholds, fallback and optional query override.</param>
    /// <param name="minReplicas">Minimum replicas.</param>
    /// <param name="maxReplicas">Maximum replicas (already checked against capacity).</param>
    /// <param name="runtime">The serving runtime: its metrics decide the default query (vLLM's gauges for <c>vllm</c>, Triton's counter otherwise).</param>
    public static ImmutableSortedDictionary<string, object> Render(string deployment, string ns, string prometheusAddress, QueueTimeScaling scaling, int minReplicas, int maxReplicas, Serving.ServingRuntime runtime = Serving.ServingRuntime.Triton)
    {
        ArgumentException.ThrowIfNullOrEmpty(deployment);
        ArgumentException.ThrowIfNullOrEmpty(prometheusAddress);
        ArgumentNullException.ThrowIfNull(scaling);
        var query = scaling.QueryOverride ?? (runtime == Serving.ServingRuntime.Vllm ? ServingQueries.VllmInFlightRequests(ns, deployment) : ServingQueries.InFlightRequests(ns, deployment));
        var trigger = Map(
            ("type", "prometheus"),
            ("metricType", "AverageValue"),
            ("metadata", Map(
                ("serverAddress", prometheusAddress),
                ("query", query),
                ("threshold", Number(scaling.TargetInFlightPerReplica)),
                ("activationThreshold", Number(scaling.ActivationInFlight)),
                ("ignoreNullValues", "false"))));
        return Map(
            ("scaleTargetRef", Map(("apiVersion", "apps/v1"), ("kind", "Deployment"), ("name", deployment))),
            ("minReplicaCount", minReplicas),
            ("maxReplicaCount", maxReplicas),
            ("pollingInterval", PollingIntervalSeconds),
            ("cooldownPeriod", CooldownPeriodSeconds),
            ("fallback", Map(("failureThreshold", FallbackFailureThreshold), ("replicas", scaling.FallbackReplicas))),
            ("triggers", ImmutableArray.Create<object>(trigger)));
    }

    /// <summary>A KEDA metadata number: invariant culture, no exponent.</summary>
    /// <param name="value">The value.</param>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
