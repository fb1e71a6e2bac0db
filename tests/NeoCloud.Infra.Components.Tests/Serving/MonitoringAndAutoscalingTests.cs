using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Monitoring;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Monitoring;
using static NeoCloud.Infra.Components.Tests.Serving.ServingTestData;

namespace NeoCloud.Infra.Components.Tests.Serving;

public class MonitoringAndAutoscalingTests
{
    private static PrometheusStackArgs StackArgs(string retention = "30d") => new()
    {
        Environment = "prod",
        CostCenter = "ml-platform",
        Retention = retention,
        StorageSize = "200Gi",
        StorageClass = "fast-ssd",
        GpuOperatorNamespace = "gpu-operator",
    };

    [Fact]
    public async Task PrometheusStackPinsTheChartAndSetsRetentionStorageAndWebhooks()
    {
        PrometheusStack? stack = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => stack = new PrometheusStack("monitoring", StackArgs()));
        var chart = mocks.Single("kubernetes:helm.sh/v4:Chart");
        Assert.Equal("kube-prometheus-stack", chart.Inputs["chart"]);
        Assert.Equal(KubePrometheusStackChart.Version, chart.Inputs["version"]);
        Assert.Equal("https://prometheus-community.github.io/helm-charts", At(chart.Inputs["repositoryOpts"], "repo"));
        var values = chart.Inputs["values"];
        Assert.Equal("30d", At(values, "prometheus", "prometheusSpec", "retention"));
        Assert.Equal("fast-ssd", At(values, "prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate", "spec", "storageClassName"));
        Assert.Equal("200Gi", At(values, "prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate", "spec", "resources", "requests", "storage"));
        Assert.Equal(false, At(values, "prometheusOperator", "admissionWebhooks", "enabled"));
        Assert.Equal(true, At(values, "prometheus", "prometheusSpec", "serviceMonitorSelectorNilUsesHelmValues"));
        Assert.Equal("http://monitoring-prometheus.monitoring.svc:9090", await PulumiTest.ValueAsync(stack!.PrometheusAddress));
    }

    [Fact]
    public async Task MonitorsAndRulesCarryTheReleaseLabelAndDashboardsTheSidecarLabel()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new PrometheusStack("monitoring", StackArgs()));
        var dcgm = mocks.Single("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        Assert.Equal("monitoring", At(dcgm.Inputs["metadata"], "labels", "release"));
        Assert.Equal("gpu-operator", Assert.Single(List(At(dcgm.Inputs["spec"], "namespaceSelector", "matchNames"))));
        var rules = mocks.Single("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        Assert.Equal("monitoring", At(rules.Inputs["metadata"], "labels", "release"));
        var exprs = List(At(rules.Inputs["spec"], "groups")).SelectMany(g => List(Map(g)["rules"])).Select(r => (string)Map(r)["expr"]).ToList();
        Assert.Contains(exprs, e => e.Contains("DCGM_FI_DEV_XID_ERRORS", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("keda_scaler_detail_errors_total", StringComparison.Ordinal));
        var dashboards = mocks.OfType("kubernetes:core/v1:ConfigMap");
        Assert.Equal(2, dashboards.Count);
        Assert.All(dashboards, d => Assert.Equal("1", At(d.Inputs["metadata"], "labels", "grafana_dashboard")));
    }

    [Fact]
    public async Task GrafanaAdminComesFromAGeneratedPasswordSecretAndAlertmanagerFromAReceiverSecret()
    {
        var args = new PrometheusStackArgs
        {
            Environment = "prod",
            CostCenter = "ml-platform",
            AlertReceivers = [new AlertReceiverArgs { Name = "oncall", Kind = AlertReceiverKind.PagerDuty, Secret = Pulumi.Output.CreateSecret("routing-key-123") }],
        };
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new PrometheusStack("monitoring", args));
        Assert.Single(mocks.OfType("random:index/randomPassword:RandomPassword"));
        var secrets = mocks.OfType("kubernetes:core/v1:Secret").ToDictionary(s => (string)At(s.Inputs["metadata"], "name")!);
        var admin = secrets["monitoring-grafana-admin"];
        Assert.Equal("admin", At(admin.Inputs["stringData"], "admin-user"));
        Assert.Equal("mockrandom0", At(admin.Inputs["stringData"], "admin-password"));
        var config = (string)At(secrets["monitoring-alertmanager-config"].Inputs["stringData"], "alertmanager.yaml")!;
        Assert.Contains("routing_key: routing-key-123", config, StringComparison.Ordinal);
        var values = mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"];
        Assert.Equal("monitoring-grafana-admin", At(values, "grafana", "admin", "existingSecret"));
        Assert.Equal("monitoring-alertmanager-config", At(values, "alertmanager", "alertmanagerSpec", "configSecret"));
        Assert.DoesNotContain("routing-key-123", System.Text.Json.JsonSerializer.Serialize(values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidPrometheusArgsRegisterNothing()
    {
        var (mocks, error) = await TritonServiceTests.RunCapturingAsync(() => _ = new PrometheusStack("monitoring", StackArgs(retention: "a month")));
        Assert.Contains("PrometheusStackArgs.Retention: \"a month\" must be a Prometheus duration", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task KedaOperatorPinsTheOfficialChart()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new KedaOperator("keda", new KedaOperatorArgs { Environment = "prod", CostCenter = "ml-platform", MonitoringRelease = "monitoring" }));
        var chart = mocks.Single("kubernetes:helm.sh/v4:Chart");
        Assert.Equal("keda", chart.Inputs["chart"]);
        Assert.Equal(KedaChart.Version, chart.Inputs["version"]);
        Assert.Equal("https://kedacore.github.io/charts", At(chart.Inputs["repositoryOpts"], "repo"));
        Assert.Equal(true, At(chart.Inputs["values"], "crds", "install"));
        Assert.Equal("monitoring", At(chart.Inputs["values"], "prometheus", "operator", "serviceMonitor", "additionalLabels", "release"));
        Assert.Equal("keda", At(mocks.Single("kubernetes:core/v1:Namespace").Inputs["metadata"], "name"));
    }

    [Fact]
    public async Task InvalidKedaArgsRegisterNothingAndListEveryProblem()
    {
        var args = new KedaOperatorArgs { Environment = "Prod", CostCenter = "ml-platform", Namespace = "KEDA", MonitoringRelease = "" };
        var (mocks, error) = await TritonServiceTests.RunCapturingAsync(() => _ = new KedaOperator("keda", args));
        Assert.Contains("KedaOperator \"keda\": invalid KedaOperatorArgs (3 problems); nothing was registered:", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
        var direct = Assert.Throws<ComponentArgsException>(() => new KedaOperator("keda", args));
        Assert.Equal(["Environment", "Namespace", "MonitoringRelease"], direct.Problems.Select(p => p.PropertyPath));
    }

    [Fact]
    public void KedaRequiredArgsLeftUnsetAreEachReported()
    {
        var error = Assert.Throws<ComponentArgsException>(() => new KedaOperator("keda", new KedaOperatorArgs()));
        Assert.Equal(["Environment", "CostCenter"], error.Problems.Select(p => p.PropertyPath));
        Assert.Equal("(name)", Assert.Single(Assert.Throws<ComponentArgsException>(() => new KedaOperator("Keda_1", new KedaOperatorArgs { Environment = "prod", CostCenter = "ml" })).Problems).PropertyPath);
    }

    [Fact]
    public async Task KedaTagsLabelTheNamespaceAndTheTokenIsTheIndexOne()
    {
        var args = new KedaOperatorArgs { Environment = "prod", CostCenter = "ml-platform", Tags = new Dictionary<string, string> { ["team"] = "platform" } };
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new KedaOperator("keda", args));
        var labels = Map(At(mocks.Single("kubernetes:core/v1:Namespace").Inputs["metadata"], "labels"));
        Assert.Equal("platform", labels["team"]);
        Assert.Equal("prod", labels["neocloud.io/environment"]);
        Assert.Equal("platform", At(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"], "additionalLabels", "team"));
        Assert.Single(mocks.OfType("neocloud:index:KedaOperator"));
        Assert.Equal("neocloud:autoscaling:KedaOperator", KedaOperator.PreviousTypeToken);
    }
}
