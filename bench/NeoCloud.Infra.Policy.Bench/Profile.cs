using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using NeoCloud.Infra.Policy.Protocol;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>In process, no gRPC: where the time of Analyze and AnalyzeStack goes (decode, mapping, each rule).</summary>
internal static class Profile
{
    public static int Run()
    {
        var pack = NeoCloudPolicyPack.Create();
        var stackInfo = StackInfo.Unconfigured with { Name = "prod", Kind = StackKind.Prod };
        var settings = PolicySettings.Defaults(pack.Rules, StackKind.Prod);
        var stackBytes = Requests.Stack(5000).ToByteArray();
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            var request = AnalyzeStackRequest.Parser.ParseFrom(stackBytes);
            var parse = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var snapshot = new StackSnapshot(request.Resources.Select(PropertyMapping.FromResource));
            var map = watch.Elapsed.TotalMilliseconds;
            var perRule = new List<string>();
            watch.Restart();
            var inventory = NeoCloud.Infra.Policy.Rules.Gpu.GpuInventory.FromStack(snapshot, NeoCloud.Infra.Core.Hardware.HardwareCatalog.Default);
            perRule.Add(string.Create(CultureInfo.InvariantCulture, $"(GPU inventory {watch.Elapsed.TotalMilliseconds:F1} ms, {inventory.Pools.Length} pools)"));
            foreach (var rule in pack.Rules.OfType<IStackRule>())
            {
                watch.Restart();
                var single = new PolicyPack("p", "0", [rule]);
                var n = single.AnalyzeStack(snapshot, PolicySettings.Defaults(single.Rules, StackKind.Prod), stackInfo).Length;
                perRule.Add(string.Create(CultureInfo.InvariantCulture, $"{rule.Descriptor.Name} {watch.Elapsed.TotalMilliseconds:F1} ms ({n})"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AnalyzeStack 5000: parse {parse:F1} ms, map {map:F1} ms; {string.Join("; ", perRule)}"));
        }
        var requests = Enumerable.Range(0, 200).Select(i => Requests.Resource(i).ToByteArray()).ToList();
        var service = new AnalyzerService(pack);
        var times = new Dictionary<string, double>(StringComparer.Ordinal);
        var singles = pack.Rules.OfType<IResourceRule>().Select(rule => new PolicyPack("p", "0", [rule])).ToList();
        var snapshots = requests.Select(b => PropertyMapping.FromRequest(AnalyzeRequest.Parser.ParseFrom(b))).ToList();
        for (var i = 0; i < 20000; i++)
        {
            foreach (var single in singles)
            {
                var watch = Stopwatch.StartNew();
                _ = single.Analyze(snapshots[i % snapshots.Count], settings, stackInfo);
                times[single.Rules[0].Descriptor.Name] = times.GetValueOrDefault(single.Rules[0].Descriptor.Name) + watch.Elapsed.TotalMicroseconds;
            }
        }
        var mapTime = Stopwatch.StartNew();
        for (var i = 0; i < 20000; i++)
        {
            _ = PropertyMapping.FromRequest(AnalyzeRequest.Parser.ParseFrom(requests[i % requests.Count]));
        }
        var parsed = requests.Select(b => AnalyzeRequest.Parser.ParseFrom(b)).ToList();
        var parseTime = Stopwatch.StartNew();
        for (var i = 0; i < 20000; i++)
        {
            _ = AnalyzeRequest.Parser.ParseFrom(requests[i % requests.Count]);
        }
        var parseUs = parseTime.Elapsed.TotalMicroseconds / 20000;
        var onlyMap = Stopwatch.StartNew();
        for (var i = 0; i < 20000; i++)
        {
            _ = PropertyMapping.FromRequest(parsed[i % parsed.Count]);
        }
        var mapUs = onlyMap.Elapsed.TotalMicroseconds / 20000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Analyze parse + map: {mapTime.Elapsed.TotalMicroseconds / 20000:F1} µs mean (parse alone {parseUs:F1} µs, Struct → snapshot mapping alone {mapUs:F1} µs)"));
        var full = new List<double>();
        for (var i = 0; i < 20000; i++)
        {
            var watch = Stopwatch.StartNew();
            service.Analyze(AnalyzeRequest.Parser.ParseFrom(requests[i % requests.Count]));
            full.Add(watch.Elapsed.TotalMicroseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Analyze in process (parse + map + all rules): p50 {Stats.Percentile(full, 50):F1} µs, p99 {Stats.Percentile(full, 99):F1} µs; per rule, mean µs: {string.Join(", ", times.Select(t => $"{t.Key} {t.Value / 20000:F1}"))}"));
        return 0;
    }
}
