using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

public class ScaledObjectSpecTests
{
    [Fact]
    public void QueueTimeQueryDividesQueueDurationBySuccessesInMilliseconds()
    {
        Assert.Equal(
            "sum(rate(nv_inference_queue_duration_us{namespace=\"team-a\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\"}[1m])) / clamp_min(sum(rate(nv_inference_request_success{namespace=\"team-a\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\"}[1m])), 1) / 1000",
            ServingQueries.AverageQueueMs("team-a", "llama"));
    }

    [Fact]
    public void RendersTargetBoundsFallbackAndTrigger()
    {
        var spec = ScaledObjectSpec.Render("llama", "team-a", "http://monitoring-prometheus.monitoring.svc:9090", new QueueTimeScaling(50, 5.5, 2, TargetInFlightPerReplica: 0.65, ActivationInFlight: 0.5), 1, 8);
        var target = (ImmutableSortedDictionary<string, object>)spec["scaleTargetRef"];
        Assert.Equal("Deployment", target["kind"]);
        Assert.Equal("llama", target["name"]);
        Assert.Equal(1, spec["minReplicaCount"]);
        Assert.Equal(8, spec["maxReplicaCount"]);
        var fallback = (ImmutableSortedDictionary<string, object>)spec["fallback"];
        Assert.Equal(3, fallback["failureThreshold"]);
        Assert.Equal(2, fallback["replicas"]);
        var trigger = (ImmutableSortedDictionary<string, object>)Assert.Single((ImmutableArray<object>)spec["triggers"]);
        Assert.Equal("prometheus", trigger["type"]);
        var metadata = (ImmutableSortedDictionary<string, object>)trigger["metadata"];
        Assert.Equal("AverageValue", trigger["metricType"]);
        Assert.Equal("0.65", metadata["threshold"]);
        Assert.Equal("0.5", metadata["activationThreshold"]);
        Assert.Equal("false", metadata["ignoreNullValues"]);
        Assert.Equal("sum(rate(nv_inference_request_duration_us{namespace=\"team-a\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\"}[1m])) / 1000000", metadata["query"]);
    }

    [Fact]
    public void KedaValuesInstallCrdsAndLabelTheServiceMonitors()
    {
        var values = KedaChart.Values("monitoring", new Dictionary<string, string> { ["neocloud.io/environment"] = "dev" });
        Assert.Equal(true, ((ImmutableSortedDictionary<string, object>)values["crds"])["install"]);
        var op = (ImmutableSortedDictionary<string, object>)((ImmutableSortedDictionary<string, object>)values["prometheus"])["operator"];
        var monitor = (ImmutableSortedDictionary<string, object>)op["serviceMonitor"];
        Assert.Equal("monitoring", ((ImmutableSortedDictionary<string, object>)monitor["additionalLabels"])["release"]);
    }
}
