using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using NeoCloud.Infra.Policy.Protocol.Wire;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>
/// A bounded stress run over loopback only: 50,000 Analyze calls over 100 connections, oversized and 100 MB messages,
/// malformed frames, wrong content types and aborted streams; RSS before and after each group, a valid call after each,
/// and the process must still be running at the end.
/// </summary>
internal static class Stress
{
    private const int Connections = 100;
    private const int CallsPerConnection = 500;
    private const int HugeBytes = 100 * 1024 * 1024;
    private const int MaxMessageBytes = 400 * 1024 * 1024; // AnalyzerServer.MaxMessageBytes

    public static async Task<int> RunAsync(Target target)
    {
        if (!target.Exists)
        {
            Console.Error.WriteLine($"{target.Name}: not found ({target.Check})");
            return 2;
        }
        using var analyzer = await target.StartAsync();
        var pid = analyzer.Process.Id;
        await analyzer.Client.CallAsync("ConfigureStack", new AnalyzerStackConfigureRequest { Stack = "prod" }.ToByteArray());
        var requests = Enumerable.Range(0, 200).Select(i => Requests.Resource(i).ToByteArray()).ToList();
        for (var i = 0; i < 200; i++)
        {
            await analyzer.Client.CallAsync("Analyze", requests[i]);
        }
        await Task.Delay(1000);
        var idle = analyzer.Memory().Rss;
        Console.WriteLine($"{target.Name} (pid {pid}): idle RSS {idle:F0} MiB");
        var failures = 0;

        // 1. 50,000 calls over 100 concurrent connections.
        var watch = Stopwatch.StartNew();
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async c =>
        {
            using var client = new GrpcClient(analyzer.Client.Port);
            for (var i = 0; i < CallsPerConnection; i++)
            {
                try
                {
                    await client.CallAsync(i % 10 == 0 ? "Remediate" : "Analyze", requests[(c * CallsPerConnection + i) % requests.Count]);
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var total = Connections * CallsPerConnection;
        failures += errors;
        Report($"{total} calls over {Connections} connections: {total - errors} ok, {errors} failed, {watch.Elapsed.TotalSeconds:F1} s ({total / watch.Elapsed.TotalSeconds:F0} calls/s)", analyzer);
        failures += await ValidCallAsync(analyzer);

        // 2. Oversized: frames announcing more than the limit, and a burst of real 100 MB messages.
        var oversized = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(oversized.AsSpan(1), MaxMessageBytes + 1u);
        var exhausted = 0;
        for (var i = 0; i < 20; i++)
        {
            var (status, _) = await analyzer.Client.SendAsync("AnalyzeStack", oversized);
            exhausted += status == "8" ? 1 : 0;
        }
        failures += 20 - exhausted;
        Report($"20 frames announcing {MaxMessageBytes + 1} bytes: {exhausted} RESOURCE_EXHAUSTED", analyzer);
        var huge = GrpcClient.Frame(Requests.Huge(HugeBytes));
        watch.Restart();
        var hugeOk = 0;
        for (var burst = 0; burst < 2; burst++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                using var client = new GrpcClient(analyzer.Client.Port);
                return (await client.SendAsync("Analyze", huge)).Status;
            }));
            hugeOk += replies.Count(s => s == "0");
        }
        failures += 6 - hugeOk;
        var (afterBurst, peak) = analyzer.Memory();
        Report($"6 Analyze calls of {huge.Length / 1024 / 1024} MiB, 3 at a time: {hugeOk} ok, {watch.Elapsed.TotalSeconds:F1} s; peak RSS {peak:F0} MiB, RSS right after {afterBurst:F0} MiB", analyzer);
        await Task.Delay(3000);
        var settled3 = analyzer.Memory().Rss;
        await Task.Delay(12000);
        var settled = analyzer.Memory().Rss;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   RSS 3 s after the burst: {settled3:F0} MiB = {settled3 / idle:F2} × idle; 15 s after: {settled:F0} MiB = {settled / idle:F2} × idle (target ≤ 2×)"));
        failures += settled <= 2 * idle ? 0 : 1;
        failures += await ValidCallAsync(analyzer);

        // 3. Malformed: random bytes in valid frames, truncated frames, a compressed flag without grpc-encoding,
        //    other content types, aborted streams.
        var random = new Random(20261201);
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string? status) => codes[status ?? "none"] = codes.GetValueOrDefault(status ?? "none") + 1;
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            Count((await analyzer.Client.SendAsync(i % 2 == 0 ? "Analyze" : "AnalyzeStack", GrpcClient.Frame(garbage))).Status);
        }
        for (var i = 0; i < 200; i++)
        {
            var frame = GrpcClient.Frame(requests[i]);
            Count((await analyzer.Client.SendAsync("Analyze", frame[..random.Next(1, frame.Length - 1)])).Status);
            frame[0] = 1;
            Count((await analyzer.Client.SendAsync("Analyze", frame)).Status);
            Count((await analyzer.Client.SendAsync("Analyze", GrpcClient.Frame(requests[i]), i % 2 == 0 ? "application/grpc-web" : "application/grpc+json")).Status);
        }
        var aborted = 0;
        for (var i = 0; i < 100; i++)
        {
            using var abort = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            try
            {
                using var content = new StreamContent(new StallingStream(GrpcClient.Frame(requests[i])[..20]));
                content.Headers.ContentType = new("application/grpc");
                await analyzer.Client.SendAsync("Analyze", content, abort.Token);
            }
            catch (OperationCanceledException)
            {
                aborted++;
            }
        }
        Report($"2000 garbage frames, 200 truncated, 200 compressed without encoding, 200 grpc-web/grpc+json, {aborted} aborted streams: statuses {string.Join(", ", codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}×{c.Value}"))}", analyzer);
        failures += codes.GetValueOrDefault("0");
        failures += await ValidCallAsync(analyzer);

        var exited = analyzer.Process.HasExited;
        var final = exited ? 0 : analyzer.Memory().Rss;
        var abortLines = analyzer.Errors.Count(l => l.Contains("aborted", StringComparison.Ordinal));
        var stackTraces = analyzer.Errors.Count(l => l.StartsWith("   at ", StringComparison.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"process exits: {(exited ? 1 : 0)}; RSS before {idle:F0} MiB, after {final:F0} MiB; stderr: {analyzer.Errors.Count} lines ({abortLines} 'aborted' lines, {stackTraces} stack-trace lines)"));
        Console.WriteLine(failures == 0 && !exited ? "stress: PASS" : $"stress: FAIL ({failures} unexpected results)");
        return failures == 0 && !exited ? 0 : 1;
    }

    private static void Report(string text, Analyzer analyzer)
    {
        var (rss, peak) = analyzer.Memory();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- {text} | RSS {rss:F0} MiB, peak {peak:F0} MiB"));
    }

    private static async Task<int> ValidCallAsync(Analyzer analyzer)
    {
        try
        {
            var info = PluginInfo.Parser.ParseFrom(await analyzer.Client.CallAsync("GetPluginInfo", []));
            Console.WriteLine($"   valid call after the group: GetPluginInfo answered version {info.Version}");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            Console.WriteLine($"   valid call after the group FAILED: {e.Message}");
            return 1;
        }
    }

    /// <summary>Yields a few bytes, then never completes (the caller's cancellation resets the stream).</summary>
    private sealed class StallingStream(byte[] prefix) : Stream
    {
        private bool _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                prefix.CopyTo(buffer);
                return prefix.Length;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
