using NeoCloud.Infra.Core.Monitoring;

namespace NeoCloud.Infra.Core.Tests.Monitoring;

/// <summary>
/// <c>promtool test rules</c> on the rendered GPU and KEDA groups: input series in the shapes the exporters publish,
/// the alerts expected to fire at one time and to be clear at another.
/// </summary>
public class AlertRuleUnitTests
{
    private static readonly string Rules = ServingAlerts.ToRuleFile([ServingAlerts.Gpu(), ServingAlerts.Keda()]);

    private static void AssertPasses(string tests)
    {
        var (exit, output) = Promtool.TestRules(Rules, tests);
        Assert.True(exit == 0, $"promtool test rules failed:\n{output}\nrules:\n{Rules}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void KedaScalerErrorsFiresOnTheDetailCounterAndClearsWhenErrorsStop()
    {
        // KEDA 2.17+ series shape (kedacore/keda pkg/metricscollector/prommetrics.go getLabels).
        AssertPasses("""
            tests:
              - interval: 1m
                input_series:
                  - series: 'keda_scaler_detail_errors_total{namespace="team-a",scaledObject="llama",scaler="prometheusScaler",triggerIndex="0",metric="s0-prometheus",type="scaledobject"}'
                    values: '0 0 1+1x10 11x30'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: KedaScalerErrors
                    exp_alerts:
                      - exp_labels: {severity: warning, namespace: team-a, scaledObject: llama, scaler: prometheusScaler}
                        exp_annotations:
                          summary: 'KEDA scaler prometheusScaler of team-a/llama is failing: the deployment runs on its fallback replica count'
                  - eval_time: 30m
                    alertname: KedaScalerErrors
                    exp_alerts: []
            """);
    }

    [Fact]
    public void GpuXidErrorFiresOnANewXidAndClearsAfterTheWindow()
    {
        // DCGM_FI_DEV_XID_ERRORS holds the last XID (79: GPU fallen off the bus) and keeps it.
        AssertPasses("""
            tests:
              - interval: 1m
                input_series:
                  - series: 'DCGM_FI_DEV_XID_ERRORS{node="n1",gpu="0",UUID="GPU-1",modelName="NVIDIA H100 80GB HBM3"}'
                    values: '0x10 79x30'
                  - series: 'DCGM_FI_DEV_XID_ERRORS{node="n1",gpu="1",UUID="GPU-2",modelName="NVIDIA H100 80GB HBM3"}'
                    values: '0x40'
                alert_rule_test:
                  - eval_time: 9m
                    alertname: GpuXidError
                    exp_alerts: []
                  - eval_time: 12m
                    alertname: GpuXidError
                    exp_alerts:
                      - exp_labels: {severity: critical, node: n1, gpu: "0"}
                        exp_annotations:
                          summary: 'GPU 0 on node n1 reported XID error 79 in the last 5m'
                  - eval_time: 20m
                    alertname: GpuXidError
                    exp_alerts: []
            """);
    }

    [Fact]
    public void GpuUtilizationHighMeasuresMigInstancesByTheGraphicsEngine()
    {
        // n1: an H100 split into two MIG instances; DCGM_FI_DEV_GPU_UTIL is 0 for them (dcgm-exporter#216), the
        // graphics engine is 97% busy. n2: a whole GPU at 50%.
        AssertPasses("""
            tests:
              - interval: 1m
                input_series:
                  - series: 'DCGM_FI_DEV_GPU_UTIL{node="n1",gpu="0",GPU_I_ID="1",GPU_I_PROFILE="3g.40gb"}'
                    values: '0x30'
                  - series: 'DCGM_FI_DEV_GPU_UTIL{node="n1",gpu="0",GPU_I_ID="2",GPU_I_PROFILE="3g.40gb"}'
                    values: '0x30'
                  - series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{node="n1",gpu="0",GPU_I_ID="1",GPU_I_PROFILE="3g.40gb"}'
                    values: '0.97x30'
                  - series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{node="n1",gpu="0",GPU_I_ID="2",GPU_I_PROFILE="3g.40gb"}'
                    values: '0.97x30'
                  - series: 'DCGM_FI_DEV_GPU_UTIL{node="n2",gpu="0"}'
                    values: '50x30'
                  - series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{node="n2",gpu="0"}'
                    values: '0.5x30'
                alert_rule_test:
                  - eval_time: 20m
                    alertname: GpuUtilizationHigh
                    exp_alerts:
                      - exp_labels: {severity: warning, node: n1}
                        exp_annotations:
                          summary: 'GPUs of node n1 are above 90% utilisation for 15 minutes (97%)'
            """);
    }

    [Fact]
    public void GpuPoolIdleCoversMigPoolsAndStaysQuietForABusyWholeGpuPool()
    {
        AssertPasses("""
            tests:
              - interval: 1m
                input_series:
                  - series: 'kube_node_labels{node="n1",label_neocloud_io_pool="h100-mig"}'
                    values: '1x90'
                  - series: 'kube_node_labels{node="n2",label_neocloud_io_pool="l4"}'
                    values: '1x90'
                  - series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{node="n1",gpu="0",GPU_I_ID="1",GPU_I_PROFILE="1g.10gb"}'
                    values: '0.02x90'
                  - series: 'DCGM_FI_DEV_GPU_UTIL{node="n2",gpu="0"}'
                    values: '60x90'
                alert_rule_test:
                  - eval_time: 30m
                    alertname: GpuPoolIdle
                    exp_alerts: []
                  - eval_time: 75m
                    alertname: GpuPoolIdle
                    exp_alerts:
                      - exp_labels: {severity: warning, label_neocloud_io_pool: h100-mig}
                        exp_annotations:
                          summary: 'GPU pool h100-mig is below 10% utilisation for an hour: shrink it or move work onto it'
            """);
    }
}
