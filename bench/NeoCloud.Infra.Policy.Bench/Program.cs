using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NeoCloud.Infra.Policy.Protocol;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules;

// Usage: dotnet run -c Release --project bench/NeoCloud.Infra.Policy.Bench [-- <analyzer dll>]
var dll = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "NeoCloud.Infra.Policy.dll");
Console.WriteLine($"analyzer: {dll}");

// 1. Cold start: process start until the port line, 5 runs.
var starts = new List<double>();
for (var i = 0; i < 5; i++)
{
    var (process, _, elapsed) = await StartAsync(dll);
    starts.Add(elapsed.TotalMilliseconds);
    process.Kill();
    await process.WaitForExitAsync();
}
Console.WriteLine($"cold start to port: min {starts.Min():F0} ms, median {Percentile(starts, 50):F0} ms, max {starts.Max():F0} ms (5 runs)");

var (analyzer, port, _) = await StartAsync(dll);
using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
{
    BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    DefaultRequestVersion = HttpVersion.Version20,
    DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
};
await CallAsync(http, "ConfigureStack", new AnalyzerStackConfigureRequest { Stack = "prod", Project = "neocloud" }, AnalyzerStackConfigureResponse.Parser);

// 2. Analyze latency over gRPC with every rule, on a mix of resources.
var requests = Enumerable.Range(0, 200).Select(SampleRequest).ToList();
for (var i = 0; i < 500; i++)
{
    await CallAsync(http, "Analyze", requests[i % requests.Count], AnalyzeResponse.Parser);
}
var latencies = new List<double>();
for (var i = 0; i < 5000; i++)
{
    var watch = Stopwatch.StartNew();
    await CallAsync(http, "Analyze", requests[i % requests.Count], AnalyzeResponse.Parser);
    latencies.Add(watch.Elapsed.TotalMicroseconds);
}
Console.WriteLine($"Analyze over gRPC ({NeoCloudPolicyPack.Rules().Count} policies, 5000 calls): p50 {Percentile(latencies, 50):F0} µs, p99 {Percentile(latencies, 99):F0} µs");

var service = new AnalyzerService(NeoCloudPolicyPack.Create());
var inProcess = new List<double>();
for (var i = 0; i < 20000; i++)
{
    var watch = Stopwatch.StartNew();
    service.Analyze(AnalyzeRequest.Parser.ParseFrom(requests[i % requests.Count].ToByteArray()));
    if (i >= 5000)
    {
        inProcess.Add(watch.Elapsed.TotalMicroseconds);
    }
}
Console.WriteLine($"Analyze in process (parse + map + rules, 15000 calls): p50 {Percentile(inProcess, 50):F1} µs, p99 {Percentile(inProcess, 99):F1} µs");

// 3. AnalyzeStack over 5,000 resources.
var stack = new AnalyzeStackRequest();
stack.Resources.Add(Enumerable.Range(0, 5000).Select(i =>
{
    var r = SampleRequest(i);
    return new AnalyzerResource { Type = r.Type, Urn = r.Urn, Name = r.Name, Properties = r.Properties };
}));
Console.WriteLine($"AnalyzeStack request: {stack.CalculateSize() / 1024} KiB");
for (var run = 0; run < 3; run++)
{
    var watch = Stopwatch.StartNew();
    var response = await CallAsync(http, "AnalyzeStack", stack, AnalyzeResponse.Parser);
    Console.WriteLine($"AnalyzeStack over gRPC, 5000 resources, run {run + 1}: {watch.Elapsed.TotalMilliseconds:F0} ms ({response.Diagnostics.Count} diagnostics)");
}
await CallAsync(http, "Cancel", new Empty(), Empty.Parser);
await analyzer.WaitForExitAsync();
return 0;

static AnalyzeRequest SampleRequest(int i)
{
    var (type, json) = (i % 5) switch
    {
        0 => ("kubernetes:apps/v1:Deployment", $$$$$"""{"metadata":{"name":"triton-{{{{{i}}}}}","namespace":"tenant-{{{{{i % 7}}}}}","labels":{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}},"spec":{"replicas":2,"template":{"spec":{"nodeSelector":{"neocloud.io/pool":"h100"},"tolerations":[{"key":"nvidia.com/gpu","operator":"Exists"}],"containers":[{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.08-py3","ports":[{"containerPort":8000},{"containerPort":8002}],"resources":{"limits":{"nvidia.com/mig-1g.10gb":1}},"env":[{"name":"LOG","value":"1"},{"name":"HF_TOKEN","valueFrom":{"secretKeyRef":{"name":"hf","key":"t"}}}],"readinessProbe":{"httpGet":{"path":"/v2/health/ready","port":8000}},"livenessProbe":{"httpGet":{"path":"/v2/health/live","port":8000}}}]}}}}"""),
        1 => ("kubernetes:helm.sh/v4:Chart", $$$$$"""{"chart":"qdrant","values":{"replicaCount":3,"apiKey":{"existingSecret":"q"},"resources":{"limits":{"cpu":"2"}},"config":{"cluster":{"enabled":true}}}}"""),
        2 => ("aws:s3/bucketV2:BucketV2", $$$$$"""{"bucket":"models-{{{{{i}}}}}","tags":{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}}"""),
        3 => ("aws:s3/bucketPolicy:BucketPolicy", """{"bucket":"models","policy":"{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"}"""),
        _ => ("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", """{"metadata":{"labels":{"release":"kube-prometheus-stack","neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}},"spec":{"endpoints":[{"port":"metrics"}]}}"""),
    };
    return new AnalyzeRequest
    {
        Type = type,
        Name = $"r{i}",
        Urn = $"urn:pulumi:prod::neocloud::{type}::r{i}",
        Properties = Struct.Parser.WithDiscardUnknownFields(true).ParseJson(json),
    };
}

static async Task<(Process Process, int Port, TimeSpan Elapsed)> StartAsync(string dll)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    info.ArgumentList.Add(dll);
    info.ArgumentList.Add("127.0.0.1:1");
    var watch = Stopwatch.StartNew();
    var process = Process.Start(info)!;
    var line = await process.StandardOutput.ReadLineAsync();
    return (process, int.Parse(line!, CultureInfo.InvariantCulture), watch.Elapsed);
}

static async Task<T> CallAsync<T>(HttpClient http, string method, IMessage request, MessageParser<T> parser)
    where T : IMessage<T>
{
    var payload = request.ToByteArray();
    var body = new byte[payload.Length + 5];
    BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
    payload.CopyTo(body, 5);
    using var message = new HttpRequestMessage(HttpMethod.Post, "/pulumirpc.Analyzer/" + method)
    {
        Content = new ByteArrayContent(body),
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
    message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
    message.Headers.TryAddWithoutValidation("te", "trailers");
    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
    var bytes = await response.Content.ReadAsByteArrayAsync();
    var status = response.TrailingHeaders.TryGetValues("grpc-status", out var s) ? s.First() : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : "?";
    if (status != "0" || bytes.Length < 5)
    {
        throw new InvalidOperationException($"{method}: HTTP {(int)response.StatusCode}, grpc-status {status}");
    }
    return parser.ParseFrom(bytes.AsSpan(5).ToArray());
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
