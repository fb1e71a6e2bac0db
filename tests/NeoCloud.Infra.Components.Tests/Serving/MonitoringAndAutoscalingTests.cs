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
}
