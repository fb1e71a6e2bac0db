using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

public sealed class AutoscalingSimulatorTests
{
    // 3.6 requests/s per replica (1800 tokens/s ÷ 500 tokens per request), 4..64 replicas, room for all of them.
    private static PlatformScaler Scaler(string metricType, ScalerMetric metric, double threshold, int min = 4, int max = 64, bool autoscaler = false, int nodes = 2, int perNode = 56) =>
        new("c", "chat", "llm", metricType, threshold, 0, min, max, 8, 3.6, 300, perNode, nodes, Math.Max(nodes, 4), autoscaler, null) { Metric = metric };

    [Theory]
    [InlineData(400.0, 1, 10)] // AverageValue: ceil(400 ÷ 40), whatever the current count
    [InlineData(400.0, 30, 10)]
    [InlineData(42.0, 1, 1)] // within the 0.1 tolerance of 1 replica × 40: no change
    public void AverageValue_recommends_ceil_of_metric_over_target(double metric, int current, int expected)
    {
        Assert.Equal(expected, AutoscalingSimulator.Recommend("AverageValue", metric, 40, current, current));
    }

    [Theory]
    [InlineData(80.0, 10, 20)] // Value: ceil(ready × 80 ÷ 40)
    [InlineData(20.0, 10, 5)]
    [InlineData(43.0, 10, 10)] // within tolerance
    public void Value_recommends_ready_pods_times_the_usage_ratio(double metric, int ready, int expected)
    {
        Assert.Equal(expected, AutoscalingSimulator.Recommend("Value", metric, 40, ready, ready));
    }

    [Fact]
    public void Erlang_C_matches_known_values()
    {
        Assert.Equal(0.5, AutoscalingSimulator.ErlangC(1, 0.5), 9); // M/M/1: P(wait) = ρ
        Assert.Equal(1.0 / 3, AutoscalingSimulator.ErlangC(2, 1), 9);
        Assert.Equal(1, AutoscalingSimulator.ErlangC(2, 2));
    }

    [Fact]
    public void On_a_ramp_Value_on_an_averaged_metric_settles_on_the_ideal_count_and_AverageValue_does_not()
    {
        // Utilisation (mean busy fraction of the replicas) is an average over pods, like today's mean queue time.
        var scaler = Scaler("Value", ScalerMetric.Utilisation, 0.7);
        var trace = LoadTrace.BuiltIn("ramp", 0.6 * 3.6 * 4, 0);

        var value = AutoscalingSimulator.Run(scaler, trace);
        var average = AutoscalingSimulator.Run(scaler, trace, metricType: "AverageValue");

        Assert.True(value.SettledWithinOne);
        Assert.Equal(35, value.Samples[^1].Ideal); // ceil(86.4 ÷ (3.6 × 0.7))
        Assert.InRange(value.Samples[^1].Ready, 34, 36);
        Assert.True(value.MeetsSlo);
        Assert.False(average.SettledWithinOne);
        Assert.Equal(4, average.Samples[^1].Ready); // ceil(1.0 ÷ 0.7) = 2 → held at min
        Assert.False(average.MeetsSlo);
    }

    [Fact]
    public void Scale_up_is_limited_to_the_larger_of_100_percent_and_4_pods_per_15_seconds()
    {
        var scaler = Scaler("AverageValue", ScalerMetric.MeanQueueMs, 40, min: 1);
        var trace = new LoadTrace("overload", [(0, 200)], 120, null, []);

        var desired = AutoscalingSimulator.Run(scaler, trace).Samples.Select(s => s.Desired).Take(5).ToArray();

        // 1 → 5 (+4 pods beats +100 %), then doubling, then the maximum.
        Assert.Equal([5, 10, 20, 40, 64], desired);
    }

    [Fact]
    public void Scale_down_waits_for_the_300_second_stabilization_window()
    {
        var scaler = Scaler("Value", ScalerMetric.Utilisation, 0.7, min: 1);
        var trace = new LoadTrace("drop", [(0, 50), (599.9, 50), (600, 1)], 1500, 600, []);

        var samples = AutoscalingSimulator.Run(scaler, trace).Samples;
        var before = samples.Single(s => s.Seconds == 600).Desired;

        Assert.True(before > 10);
        Assert.All(samples.Where(s => s.Seconds is > 600 and < 885), s => Assert.True(s.Desired >= before - 1, $"at {s.Seconds} s desired {s.Desired}"));
        Assert.True(samples.Single(s => s.Seconds == 1200).Desired <= 2);
    }

    [Fact]
    public void A_metric_outage_falls_back_to_the_fallback_replicas_after_three_failed_polls()
    {
        var scaler = Scaler("Value", ScalerMetric.Utilisation, 0.7);
        var trace = new LoadTrace("outage", [(0, 8)], 600, null, [(300, 600)]);

        var samples = AutoscalingSimulator.Run(scaler, trace).Samples;

        Assert.Equal(4, samples.Single(s => s.Seconds == 315).Desired);
        Assert.Equal(8, samples.Single(s => s.Seconds == 330).Desired);
        Assert.True(double.IsNaN(samples.Single(s => s.Seconds == 330).Metric));
    }

    [Fact]
    public void Scale_from_zero_activates_above_the_activation_threshold()
    {
        var scaler = Scaler("Value", ScalerMetric.Utilisation, 0.7, min: 0) with { ActivationThreshold = 0.1 };
        var idle = AutoscalingSimulator.Run(scaler, new LoadTrace("idle", [(0, 0)], 300, null, []));

        Assert.All(idle.Samples, s => Assert.Equal(0, s.Desired));
    }

    [Fact]
    public void Without_a_node_autoscaler_replicas_beyond_the_nodes_stay_pending_and_with_one_they_wait_for_new_nodes()
    {
        var trace = new LoadTrace("load", [(0, 100)], 900, null, []);
        var fixedPool = Scaler("Value", ScalerMetric.Utilisation, 0.7, nodes: 1, perNode: 8);
        var growing = fixedPool with { NodeAutoscaler = true };

        var stuck = AutoscalingSimulator.Run(fixedPool, trace);
        var grown = AutoscalingSimulator.Run(growing, trace, nodeProvisioningSeconds: 300);

        Assert.Equal(8, stuck.Samples[^1].Ready);
        Assert.True(stuck.Samples[^1].Pending > 0);
        Assert.True(grown.Samples.Single(s => s.Seconds == 240).Ready <= 8);
        Assert.True(grown.Samples[^1].Nodes > 1);
        Assert.True(grown.Samples[^1].Ready > 8);
    }

    [Fact]
    public void Trace_files_parse_and_bad_ones_name_the_line_or_field()
    {
        var csv = LoadTrace.FromCsv("t", "seconds,requestsPerSecond\n0,10\n600,20\n");
        Assert.Equal(15, csv.RateAt(300), 9);
        Assert.Equal(900, csv.DurationSeconds);

        var json = LoadTrace.FromJson("t", """{"durationSeconds": 1200, "spikeAtSeconds": 60, "points": [{"seconds": 0, "requestsPerSecond": 5}], "outages": [{"start": 100, "end": 200}]}""");
        Assert.True(json.MetricDown(150));
        Assert.Equal(60, json.SpikeAtSeconds);

        Assert.Equal("trace t line 3: \"600;20\" is not <seconds>,<requestsPerSecond>", Assert.Throws<FormatException>(() => LoadTrace.FromCsv("t", "seconds,requestsPerSecond\n0,10\n600;20")).Message);
        Assert.Equal("trace t: point 2 at 5 s comes before point 1 at 10 s; times must ascend", Assert.Throws<FormatException>(() => LoadTrace.FromCsv("t", "10,1\n5,1")).Message);
        Assert.Equal("trace t: points[0] needs numeric \"seconds\" and \"requestsPerSecond\"", Assert.Throws<FormatException>(() => LoadTrace.FromJson("t", """{"points": [{"seconds": 0}]}""")).Message);
        Assert.Throws<ArgumentException>(() => LoadTrace.BuiltIn("weekly", 1, 1));
    }
}
