using System.Diagnostics;
using System.Globalization;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;

// Loads + validates a stack config and computes its capacity; prints the first (cold) run and the
// distribution of warm runs. Usage: dotnet run -c Release --project bench/NeoCloud.Infra.Core.Bench -- [Pulumi.prod.yaml] [iterations]
var path = args.Length > 0 ? args[0] : FindStackFile("prod");
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;

var cold = Stopwatch.StartNew();
var catalog = HardwareCatalog.Default;
var catalogMs = cold.Elapsed.TotalMilliseconds;
var first = Run(path, catalog);
cold.Stop();
Console.WriteLine($"stack file:        {path}");
Console.WriteLine($"pools/deployments: {first.Pools.Length}/{first.Serving.Length}");
Console.WriteLine($"cold (catalog load {catalogMs:F2} ms + first load/validate/capacity): {cold.Elapsed.TotalMilliseconds:F2} ms");

var samples = new double[iterations];
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (var i = 0; i < iterations; i++)
{
    var sw = Stopwatch.StartNew();
    Run(path, catalog);
    samples[i] = sw.Elapsed.TotalMilliseconds;
}

var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)iterations;
Array.Sort(samples);
Console.WriteLine($"warm x{iterations}: p50 {samples[iterations / 2]:F3} ms, p99 {samples[(int)(iterations * 0.99)]:F3} ms, max {samples[^1]:F3} ms, {allocated / 1024:F0} KiB allocated per run");

static CapacityReport Run(string path, HardwareCatalog catalog)
{
    var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(path), catalog);
    return CapacityPlanner.Compute(model);
}

static string FindStackFile(string stack)
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, $"Pulumi.{stack}.yaml");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException($"Pulumi.{stack}.yaml not found in the current directory or its parents");
}
