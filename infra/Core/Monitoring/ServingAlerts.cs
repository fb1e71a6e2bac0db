using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using YamlDotNet.Serialization;
using static NeoCloud.Infra.Core.Monitoring.KubePrometheusStackChart;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>One alerting rule.</summary>
/// <param name="Alert">Alert name.</param>
/// <param name="Expr">PromQL expression.</param>
/// <param name="For">How long the condition must hold, e.g. 15m.</param>
/// <param name="Severity">warning or critical.</param>
/// <param name="Summary">One-line summary (may use $labels / $value templates).</param>
public sealed record AlertRule(string Alert, string Expr, string For, string Severity, string Summary);

/// <summary>A rule group.</summary>
/// <param name="Name">Group name.</param>
/// <param name="Rules">Its rules.</param>
public sealed record RuleGroup(string Name, ImmutableArray<AlertRule> Rules);

/// <summary>A served deployment the Triton alerts watch.</summary>
/// <param name="Name">Deployment name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Slo">Latency objectives.</param>
/// <param name="QueueThresholdMs">The autoscaling target queue time (ms).</param>
public sealed record WatchedDeployment(string Name, string Namespace, LatencySlo Slo, double QueueThresholdMs);

/// <summary>The GPU, Triton, vLLM and KEDA alert groups, as data; rendered as PrometheusRule specs and as promtool rule files.</summary>
public static partial class ServingAlerts
{
    /// <summary>GPU utilisation (%) above which a node's GPUs count as saturated.</summary>
    public const int GpuHighPercent = 90;

    /// <summary>GPU utilisation (%) below which a pool counts as idle.</summary>
    public const int GpuIdlePercent = 10;

    /// <summary>
    /// Per-device GPU utilisation in percent, MIG-aware. The DCGM exporter does not report <c>DCGM_FI_DEV_GPU_UTIL</c>
    /// for MIG devices (NVIDIA/dcgm-exporter#430 and #216: "not supported for MIG configurations", "use
    /// DCGM_FI_PROF_GR_ENGINE_ACTIVE"); a MIG instance's series carry the <c>GPU_I_ID</c> and <c>GPU_I_PROFILE</c> labels
    /// (NVIDIA/dcgm-exporter internal/pkg/rendermetrics, gpuMetricsFormat). The GPU Operator (v26.7.0
    /// assets/state-dcgm-exporter/0800_daemonset.yaml) runs the exporter with /etc/dcgm-exporter/dcp-metrics-included.csv,
    /// which collects DCGM_FI_PROF_GR_ENGINE_ACTIVE (NVIDIA/dcgm-exporter etc/dcp-metrics-included.csv). So: <c>DCGM_FI_DEV_GPU_UTIL</c> of every
    /// GPU that has no MIG instance, plus 100 × <c>DCGM_FI_PROF_GR_ENGINE_ACTIVE</c> (a 0–1 ratio) of every MIG instance.
    /// </summary>
    public const string GpuUtilisationPercent =
        "(DCGM_FI_DEV_GPU_UTIL unless on (node, gpu) DCGM_FI_PROF_GR_ENGINE_ACTIVE{GPU_I_ID!=\"\"}) or (100 * DCGM_FI_PROF_GR_ENGINE_ACTIVE{GPU_I_ID!=\"\"})";

    /// <summary>The window in which a new XID value raises <c>GpuXidError</c>; the alert clears when no new XID arrived in it.</summary>
    public const string XidWindow = "5m";

    /// <summary>
    /// GPU alerts from the DCGM exporter: utilisation high per node and a pool idle for an hour (joined to the node label
    /// <c>neocloud.io/pool</c> that kube-state-metrics exports), both on <see cref="GpuUtilisationPercent"/> so MIG pools
    /// are measured too, and XID errors. <c>DCGM_FI_DEV_XID_ERRORS</c> is a gauge holding the value of the last XID
    /// (NVIDIA/dcgm-exporter etc/dcp-metrics-included.csv: "gauge, Value of the last XID error encountered"), not a count:
    /// the alert fires when the value changed to a non-zero XID within <see cref="XidWindow"/> and clears after it.
    /// </summary>
    public static RuleGroup Gpu()
    {
        const string poolJoin = "* on (node) group_left (label_neocloud_io_pool) max by (node, label_neocloud_io_pool) (kube_node_labels{label_neocloud_io_pool!=\"\"})";
        return new RuleGroup("neocloud-gpu", [
            new AlertRule(
                "GpuUtilizationHigh",
                $"avg by (node) ({GpuUtilisationPercent}) > {GpuHighPercent}",
                "15m",
                "warning",
                "GPUs of node {{ $labels.node }} are above " + GpuHighPercent + "% utilisation for 15 minutes ({{ $value }}%)"),
            new AlertRule(
                "GpuPoolIdle",
                $"avg by (label_neocloud_io_pool) (({GpuUtilisationPercent}) {poolJoin}) < {GpuIdlePercent}",
                "1h",
                "warning",
                "GPU pool {{ $labels.label_neocloud_io_pool }} is below " + GpuIdlePercent + "% utilisation for an hour: shrink it or move work onto it"),
            new AlertRule(
                "GpuXidError",
                $"max by (node, gpu) ((DCGM_FI_DEV_XID_ERRORS != 0) and changes(DCGM_FI_DEV_XID_ERRORS[{XidWindow}]) > 0)",
                "0m",
                "critical",
                "GPU {{ $labels.gpu }} on node {{ $labels.node }} reported XID error {{ $value }} in the last " + XidWindow),
        ]);
    }

    /// <summary>
    /// The alerts of one deployment, from the metrics its runtime publishes: <see cref="Vllm"/> for vLLM's OpenAI server
    /// (it has no <c>nv_*</c> metrics), <see cref="Triton"/> for every Triton runtime (triton, triton-vllm, triton-trtllm).
    /// </summary>
    /// <param name="runtime">The deployment's runtime.</param>
    /// <param name="deployment">The deployment.</param>
    public static RuleGroup For(Serving.ServingRuntime runtime, WatchedDeployment deployment) =>
        runtime == Serving.ServingRuntime.Vllm ? Vllm(deployment) : Triton(deployment);

    /// <summary>
    /// Triton alerts of one deployment: p95 and p99 latency over the SLO from Triton's latency summaries
    /// (<c>nv_inference_request_summary_us</c> quantiles), and average queue time growing while above the scaling target.
    /// </summary>
    /// <param name="deployment">The deployment.</param>
    public static RuleGroup Triton(WatchedDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (name, ns) = (deployment.Name, deployment.Namespace);
        var queue = ServingQueries.AverageQueueMs(ns, name, "5m");
        var labels = $"deployment {ns}/{name}";
        return new RuleGroup($"neocloud-triton-{ns}-{name}", [
            new AlertRule(
                "TritonLatencyP95OverSlo",
                $"{ServingQueries.LatencyQuantileMs(ns, name, 0.95)} > {Ms(deployment.Slo.P95Ms)}",
                "5m",
                "warning",
                $"p95 latency of {labels} is {{{{ $value }}}} ms, over its SLO of {Ms(deployment.Slo.P95Ms)} ms"),
            new AlertRule(
                "TritonLatencyP99OverSlo",
                $"{ServingQueries.LatencyQuantileMs(ns, name, 0.99)} > {Ms(deployment.Slo.P99Ms)}",
                "5m",
                "critical",
                $"p99 latency of {labels} is {{{{ $value }}}} ms, over its SLO of {Ms(deployment.Slo.P99Ms)} ms"),
            new AlertRule(
                "TritonQueueTimeGrowing",
                $"deriv(({queue})[15m:1m]) > 0 and ({queue}) > {Ms(deployment.QueueThresholdMs)}",
                "15m",
                "warning",
                $"average queue time of {labels} keeps growing above its scaling target of {Ms(deployment.QueueThresholdMs)} ms: autoscaling is at its maximum or cannot place replicas"),
        ]);
    }

    /// <summary>
    /// KEDA alerts: scaler errors (Prometheus unreachable, bad query) and ScaledObject errors. KEDA 2.17 renamed the
    /// per-scaler counter to <c>keda_scaler_detail_errors_total</c> (labels namespace, metric, scaledObject, scaler,
    /// triggerIndex, type) and kept <c>keda_scaled_object_errors_total</c> (kedacore/keda
    /// pkg/metricscollector/prommetrics.go, PR #6339).
    /// </summary>
    public static RuleGroup Keda() => new("neocloud-keda", [
        new AlertRule(
            "KedaScalerErrors",
            "sum by (namespace, scaledObject, scaler) (increase(keda_scaler_detail_errors_total[5m])) > 0",
            "5m",
            "warning",
            "KEDA scaler {{ $labels.scaler }} of {{ $labels.namespace }}/{{ $labels.scaledObject }} is failing: the deployment runs on its fallback replica count"),
        new AlertRule(
            "KedaScaledObjectErrors",
            "sum by (namespace, scaledObject) (increase(keda_scaled_object_errors_total[5m])) > 0",
            "5m",
            "warning",
            "KEDA cannot evaluate ScaledObject {{ $labels.namespace }}/{{ $labels.scaledObject }}"),
    ]);

    /// <summary>A group as a PrometheusRule <c>spec.groups[]</c> entry.</summary>
    /// <param name="group">The group.</param>
    public static ImmutableSortedDictionary<string, object> ToSpec(RuleGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var rules = group.Rules.Select(r => (object)Map(
            ("alert", r.Alert),
            ("expr", r.Expr),
            ("for", r.For),
            ("labels", Map(("severity", r.Severity))),
            ("annotations", Map(("summary", r.Summary))))).ToImmutableArray();
        return Map(("name", group.Name), ("rules", rules));
    }

    /// <summary>A Prometheus rule file (<c>groups:</c>) of <paramref name="groups"/>, as <c>promtool check rules</c> reads it.</summary>
    /// <param name="groups">The groups.</param>
    public static string ToRuleFile(IEnumerable<RuleGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var document = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["groups"] = groups.Select(g => ToPlain(ToSpec(g))).ToList(),
        };
        return new SerializerBuilder().Build().Serialize(document);
    }

    private static object ToPlain(object value) => value switch
    {
        ImmutableSortedDictionary<string, object> map => map.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value), StringComparer.Ordinal),
        ImmutableArray<object> list => list.Select(ToPlain).ToList(),
        _ => value,
    };

    private static string Ms(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
