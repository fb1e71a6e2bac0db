using System.Collections.Immutable;
using NeoCloud.Infra.Components.Monitoring;
using NeoCloud.Infra.Components.Tests.Serving;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Monitoring;
using static NeoCloud.Infra.Components.Tests.Serving.ServingTestData;

namespace NeoCloud.Infra.Components.Tests.Monitoring;

public class PrometheusStackTests
{
    private const string LoadBalancerIp = "10.10.0.50";

    private static PrometheusStackArgs StackArgs(string retention = "30d") => new()
    {
        Environment = "prod",
        CostCenter = "ml-platform",
        Retention = retention,
        StorageSize = "200Gi",
        StorageClass = "fast-ssd",
        GpuOperatorNamespace = "gpu-operator",
    };

    /// <summary>Mocks where a LoadBalancer Service reports an ingress address, as a cloud load balancer does.</summary>
    private static RecordingMocks WithLoadBalancer() => new()
    {
        AdjustOutputs = (type, _, outputs) =>
        {
            if (type == "kubernetes:core/v1:Service")
            {
                var ingress = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("ip", LoadBalancerIp));
                outputs["status"] = ImmutableDictionary<string, object>.Empty.Add("loadBalancer", ImmutableDictionary<string, object>.Empty.Add("ingress", ingress));
            }
        },
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
        Assert.Equal("http://monitoring-prometheus.monitoring.svc:9090", await PulumiTest.ValueAsync(stack!.Address));
        Assert.Equal("monitoring", await PulumiTest.ValueAsync(stack.ReleaseLabel));
        Assert.Equal("monitoring", await PulumiTest.ValueAsync(stack.Namespace));
        Assert.Null(await PulumiTest.ValueAsync(stack.FederationTarget));
        Assert.Empty(mocks.OfType("kubernetes:core/v1:Service"));
    }

    [Fact]
    public async Task SystemNodeSelector_places_every_workload_of_the_release_on_the_system_pool_and_leaves_the_chart_default_without_it()
    {
        var args = StackArgs();
        args.SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system" };
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new PrometheusStack("monitoring", args));
        var values = mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"];
        foreach (var path in KubePrometheusStackChart.NodeSelectorPaths)
        {
            Assert.Equal("system", At(values, [.. path, "nodeSelector", "neocloud.io/node-role"]));
        }

        var (plain, _) = await PulumiTest.RunAsync(() => _ = new PrometheusStack("monitoring", StackArgs()));
        var plainValues = plain.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"];
        Assert.All(KubePrometheusStackChart.NodeSelectorPaths, path => Assert.Null(Find(plainValues, [.. path, "nodeSelector"])));
    }

    private static object? Find(object root, params string[] path)
    {
        object? current = root;
        foreach (var key in path)
        {
            if (current is not ImmutableDictionary<string, object> map || !map.TryGetValue(key, out current))
            {
                return null;
            }
        }

        return current;
    }

    [Fact]
    public async Task A_system_node_selector_that_is_not_a_node_label_is_rejected_before_anything_is_registered()
    {
        var args = StackArgs();
        args.SystemNodeSelector = new() { ["neocloud.io/node-role"] = "not a label value" };
        var error = Assert.Throws<NeoCloud.Infra.Components.ComponentArgsException>(() => new PrometheusStack("monitoring", args));
        Assert.Contains(error.Problems, p => p.PropertyPath == "SystemNodeSelector[neocloud.io/node-role]");
    }

    [Fact]
    public async Task The_component_registers_under_the_index_token_with_its_previous_token_as_alias_and_tags_on_every_object()
    {
        var args = StackArgs();
        args.Tags = new() { ["team"] = "observability" };
        var (mocks, resources) = await PulumiTest.RunAsync(() => _ = new PrometheusStack("monitoring", args));
        var component = Assert.Single(resources.OfType<PrometheusStack>());
        Assert.Equal("neocloud:index:PrometheusStack", component.GetResourceType());
        Assert.Equal("neocloud:monitoring:PrometheusStack", PrometheusStack.PreviousTypeToken);
        foreach (var r in mocks.Resources.Where(r => r.Type!.StartsWith("kubernetes:", StringComparison.Ordinal) && r.Type != "kubernetes:helm.sh/v4:Chart"))
        {
            Assert.Equal("observability", At(r.Inputs["metadata"], "labels", "team"));
            Assert.Equal("prod", At(r.Inputs["metadata"], "labels", "neocloud.io/environment"));
        }
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
            AlertReceivers = [new AlertReceiverArgs { Name = "oncall", Kind = "pagerduty", Secret = Pulumi.Output.CreateSecret("routing-key-123") }],
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
    public async Task ExposeFederation_creates_the_load_balancer_and_publishes_its_address()
    {
        var args = StackArgs();
        args.ExposeFederation = true;
        args.FederationSourceRanges = ["10.40.0.0/16"];
        PrometheusStack? stack = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => stack = new PrometheusStack("eu-monitoring", args), mocks: WithLoadBalancer());
        var service = mocks.Single("kubernetes:core/v1:Service");
        Assert.Equal("eu-monitoring-federation", service.Name);
        Assert.Equal("prometheus-federation", At(service.Inputs["metadata"], "name"));
        Assert.Equal("monitoring", At(service.Inputs["metadata"], "namespace"));
        Assert.Equal("LoadBalancer", At(service.Inputs["spec"], "type"));
        Assert.Equal(["10.40.0.0/16"], List(At(service.Inputs["spec"], "loadBalancerSourceRanges")).Cast<string>());
        Assert.Equal("monitoring-prometheus", At(service.Inputs["spec"], "selector", "prometheus"));
        Assert.Equal("prometheus", At(service.Inputs["spec"], "selector", "app.kubernetes.io/name"));
        Assert.Equal(9090, Convert.ToInt32(At(List(At(service.Inputs["spec"], "ports"))[0], "port"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"{LoadBalancerIp}:9090", await PulumiTest.ValueAsync(stack!.FederationTarget));
    }

    [Theory]
    [InlineData("a month", "PrometheusStackArgs.Retention: \"a month\" is not allowed; allowed: a Prometheus duration")]
    public async Task InvalidPrometheusArgsRegisterNothing(string retention, string expected)
    {
        var (mocks, error) = await TritonServiceTests.RunCapturingAsync(() => _ = new PrometheusStack("monitoring", StackArgs(retention)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Invalid_ownership_is_reported_with_every_other_problem_before_anything_registers()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new PrometheusStack("monitoring", new PrometheusStackArgs
            {
                Environment = null!,
                CostCenter = "ML Platform",
                ReleaseName = "Monitoring",
                AlertReceivers = [new AlertReceiverArgs { Name = "oncall", Kind = "opsgenie", Secret = null! }],
                FederationSourceRanges = ["10.0.0.0/8"],
            }));
            Assert.Equal("args", error.ParamName);
            Assert.Equal(["AlertReceivers[0].Kind", "AlertReceivers[0].Secret", "CostCenter", "Environment", "FederationSourceRanges", "ReleaseName"], error.Problems.Select(p => p.PropertyPath).Order(StringComparer.Ordinal));
            Assert.StartsWith("PrometheusStack \"monitoring\": invalid PrometheusStackArgs (6 problems); nothing was registered:", error.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }
}

public class PrometheusFederationTests
{
    private static PrometheusFederationArgs Args() => new()
    {
        Environment = "prod",
        CostCenter = "ml-platform",
        SourceCluster = "onprem",
        Target = Pulumi.Output.Create("10.10.0.50:9090"),
        Namespaces = ["team-a"],
        ReleaseLabel = Pulumi.Output.Create("kube-prometheus-stack"),
    };

    [Fact]
    public async Task The_scrape_config_federates_the_serving_series_of_the_namespaces_from_the_target()
    {
        PrometheusFederation? federation = null;
        var (mocks, resources) = await PulumiTest.RunAsync(() => federation = new PrometheusFederation("eks-federate-onprem", Args()));
        var scrape = mocks.Single("kubernetes:monitoring.coreos.com/v1alpha1:ScrapeConfig");
        Assert.Equal("eks-federate-onprem-scrape-config", scrape.Name);
        Assert.Equal("federate-onprem", At(scrape.Inputs["metadata"], "name"));
        Assert.Equal("monitoring", At(scrape.Inputs["metadata"], "namespace"));
        Assert.Equal("kube-prometheus-stack", At(scrape.Inputs["metadata"], "labels", "release"));
        Assert.Equal("/federate", At(scrape.Inputs["spec"], "metricsPath"));
        Assert.Equal("10.10.0.50:9090", List(At(List(At(scrape.Inputs["spec"], "staticConfigs"))[0], "targets"))[0]);
        Assert.Equal("onprem", At(List(At(scrape.Inputs["spec"], "staticConfigs"))[0], "labels", "neocloud_cluster"));
        Assert.Contains("namespace=~\"team-a\"", (string)List(At(scrape.Inputs["spec"], "params", "match[]"))[0], StringComparison.Ordinal);
        Assert.Equal("neocloud:index:PrometheusFederation", Assert.Single(resources.OfType<PrometheusFederation>()).GetResourceType());
        Assert.Equal("federate-onprem", await PulumiTest.ValueAsync(federation!.ScrapeConfigName));
    }

    [Fact]
    public async Task Missing_required_inputs_are_all_reported_and_nothing_registers()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new PrometheusFederation("f", new PrometheusFederationArgs { Environment = "prod", CostCenter = "ml-platform" }));
            Assert.Equal(["Namespaces", "ReleaseLabel", "SourceCluster", "Target"], error.Problems.Select(p => p.PropertyPath).Order(StringComparer.Ordinal));
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }
}
