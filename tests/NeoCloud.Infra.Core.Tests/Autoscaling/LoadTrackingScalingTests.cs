using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>
/// Issue 15 point 6: the KEDA trigger follows load. Prod's deployments (the stack whose pools can hold the traces' peaks),
/// simulated with the platform check's simulator on the ramp and ×5-spike traces, settle on the ideal count and keep the
/// steady-state p95 queue time under their SLO; the previous trigger (mean queue time per request with AverageValue)
/// fails the same traces.
/// </summary>
public sealed class LoadTrackingScalingTests
{
    private static readonly Lazy<PlatformReport> Prod = new(() =>
        PlatformCheck.ForConfig(EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")))));

    /// <summary>The previous trigger of the same deployment: mean queue ms with AverageValue, threshold = queueTimeThresholdMs.</summary>
    private static SimulationResult Previous(PlatformScaler scaler, string trace, double thresholdMs)
    {
        var mu = scaler.ServiceRatePerReplica!.Value;
        var old = scaler with { MetricType = "AverageValue", Metric = ScalerMetric.MeanQueueMs, Threshold = thresholdMs };
        return AutoscalingSimulator.Run(old, LoadTrace.BuiltIn(trace, 0.6 * mu * Math.Max(1, scaler.MinReplicas), 0.8 * mu * scaler.MaxReplicas));
    }

    private static int[] PlateauDeviation(SimulationResult r) =>
        [.. r.Samples.Where(x => x.Seconds >= 900 && x.Seconds < 1200).Select(x => x.Ready - x.Ideal)];

    [Fact]
    public void Prod_triggers_scale_on_requests_in_flight_per_replica()
    {
        var scalers = Prod.Value.Inventory.Scalers;
        Assert.All(scalers, s => Assert.Equal("AverageValue", s.MetricType));
        Assert.All(scalers.Where(s => s.BurstOf is null), s => Assert.Equal(ScalerMetric.InFlight, s.Metric));
        Assert.DoesNotContain(Prod.Value.Findings, f => f.Rule == PlatformRule.Autoscaling);
    }

    [Fact]
    public void On_the_spike_replicas_stay_within_one_of_the_ideal_count_and_the_p95_meets_the_slo()
    {
        var results = PlatformCheck.Simulate(Prod.Value, "spike");
        Assert.Equal(["embeddings", "llama-70b-chat", "llama-8b-chat"], results.Select(r => r.Scaler.Deployment).Order(StringComparer.Ordinal));
        foreach (var r in results)
        {
            var deviation = PlateauDeviation(r);
            Assert.True(deviation.All(d => Math.Abs(d) <= 1), $"{r.Scaler.Deployment}: ready − ideal during the ×5 plateau {deviation.Min()}..{deviation.Max()}");
            Assert.True(r.MeetsSlo, $"{r.Scaler.Deployment}: steady p95 {r.SteadyP95QueueMs:0.#} ms over SLO {r.Scaler.SloP95Ms} ms");

            // After the spike, once the default 300 s scale-down window has passed, replicas are back within ±1 of ideal.
            Assert.True(r.SettledWithinOne, $"{r.Scaler.Deployment}: not within ±1 of the ideal count over the trace's last 5 minutes");
        }
    }

    [Fact]
    public void On_the_ramp_replicas_settle_within_the_hpa_tolerance_and_the_p95_meets_the_slo()
    {
        foreach (var r in PlatformCheck.Simulate(Prod.Value, "ramp"))
        {
            // The HPA keeps its count while the usage ratio is within 10 % (its tolerance): at 47 replicas that is ±4.
            foreach (var x in r.Samples.Where(x => x.Seconds >= 1500))
            {
                Assert.True(Math.Abs(x.Ready - x.Ideal) <= Math.Max(1, (int)Math.Ceiling(0.1 * x.Ideal)), $"{r.Scaler.Deployment} at {x.Seconds} s: {x.Ready} ready, ideal {x.Ideal}");
            }

            Assert.True(r.MeetsSlo, $"{r.Scaler.Deployment}: steady p95 {r.SteadyP95QueueMs:0.#} ms over SLO {r.Scaler.SloP95Ms} ms");
        }

        Assert.All(PlatformCheck.Simulate(Prod.Value, "ramp").Where(r => r.Scaler.Deployment != "llama-8b-chat"), r => Assert.True(r.SettledWithinOne, r.Scaler.Deployment));
    }

    [Theory]
    [InlineData("llama-8b-chat", 40)]
    [InlineData("llama-70b-chat", 80)]
    [InlineData("embeddings", 50)]
    public void The_previous_trigger_fails_the_same_traces(string deployment, double thresholdMs)
    {
        var scaler = Prod.Value.Inventory.Scalers.Single(s => s.Deployment == deployment);

        var ramp = Previous(scaler, "ramp", thresholdMs);
        Assert.False(ramp.MeetsSlo, $"{deployment}: previous trigger's ramp p95 {ramp.SteadyP95QueueMs:0.#} ms");
        Assert.False(ramp.SettledWithinOne);
        var spike = PlateauDeviation(Previous(scaler, "spike", thresholdMs));
        Assert.True(spike.Any(d => Math.Abs(d) > 1), $"{deployment}: previous trigger's plateau {spike.Min()}..{spike.Max()}");
    }

    [Fact]
    public void Under_saturation_the_on_prem_side_reaches_its_maximum_so_the_burst_gate_opens()
    {
        var scaler = Prod.Value.Inventory.Scalers.Single(s => s.Deployment == "llama-8b-chat");
        var mu = scaler.ServiceRatePerReplica!.Value;
        var saturating = new LoadTrace("saturate", [(0, 0.6 * mu * 4), (600, 1.2 * mu * scaler.MaxReplicas)], 1800, 0, []);

        var r = AutoscalingSimulator.Run(scaler, saturating);

        Assert.NotNull(r.BurstActivatedAt);
        Assert.Equal(scaler.MaxReplicas, r.Samples[^1].Desired);
    }

    [Fact]
    public void The_burst_query_counts_both_sides_beyond_what_the_on_prem_maximum_holds_and_exists_at_zero_burst_replicas()
    {
        var query = BurstScaling.Query("chat", "llama", "dc1", 64, 0.5);

        Assert.Equal(
            "(clamp_min((sum(rate(nv_inference_request_duration_us{namespace=\"chat\",pod=~\"llama-[a-z0-9]+-[a-z0-9]+\",neocloud_cluster=\"dc1\"}[1m])) / 1000000)"
            + " + ((sum(rate(nv_inference_request_duration_us{namespace=\"chat\",pod=~\"llama-burst-[a-z0-9]+-[a-z0-9]+\"}[1m])) / 1000000) or vector(0)) - 32, 0)"
            + " * (sum(kube_deployment_spec_replicas{neocloud_cluster=\"dc1\",namespace=\"chat\",deployment=\"llama\"}) >= bool 64)) or vector(0)",
            query);
        Assert.Contains("nv_inference_request_duration_us", BurstScaling.FederatedMetrics);
        Assert.False(ConfigInventory.AveragedQuery(query));
    }

    [Theory]
    [InlineData(40, 3.6, 4, 300)]
    [InlineData(80, 1.2, 2, 900)]
    [InlineData(50, 80, 2, 50)]
    [InlineData(50, 0.8, 1, 400)]
    public void The_derived_target_keeps_mean_and_p95_queue_time_of_min_replicas_within_bounds(double thresholdMs, double mu, int replicas, double slo)
    {
        var target = InFlightTarget.FromQueueTime(thresholdMs, mu, replicas, slo);

        // Load at which min replicas hold exactly the target in flight: L = a + λ·Wq(a), solved for a.
        double lo = 0, hi = replicas;
        for (var i = 0; i < 60; i++)
        {
            var a = (lo + hi) / 2;
            var wq = InFlightTarget.ErlangC(replicas, a) / ((replicas * mu) - (a * mu));
            if ((a + (a * mu * wq)) / replicas > target)
            {
                hi = a;
            }
            else
            {
                lo = a;
            }
        }

        var c = InFlightTarget.ErlangC(replicas, lo);
        var drain = (replicas * mu) - (lo * mu);
        Assert.True(1000 * c / drain <= thresholdMs * 1.001, $"mean queue {1000 * c / drain:0.##} ms at target {target}");
        Assert.True(c <= 0.05 || 1000 * Math.Log(c / 0.05) / drain <= (slo / 2) * 1.001, $"p95 queue at target {target}");
        Assert.True(target > InFlightTarget.Minimum);
    }

    [Fact]
    public void Config_may_set_the_target_and_a_target_of_0_is_rejected_by_key()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod"));
        var set = yaml.Replace("autoscaling: {queueTimeThresholdMs: 40,", "autoscaling: {targetInFlightPerReplica: 12, queueTimeThresholdMs: 40,", StringComparison.Ordinal);
        var bound = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(set));
        Assert.Equal(12, bound.Serving.Single(s => s.Name == "llama-8b-chat").Autoscaling.TargetInFlightPerReplica);

        var zero = EnvironmentBinder.Bind(StackConfig.FromYaml(set.Replace("targetInFlightPerReplica: 12", "targetInFlightPerReplica: 0", StringComparison.Ordinal)));
        Assert.Null(zero.Model);
        var error = Assert.Single(zero.Errors);
        Assert.Contains("serving[0].autoscaling.targetInFlightPerReplica", error.ToString(), StringComparison.Ordinal);
    }
}
