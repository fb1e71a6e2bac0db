using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>
/// Issue 15 item 4: a replica of a continuously batching engine runs up to <c>maxConcurrentSequences</c> requests at
/// once, so the derived in-flight target and the simulator model it as that many servers sharing its throughput
/// (M/M/(c·S)), not as one server. The prod 70B (vLLM, 2 × H100, 16 sequences) had a target of 0.1 requests per replica
/// under the one-server model (0.147, printed 0.1).
/// </summary>
public sealed class ConcurrentReplicaTargetTests
{
    private static readonly Lazy<EnvironmentModel> Prod = new(() => EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod"))));

    [Fact]
    public void The_70b_target_counts_the_sequences_its_engine_runs_together()
    {
        // μ = 1,200 tokens/s ÷ 500 tokens = 2.4 requests/s, min 1 replica, 80 ms queue target, 900 ms p95 SLO.
        Assert.Equal(0.147, InFlightTarget.FromQueueTime(80, 2.4, 1, 900), 3); // the one-server model: the former target (the plan printed 0.1)
        var target = InFlightTarget.FromQueueTime(80, 2.4, 1, 900, slotsPerReplica: 16);
        Assert.Equal(10.373, target, 3); // the plan prints 10.4

        var big = Prod.Value.Serving.Single(s => s.Name == "llama-70b-chat");
        Assert.Equal(target, big.Autoscaling.TargetInFlightPerReplica);
        Assert.Equal(16, ServingContainer.ConcurrentSequences(big.Runtime, big.Size));
    }

    [Theory]
    [InlineData(80, 2.4, 1, 900, 16)]
    [InlineData(40, 3.6, 4, 300, 4)]
    [InlineData(10, 1.0, 2, 200, 8)]
    [InlineData(50, 0.8, 1, 400, 1)]
    public void The_derived_target_keeps_the_mean_and_p95_queue_of_min_replicas_within_bounds(double thresholdMs, double mu, int replicas, double slo, int slots)
    {
        var target = InFlightTarget.FromQueueTime(thresholdMs, mu, replicas, slo, slots);

        // The load λ at which min replicas hold exactly the target in flight per replica: (λ·S/μ + λ·Wq(λ)) ÷ c = target.
        var servers = replicas * slots;
        double Wq(double lambda) => InFlightTarget.ErlangC(servers, lambda * slots / mu) / ((replicas * mu) - lambda);
        double lo = 0, hi = replicas * mu;
        for (var i = 0; i < 80; i++)
        {
            var lambda = (lo + hi) / 2;
            if (((lambda * slots / mu) + (lambda * Wq(lambda))) / replicas > target)
            {
                hi = lambda;
            }
            else
            {
                lo = lambda;
            }
        }

        var c = InFlightTarget.ErlangC(servers, lo * slots / mu);
        var drain = (replicas * mu) - lo;
        Assert.True(1000 * Wq(lo) <= thresholdMs * 1.001, $"mean queue {1000 * Wq(lo):0.##} ms at target {target}");
        Assert.True(c <= 0.05 || 1000 * Math.Log(c / 0.05) / drain <= (slo / 2) * 1.001, $"p95 queue at target {target}");
        // More slots never lower the target: a replica that runs more requests at once holds more before it queues.
        Assert.True(target >= InFlightTarget.FromQueueTime(thresholdMs, mu, replicas, slo, Math.Max(1, slots / 2)));
    }

    [Fact]
    public void Only_continuously_batching_engines_count_their_sequence_limit()
    {
        var size = new ModelSize(8, ModelPrecision.Fp8, null, 8192, 4, null);

        Assert.Equal(4, ServingContainer.ConcurrentSequences(ServingRuntime.Vllm, size));
        Assert.Equal(4, ServingContainer.ConcurrentSequences(ServingRuntime.TritonVllm, size));
        Assert.Equal(1, ServingContainer.ConcurrentSequences(ServingRuntime.Triton, size));
        Assert.Equal(1, ServingContainer.ConcurrentSequences(ServingRuntime.TritonTrtLlm, size));
        Assert.Equal(1, ServingContainer.ConcurrentSequences(ServingRuntime.Vllm, size with { MaxConcurrentSequences = null }));
        Assert.Equal(1, ServingContainer.ConcurrentSequences(ServingRuntime.Vllm, null));
    }

    [Fact]
    public void The_simulator_models_the_replica_with_the_same_slots_and_the_70b_no_longer_runs_at_its_maximum_on_base_load()
    {
        var report = PlatformCheck.ForConfig(Prod.Value);
        var big = report.Inventory.Scalers.Single(s => s.Deployment == "llama-70b-chat");
        Assert.Equal(16, big.SlotsPerReplica);
        Assert.Equal(1, report.Inventory.Scalers.Single(s => s.Deployment == "embeddings").SlotsPerReplica);

        // Steady base load (60 % of one replica): one replica holds it; with one server per replica the former target
        // (0.147) asks for 5 replicas (10 H100s).
        var steady = AutoscalingSimulator.Run(big, LoadTrace.BuiltIn("steady", 0.6 * 2.4, 0.8 * 2.4 * 8));
        Assert.Equal(1, steady.Samples[^1].Ready);
        Assert.True(steady.MeetsSlo);
        var oneServer = AutoscalingSimulator.Run(big with { SlotsPerReplica = 1, Threshold = 0.147 }, LoadTrace.BuiltIn("steady", 0.6 * 2.4, 0.8 * 2.4 * 8));
        Assert.Equal(5, oneServer.Samples[^1].Ready);
    }
}
