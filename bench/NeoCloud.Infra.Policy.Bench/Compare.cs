using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using NeoCloud.Infra.Policy.Protocol.Wire;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>The analyzers side by side in one run, through the same client and the same requests.</summary>
internal static class Compare
{
    private const int Warmup = 300;
    private const int Calls = 3000;
    private const int StackResources = 5000;

    // ClientCpuUs / ServerCpuUs: CPU time of this process (the client: getrusage) / of the analyzer process (its threads'
    // schedstat) per timed Analyze call.
    private sealed record Run(double ColdStartMs, double P50Us, double P99Us, double StackMs, int StackDiagnostics, double PeakMiB, double ClientCpuUs, double ServerCpuUs);

    // h2load runs: one per distinct request and per run (a new connection each, h2load -d takes one body). The first
    // calls of a connection pay its setup (HPACK dynamic-table inserts on both sides, the server's per-connection
    // buffers and stream objects): measured against the native executable (40 connections × 20 GetPluginInfo, median per
    // position): 366, 140, 108 µs, then 88–106 µs. So each connection makes 3 untimed calls, then 15 timed.
    private const int ConnectionWarmup = 3;
    private const int PerConnection = Calls / 200 + ConnectionWarmup;

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, Target> targets, int runs, bool httpClient)
    {
        if (!httpClient && !H2Load.Available())
        {
            Console.Error.WriteLine("h2load not found on PATH: install nghttp2-client (bench/policy/run.sh does), or use --client http");
            return 2;
        }
        var analyze = Enumerable.Range(0, 200).Select(i => Requests.Resource(i).ToByteArray()).ToList();
        var stack = Requests.Stack(StackResources).ToByteArray();
        var configure = new AnalyzerStackConfigureRequest { Stack = "prod", Project = "neocloud", Config = { ["neocloud:environment"] = "prod" } }.ToByteArray();
        var dir = Directory.CreateTempSubdirectory("neocloud-bench-").FullName;
        var analyzeFiles = analyze.Select((a, i) => H2Load.WriteBody(dir, $"analyze-{i:D3}.bin", a)).ToList();
        var stackFile = H2Load.WriteBody(dir, "stack.bin", stack);
        var log = Path.Combine(dir, "latency.tsv");
        Console.WriteLine($"requests: {analyze.Count} distinct Analyze requests ({Calls} timed calls after {Warmup} warm-up), AnalyzeStack of {StackResources} resources ({stack.Length / 1024} KiB); {runs} runs per analyzer, interleaved; timed client: {(httpClient ? "HttpClient (SocketsHttpHandler)" : $"h2load -c 1 -m 1 ({analyze.Count} connections × {PerConnection} calls, the first {ConnectionWarmup} of each untimed)")}");
        var results = targets.ToDictionary(t => t.Key, _ => new List<Run>(), StringComparer.Ordinal);
        foreach (var (key, target) in targets.Where(t => !t.Value.Exists))
        {
            Console.WriteLine($"{key}: not found ({target.Check}); build it first (bench/README.md)");
        }
        // The validating client (HttpClient) is JIT-compiled and answers the cold-start call: warm it up on the first
        // analyzer before anything is timed, so that the first analyzer of run 1 does not pay for it.
        if (targets.Values.FirstOrDefault(t => t.Exists) is { } first)
        {
            using var warm = await first.StartAsync();
            await warm.CallAsync("ConfigureStack", configure);
            for (var i = 0; i < Calls; i++)
            {
                await warm.CallAsync("Analyze", analyze[i % analyze.Count]);
            }
            Console.WriteLine($"client warm-up: {Calls} Analyze against {first.Name} (not counted)");
        }
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (key, target) in targets.Where(t => t.Value.Exists))
            {
                using var analyzer = await target.StartAsync();
                await analyzer.CallAsync("ConfigureStack", configure);
                // Warm-up and validation: every request through GrpcClient (grpc-status 0), recording its reply frame
                // length, which h2load's DATA byte count must then match call for call.
                var replyFrame = new long[analyze.Count];
                for (var i = 0; i < Warmup; i++)
                {
                    try
                    {
                        replyFrame[i % analyze.Count] = 5 + (await analyzer.CallAsync("Analyze", analyze[i % analyze.Count])).Length;
                    }
                    catch (InvalidOperationException e)
                    {
                        throw new InvalidOperationException($"{key}: request {i % analyze.Count}: {e.Message}; stderr: {string.Join(" | ", analyzer.Errors.TakeLast(5))}", e);
                    }
                }
                var latencies = new List<double>(Calls);
                var clientCpu = httpClient ? Environment.CpuUsage.TotalTime : H2Load.ChildrenCpu();
                var serverCpu = Stats.CpuNs(analyzer.Process.Id);
                var requests = 0;
                if (httpClient)
                {
                    for (var i = 0; i < Calls; i++)
                    {
                        var watch = Stopwatch.StartNew();
                        await analyzer.CallAsync("Analyze", analyze[i % analyze.Count]);
                        latencies.Add(watch.Elapsed.TotalMicroseconds);
                    }
                    requests = Calls;
                }
                else
                {
                    for (var i = 0; i < analyze.Count; i++)
                    {
                        var result = H2Load.Run(analyzer.Client.Port, "Analyze", analyzeFiles[i], PerConnection, replyFrame[i], log);
                        latencies.AddRange(result.LatenciesUs.Skip(ConnectionWarmup));
                        requests += PerConnection;
                    }
                }
                // Per request sent in the timed phase (with h2load: including each connection's untimed first calls; the
                // client's figure is then the h2load processes' CPU, cutime + cstime, which also holds each process's
                // start and connection setup: 200 per run, one per 18 requests; none of it is inside a timed latency).
                var clientCpuUs = ((httpClient ? Environment.CpuUsage.TotalTime : H2Load.ChildrenCpu()) - clientCpu).TotalMicroseconds / requests;
                var serverCpuUs = (Stats.CpuNs(analyzer.Process.Id) - serverCpu) / 1000.0 / requests;
                var stackTimes = new List<double>();
                var diagnostics = 0;
                if (!target.Floor)
                {
                    // One validated AnalyzeStack (grpc-status 0, the diagnostics count, the reply length), then 3 timed.
                    var reply = await analyzer.CallAsync("AnalyzeStack", stack);
                    diagnostics = AnalyzeResponse.Parser.ParseFrom(reply).Diagnostics.Count;
                    if (httpClient)
                    {
                        for (var i = 0; i < 3; i++)
                        {
                            var watch = Stopwatch.StartNew();
                            await analyzer.CallAsync("AnalyzeStack", stack);
                            stackTimes.Add(watch.Elapsed.TotalMilliseconds);
                        }
                    }
                    else
                    {
                        stackTimes.AddRange(H2Load.Run(analyzer.Client.Port, "AnalyzeStack", stackFile, 3, 5 + reply.Length, log).LatenciesUs.Select(us => us / 1000));
                    }
                }
                var measured = new Run(analyzer.ToFirstAnswer.TotalMilliseconds, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99),
                    stackTimes.Count > 0 ? Stats.Median(stackTimes) : double.NaN, diagnostics, analyzer.Memory().Peak, clientCpuUs, serverCpuUs);
                results[key].Add(measured);
                Console.WriteLine(target.Floor
                    ? string.Create(CultureInfo.InvariantCulture, $"run {run} {key,-6}: Analyze p50 {measured.P50Us,7:F0} µs p99 {measured.P99Us,7:F0} µs | CPU per call: client {measured.ClientCpuUs,5:F0} µs, server {measured.ServerCpuUs,5:F0} µs | load {Stats.LoadAverage()}")
                    : string.Create(CultureInfo.InvariantCulture, $"run {run} {key,-6}: cold start to first answer {measured.ColdStartMs,7:F1} ms | Analyze p50 {measured.P50Us,7:F0} µs p99 {measured.P99Us,7:F0} µs | AnalyzeStack {StackResources} {measured.StackMs,7:F1} ms ({measured.StackDiagnostics} diagnostics) | peak RSS {measured.PeakMiB,6:F0} MiB | CPU per Analyze: client {measured.ClientCpuUs,5:F0} µs, server {measured.ServerCpuUs,5:F0} µs | load {Stats.LoadAverage()}"));
            }
        }
        Directory.Delete(dir, recursive: true);

        Console.WriteLine();
        Console.WriteLine($"medians of {runs} runs");
        Console.WriteLine("| analyzer | cold start to first answer | Analyze p50 | Analyze p99 | AnalyzeStack 5,000 | peak RSS | CPU per Analyze: client / server |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var medians = results.Where(r => r.Value.Count > 0).ToDictionary(r => r.Key, r => new Run(
            Stats.Median(r.Value.Select(x => x.ColdStartMs)), Stats.Median(r.Value.Select(x => x.P50Us)), Stats.Median(r.Value.Select(x => x.P99Us)),
            Stats.Median(r.Value.Select(x => x.StackMs)), r.Value[^1].StackDiagnostics, Stats.Median(r.Value.Select(x => x.PeakMiB)),
            Stats.Median(r.Value.Select(x => x.ClientCpuUs)), Stats.Median(r.Value.Select(x => x.ServerCpuUs))), StringComparer.Ordinal);
        foreach (var (key, m) in medians)
        {
            Console.WriteLine(targets[key].Floor
                ? string.Create(CultureInfo.InvariantCulture, $"| {targets[key].Name} | – | {m.P50Us:F0} µs | {m.P99Us:F0} µs | – | – | {m.ClientCpuUs:F0} / {m.ServerCpuUs:F0} µs |")
                : string.Create(CultureInfo.InvariantCulture, $"| {targets[key].Name} | {m.ColdStartMs:F1} ms | {m.P50Us:F0} µs | {m.P99Us:F0} µs | {m.StackMs:F1} ms | {m.PeakMiB:F0} MiB | {m.ClientCpuUs:F0} / {m.ServerCpuUs:F0} µs |"));
        }
        if (!medians.TryGetValue("node", out var node))
        {
            return 0;
        }
        Console.WriteLine();
        Console.WriteLine("ratios to the Node pack (lower is better; targets: cold start ≤ 0.20, Analyze p50 ≤ 0.20, AnalyzeStack ≤ 0.33)");
        foreach (var (key, m) in medians.Where(m => m.Key != "node" && !targets[m.Key].Floor))
        {
            var cold = m.ColdStartMs / node.ColdStartMs;
            var p50 = m.P50Us / node.P50Us;
            var stackRatio = m.StackMs / node.StackMs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{targets[key].Name}: cold start {cold:F3} {Verdict(cold, 0.20)} | Analyze p50 {p50:F3} {Verdict(p50, 0.20)} | p99 {m.P99Us / node.P99Us:F3} | AnalyzeStack {stackRatio:F3} {Verdict(stackRatio, 1 / 3d)} | peak RSS {m.PeakMiB / node.PeakMiB:F2}"));
        }
        return 0;
    }

    private static string Verdict(double ratio, double target) => ratio <= target ? "(meets)" : "(MISSES)";
}
