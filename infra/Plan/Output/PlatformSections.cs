using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Plan.Planning;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>
/// The Platform part of the plan: Core's <see cref="PlatformCheck"/> on what config decides (placement per workload with
/// nodes per pool, storage, flows, findings, and with <c>--simulate</c> the autoscaling simulation), as tables and JSON.
/// </summary>
internal static class PlatformSections
{
    private static readonly ConditionalWeakTable<StackPlan, PlatformReport> Reports = new();

    /// <summary>The platform report of a plan (computed once per plan).</summary>
    public static PlatformReport Report(StackPlan plan) => Reports.GetValue(plan, p => PlatformCheck.ForConfig(p.Model));

    /// <summary>The simulation of <paramref name="trace"/> (a built-in name or a trace file) on every scaler of the plan.</summary>
    public static ImmutableArray<SimulationResult> Simulate(StackPlan plan, string trace) => PlatformCheck.Simulate(Report(plan), trace);

    /// <summary>The platform tables, in output order.</summary>
    public static IEnumerable<ReportSection> Sections(StackPlan plan, string? simulate)
    {
        var report = Report(plan);
        yield return Pools(report);
        yield return Placement(report);
        yield return ModelFits(report);
        yield return Storage(report);
        yield return Flows(report);
        if (simulate is not null)
        {
            yield return Simulation(Simulate(plan, simulate), simulate);
        }

        yield return Findings(report);
    }

    /// <summary>Nodes per pool.</summary>
    public static ReportSection Pools(PlatformReport report)
    {
        var rows = report.Pools.Select(n =>
        {
            var pool = report.Inventory.Pools.Single(p => $"{p.Cluster}/{p.Name}" == n.Pool);
            return Row(n.Pool, pool.Shape, Allocatable(pool), $"{Int(pool.MinNodes)} / {Int(pool.DesiredNodes)} / {Int(pool.MaxNodes)}", Int(n.NodesAtMin), Int(n.NodesAtMax));
        });
        return new ReportSection("Platform: nodes per pool", ["POOL", "NODE", "ALLOCATABLE PER NODE", "MIN / DESIRED / MAX", "NEEDED AT MIN", "NEEDED AT MAX"], [.. rows],
            [$"allocatable = capacity − EKS AMI kube-reserved (CPU 6/1/0.5/0.25 %, memory 11 MiB × {NodeAllocatable.DefaultMaxPods} pods + 255 MiB + 100 Mi eviction); needed = bin-packing of every workload at min / max replicas after DaemonSets"]);
    }

    /// <summary>Placement per workload.</summary>
    public static ReportSection Placement(PlatformReport report)
    {
        var rows = report.Placements.Select(p =>
        {
            var w = p.Workload;
            var where = p.OnExistingNodes ? Core.Platform.Placement.ExistingNodes
                : p.Admitting.IsEmpty ? "NONE"
                : string.Join(", ", p.Admitting.Select(a => $"{a} {Core.Platform.Placement.Describe(p.PerNode[a])}"));
            var nodes = w.DaemonSet ? "every admitting node"
                : p.OnExistingNodes ? "capacity unknown"
                : $"{Nodes(p.NodesAtMin)} / {Nodes(p.NodesAtMax)}";
            var status = p.OnExistingNodes ? "assumed" : (p.Admitting.IsEmpty && !w.DaemonSet) || p.UnplacedAtMin > 0 || p.UnplacedAtMax > 0 || (!p.Admitting.IsEmpty && p.PerNode.Values.All(f => f.Replicas == 0)) ? "UNPLACEABLE" : "ok";
            return Row($"{w.Cluster}/{w.Id}", w.Kind, w.Source, w.DaemonSet ? "per node" : $"{Int(w.MinReplicas)}–{Int(w.MaxReplicas)}", Requests(w.Requests), where, nodes, status);
        });
        return new ReportSection("Platform: placement", ["WORKLOAD", "KIND", "SOURCE", "REPLICAS", "REQUESTS PER POD", "POOLS (REPLICAS PER NODE)", "NODES AT MIN / MAX", "STATUS"], [.. rows],
            ["assumed = an existing cluster's nodes the config does not describe (no selector, no toleration needed; capacity unknown)"]);
    }

    /// <summary>GPU memory per replica of each serving deployment (Core's ModelFit: weights + KV cache + overhead against GPU or MIG-profile memory × GPUs).</summary>
    public static ReportSection ModelFits(PlatformReport report)
    {
        static string G(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        var rows = report.Inventory.ModelFits.Select(f => Row(f.Deployment, f.Model, $"{Int(f.Gpus)} × {f.Device}", G(f.WeightsGiB), G(f.KvCacheGiB), G(f.OverheadGiB), $"{G(f.NeededGiB)} / {G(f.AvailableGiB)}", f.Fits ? "fits" : "DOES NOT FIT"));
        return new ReportSection("Platform: model fit", ["DEPLOYMENT", "MODEL", "PER REPLICA", "WEIGHTS GiB", "KV CACHE GiB", "OVERHEAD GiB", "NEEDED / AVAILABLE GiB", "VERDICT"], [.. rows],
            [string.Create(CultureInfo.InvariantCulture, $"weights = parameters × bytes per parameter (or weightsGiB); KV cache = maxContextTokens × maxConcurrentSequences × bytes per token (kvCacheBytesPerToken, or 2 × layers × KV heads × head dim × 2 B with layers = 20 × (billions)^⅓ and 8 × 128 KV width); overhead = {Core.Serving.ModelFit.OverheadPerGpuGiB:0.#} GiB per GPU + {Core.Serving.ModelFit.ActivationShare:0%} of the weights")]);
    }

    /// <summary>Storage per claim.</summary>
    public static ReportSection Storage(PlatformReport report)
    {
        var rows = report.Claims.Select(c => Row($"{c.Claim.Cluster}/{c.Claim.Namespace}/{c.Claim.Name}", c.Claim.StorageClass ?? "(default)", c.Binds ? "binds" : "DOES NOT BIND", c.Reason));
        return new ReportSection("Platform: storage", ["CLAIM", "STORAGE CLASS", "VERDICT", "WHY"], [.. rows], []);
    }

    /// <summary>Declared flows and API accesses.</summary>
    public static ReportSection Flows(PlatformReport report)
    {
        var rows = report.Flows.Select(f => Row(
                f.Flow.Name,
                $"{Int(f.Flow.Port)}/{f.Flow.Protocol}",
                f.Flow.Intended ? "intended" : "unintended",
                f.Allowed ? "open" : "closed",
                f.AsIntended ? "ok" : "WRONG",
                $"egress: {f.Egress}; ingress: {f.Ingress}"))
            .Concat(report.Accesses.Select(a => Row(a.Access.Name, $"{a.Access.Verb} {a.Access.Resource}", a.Access.Intended ? "intended" : "unintended", a.Allowed ? "granted" : "denied", a.AsIntended ? "ok" : "WRONG", a.By)));
        return new ReportSection("Platform: flows", ["FLOW", "PORT", "DECLARED", "VERDICT", "AS INTENDED", "DECIDED BY"], [.. rows], []);
    }

    /// <summary>The simulation table.</summary>
    public static ReportSection Simulation(ImmutableArray<SimulationResult> results, string trace)
    {
        var rows = results.Select(r => Row(
            $"{r.Scaler.Cluster}/{r.Scaler.Namespace}/{r.Scaler.Deployment}",
            r.Scaler.Metric == ScalerMetric.InFlight ? $"{r.MetricType} {Ms(r.Scaler.Threshold)} in flight/replica" : $"{r.MetricType} {Ms(r.Scaler.Threshold)} ms",
            $"{Int(r.Samples.Min(s => s.Ready))}–{Int(r.Samples.Max(s => s.Ready))} (end {Int(r.Samples[^1].Ready)}, ideal {Int(r.Samples[^1].Ideal)})",
            r.SettledWithinOne ? "yes" : "no",
            $"{Ms(r.P95QueueMs)} / {Ms(r.SteadyP95QueueMs)}",
            Ms(r.Scaler.SloP95Ms),
            r.SecondsToMeetSlo is { } s ? $"{Int(s)} s" : r.Samples.Length > 0 && r.SteadyP95QueueMs <= r.Scaler.SloP95Ms ? "-" : "never",
            r.Scaler.Burst is null ? "-" : r.BurstActivatedAt is { } b ? $"at {Int(b)} s" : "never"));
        return new ReportSection($"Platform: autoscaling simulation ({trace})", ["DEPLOYMENT", "TRIGGER", "READY REPLICAS", "SETTLED ±1 OF IDEAL", "P95 QUEUE ALL / LAST 5 MIN (MS)", "SLO P95 (MS)", "TIME TO SLO", "BURST GATE"], [.. rows],
            ["HPA as KEDA drives it (tolerance 0.1, default behaviour); queue model: μ = throughputTokensPerSecond ÷ 500 tokens per request; pods Ready 90 s after scheduling; ideal = fewest replicas whose metric meets the threshold (mean queue ≤ ms, or requests in flight per replica ≤ target)"]);
    }

    /// <summary>Every finding.</summary>
    public static ReportSection Findings(PlatformReport report)
    {
        var rows = report.Findings.Select(f => Row(f.Rule.ToString().ToLowerInvariant(), f.Subject, f.Message));
        return new ReportSection("Platform: findings", ["RULE", "SUBJECT", "FINDING"], [.. rows],
            [report.Passes ? "the platform check sees no defect" : $"{Int(report.Findings.Length)} findings (the platform check reports; it does not change the exit code yet)"]);
    }

    /// <summary>The <c>platform</c> member of the JSON plan.</summary>
    public static JsonObject Json(StackPlan plan, string? simulate)
    {
        var report = Report(plan);
        var obj = new JsonObject
        {
            ["passes"] = report.Passes,
            ["findings"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)new JsonObject { ["rule"] = f.Rule.ToString().ToLowerInvariant(), ["subject"] = f.Subject, ["message"] = f.Message })]),
            ["pools"] = new JsonArray([.. report.Pools.Select(n =>
            {
                var pool = report.Inventory.Pools.Single(p => $"{p.Cluster}/{p.Name}" == n.Pool);
                return (JsonNode)new JsonObject
                {
                    ["pool"] = n.Pool,
                    ["node"] = pool.Shape,
                    ["allocatable"] = Resources(pool.Allocatable),
                    ["cpuMemoryKnown"] = pool.CpuMemoryKnown,
                    ["minNodes"] = pool.MinNodes,
                    ["desiredNodes"] = pool.DesiredNodes,
                    ["maxNodes"] = pool.MaxNodes,
                    ["nodesNeededAtMin"] = n.NodesAtMin,
                    ["nodesNeededAtMax"] = n.NodesAtMax,
                };
            })]),
            ["placements"] = new JsonArray([.. report.Placements.Select(p => (JsonNode)new JsonObject
            {
                ["cluster"] = p.Workload.Cluster,
                ["namespace"] = p.Workload.Namespace,
                ["name"] = p.Workload.Name,
                ["kind"] = p.Workload.Kind,
                ["source"] = p.Workload.Source,
                ["minReplicas"] = p.Workload.MinReplicas,
                ["maxReplicas"] = p.Workload.MaxReplicas,
                ["requests"] = Resources(p.Workload.Requests),
                ["admittingPools"] = new JsonArray([.. p.Admitting.Select(a => (JsonNode)JsonValue.Create(a)!)]),
                ["rejections"] = new JsonObject([.. p.Rejections.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))]),
                ["replicasPerNode"] = new JsonObject([.. p.PerNode.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["replicas"] = kv.Value.Replicas == int.MaxValue ? null : kv.Value.Replicas, ["limitedBy"] = kv.Value.LimitedBy }))]),
                ["nodesAtMin"] = Counts(p.NodesAtMin),
                ["nodesAtMax"] = Counts(p.NodesAtMax),
                ["unplacedAtMin"] = p.UnplacedAtMin,
                ["unplacedAtMax"] = p.UnplacedAtMax,
                ["onExistingNodes"] = p.OnExistingNodes,
            })]),
            ["modelFits"] = new JsonArray([.. report.Inventory.ModelFits.Select(f => (JsonNode)new JsonObject
            {
                ["deployment"] = f.Deployment,
                ["model"] = f.Model,
                ["gpus"] = f.Gpus,
                ["device"] = f.Device,
                ["weightsGiB"] = Math.Round(f.WeightsGiB, 2),
                ["kvCacheGiB"] = Math.Round(f.KvCacheGiB, 2),
                ["overheadGiB"] = Math.Round(f.OverheadGiB, 2),
                ["neededGiB"] = Math.Round(f.NeededGiB, 2),
                ["availableGiB"] = Math.Round(f.AvailableGiB, 2),
                ["fits"] = f.Fits,
                ["basis"] = f.Basis,
            })]),
            ["storage"] = new JsonArray([.. report.Claims.Select(c => (JsonNode)new JsonObject
            {
                ["cluster"] = c.Claim.Cluster,
                ["namespace"] = c.Claim.Namespace,
                ["name"] = c.Claim.Name,
                ["storageClass"] = c.Claim.StorageClass,
                ["binds"] = c.Binds,
                ["reason"] = c.Reason,
            })]),
            ["flows"] = new JsonArray([.. report.Flows.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Flow.Name,
                ["port"] = f.Flow.Port,
                ["protocol"] = f.Flow.Protocol,
                ["intended"] = f.Flow.Intended,
                ["allowed"] = f.Allowed,
                ["egress"] = f.Egress,
                ["ingress"] = f.Ingress,
            })]),
            ["accesses"] = new JsonArray([.. report.Accesses.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Access.Name,
                ["group"] = a.Access.Group,
                ["verb"] = a.Access.Verb,
                ["resource"] = a.Access.Resource,
                ["namespace"] = a.Access.Namespace,
                ["intended"] = a.Access.Intended,
                ["allowed"] = a.Allowed,
                ["by"] = a.By,
            })]),
        };
        if (simulate is not null)
        {
            obj["simulation"] = new JsonObject
            {
                ["trace"] = simulate,
                ["results"] = new JsonArray([.. Simulate(plan, simulate).Select(r => (JsonNode)new JsonObject
                {
                    ["cluster"] = r.Scaler.Cluster,
                    ["namespace"] = r.Scaler.Namespace,
                    ["deployment"] = r.Scaler.Deployment,
                    ["trace"] = r.Trace,
                    ["metricType"] = r.MetricType,
                    ["threshold"] = r.Scaler.Threshold,
                    ["sloP95Ms"] = r.Scaler.SloP95Ms,
                    ["p95QueueMs"] = Math.Round(r.P95QueueMs, 1),
                    ["steadyP95QueueMs"] = Math.Round(r.SteadyP95QueueMs, 1),
                    ["secondsToMeetSlo"] = r.SecondsToMeetSlo,
                    ["burstActivatedAt"] = r.BurstActivatedAt,
                    ["settledWithinOne"] = r.SettledWithinOne,
                    ["samples"] = new JsonArray([.. r.Samples.Where(s => s.Seconds % 60 == 0).Select(s => (JsonNode)new JsonObject
                    {
                        ["seconds"] = s.Seconds,
                        ["requestsPerSecond"] = Math.Round(s.Rate, 3),
                        ["metricMs"] = double.IsNaN(s.Metric) ? null : Math.Round(s.Metric, 1),
                        ["desired"] = s.Desired,
                        ["ready"] = s.Ready,
                        ["pending"] = s.Pending,
                        ["nodes"] = s.Nodes,
                        ["p95QueueMs"] = Math.Round(s.P95QueueMs, 1),
                        ["ideal"] = s.Ideal,
                    })]),
                })]),
            };
        }

        return obj;
    }

    private static JsonObject Resources(IReadOnlyDictionary<string, long> resources) =>
        new([.. resources.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))]);

    private static JsonObject Counts(IReadOnlyDictionary<string, int> counts) =>
        new([.. counts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))]);

    private static string Allocatable(PlatformPool pool) =>
        string.Join(" ", pool.Allocatable.Where(kv => pool.CpuMemoryKnown || kv.Key is not (Quantities.Cpu or Quantities.Memory or Quantities.EphemeralStorage))
            .Select(kv => $"{ResourceCounts.Short(kv.Key)}={Quantities.Format(kv.Key, kv.Value)}"));

    private static string Requests(IReadOnlyDictionary<string, long> requests) =>
        requests.Count == 0 ? "-" : string.Join(" ", requests.Select(kv => $"{ResourceCounts.Short(kv.Key)}={Quantities.Format(kv.Key, kv.Value)}"));

    private static string Nodes(IReadOnlyDictionary<string, int> nodes) =>
        nodes.Count == 0 ? "0" : string.Join(" + ", nodes.Select(kv => $"{Int(kv.Value)} {kv.Key}"));

    private static string Ms(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Int(int value) => ResourceCounts.Int(value);

    private static ImmutableArray<string> Row(params string[] cells) => [.. cells];
}
