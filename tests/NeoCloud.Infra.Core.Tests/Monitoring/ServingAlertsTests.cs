using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Monitoring;

namespace NeoCloud.Infra.Core.Tests.Monitoring;

public class ServingAlertsTests
{
    private static readonly WatchedDeployment Llama = new("llama", "team-a", new LatencySlo(200, 500), 50);

    public static TheoryData<string> GroupNames() => ["gpu", "triton", "vllm", "keda"];

    private static RuleGroup Group(string name) => name switch
    {
        "gpu" => ServingAlerts.Gpu(),
        "triton" => ServingAlerts.Triton(Llama),
        "vllm" => ServingAlerts.Vllm(Llama),
        _ => ServingAlerts.Keda(),
    };

    [Theory]
    [MemberData(nameof(GroupNames))]
    public void EveryRenderedGroupPassesPromtool(string name)
    {
        var file = Path.Combine(Path.GetTempPath(), $"neocloud-rules-{name}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, ServingAlerts.ToRuleFile([Group(name)]));
        try
        {
            var (exit, output) = Promtool.Run("check", "rules", file);
            Assert.True(exit == 0, $"promtool check rules failed for group {name}:\n{output}\n{File.ReadAllText(file)}");
            Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void GpuRulesUseDcgmMetrics()
    {
        var rules = ServingAlerts.Gpu().Rules.ToDictionary(r => r.Alert);
        Assert.Equal($"avg by (node) ({ServingAlerts.GpuUtilisationPercent}) > 90", rules["GpuUtilizationHigh"].Expr);
        Assert.Equal("15m", rules["GpuUtilizationHigh"].For);
        Assert.Contains("DCGM_FI_DEV_GPU_UTIL", rules["GpuPoolIdle"].Expr, StringComparison.Ordinal);
        Assert.Contains("label_neocloud_io_pool", rules["GpuPoolIdle"].Expr, StringComparison.Ordinal);
        Assert.EndsWith("< 10", rules["GpuPoolIdle"].Expr, StringComparison.Ordinal);
        Assert.Equal("1h", rules["GpuPoolIdle"].For);
        Assert.Contains("DCGM_FI_PROF_GR_ENGINE_ACTIVE", rules["GpuPoolIdle"].Expr, StringComparison.Ordinal);
        Assert.Contains("changes(DCGM_FI_DEV_XID_ERRORS[5m]) > 0", rules["GpuXidError"].Expr, StringComparison.Ordinal);
    }

    [Fact]
    public void LatencyRulesUseTritonSummaryQuantilesNotCounters()
    {
        var rules = ServingAlerts.Triton(Llama).Rules.ToDictionary(r => r.Alert);
        Assert.Equal(
            "max(nv_inference_request_summary_us{namespace=\"team-a\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\",quantile=\"0.95\"}) / 1000 > 200",
            rules["TritonLatencyP95OverSlo"].Expr);
        Assert.Equal(
            "max(nv_inference_request_summary_us{namespace=\"team-a\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\",quantile=\"0.99\"}) / 1000 > 500",
            rules["TritonLatencyP99OverSlo"].Expr);
        foreach (var rule in new[] { rules["TritonLatencyP95OverSlo"], rules["TritonLatencyP99OverSlo"] })
        {
            Assert.DoesNotContain("_duration_us", rule.Expr, StringComparison.Ordinal);
            Assert.DoesNotContain("rate(", rule.Expr, StringComparison.Ordinal);
        }

        Assert.StartsWith("deriv((", rules["TritonQueueTimeGrowing"].Expr, StringComparison.Ordinal);
        Assert.Contains("nv_inference_queue_duration_us", rules["TritonQueueTimeGrowing"].Expr, StringComparison.Ordinal);
        Assert.EndsWith("> 50", rules["TritonQueueTimeGrowing"].Expr, StringComparison.Ordinal);
    }

    [Fact]
    public void VllmDeploymentsGetVllmRulesOnVllmMetricsAndTritonRuntimesKeepTritonRules()
    {
        var vllm = ServingAlerts.For(NeoCloud.Infra.Core.Serving.ServingRuntime.Vllm, Llama);
        Assert.Equal("neocloud-vllm-team-a-llama", vllm.Name);
        Assert.Equal(["VllmLatencyP95OverSlo", "VllmLatencyP99OverSlo", "VllmQueueTimeGrowing", "VllmKvCacheFull", "VllmPreempting"], vllm.Rules.Select(r => r.Alert));
        Assert.All(vllm.Rules, r => Assert.DoesNotContain("nv_inference", r.Expr, StringComparison.Ordinal));
        var rules = vllm.Rules.ToDictionary(r => r.Alert);
        Assert.Equal(
            "histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{namespace=\"team-a\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\"}[5m]))) * 1000 > 200",
            rules["VllmLatencyP95OverSlo"].Expr);
        Assert.EndsWith("> 500", rules["VllmLatencyP99OverSlo"].Expr, StringComparison.Ordinal);
        Assert.Contains("vllm:request_queue_time_seconds_sum", rules["VllmQueueTimeGrowing"].Expr, StringComparison.Ordinal);
        Assert.EndsWith("> 50", rules["VllmQueueTimeGrowing"].Expr, StringComparison.Ordinal);
        Assert.Contains("vllm:kv_cache_usage_perc", rules["VllmKvCacheFull"].Expr, StringComparison.Ordinal);
        Assert.DoesNotContain("gpu_cache_usage_perc", rules["VllmKvCacheFull"].Expr, StringComparison.Ordinal);
        Assert.Contains("vllm:num_preemptions_total", rules["VllmPreempting"].Expr, StringComparison.Ordinal);

        foreach (var runtime in new[] { NeoCloud.Infra.Core.Serving.ServingRuntime.Triton, NeoCloud.Infra.Core.Serving.ServingRuntime.TritonVllm, NeoCloud.Infra.Core.Serving.ServingRuntime.TritonTrtLlm })
        {
            Assert.Equal(ServingAlerts.Triton(Llama), ServingAlerts.For(runtime, Llama), RuleGroupComparer.Instance);
        }
    }

    private sealed class RuleGroupComparer : IEqualityComparer<RuleGroup>
    {
        public static readonly RuleGroupComparer Instance = new();

        public bool Equals(RuleGroup? x, RuleGroup? y) => x is not null && y is not null && x.Name == y.Name && x.Rules.SequenceEqual(y.Rules);

        public int GetHashCode(RuleGroup obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void KedaRulesUseKedaErrorCounters()
    {
        var exprs = ServingAlerts.Keda().Rules.Select(r => r.Expr).ToList();
        Assert.Contains(exprs, e => e.Contains("keda_scaler_detail_errors_total", StringComparison.Ordinal));
        Assert.DoesNotContain(exprs, e => e.Contains("keda_scaler_errors_total", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("keda_scaled_object_errors_total", StringComparison.Ordinal));
    }

    [Fact]
    public void DashboardsAreJsonOnTheRightMetricFamilies()
    {
        using var gpu = System.Text.Json.JsonDocument.Parse(GrafanaDashboards.Gpu());
        using var triton = System.Text.Json.JsonDocument.Parse(GrafanaDashboards.Triton());
        Assert.All(Exprs(gpu), e => Assert.Contains("DCGM_FI_", e, StringComparison.Ordinal));
        Assert.Contains(Exprs(triton), e => e.Contains("nv_inference_request_summary_us{quantile=\"0.99\"}", StringComparison.Ordinal));
    }

    [Fact]
    public void PrometheusValuesSetRetentionStorageAndDisableHookWebhooks()
    {
        var values = KubePrometheusStackChart.Values(new PrometheusSettings("monitoring", "monitoring", "15d", "100Gi", "fast-ssd"), new Dictionary<string, string>());
        var spec = Map(Map(values["prometheus"])["prometheusSpec"]);
        Assert.Equal("15d", spec["retention"]);
        Assert.Equal(true, spec["serviceMonitorSelectorNilUsesHelmValues"]);
        var claim = Map(Map(Map(spec["storageSpec"])["volumeClaimTemplate"])["spec"]);
        Assert.Equal("fast-ssd", claim["storageClassName"]);
        Assert.Equal("100Gi", Map(Map(claim["resources"])["requests"])["storage"]);
        Assert.Equal(false, Map(Map(values["prometheusOperator"])["admissionWebhooks"])["enabled"]);
        Assert.Equal("monitoring", values["fullnameOverride"]);
        Assert.Equal("http://monitoring-prometheus.monitoring.svc:9090", KubePrometheusStackChart.PrometheusAddress("monitoring", "monitoring"));
    }

    [Fact]
    public void CommonLabelsDoNotRepeatTheLabelsTheChartWritesItself()
    {
        var labels = NeoCloud.Infra.Core.Naming.ResourceLabels.For("kube-prometheus-stack", "monitoring", "monitoring", "prod", "ml-platform");
        var values = KubePrometheusStackChart.Values(new PrometheusSettings("monitoring", "monitoring", "15d", "100Gi", null), labels);
        var common = Map(values["commonLabels"]);
        Assert.Equal(["neocloud.io/cost-center", "neocloud.io/environment"], common.Keys);
        foreach (var owned in new[] { "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "app.kubernetes.io/version", "release", "chart", "heritage" })
        {
            Assert.DoesNotContain(owned, common.Keys);
        }
    }

    private static ImmutableSortedDictionary<string, object> Map(object value) => (ImmutableSortedDictionary<string, object>)value;

    private static List<string> Exprs(System.Text.Json.JsonDocument doc) =>
        [.. doc.RootElement.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("targets")[0].GetProperty("expr").GetString()!)];
}
