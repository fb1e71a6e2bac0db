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

    private sealed record Run(double ColdStartMs, double P50Us, double P99Us, double StackMs, int StackDiagnostics, double PeakMiB);

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, Target> targets, int runs)
    {
        var analyze = Enumerable.Range(0, 200).Select(i => Requests.Resource(i).ToByteArray()).ToList();
        var stack = Requests.Stack(StackResources).ToByteArray();
        var configure = new AnalyzerStackConfigureRequest { Stack = "prod", Project = "neocloud", Config = { ["neocloud:environment"] = "prod" } }.ToByteArray();
        Console.WriteLine($"requests: {analyze.Count} distinct Analyze requests ({Calls} timed calls after {Warmup} warm-up), AnalyzeStack of {StackResources} resources ({stack.Length / 1024} KiB); {runs} runs per analyzer, interleaved");
        var results = targets.ToDictionary(t => t.Key, _ => new List<Run>(), StringComparer.Ordinal);
        foreach (var (key, target) in targets.Where(t => !t.Value.Exists))
        {
            Console.WriteLine($"{key}: not found ({target.Check}); build it first (bench/README.md)");
        }
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (key, target) in targets.Where(t => t.Value.Exists))
            {
                using var analyzer = await target.StartAsync();
                await analyzer.Client.CallAsync("ConfigureStack", configure);
                for (var i = 0; i < Warmup; i++)
                {
                    try
                    {
                        await analyzer.Client.CallAsync("Analyze", analyze[i % analyze.Count]);
                    }
                    catch (InvalidOperationException e)
                    {
                        throw new InvalidOperationException($"{key}: request {i % analyze.Count}: {e.Message}; stderr: {string.Join(" | ", analyzer.Errors.TakeLast(5))}", e);
                    }
                }
                var latencies = new List<double>(Calls);
                for (var i = 0; i < Calls; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await analyzer.Client.CallAsync("Analyze", analyze[i % analyze.Count]);
                    latencies.Add(watch.Elapsed.TotalMicroseconds);
                }
                var stackTimes = new List<double>();
                var diagnostics = 0;
                for (var i = 0; i < 3; i++)
                {
                    var watch = Stopwatch.StartNew();
                    var reply = await analyzer.Client.CallAsync("AnalyzeStack", stack);
                    stackTimes.Add(watch.Elapsed.TotalMilliseconds);
                    diagnostics = AnalyzeResponse.Parser.ParseFrom(reply).Diagnostics.Count;
                }
                var result = new Run(analyzer.ToFirstAnswer.TotalMilliseconds, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99),
                    Stats.Median(stackTimes), diagnostics, analyzer.Memory().Peak);
                results[key].Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run} {key,-6}: cold start to first answer {result.ColdStartMs,7:F1} ms | Analyze p50 {result.P50Us,7:F0} µs p99 {result.P99Us,7:F0} µs | AnalyzeStack {StackResources} {result.StackMs,7:F1} ms ({result.StackDiagnostics} diagnostics) | peak RSS {result.PeakMiB,6:F0} MiB"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"medians of {runs} runs");
        Console.WriteLine("| analyzer | cold start to first answer | Analyze p50 | Analyze p99 | AnalyzeStack 5,000 | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var medians = results.Where(r => r.Value.Count > 0).ToDictionary(r => r.Key, r => new Run(
            Stats.Median(r.Value.Select(x => x.ColdStartMs)), Stats.Median(r.Value.Select(x => x.P50Us)), Stats.Median(r.Value.Select(x => x.P99Us)),
            Stats.Median(r.Value.Select(x => x.StackMs)), r.Value[^1].StackDiagnostics, Stats.Median(r.Value.Select(x => x.PeakMiB))), StringComparer.Ordinal);
        foreach (var (key, m) in medians)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {targets[key].Name} | {m.ColdStartMs:F1} ms | {m.P50Us:F0} µs | {m.P99Us:F0} µs | {m.StackMs:F1} ms | {m.PeakMiB:F0} MiB |"));
        }
        if (!medians.TryGetValue("node", out var node))
        {
            return 0;
        }
        Console.WriteLine();
        Console.WriteLine("ratios to the Node pack (lower is better; targets: cold start ≤ 0.20, Analyze p50 ≤ 0.20, AnalyzeStack ≤ 0.33)");
        foreach (var (key, m) in medians.Where(m => m.Key != "node"))
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
