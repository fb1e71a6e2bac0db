using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Tests.Shared;

// Usage (from the repository root):
//   stack <count> [firstSeed]    mutated copies of Pulumi.{dev,prod,cloud}.yaml through `neocloud plan` (human + JSON)
//   state <count> [firstSeed]    mutated preview/state files through the offline check
//   show-stack <seed>, show-state <seed>  print the input of one seed
//   generate <resources> <file>  a `pulumi preview --json` file with that many resources (tenants, buckets, workloads)
var root = Directory.GetCurrentDirectory();
var mode = args.ElementAtOrDefault(0) ?? "stack";
var count = int.Parse(args.ElementAtOrDefault(1) ?? "3000", CultureInfo.InvariantCulture);
var firstSeed = mode is "stack" or "state" ? int.Parse(args.ElementAtOrDefault(2) ?? "1", CultureInfo.InvariantCulture) : 1;
var limit = TimeSpan.FromSeconds(10);

if (mode is "show-stack" or "show-state")
{
    // Prints the input of one seed (to turn a finding into a corpus test).
    var seedToShow = count;
    var showRandom = new Random(seedToShow);
    Console.Write(mode == "show-stack"
        ? InputMutator.MutateYaml(File.ReadAllText(Path.Combine(root, $"Pulumi.{new[] { "dev", "prod", "cloud" }[seedToShow % 3]}.yaml")), showRandom, seedToShow % 6)
        : InputMutator.MutateJson(File.ReadAllText(Path.Combine(root, "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "data", seedToShow % 2 == 0 ? "preview.json" : "clean-export.json")), showRandom, Math.Max(1, seedToShow % 6)));
    return 0;
}

if (mode == "generate")
{
    File.WriteAllText(args[2], Generate(count));
    Console.WriteLine($"wrote {count} resources to {args[2]}");
    return 0;
}

var dir = Directory.CreateTempSubdirectory("neocloud-robustness-").FullName;
try
{
    Directory.CreateDirectory(Path.Combine(dir, "policy", "config"));
    foreach (var f in Directory.GetFiles(Path.Combine(root, "policy", "config")))
    {
        File.Copy(f, Path.Combine(dir, "policy", "config", Path.GetFileName(f)));
    }

    var exits = new SortedDictionary<int, int>();
    var breaches = new Dictionary<string, int>(StringComparer.Ordinal);
    var examples = new List<string>();
    int crashes = 0, hangs = 0, pathless = 0, dropped = 0, canaries = 0;
    var times = new List<double>();
    var watch = Stopwatch.StartNew();
    var stacks = new[] { "dev", "prod", "cloud" }.Select(s => File.ReadAllText(Path.Combine(root, $"Pulumi.{s}.yaml"))).ToArray();
    var states = new[] { ("preview.json", true), ("clean-export.json", false) }
        .Select(f => (Text: File.ReadAllText(Path.Combine(root, "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "data", f.Item1)), Preview: f.Item2)).ToArray();
    for (var seed = firstSeed; seed < firstSeed + count; seed++)
    {
        var random = new Random(seed);
        var mutations = seed % 6; // 0: only free-text values made secret (the stack stays valid)
        int exit;
        TimeSpan elapsed;
        IReadOnlyList<string> found;
        bool hung, drop;
        if (mode == "stack")
        {
            var text = InputMutator.MutateYaml(stacks[seed % stacks.Length], random, mutations);
            (exit, elapsed, found, hung, drop) = PlanContract.Evaluate(text, dir, limit);
        }
        else
        {
            var (text, preview) = states[seed % states.Length];
            (exit, elapsed, found, hung, drop) = CheckContract.Evaluate(InputMutator.MutateJson(text, random, Math.Max(1, mutations)), preview, dir, limit);
        }

        exits[exit] = exits.GetValueOrDefault(exit) + 1;
        times.Add(elapsed.TotalMilliseconds);
        hangs += hung ? 1 : 0;
        dropped += drop ? 1 : 0;
        foreach (var b in found)
        {
            var kind = b.Contains("canary", StringComparison.Ordinal) ? "secret canary printed"
                : b.Contains("without a", StringComparison.Ordinal) ? "input error without a path"
                : b.StartsWith("no answer", StringComparison.Ordinal) || b.StartsWith("took", StringComparison.Ordinal) ? "hang (> 10 s)"
                : b.Contains("entries in the file", StringComparison.Ordinal) || b.Contains("resources in the file", StringComparison.Ordinal) ? "value dropped"
                : "crash (exit not 0/1/2, exception, or unreadable output)";
            breaches[kind] = breaches.GetValueOrDefault(kind) + 1;
            crashes += kind.StartsWith("crash", StringComparison.Ordinal) ? 1 : 0;
            pathless += kind == "input error without a path" ? 1 : 0;
            canaries += kind == "secret canary printed" ? 1 : 0;
            if (examples.Count < 20)
            {
                examples.Add($"seed {seed}: {b}");
            }
        }
    }

    times.Sort();
    Console.WriteLine($"{mode} mutations: {count} inputs (seeds {firstSeed}..{firstSeed + count - 1}) in {watch.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine($"  exit codes: {string.Join(", ", exits.Select(e => $"{e.Key} × {e.Value}"))}");
    Console.WriteLine($"  crashes {crashes}, hangs (> 10 s) {hangs}, input errors without a path {pathless}, dropped values {dropped}, secret canaries printed {canaries}");
    Console.WriteLine($"  time per input: median {times[times.Count / 2]:F1} ms, p99 {times[(int)(times.Count * 0.99)]:F1} ms, max {times[^1]:F1} ms");
    foreach (var e in examples)
    {
        Console.WriteLine("  " + e);
    }

    return breaches.Count == 0 ? 0 : 1;
}
finally
{
    Directory.Delete(dir, recursive: true);
}

// A preview of `resources` resources shaped like a tenant-heavy stack: per tenant a namespace, quota, default-deny
// policy and workload; per bucket its four companions. The stack rules join these, so this is where superlinear
// joins show.
static string Generate(int resources)
{
    const string prefix = "urn:pulumi:prod::neocloud::";
    var steps = new JsonArray { Step(prefix + "pulumi:pulumi:Stack::neocloud-prod", "pulumi:pulumi:Stack", null, null) };
    for (var i = 0; steps.Count < resources + 1; i++)
    {
        var t = "t" + i.ToString(CultureInfo.InvariantCulture);
        JsonObject Labels() => new() { ["neocloud.io/environment"] = "prod", ["neocloud.io/cost-center"] = "ml", ["neocloud.io/tenant"] = t };
        steps.Add(Step(prefix + "kubernetes:core/v1:Namespace::" + t, "kubernetes:core/v1:Namespace", new JsonObject { ["metadata"] = new JsonObject { ["name"] = t, ["labels"] = Labels() } }, null));
        steps.Add(Step(prefix + "kubernetes:core/v1:ResourceQuota::" + t, "kubernetes:core/v1:ResourceQuota", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "quota", ["namespace"] = t, ["labels"] = Labels() }, ["spec"] = new JsonObject { ["hard"] = new JsonObject { ["requests.nvidia.com/gpu"] = "4" } } }, null));
        steps.Add(Step(prefix + "kubernetes:networking.k8s.io/v1:NetworkPolicy::" + t, "kubernetes:networking.k8s.io/v1:NetworkPolicy", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "deny", ["namespace"] = t, ["labels"] = Labels() }, ["spec"] = new JsonObject { ["podSelector"] = new JsonObject(), ["policyTypes"] = new JsonArray("Ingress", "Egress") } }, null));
        var bucket = prefix + "aws:s3/bucketV2:BucketV2::models-" + t;
        steps.Add(Step(bucket, "aws:s3/bucketV2:BucketV2", new JsonObject { ["bucket"] = "models-" + t, ["tags"] = Labels() }, null));
        foreach (var companion in new[] { "aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketPolicy:BucketPolicy" })
        {
            steps.Add(Step(prefix + companion + "::models-" + t, companion, new JsonObject { ["bucket"] = "models-" + t }, bucket));
        }

        steps.Add(Step(prefix + "kubernetes:apps/v1:Deployment::d" + t, "kubernetes:apps/v1:Deployment", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "d" + t, ["namespace"] = t, ["labels"] = Labels() },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "triton", ["image"] = "nvcr.io/nvidia/tritonserver:24.08-py3" }) } } },
        }, null));
    }

    while (steps.Count > resources + 1)
    {
        steps.RemoveAt(steps.Count - 1);
    }

    return new JsonObject { ["steps"] = steps }.ToJsonString();

    static JsonObject Step(string urn, string type, JsonObject? inputs, string? bucketDependency)
    {
        var state = new JsonObject { ["urn"] = urn, ["type"] = type, ["custom"] = true };
        if (inputs is not null)
        {
            state["inputs"] = inputs;
        }

        if (bucketDependency is not null)
        {
            state["dependencies"] = new JsonArray(bucketDependency);
            state["propertyDependencies"] = new JsonObject { ["bucket"] = new JsonArray(bucketDependency) };
        }

        return new JsonObject { ["op"] = "create", ["urn"] = urn, ["newState"] = state };
    }
}
