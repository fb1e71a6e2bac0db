using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NeoCloud.Infra.Policy.Bench;
using NeoCloud.Infra.Policy.Protocol.Wire;

// Usage (see bench/README.md):
//   dotnet run -c Release --project bench/NeoCloud.Infra.Policy.Bench -- compare [--runs N]
//       the native executable, the built dll and the @pulumi/policy Node pack, side by side, through one client, and
//       the floor (no-op servers), timed through h2load (nghttp2-client); --client http times through HttpClient instead
//   dotnet run -c Release --project bench/NeoCloud.Infra.Policy.Bench -- stress [--target native|dll]
//       50,000 requests over 100 connections, oversized, 100 MB and malformed messages; RSS before/after
var mode = args.Length > 0 ? args[0] : "compare";
var runs = Option("--runs", 3);
var root = RepoRoot();
var targets = new Dictionary<string, Target>(StringComparer.Ordinal)
{
    ["native"] = Target.Native(Path.Combine(root, "artifacts", "policy-native", "linux-x64", "NeoCloud.Infra.Policy")),
    ["dll"] = Target.Dll(Path.Combine(root, "policy", "bin", "Release", "net10.0", "NeoCloud.Infra.Policy.dll")),
    ["node"] = Target.Node(Path.Combine(root, "bench", "policy-node-pack")),
    // The floor (bench/NeoCloud.Infra.Policy.Floor): the same client against analyzers that do nothing.
    ["floor"] = Target.FloorServer(Path.Combine(root, "artifacts", "policy-floor", "linux-x64", "NeoCloud.Infra.Policy.Floor"), "grpc"),
    ["h2"] = Target.FloorServer(Path.Combine(root, "artifacts", "policy-floor", "linux-x64", "NeoCloud.Infra.Policy.Floor"), "kestrel"),
};
// NEOCLOUD_BENCH_NATIVE_B=<path> adds a second native executable ("native-b"), for A/B runs of a server change.
if (Environment.GetEnvironmentVariable("NEOCLOUD_BENCH_NATIVE_B") is { Length: > 0 } other)
{
    targets["native-b"] = Target.Native(other) with { Name = "native executable B (" + other + ")" };
}
// NEOCLOUD_BENCH_ONLY=node,dll keeps only those analyzers.
if (Environment.GetEnvironmentVariable("NEOCLOUD_BENCH_ONLY") is { Length: > 0 } only)
{
    foreach (var key in targets.Keys.Except(only.Split(','), StringComparer.Ordinal).ToList())
    {
        targets.Remove(key);
    }
}
return mode switch
{
    "compare" => await Compare.RunAsync(targets, runs, OptionText("--client", "h2") == "http"),
    "profile" => Profile.Run(),
    "calls" => Calls(Option("--port", 0), Option("--count", 1000)),
    "stress" => await Stress.RunAsync(targets[OptionText("--target", "native") ?? "native"]),
    _ => Usage(),
};

int Option(string name, int fallback) => int.TryParse(OptionText(name, null), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

string? OptionText(string name, string? fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

// `calls --port P --count N`: ConfigureStack (prod) and N Analyze calls of the compare requests against an analyzer that is
// already running (e.g. under `valgrind --tool=callgrind`): each request validated once through GrpcClient, then
// count / 200 calls of each through h2load (one connection per request); prints the wall time.
static int Calls(int port, int count)
{
    var requests = Enumerable.Range(0, 200).Select(i => Requests.Resource(i).ToByteArray()).ToList();
    using var client = new GrpcClient(port);
    client.CallAsync("ConfigureStack", new AnalyzerStackConfigureRequest { Stack = "prod", Project = "neocloud", Config = { ["neocloud:environment"] = "prod" } }.ToByteArray()).GetAwaiter().GetResult();
    var replyFrame = requests.Select(r => 5L + client.CallAsync("Analyze", r).GetAwaiter().GetResult().Length).ToList();
    var dir = Directory.CreateTempSubdirectory("neocloud-bench-").FullName;
    var perRequest = Math.Max(1, count / requests.Count);
    var watch = System.Diagnostics.Stopwatch.StartNew();
    for (var i = 0; i < requests.Count; i++)
    {
        H2Load.Run(port, "Analyze", H2Load.WriteBody(dir, $"analyze-{i:D3}.bin", requests[i]), perRequest, replyFrame[i], Path.Combine(dir, "latency.tsv"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{perRequest * requests.Count} Analyze calls (h2load) in {watch.Elapsed.TotalMilliseconds:F0} ms"));
    Directory.Delete(dir, recursive: true);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: NeoCloud.Infra.Policy.Bench compare [--runs N] [--client h2|http] | profile | calls --port P --count N | stress [--target native|dll]");
    return 2;
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "NeoCloud.Infra.sln")))
        {
            return dir.FullName;
        }
    }
    throw new DirectoryNotFoundException("repository root (NeoCloud.Infra.sln) not found above " + AppContext.BaseDirectory);
}

namespace NeoCloud.Infra.Policy.Bench
{
    /// <summary>The requests both packs get: a mix of workloads, charts, buckets and monitors, some clean, some violating.</summary>
    internal static class Requests
    {
        public static AnalyzeRequest Resource(int i)
        {
            var (type, json) = (i % 8) switch
            {
                0 => ("kubernetes:apps/v1:Deployment", $$$$$"""{"metadata":{"name":"triton-{{{{{i}}}}}","namespace":"tenant-{{{{{i % 7}}}}}","labels":{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}},"spec":{"replicas":2,"template":{"spec":{"nodeSelector":{"neocloud.io/pool":"h100"},"tolerations":[{"key":"nvidia.com/gpu","operator":"Exists"}],"containers":[{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.08-py3","ports":[{"containerPort":8000},{"containerPort":8002}],"resources":{"limits":{"nvidia.com/mig-1g.10gb":1}},"env":[{"name":"LOG","value":"1"},{"name":"HF_TOKEN","valueFrom":{"secretKeyRef":{"name":"hf","key":"t"}}}],"readinessProbe":{"httpGet":{"path":"/v2/health/ready","port":8000}},"livenessProbe":{"httpGet":{"path":"/v2/health/live","port":8000}}}]}}}}"""),
                1 => ("kubernetes:helm.sh/v4:Chart", $$$$$"""{"chart":"qdrant","values":{"replicaCount":3,"apiKey":{"existingSecret":"q"},"resources":{"limits":{"cpu":"2"}},"config":{"cluster":{"enabled":true}}}}"""),
                2 => ("aws:s3/bucketV2:BucketV2", $$$$$"""{"bucket":"models-{{{{{i}}}}}","tags":{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}}"""),
                3 => ("aws:s3/bucketPolicy:BucketPolicy", $$$$$"""{"bucket":"models-{{{{{i - 1}}}}}","policy":"{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"}"""),
                4 => ("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", """{"metadata":{"labels":{"release":"kube-prometheus-stack","neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}},"spec":{"endpoints":[{"port":"metrics"}]}}"""),
                5 => ("kubernetes:apps/v1:Deployment", $$$$$"""{"metadata":{"name":"web-{{{{{i}}}}}","namespace":"serving","labels":{"neocloud.io/environment":"prod"}},"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:latest","env":[{"name":"DB_PASSWORD","value":"plain"}]}]}}}}"""),
                6 => ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", $$$$$"""{"bucket":"models-{{{{{i - 4}}}}}","blockPublicAcls":true,"blockPublicPolicy":true,"ignorePublicAcls":false,"restrictPublicBuckets":true}"""),
                _ => ("aws:eks/nodeGroup:NodeGroup", $$$$$"""{"instanceTypes":["p5.48xlarge"],"scalingConfig":{"minSize":0,"maxSize":4,"desiredSize":1},"labels":{"neocloud.io/pool":"h100-{{{{{i}}}}}","nvidia.com/mig.config":"all-1g.10gb"},"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NO_SCHEDULE"}],"tags":{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}}"""),
            };
            return new AnalyzeRequest
            {
                Type = type,
                Name = $"r{i}",
                Urn = $"urn:pulumi:prod::neocloud::{type}::r{i}",
                Properties = Struct.Parser.WithDiscardUnknownFields(true).ParseJson(json),
                Options = new AnalyzerResourceOptions(), // the engine always sends options (the Node SDK reads them)
            };
        }

        public static AnalyzeStackRequest Stack(int count)
        {
            var stack = new AnalyzeStackRequest();
            stack.Resources.Add(Enumerable.Range(0, count).Select(i =>
            {
                var r = Resource(i);
                return new AnalyzerResource { Type = r.Type, Urn = r.Urn, Name = r.Name, Properties = r.Properties, Options = r.Options };
            }));
            return stack;
        }

        /// <summary>One Analyze request of about <paramref name="bytes"/> bytes (a Deployment with a huge env list).</summary>
        public static byte[] Huge(int bytes)
        {
            var env = new ListValue();
            var filler = new string('x', 400);
            var request = Resource(5);
            var container = request.Properties.Fields["spec"].StructValue.Fields["template"].StructValue.Fields["spec"].StructValue.Fields["containers"].ListValue.Values[0].StructValue;
            var one = new Struct { Fields = { ["name"] = Value.ForString("VAR_000000"), ["value"] = Value.ForString(filler) } }.CalculateSize() + 4;
            for (var i = 0; i < bytes / one; i++)
            {
                env.Values.Add(Value.ForStruct(new Struct { Fields = { ["name"] = Value.ForString($"VAR_{i:D6}"), ["value"] = Value.ForString(filler) } }));
            }
            container.Fields["env"] = Value.ForList([.. env.Values]);
            return request.ToByteArray();
        }
    }

    internal static class Stats
    {
        public static double Percentile(IReadOnlyList<double> values, double p)
        {
            var sorted = values.Order().ToList();
            return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }

        public static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 50);

        /// <summary>CPU time a process has run so far, in ns: the sum of /proc/PID/task/*/schedstat (field 1, time on CPU).</summary>
        public static long CpuNs(int pid)
        {
            long total = 0;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    total += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended between listing and reading.
                }
            }
            return total;
        }

        /// <summary>The 1-minute load average (/proc/loadavg), recorded with each run: the machine is shared.</summary>
        public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

        /// <summary>VmRSS and VmHWM (peak) of a process, in MiB, from /proc.</summary>
        public static (double Rss, double Peak) Memory(int pid)
        {
            double rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line) / 1024;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kb(line) / 1024;
                }
            }
            return (rss, peak);

            static double Kb(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
    }
}
