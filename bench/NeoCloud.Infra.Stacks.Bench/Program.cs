using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks;
using Pulumi;
using Pulumi.Testing;

// Builds the prod (hybrid) program under the mock engine with N extra serving deployments and N extra tenants
// (generated in memory from Pulumi.prod.yaml) and prints wall time, registered resources and memory per N.
var root = FindRoot();
var prod = StackConfig.FromYamlFile(Path.Combine(root, "Pulumi.prod.yaml"));
var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1, 10, 50, 100];
const int Runs = 5;

await RunAsync(Generate(prod, 1)); // warm-up: JIT, SDK start-up
Console.WriteLine($"stack program (prod, hybrid) under the mock engine; {Environment.ProcessorCount} cores; median of {Runs} runs");
Console.WriteLine("  N | resources | median ms | min ms | max ms | µs/resource | allocated MB/run | peak working set MB");
foreach (var n in sizes)
{
    var config = Generate(prod, n);
    var times = new List<double>();
    var resources = 0;
    long allocated = 0;
    for (var i = 0; i < Runs; i++)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        resources = await RunAsync(config);
        watch.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    var median = times[Runs / 2];
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{n,3} | {resources,9} | {median,9:F0} | {times[0],6:F0} | {times[^1],6:F0} | {median * 1000 / resources,11:F0} | {allocated / 1048576.0,16:F1} | {self.PeakWorkingSet64 / 1048576.0,19:F0}"));
}

static async Task<int> RunAsync(string configJson)
{
    Environment.SetEnvironmentVariable(EngineConfig.ConfigVariable, configJson);
    var mocks = new EchoMocks();
    await Deployment.TestAsync(mocks, new TestOptions { StackName = "prod", ProjectName = "neocloud-infra" }, StackProgram.Run);
    return mocks.Count;
}

static string Generate(StackConfig prod, int n)
{
    var config = new JsonObject();
    foreach (var (key, value) in prod.Values)
    {
        config[$"{StackConfig.Namespace}:{key}"] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value!.ToJsonString();
    }

    // n deployments of up to 2 × 1g.10gb on the h100-mig pool, which grows by enough nodes (56 slices each) to hold them.
    var pools = JsonNode.Parse((string)config["neocloud:gpuPools"]!)!.AsArray();
    var mig = pools.Single(p => (string?)p!["name"] == "h100-mig")!;
    var nodes = mig["nodes"]!.AsArray();
    for (var i = 0; i < (2 * n + 55) / 56; i++)
    {
        nodes.Add($"dc1-bench-{i:D3}");
    }

    var serving = JsonNode.Parse((string)config["neocloud:serving"]!)!.AsArray();
    var tenants = JsonNode.Parse((string)config["neocloud:tenants"]!)!.AsArray();
    for (var i = 0; i < n; i++)
    {
        tenants.Add(new JsonObject
        {
            ["name"] = $"bench-{i:D3}",
            ["group"] = $"team-bench-{i:D3}",
            ["clusters"] = new JsonArray("dc1"),
            ["quota"] = new JsonObject { ["mig"] = new JsonObject { ["1g.10gb"] = 2 }, ["cpu"] = "16", ["memory"] = "64Gi" },
        });
        serving.Add(new JsonObject
        {
            ["name"] = $"bench-model-{i:D3}",
            ["model"] = "meta-llama/Llama-3.1-8B-Instruct",
            ["tenant"] = $"bench-{i:D3}",
            ["pool"] = "h100-mig",
            ["mig"] = "1g.10gb",
            ["replicas"] = new JsonObject { ["min"] = 1, ["max"] = 2 },
            ["slo"] = new JsonObject { ["p95Ms"] = 300, ["p99Ms"] = 800 },
        });
    }

    config["neocloud:gpuPools"] = pools.ToJsonString();
    config["neocloud:serving"] = serving.ToJsonString();
    config["neocloud:tenants"] = tenants.ToJsonString();
    var json = config.ToJsonString();
    EnvironmentBinder.BindOrThrow(StackConfig.FromEngine(config.ToDictionary(kv => kv.Key, kv => (string)kv.Value!)));
    return json;
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.Infra.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
}

/// <summary>Echoes inputs as outputs (plus an address for LoadBalancer Services), counting registrations.</summary>
internal sealed class EchoMocks : IMocks
{
    private int _count;

    public int Count => _count;

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Interlocked.Increment(ref _count);
        var state = args.Inputs;
        if (args.Type == "kubernetes:core/v1:Service")
        {
            var ingress = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("ip", "10.10.0.50"));
            state = state.SetItem("status", ImmutableDictionary<string, object>.Empty.Add("loadBalancer", ImmutableDictionary<string, object>.Empty.Add("ingress", ingress)));
        }
        else if (args.Type == "aws:eks/cluster:Cluster")
        {
            var oidc = ImmutableDictionary<string, object>.Empty.Add("issuer", "https://oidc.eks.mock/id/x");
            state = state.SetItem("endpoint", "https://eks.mock").SetItem("certificateAuthority", ImmutableDictionary<string, object>.Empty.Add("data", "bW9jaw=="))
                .SetItem("identities", ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("oidcs", ImmutableArray.Create<object>(oidc))));
        }
        else if (args.Type is "random:index/randomId:RandomId")
        {
            state = state.SetItem("hex", "a1b2c3d4");
        }
        else if (args.Type is "random:index/randomPassword:RandomPassword")
        {
            state = state.SetItem("result", "mock");
        }
        else if (args.Type == "aws:s3/bucket:Bucket")
        {
            state = state.SetItem("bucket", args.Name ?? "bucket").SetItem("arn", $"arn:aws:s3:::{args.Name}");
        }

        if (args.Type!.StartsWith("aws:", StringComparison.Ordinal) && !state.ContainsKey("arn"))
        {
            state = state.SetItem("arn", $"arn:aws:mock:::{args.Name}");
        }

        return Task.FromResult<(string? id, object state)>(($"{args.Name}-id", state));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "aws:index/getRegion:getRegion" => ImmutableDictionary<string, object>.Empty.Add("name", "us-east-1"),
        "aws:index/getPartition:getPartition" => ImmutableDictionary<string, object>.Empty.Add("partition", "aws"),
        "aws:ec2/getPrefixList:getPrefixList" => ImmutableDictionary<string, object>.Empty
            .Add("prefixListId", "pl-63a5400a").Add("cidrBlocks", ImmutableArray.Create<object>("52.216.0.0/15", "54.231.0.0/16")),
        _ => args.Args,
    });
}
