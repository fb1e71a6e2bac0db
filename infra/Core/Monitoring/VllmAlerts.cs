using System.Globalization;
using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>The vLLM alert group (the OpenAI-compatible server of runtime <c>vllm</c>).</summary>
public static partial class ServingAlerts
{
    /// <summary>KV-cache usage (0–1) above which a vLLM replica counts as full: new sequences wait or running ones are preempted.</summary>
    public const double VllmKvCacheFull = 0.95;

    /// <summary>
    /// vLLM alerts of one deployment, from the metrics vLLM's own Prometheus logger registers (vllm-project/vllm
    /// vllm/v1/metrics/loggers.py, <c>PrometheusStatLogger</c>, @ 005a810bc40faa25b8870fbc8559c3462581eee3; labels
    /// <c>model_name</c>, <c>engine</c>), not Triton's <c>nv_*</c> families, which a vLLM pod does not publish:
    /// <list type="bullet">
    /// <item><c>VllmLatencyP95OverSlo</c> / <c>VllmLatencyP99OverSlo</c>: the deployment's quantile of the histogram
    /// <c>vllm:e2e_request_latency_seconds</c> ("e2e request latency", the request latency Triton's summaries measure
    /// too) over the p95 / p99 SLO.</item>
    /// <item><c>VllmQueueTimeGrowing</c>: mean time in the WAITING phase (histogram <c>vllm:request_queue_time_seconds</c>,
    /// <c>_sum</c> ÷ <c>_count</c>) keeps growing above the scaling target, as <c>TritonQueueTimeGrowing</c> does.</item>
    /// <item><c>VllmKvCacheFull</c>: the gauge <c>vllm:kv_cache_usage_perc</c> ("1 means 100 percent usage"; the older
    /// <c>vllm:gpu_cache_usage_perc</c> is deprecated since 0.9 and hidden later) of a pod above
    /// <see cref="VllmKvCacheFull"/>.</item>
    /// <item><c>VllmPreempting</c>: the counter <c>vllm:num_preemptions</c> (exposed with the <c>_total</c> suffix that
    /// prometheus_client gives every Counter) rises: running sequences are evicted for lack of KV cache.</item>
    /// </list>
    /// </summary>
    /// <param name="deployment">The deployment.</param>
    public static RuleGroup Vllm(WatchedDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (name, ns) = (deployment.Name, deployment.Namespace);
        var sel = ServingQueries.PodSelector(ns, name);
        string Quantile(double q) =>
            $"histogram_quantile({q.ToString(CultureInfo.InvariantCulture)}, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{{{sel}}}[5m]))) * 1000";
        var queue = $"sum(rate(vllm:request_queue_time_seconds_sum{{{sel}}}[5m])) / clamp_min(sum(rate(vllm:request_queue_time_seconds_count{{{sel}}}[5m])), 1e-9) * 1000";
        var labels = $"deployment {ns}/{name}";
        return new RuleGroup($"neocloud-vllm-{ns}-{name}", [
            new AlertRule(
                "VllmLatencyP95OverSlo",
                $"{Quantile(0.95)} > {Ms(deployment.Slo.P95Ms)}",
                "5m",
                "warning",
                $"p95 request latency of {labels} is {{{{ $value }}}} ms, over its SLO of {Ms(deployment.Slo.P95Ms)} ms"),
            new AlertRule(
                "VllmLatencyP99OverSlo",
                $"{Quantile(0.99)} > {Ms(deployment.Slo.P99Ms)}",
                "5m",
                "critical",
                $"p99 request latency of {labels} is {{{{ $value }}}} ms, over its SLO of {Ms(deployment.Slo.P99Ms)} ms"),
            new AlertRule(
                "VllmQueueTimeGrowing",
                $"deriv(({queue})[15m:1m]) > 0 and ({queue}) > {Ms(deployment.QueueThresholdMs)}",
                "15m",
                "warning",
                $"average queue time of {labels} keeps growing above its scaling target of {Ms(deployment.QueueThresholdMs)} ms: autoscaling is at its maximum or cannot place replicas"),
            new AlertRule(
                "VllmKvCacheFull",
                $"max by (pod) (vllm:kv_cache_usage_perc{{{sel}}}) > {VllmKvCacheFull.ToString(CultureInfo.InvariantCulture)}",
                "15m",
                "warning",
                $"KV cache of {{{{ $labels.pod }}}} ({labels}) is over {(VllmKvCacheFull * 100).ToString(CultureInfo.InvariantCulture)}% full for 15 minutes: requests wait for cache blocks; lower maxConcurrentSequences or maxContextTokens, or give replicas more GPU memory"),
            new AlertRule(
                "VllmPreempting",
                $"sum by (pod) (increase(vllm:num_preemptions_total{{{sel}}}[5m])) > 0",
                "10m",
                "warning",
                $"{{{{ $labels.pod }}}} ({labels}) keeps preempting running sequences ({{{{ $value }}}} in 5 minutes): its KV cache is too small for the load"),
        ]);
    }
}
