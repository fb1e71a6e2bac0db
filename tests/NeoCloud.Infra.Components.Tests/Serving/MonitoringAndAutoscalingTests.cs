using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Autoscaling;
using static NeoCloud.Infra.Components.Tests.Serving.ServingTestData;

namespace NeoCloud.Infra.Components.Tests.Serving;

public class MonitoringAndAutoscalingTests
{
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
