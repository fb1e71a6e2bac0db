using System.Collections.Immutable;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tests.Monitoring;

public sealed class PrometheusStackPlannerTests
{
    private static readonly PrometheusStackSpec Valid = new(
        new OwnershipSpec("prod", "ml-platform"), "monitoring", true, "monitoring", "15d", "100Gi", null, "gpu-operator", "admin",
        [new PrometheusReceiverSpec("oncall", "pagerduty", true), new PrometheusReceiverSpec("chat", "slack", true, "#gpu")],
        ExposeFederation: true, FederationSourceRanges: ["10.40.0.0/16"]);

    [Fact]
    public void A_valid_spec_plans_release_receivers_and_the_federation_endpoint()
    {
        Assert.Empty(PrometheusStackPlanner.Validate(Valid));
        var plan = PrometheusStackPlanner.Plan(Valid);
        Assert.Equal("http://monitoring-prometheus.monitoring.svc:9090", plan.Address);
        Assert.True(plan.Settings.AlertmanagerConfigured);
        Assert.Equal([AlertReceiverKind.PagerDuty, AlertReceiverKind.Slack], plan.Receivers.Select(r => r.Kind));
        Assert.Equal(["10.40.0.0/16"], plan.Federation!.SourceRanges.ToArray());
        Assert.Equal("monitoring", plan.Labels("eu-monitoring")[ResourceLabels.AppComponent]);
        Assert.Null(PrometheusStackPlanner.Plan(Valid with { ExposeFederation = false, FederationSourceRanges = [] }).Federation);
        Assert.False(PrometheusStackPlanner.Plan(Valid with { AlertReceivers = [] }).Settings.AlertmanagerConfigured);
    }

    public static TheoryData<string, PrometheusStackSpec, string> Rules() => new()
    {
        { "Environment", Valid with { Ownership = new OwnershipSpec(null!, "ml-platform") }, "a missing value" },
        { "CostCenter", Valid with { Ownership = new OwnershipSpec("prod", "ML") }, "is not allowed" },
        { "Tags[\"app.kubernetes.io/name\"]", Valid with { Ownership = new OwnershipSpec("prod", "ml-platform", ImmutableSortedDictionary<string, string>.Empty.Add("app.kubernetes.io/name", "x")) }, "set by the library" },
        { "ReleaseName", Valid with { ReleaseName = null }, "is required" },
        { "ReleaseName", Valid with { ReleaseName = "a-very-long-release-name-over-26" }, "at most 26 characters" },
        { "Namespace", Valid with { Namespace = "" }, "is required" },
        { "Namespace", Valid with { Namespace = "Monitoring" }, "DNS-1123 label" },
        { "Retention", Valid with { Retention = "15 days" }, "a Prometheus duration" },
        { "StorageSize", Valid with { StorageSize = "lots" }, "a Kubernetes storage quantity" },
        { "StorageClass", Valid with { StorageClass = "" }, "leave it unset" },
        { "GpuOperatorNamespace", Valid with { GpuOperatorNamespace = "GPU" }, "DNS-1123 label" },
        { "GrafanaAdminUser", Valid with { GrafanaAdminUser = null }, "is required" },
        { "GrafanaAdminUser", Valid with { GrafanaAdminUser = "Admin User" }, "lower-case letters" },
        { "AlertReceivers[1].Name", Valid with { AlertReceivers = [new("oncall", "webhook", true), new("oncall", "webhook", true)] }, "duplicate receiver name \"oncall\"" },
        { "AlertReceivers[0].Name", Valid with { AlertReceivers = [new("On Call", "webhook", true)] }, "DNS-1123 label" },
        { "AlertReceivers[0].Kind", Valid with { AlertReceivers = [new("oncall", "opsgenie", true)] }, "\"opsgenie\" is not allowed; allowed: pagerduty, slack, webhook" },
        { "AlertReceivers[0].Kind", Valid with { AlertReceivers = [new("oncall", null, true)] }, "is required" },
        { "AlertReceivers[0].Secret", Valid with { AlertReceivers = [new("oncall", "webhook", false)] }, "is required" },
        { "AlertReceivers[0].Channel", Valid with { AlertReceivers = [new("oncall", "webhook", true, "#gpu")] }, "only for kind slack" },
        { "FederationSourceRanges", Valid with { ExposeFederation = false }, "only used with ExposeFederation" },
        { "FederationSourceRanges[0]", Valid with { FederationSourceRanges = ["10.40.0.0"] }, "an IPv4 CIDR" },
        { "FederationSourceRanges[0]", Valid with { FederationSourceRanges = ["fd00::/8"] }, "an IPv4 CIDR" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_reports_its_property(string path, PrometheusStackSpec spec, string reason)
    {
        var problem = Assert.Single(PrometheusStackPlanner.Validate(spec));
        Assert.Equal(path, problem.PropertyPath);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_nulls_never_throw()
    {
        var spec = new PrometheusStackSpec(new OwnershipSpec(null!, null!), null, false, null, null, null, null, null, null, [null!], false, default);
        var paths = PrometheusStackPlanner.Validate(spec).Select(p => p.PropertyPath).ToList();
        Assert.Equal(["AlertReceivers[0]", "CostCenter", "Environment", "GrafanaAdminUser", "Namespace", "ReleaseName", "Retention", "StorageSize"], paths.Order(StringComparer.Ordinal));
    }
}

public sealed class PrometheusFederationPlannerTests
{
    private static readonly PrometheusFederationSpec Valid = new(new OwnershipSpec("prod", "ml-platform"), "onprem", true, ["team-b", "team-a", "team-a"], "monitoring", true);

    [Fact]
    public void A_valid_spec_plans_one_scrape_config_per_source_cluster()
    {
        Assert.Empty(PrometheusFederationPlanner.Validate(Valid));
        var plan = PrometheusFederationPlanner.Plan(Valid);
        Assert.Equal("federate-onprem", plan.ScrapeConfigName);
        Assert.Equal(["team-a", "team-b"], plan.Namespaces.ToArray());
        var spec = plan.ScrapeConfigSpec("10.10.0.50:9090");
        Assert.Equal("/federate", spec["metricsPath"]);
        var match = (string)((ImmutableArray<object>)((ImmutableSortedDictionary<string, object>)spec["params"])["match[]"])[0];
        Assert.Contains("namespace=~\"team-a|team-b\"", match, StringComparison.Ordinal);
    }

    public static TheoryData<string, PrometheusFederationSpec, string> Rules() => new()
    {
        { "Environment", Valid with { Ownership = new OwnershipSpec("", "ml-platform") }, "is not allowed" },
        { "SourceCluster", Valid with { SourceCluster = null }, "is required" },
        { "SourceCluster", Valid with { SourceCluster = new string('a', 55) }, "at most 54 characters" },
        { "Target", Valid with { HasTarget = false }, "is required" },
        { "ReleaseLabel", Valid with { HasReleaseLabel = false }, "is required" },
        { "Namespaces", Valid with { Namespaces = [] }, "at least one namespace" },
        { "Namespaces[1]", Valid with { Namespaces = ["team-a", "Team B"] }, "DNS-1123 label" },
        { "Namespace", Valid with { Namespace = null }, "is required" },
        { "Namespace", Valid with { Namespace = "Monitoring" }, "DNS-1123 label" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_reports_its_property(string path, PrometheusFederationSpec spec, string reason)
    {
        var problem = Assert.Single(PrometheusFederationPlanner.Validate(spec));
        Assert.Equal(path, problem.PropertyPath);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }
}
