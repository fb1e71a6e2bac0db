using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Monitoring;

namespace NeoCloud.Infra.Core.Tests.Monitoring;

/// <summary>
/// <c>promtool test rules</c> on the vLLM group of a deployment: input series in the shapes vLLM's Prometheus logger
/// publishes (vllm/v1/metrics/loggers.py: histograms with <c>le</c> buckets, gauges and counters labelled
/// <c>model_name</c> and <c>engine</c>), the alerts expected to fire at one time and to be clear at another.
/// </summary>
public class VllmAlertRuleTests
{
    // The prod 70B's objectives: p95 900 ms, p99 2 s, queue-time target 80 ms.
    private static readonly WatchedDeployment Big = new("llama-70b-chat", "chat", new LatencySlo(900, 2000), 80);

    private static readonly string Rules = ServingAlerts.ToRuleFile([ServingAlerts.Vllm(Big)]);

    private const string Pod = "llama-70b-chat-6f7c9d8b5-x2k4q";

    private static void AssertPasses(string tests)
    {
        var (exit, output) = Promtool.TestRules(Rules, tests);
        Assert.True(exit == 0, $"promtool test rules failed:\n{output}\nrules:\n{Rules}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    private static string Bucket(string le, string values) =>
        $"      - series: 'vllm:e2e_request_latency_seconds_bucket{{namespace=\"chat\",pod=\"{Pod}\",model_name=\"llama-70b-chat\",engine=\"0\",le=\"{le}\"}}'\n        values: '{values}'\n";

    [Fact]
    public void P95FiresWhenTheLatencyHistogramMovesPastTheSloAndP99StaysQuietUnderItsOwn()
    {
        // 60 requests a minute. First 20 minutes: half under 0.3 s, all under 0.5 s (p95 480 ms). Then every request
        // takes 0.8–1.5 s (p95 1450 ms > 900, p99 1490 ms < 2000). vLLM's buckets: 0.3, 0.5, 0.8, 1.0, 1.5, 2.0, …
        var series =
            Bucket("0.3", "0+30x20 600+0x40") +
            Bucket("0.5", "0+60x20 1200+0x40") +
            Bucket("0.8", "0+60x20 1200+6x40") +
            Bucket("1.0", "0+60x20 1200+30x40") +
            Bucket("1.5", "0+60x20 1200+60x40") +
            Bucket("2.0", "0+60x20 1200+60x40") +
            Bucket("+Inf", "0+60x20 1200+60x40");
        AssertPasses($$"""
            tests:
              - interval: 1m
                input_series:
            {{series}}
                alert_rule_test:
                  - eval_time: 18m
                    alertname: VllmLatencyP95OverSlo
                    exp_alerts: []
                  - eval_time: 40m
                    alertname: VllmLatencyP95OverSlo
                    exp_alerts:
                      - exp_labels: {severity: warning}
                        exp_annotations:
                          summary: 'p95 request latency of deployment chat/llama-70b-chat is 1450 ms, over its SLO of 900 ms'
                  - eval_time: 40m
                    alertname: VllmLatencyP99OverSlo
                    exp_alerts: []
            """);
    }

    [Fact]
    public void KvCacheFullAndPreemptionFireForThePodThatIsShortOfCacheOnly()
    {
        // Pod 1 runs its KV cache at 97 % and preempts 2 sequences a minute; pod 2 is at 50 % and never preempts. A pod
        // of another deployment (llama-70b-chat-big) is full too, and must not count.
        AssertPasses($$"""
            tests:
              - interval: 1m
                input_series:
                  - series: 'vllm:kv_cache_usage_perc{namespace="chat",pod="{{Pod}}",model_name="llama-70b-chat",engine="0"}'
                    values: '0.97x30'
                  - series: 'vllm:kv_cache_usage_perc{namespace="chat",pod="llama-70b-chat-6f7c9d8b5-m8v2z",model_name="llama-70b-chat",engine="0"}'
                    values: '0.5x30'
                  - series: 'vllm:kv_cache_usage_perc{namespace="chat",pod="llama-70b-chat-big-5d4c7-h2j9k",model_name="big",engine="0"}'
                    values: '0.99x30'
                  - series: 'vllm:num_preemptions_total{namespace="chat",pod="{{Pod}}",model_name="llama-70b-chat",engine="0"}'
                    values: '0+2x30'
                  - series: 'vllm:num_preemptions_total{namespace="chat",pod="llama-70b-chat-6f7c9d8b5-m8v2z",model_name="llama-70b-chat",engine="0"}'
                    values: '0x30'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: VllmKvCacheFull
                    exp_alerts: []
                  - eval_time: 20m
                    alertname: VllmKvCacheFull
                    exp_alerts:
                      - exp_labels: {severity: warning, pod: {{Pod}}}
                        exp_annotations:
                          summary: 'KV cache of {{Pod}} (deployment chat/llama-70b-chat) is over 95% full for 15 minutes: requests wait for cache blocks; lower maxConcurrentSequences or maxContextTokens, or give replicas more GPU memory'
                  - eval_time: 20m
                    alertname: VllmPreempting
                    exp_alerts:
                      - exp_labels: {severity: warning, pod: {{Pod}}}
                        exp_annotations:
                          summary: '{{Pod}} (deployment chat/llama-70b-chat) keeps preempting running sequences (10 in 5 minutes): its KV cache is too small for the load'
            """);
    }

    [Fact]
    public void QueueTimeGrowingFiresOnARisingMeanAboveTheTargetAndNotOnASteadyOne()
    {
        // 60 requests a minute; the mean WAITING time is 100 ms for 10 minutes (steady, above the 80 ms target: no
        // alert), then 200, 300, 400 ms in successive 10-minute steps (growing: alert after 15 minutes of growth).
        AssertPasses($$"""
            tests:
              - interval: 1m
                input_series:
                  - series: 'vllm:request_queue_time_seconds_count{namespace="chat",pod="{{Pod}}",model_name="llama-70b-chat",engine="0"}'
                    values: '0+60x60'
                  - series: 'vllm:request_queue_time_seconds_sum{namespace="chat",pod="{{Pod}}",model_name="llama-70b-chat",engine="0"}'
                    values: '0+6x10 72+12x9 198+18x9 384+24x29'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: VllmQueueTimeGrowing
                    exp_alerts: []
                  - eval_time: 38m
                    alertname: VllmQueueTimeGrowing
                    exp_alerts:
                      - exp_labels: {severity: warning}
                        exp_annotations:
                          summary: 'average queue time of deployment chat/llama-70b-chat keeps growing above its scaling target of 80 ms: autoscaling is at its maximum or cannot place replicas'
                  - eval_time: 60m
                    alertname: VllmQueueTimeGrowing
                    exp_alerts: []
            """);
    }
}
