using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>One HPA scaling policy (autoscaling/v2 HPAScalingPolicy).</summary>
/// <param name="Percent">True for type Percent, false for Pods.</param>
/// <param name="Value">Percent or pods.</param>
/// <param name="PeriodSeconds">Period the limit applies to.</param>
public sealed record HpaPolicy(bool Percent, int Value, int PeriodSeconds);

/// <summary>The HPA's behaviour (autoscaling/v2 HorizontalPodAutoscalerBehavior, selectPolicy Max).</summary>
/// <param name="ScaleUpWindowSeconds">Scale-up stabilization window.</param>
/// <param name="ScaleUp">Scale-up policies.</param>
/// <param name="ScaleDownWindowSeconds">Scale-down stabilization window.</param>
/// <param name="ScaleDown">Scale-down policies.</param>
public sealed record HpaBehavior(int ScaleUpWindowSeconds, ImmutableArray<HpaPolicy> ScaleUp, int ScaleDownWindowSeconds, ImmutableArray<HpaPolicy> ScaleDown)
{
    /// <summary>
    /// The defaults KEDA's HPA gets when a ScaledObject sets no <c>advanced.horizontalPodAutoscalerConfig.behavior</c>
    /// (kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go GenerateHPAScaleUpRules / GenerateHPAScaleDownRules):
    /// scale up with no window, at most +100 % or +4 pods per 15 s (the larger); scale down after a 300 s window, at most
    /// −100 % per 15 s.
    /// </summary>
    public static HpaBehavior Default { get; } = new(0, [new(true, 100, 15), new(false, 4, 15)], 300, [new(true, 100, 15)]);
}

/// <summary>Knobs of the simulation, each with a documented default.</summary>
/// <param name="TokensPerRequest">Tokens of one request, to turn <c>throughputTokensPerSecond</c> into requests per second (default 500).</param>
/// <param name="PodStartSeconds">From scheduling to Ready (image pull and model load; default 90 s).</param>
/// <param name="SyncPeriodSeconds">HPA sync period and KEDA polling interval (both 15 s by default).</param>
/// <param name="Tolerance">HPA tolerance (kube-controller-manager <c>--horizontal-pod-autoscaler-tolerance</c>, default 0.1).</param>
/// <param name="MetricWindowSeconds">The PromQL rate window of the trigger (1m).</param>
/// <param name="CooldownSeconds">KEDA cooldownPeriod before scaling to zero (300 s).</param>
/// <param name="FallbackFailureThreshold">KEDA fallback.failureThreshold (3).</param>
public sealed record SimulationSettings(
    double TokensPerRequest = 500,
    int PodStartSeconds = 90,
    int SyncPeriodSeconds = 15,
    double Tolerance = 0.1,
    int MetricWindowSeconds = 60,
    int CooldownSeconds = 300,
    int FallbackFailureThreshold = 3)
{
    /// <summary>The defaults.</summary>
    public static SimulationSettings Default { get; } = new();
}

/// <summary>One sample of a simulation (every sync period).</summary>
/// <param name="Seconds">Time.</param>
/// <param name="Rate">Arrivals, requests per second.</param>
/// <param name="Metric">The trigger's metric value (mean queue ms per request over the window), NaN while the metric source is down.</param>
/// <param name="Desired">Replicas the HPA/KEDA asks for.</param>
/// <param name="Ready">Ready replicas.</param>
/// <param name="Pending">Replicas with no node to run on.</param>
/// <param name="Nodes">Nodes of the pool.</param>
/// <param name="P95QueueMs">p95 queue time of requests arriving now.</param>
/// <param name="Ideal">The fewest replicas whose mean queue time stays at or under the threshold for this rate (within min/max).</param>
public sealed record SimulationSample(int Seconds, double Rate, double Metric, int Desired, int Ready, int Pending, int Nodes, double P95QueueMs, int Ideal);

/// <summary>The outcome of one trace on one scaler.</summary>
/// <param name="Scaler">The scaler.</param>
/// <param name="Trace">Trace name.</param>
/// <param name="MetricType">The metricType simulated.</param>
/// <param name="Samples">Samples every sync period.</param>
/// <param name="P95QueueMs">p95 queue time over every request of the trace.</param>
/// <param name="SteadyP95QueueMs">p95 queue time over the last 5 minutes.</param>
/// <param name="SecondsToMeetSlo">Seconds from the trace's disturbance until the p95 stays under the SLO for a minute; null when it never does.</param>
/// <param name="BurstActivatedAt">When the burst gate (on-prem at max replicas with queueing above the threshold) first opens; null when never.</param>
/// <param name="SettledWithinOne">True when, over the last 5 minutes, ready replicas stay within ±1 of the ideal count.</param>
public sealed record SimulationResult(
    PlatformScaler Scaler,
    string Trace,
    string MetricType,
    ImmutableArray<SimulationSample> Samples,
    double P95QueueMs,
    double SteadyP95QueueMs,
    int? SecondsToMeetSlo,
    int? BurstActivatedAt,
    bool SettledWithinOne)
{
    /// <summary>True when the steady-state p95 meets the SLO.</summary>
    public bool MeetsSlo => SteadyP95QueueMs <= Scaler.SloP95Ms;
}

/// <summary>
/// A simulator of the Kubernetes HPA as KEDA drives it, coupled to a queueing model of a serving replica.
/// <para>HPA: kubernetes/kubernetes <c>pkg/controller/podautoscaler/replica_calculator.go</c> —
/// <c>GetExternalMetricReplicas</c> (metricType Value: usageRatio = metric ÷ target; within the tolerance keep the
/// current count, else desired = ceil(usageRatio × ready pods)) and <c>GetExternalPerPodMetricReplicas</c> (AverageValue:
/// usageRatio = metric ÷ (target × replicas); outside the tolerance desired = ceil(metric ÷ target), whatever the current
/// count); and <c>pkg/controller/podautoscaler/horizontal.go</c> — <c>stabilizeRecommendationWithBehaviors</c> (the
/// recommendation is held between the minimum of the scale-up window's and the maximum of the scale-down window's
/// recommendations) and <c>convertDesiredReplicasWithBehaviorRate</c> (scale-up/-down limits from the policies over
/// their periods, selectPolicy Max), then min/max. KEDA (kedacore/keda <c>pkg/scaling/executor/scale_scaledobjects.go</c>):
/// 0 → 1 when the metric exceeds the activation threshold, back to 0 after the cooldown when minReplicaCount is 0, and
/// <c>fallback.replicas</c> after <c>failureThreshold</c> failed polls.</para>
/// <para>Queue: each ready replica serves μ requests/s over <see cref="PlatformScaler.SlotsPerReplica"/> (S) requests
/// at once (S servers of μ ÷ S: 1 for Triton's backends, the sequence limit of a vLLM engine); a fluid backlog grows
/// while arrivals exceed c·μ and drains otherwise; a request waits backlog ÷ (c·μ) plus the M/M/(c·S) (Erlang C) wait
/// of the current load. The metric is computed
/// as today's PromQL computes it: Σ queue time ÷ max(Σ completed requests per second, 1) over the 1-minute window
/// (<c>sum(rate(nv_inference_queue_duration_us[1m])) / clamp_min(sum(rate(nv_inference_request_success[1m])), 1)</c>).
/// Pods need a node: a pool holds PodsPerNode replicas per node; without a node autoscaler extra replicas stay Pending,
/// with one a node is added after the provisioning delay.</para>
/// </summary>
public static class AutoscalingSimulator
{
    private const double MaxWaitSeconds = 600;

    /// <summary>Runs <paramref name="trace"/> against <paramref name="scaler"/> with the scaler's metricType (or <paramref name="metricType"/>).</summary>
    public static SimulationResult Run(PlatformScaler scaler, LoadTrace trace, SimulationSettings? settings = null, HpaBehavior? behavior = null, string? metricType = null, int nodeProvisioningSeconds = 300)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(trace);
        var s = settings ?? SimulationSettings.Default;
        var b = behavior ?? HpaBehavior.Default;
        var type = metricType ?? scaler.MetricType;
        var mu = scaler.ServiceRatePerReplica ?? throw new ArgumentException($"scaler {scaler.Namespace}/{scaler.Deployment} has no service rate (no throughputTokensPerSecond)", nameof(scaler));
        var slots = Math.Max(1, scaler.SlotsPerReplica); // a replica is `slots` servers sharing its rate mu
        var perNode = Math.Max(1, scaler.PodsPerNode);

        // Pods: ready count, starting pods (ready time), pending count (no node).
        var start = Math.Max(scaler.MinReplicas, 0);
        var desired = start;
        var nodes = scaler.PoolNodes;
        var nodeArrivals = new List<int>();
        var ready = Math.Min(start, nodes * perNode);
        var starting = new List<int>();
        double backlog = 0;
        var window = new Queue<(double Served, double WaitTimesServed, double Busy, double InFlight)>();
        double sumServed = 0, sumQueue = 0, sumBusy = 0, sumInFlight = 0;
        var recommendations = new List<(int T, int R)>();
        var events = new List<(int T, int Delta)>();
        var failures = 0;
        var inactiveSince = 0;
        int? burstAt = null;
        var samples = ImmutableArray.CreateBuilder<SimulationSample>();
        var perSecond = new List<(double Rate, double Shift, double C, double Decay)>(trace.DurationSeconds);

        for (var t = 0; t < trace.DurationSeconds; t++)
        {
            // Nodes and pods becoming ready.
            for (var i = nodeArrivals.Count - 1; i >= 0; i--)
            {
                if (nodeArrivals[i] <= t)
                {
                    nodes++;
                    nodeArrivals.RemoveAt(i);
                }
            }

            var scheduled = Math.Min(desired, nodes * perNode);
            while (ready + starting.Count < scheduled)
            {
                starting.Add(t + s.PodStartSeconds);
            }

            ready += starting.RemoveAll(r => r <= t);

            // Queue for one second.
            var rate = trace.RateAt(t);
            var capacity = ready * mu;
            var served = Math.Min(capacity, rate + backlog);
            backlog = Math.Max(0, backlog + rate - capacity);
            var shift = capacity > 0 ? Math.Min(MaxWaitSeconds, backlog / capacity) : MaxWaitSeconds;
            double c = 0, decay = 0;
            if (capacity > 0 && rate < capacity)
            {
                c = ErlangC(ready * slots, rate * slots / mu);
                decay = capacity - rate;
            }
            else if (capacity > 0)
            {
                // Saturated (ρ ≥ 1): every arrival waits; beyond the backlog, at least the service of those ahead of it.
                c = 1;
                decay = mu;
            }

            var meanWait = shift + (decay > 0 ? c / decay : 0);
            perSecond.Add((rate, shift, c, decay));
            var busy = capacity > 0 ? served / capacity : 0;
            var inFlight = backlog + (served * slots / mu) + (decay > 0 ? c * rate / decay : 0);
            window.Enqueue((served, served * meanWait, busy, inFlight));
            sumServed += served;
            sumQueue += served * meanWait;
            sumBusy += busy;
            sumInFlight += inFlight;
            if (window.Count > s.MetricWindowSeconds)
            {
                var old = window.Dequeue();
                sumServed -= old.Served;
                sumQueue -= old.WaitTimesServed;
                sumBusy -= old.Busy;
                sumInFlight -= old.InFlight;
            }

            if (t % s.SyncPeriodSeconds != 0)
            {
                continue;
            }

            // The trigger's metric, as the PromQL computes it (ms).
            var down = trace.MetricDown(t);
            var metric = down ? double.NaN : scaler.Metric switch
            {
                ScalerMetric.Utilisation => Math.Max(0, sumBusy) / window.Count,
                ScalerMetric.InFlight => Math.Max(0, sumInFlight) / window.Count,
                _ => 1000 * (Math.Max(0, sumQueue) / s.MetricWindowSeconds) / Math.Max(Math.Max(0, sumServed) / s.MetricWindowSeconds, 1),
            };
            var current = desired;
            int target;
            if (down)
            {
                failures++;
                target = failures >= s.FallbackFailureThreshold ? scaler.FallbackReplicas : current;
            }
            else
            {
                failures = 0;
                var active = metric > scaler.ActivationThreshold;
                if (current == 0)
                {
                    target = active ? Math.Max(1, scaler.MinReplicas) : 0;
                }
                else
                {
                    inactiveSince = active ? t : inactiveSince;
                    var recommendation = Recommend(type, metric, scaler.Threshold, current, ready, s.Tolerance);
                    recommendation = Math.Clamp(recommendation, Math.Max(1, scaler.MinReplicas), scaler.MaxReplicas);
                    recommendations.Add((t, recommendation));
                    recommendations.RemoveAll(r => r.T < t - Math.Max(b.ScaleDownWindowSeconds, b.ScaleUpWindowSeconds));
                    var stabilized = Stabilize(recommendations, recommendation, current, t, b);
                    target = Math.Clamp(RateLimit(stabilized, current, events, t, b), Math.Max(1, scaler.MinReplicas), scaler.MaxReplicas);
                    if (scaler.MinReplicas == 0 && !active && t - inactiveSince >= s.CooldownSeconds)
                    {
                        target = 0;
                    }
                }
            }

            if (target != current)
            {
                events.Add((t, target - current));
                events.RemoveAll(e => e.T < t - 600);
            }

            desired = target;

            // Fewer replicas: starting pods go first, then ready ones.
            var excess = ready + starting.Count - Math.Min(desired, nodes * perNode);
            while (excess > 0 && starting.Count > 0)
            {
                starting.RemoveAt(starting.Count - 1);
                excess--;
            }

            ready -= Math.Max(0, excess);

            // More replicas than nodes hold: the node autoscaler adds nodes after its delay; without one they stay Pending.
            var pending = Math.Max(0, desired - (nodes * perNode));
            if (pending > 0 && scaler.NodeAutoscaler)
            {
                var wanted = Math.Min(scaler.PoolMaxNodes, (int)Math.Ceiling(desired / (double)perNode));
                while (nodes + nodeArrivals.Count < wanted)
                {
                    nodeArrivals.Add(t + nodeProvisioningSeconds);
                }
            }

            if (scaler.Burst is { } gate && burstAt is null && desired >= gate && !double.IsNaN(metric) && metric > scaler.Threshold)
            {
                burstAt = t;
            }

            var ideal = Ideal(rate, mu, scaler);
            samples.Add(new SimulationSample(t, rate, metric, desired, ready, pending, nodes, 1000 * P95(perSecond[^1]), ideal));
        }

        var all = P95Over(perSecond, 0, perSecond.Count);
        var last = Math.Max(0, perSecond.Count - 300);
        var steady = P95Over(perSecond, last, perSecond.Count);
        var settled = samples.Where(x => x.Seconds >= last).All(x => Math.Abs(x.Ready - x.Ideal) <= 1);
        int? toSlo = null;
        if (trace.SpikeAtSeconds is { } spike)
        {
            for (var t = spike; t < perSecond.Count; t++)
            {
                var end = Math.Min(perSecond.Count, t + 60);
                if (end - t >= 60 && Enumerable.Range(t, end - t).All(i => 1000 * P95(perSecond[i]) <= scaler.SloP95Ms))
                {
                    toSlo = t - spike;
                    break;
                }
            }
        }

        return new SimulationResult(scaler, trace.Name, type, samples.ToImmutable(), 1000 * all, 1000 * steady, toSlo, burstAt, settled);
    }

    /// <summary>The HPA's replica recommendation for an External metric (replica_calculator.go).</summary>
    /// <param name="metricType">Value or AverageValue.</param>
    /// <param name="metric">The metric value.</param>
    /// <param name="target">The target (threshold).</param>
    /// <param name="current">Current replicas (spec).</param>
    /// <param name="ready">Ready pods.</param>
    /// <param name="tolerance">Tolerance (0.1).</param>
    public static int Recommend(string metricType, double metric, double target, int current, int ready, double tolerance = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(target);
        if (metricType == "AverageValue")
        {
            // GetExternalPerPodMetricReplicas: usageRatio = usage / (target × statusReplicas).
            var ratio = metric / (target * Math.Max(1, current));
            return Math.Abs(1.0 - ratio) > tolerance ? (int)Math.Ceiling(metric / target) : current;
        }

        if (metricType != "Value")
        {
            throw new ArgumentException($"unknown metricType \"{metricType}\"; allowed: Value, AverageValue", nameof(metricType));
        }

        // GetExternalMetricReplicas → getUsageRatioReplicaCount: usageRatio = usage / target, scaled by ready pods.
        var usage = metric / target;
        if (current == 0)
        {
            return (int)Math.Ceiling(usage);
        }

        return Math.Abs(1.0 - usage) <= tolerance ? current : (int)Math.Ceiling(usage * Math.Max(1, ready));
    }

    /// <summary>
    /// The fewest replicas (within min/max) at which the steady-state metric at <paramref name="rate"/> meets the threshold
    /// as its owner means it: M/M/c mean queue time ≤ threshold ms; utilisation ≤ threshold; requests in the system per
    /// replica ≤ threshold.
    /// </summary>
    public static int Ideal(double rate, double mu, PlatformScaler scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        var low = Math.Max(1, scaler.MinReplicas);
        for (var c = low; c <= scaler.MaxReplicas; c++)
        {
            if (rate >= c * mu)
            {
                continue;
            }

            var slots = Math.Max(1, scaler.SlotsPerReplica);
            var wait = ErlangC(c * slots, rate * slots / mu) / ((c * mu) - rate);
            var ok = scaler.Metric switch
            {
                ScalerMetric.Utilisation => rate / (c * mu) <= scaler.Threshold,
                ScalerMetric.InFlight => ((rate * slots / mu) + (rate * wait)) / c <= scaler.Threshold,
                _ => 1000 * wait <= scaler.Threshold,
            };
            if (ok)
            {
                return c;
            }
        }

        return scaler.MaxReplicas;
    }

    /// <summary>Erlang C: probability that an arrival waits in an M/M/c queue with offered load <paramref name="a"/> (= λ/μ).</summary>
    public static double ErlangC(int c, double a) => Autoscaling.InFlightTarget.ErlangC(c, a);

    private static int Stabilize(List<(int T, int R)> recommendations, int recommendation, int current, int t, HpaBehavior b)
    {
        // horizontal.go stabilizeRecommendationWithBehaviors.
        var up = recommendation;
        var down = recommendation;
        foreach (var (time, r) in recommendations)
        {
            if (time > t - b.ScaleUpWindowSeconds)
            {
                up = Math.Min(up, r);
            }

            if (time > t - b.ScaleDownWindowSeconds)
            {
                down = Math.Max(down, r);
            }
        }

        var result = current;
        if (result < up)
        {
            result = up;
        }

        if (result > down)
        {
            result = down;
        }

        return result;
    }

    private static int RateLimit(int desired, int current, List<(int T, int Delta)> events, int t, HpaBehavior b)
    {
        // horizontal.go convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules /
        // calculateScaleDownLimitWithBehaviors, selectPolicy Max.
        if (desired > current)
        {
            var limit = int.MinValue;
            foreach (var p in b.ScaleUp)
            {
                var added = events.Where(e => e.T > t - p.PeriodSeconds && e.Delta > 0).Sum(e => e.Delta);
                var periodStart = current - added;
                var l = p.Percent ? (int)Math.Ceiling(periodStart * (1 + (p.Value / 100.0))) : periodStart + p.Value;
                limit = Math.Max(limit, l);
            }

            return Math.Min(desired, limit);
        }

        if (desired < current)
        {
            var limit = int.MaxValue;
            foreach (var p in b.ScaleDown)
            {
                var removed = events.Where(e => e.T > t - p.PeriodSeconds && e.Delta < 0).Sum(e => -e.Delta);
                var periodStart = current + removed;
                var l = p.Percent ? (int)Math.Floor(periodStart * (1 - (p.Value / 100.0))) : periodStart - p.Value;
                limit = Math.Min(limit, l);
            }

            return Math.Max(desired, limit);
        }

        return desired;
    }

    private static double P95((double Rate, double Shift, double C, double Decay) s) =>
        s.C <= 0.05 || s.Decay <= 0 ? s.Shift : s.Shift + (Math.Log(s.C / 0.05) / s.Decay);

    private static double P95Over(List<(double Rate, double Shift, double C, double Decay)> seconds, int from, int to)
    {
        var total = 0.0;
        for (var i = from; i < to; i++)
        {
            total += seconds[i].Rate;
        }

        if (total <= 0)
        {
            return 0;
        }

        double Exceed(double x)
        {
            var sum = 0.0;
            for (var i = from; i < to; i++)
            {
                var s = seconds[i];
                var p = x < s.Shift ? 1 : s.Decay > 0 ? s.C * Math.Exp(-s.Decay * (x - s.Shift)) : 0;
                sum += s.Rate * p;
            }

            return sum / total;
        }

        double lo = 0, hi = MaxWaitSeconds;
        if (Exceed(0) <= 0.05)
        {
            return 0;
        }

        for (var k = 0; k < 50; k++)
        {
            var mid = (lo + hi) / 2;
            if (Exceed(mid) > 0.05)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return hi;
    }
}
