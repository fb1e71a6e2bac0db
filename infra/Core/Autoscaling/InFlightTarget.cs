namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>
/// The per-replica in-flight target the KEDA trigger aims at, derived from a deployment's queue-time threshold when
/// config gives none. A replica that runs S requests at once (<see cref="Serving.ServingContainer.ConcurrentSequences"/>:
/// 1 for Triton's backends, the sequence limit of a vLLM engine) is modelled as S servers sharing its throughput μ
/// requests per second (μ = <c>throughputTokensPerSecond</c> ÷ <see cref="TokensPerRequest"/>; each server μ ÷ S), so
/// c replicas are an M/M/(c·S) queue — the model the platform check's simulator uses. The target is the requests in
/// the system per replica, (λ·S/μ + λ·Wq) ÷ c = ρ·S·(1 + (μ/S)·Wq) with ρ = λ ÷ (c·μ), at the highest ρ where, with
/// c = min replicas, the mean queue time Wq stays at the threshold and the p95 queue time (ln(C ÷ 0.05) ÷ (cμ − λ) when
/// the waiting probability C exceeds 5 %) at half the p95 latency SLO (the other half is service): the fewest replicas
/// queue the most per request, so at more replicas the same per-replica target queues less (economies of scale).
/// <para>
/// Before S: a vLLM replica was one server, so the prod 70B (μ = 1,200 ÷ 500 = 2.4 requests/s, one 417 ms request at a
/// time, min 1 replica, an 80 ms queue target) could stay under its queue target only at ρ ≈ 0.13, and the target came
/// out 0.147 requests per replica (the plan printed 0.1) — on a metric (vLLM's running + waiting requests) that counts
/// each of the up to 16 sequences the engine runs together, so a single running request asked for 7 replicas; with
/// S = 16 it is 10.373 (printed 10.4), and base load (60 % of one replica) runs on 1 replica instead of 5. Multi-GPU replicas are where
/// this bites: large models serve few, long requests per replica and have few replicas.
/// </para>
/// </summary>
public static class InFlightTarget
{
    /// <summary>Tokens of one request, to turn a token throughput into requests per second (the plan's and the simulator's assumption).</summary>
    public const double TokensPerRequest = 500;

    /// <summary>Smallest target it returns (a request per 100 replicas).</summary>
    public const double Minimum = 0.01;

    /// <summary>The target for a deployment of <paramref name="replicas"/> replicas serving <paramref name="requestsPerSecond"/> each, whose mean queue time should stay at <paramref name="thresholdMs"/>.</summary>
    /// <param name="thresholdMs">Mean queue time per request (ms).</param>
    /// <param name="requestsPerSecond">Requests one replica serves per second (μ).</param>
    /// <param name="replicas">Replicas the target is sized at (min replicas, at least 1).</param>
    /// <param name="sloP95Ms">The p95 latency objective (ms); the p95 queue time is kept at half of it.</param>
    /// <param name="slotsPerReplica">Requests one replica runs at once (S); 1 = one at a time.</param>
    public static double FromQueueTime(double thresholdMs, double requestsPerSecond, int replicas, double sloP95Ms, int slotsPerReplica = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sloP95Ms);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thresholdMs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        var slots = Math.Max(1, slotsPerReplica);
        var c = Math.Max(1, replicas);
        var wq = thresholdMs / 1000;
        double lo = 0, hi = 1;
        for (var i = 0; i < 60; i++)
        {
            var rho = (lo + hi) / 2;
            var erlang = ErlangC(c * slots, c * slots * rho);
            var drain = c * requestsPerSecond * (1 - rho);
            var p95 = erlang <= 0.05 ? 0 : Math.Log(erlang / 0.05) / drain;
            if (erlang / drain > wq || p95 > sloP95Ms / 2000)
            {
                hi = rho;
            }
            else
            {
                lo = rho;
            }
        }

        var mean = ErlangC(c * slots, c * slots * lo) / (c * requestsPerSecond * (1 - lo));
        return Math.Max(Minimum, Math.Round(lo * slots * (1 + (requestsPerSecond / slots * mean)), 3, MidpointRounding.ToZero));
    }

    /// <summary>Erlang C: probability that an arrival waits in an M/M/c queue with offered load <paramref name="a"/> (= λ/μ).</summary>
    /// <param name="c">Servers.</param>
    /// <param name="a">Offered load.</param>
    public static double ErlangC(int c, double a)
    {
        if (c <= 0)
        {
            return 1;
        }

        if (a <= 0)
        {
            return 0;
        }

        if (a >= c)
        {
            return 1;
        }

        double erlangB = 1;
        for (var k = 1; k <= c; k++)
        {
            erlangB = a * erlangB / (k + (a * erlangB));
        }

        var rho = a / c;
        return erlangB / (1 - (rho * (1 - erlangB)));
    }
}
