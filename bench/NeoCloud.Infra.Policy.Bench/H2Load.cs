using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>
/// The timed client of <c>compare</c>: nghttp2's <c>h2load</c> (Debian <c>nghttp2-client</c>, 1.52), a maintained,
/// low-overhead HTTP/2 load generator in C. Each run is <c>-c 1 -m 1 -t 1 -n N</c>: one h2c connection, one stream at a
/// time, N unary gRPC calls one after the other (closed loop), the body a gRPC-framed message (<c>-d</c>), with
/// <c>--log-file</c> giving each request's time to the end of its response in µs.
/// h2load knows HTTP, not gRPC: a gRPC error is still HTTP 200 (a trailers-only response, no DATA). So every call is
/// checked twice: the caller validates each request once with <see cref="GrpcClient"/> (grpc-status 0, reply length)
/// before the timed run, and <see cref="Run"/> then requires every logged status to be 200, every request to have
/// succeeded, and h2load's DATA byte count to be exactly N × the validated reply frame: a reply that is not that
/// message (an error, an empty or truncated reply) fails the run.
/// </summary>
internal static partial class H2Load
{
    public const string Executable = "h2load";

    /// <summary>The latencies (µs, in order) of one h2load run.</summary>
    public sealed record Result(IReadOnlyList<double> LatenciesUs, long DataBytes);

    /// <summary>Whether h2load is on PATH (bench/policy/run.sh installs nghttp2-client when it is not).</summary>
    public static bool Available() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, Executable)));

    /// <summary>Writes a gRPC-framed request body (1-byte flag, 4-byte length, message) for <c>-d</c>.</summary>
    public static string WriteBody(string dir, string name, byte[] message)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, GrpcClient.Frame(message));
        return path;
    }

    /// <summary>
    /// <paramref name="count"/> sequential calls of <paramref name="method"/> with the body in <paramref name="bodyFile"/>
    /// on one new connection to 127.0.0.1:<paramref name="port"/>; <paramref name="replyFrameBytes"/> is the gRPC reply
    /// frame length (5 + message) validated beforehand with <see cref="GrpcClient"/>.
    /// </summary>
    public static Result Run(int port, string method, string bodyFile, int count, long replyFrameBytes, string logFile)
    {
        File.Delete(logFile); // h2load appends to it
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-c", "1", "-m", "1", "-t", "1", "-n", count.ToString(CultureInfo.InvariantCulture), "-d", bodyFile,
            "-H", "content-type: application/grpc", "-H", "te: trailers", "--log-file=" + logFile,
            $"http://127.0.0.1:{port}/pulumirpc.Analyzer/{method}",
        })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("h2load did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"h2load {method}: exit code {process.ExitCode}: {stderr.Result.Trim()} {stdout.Trim()}");
        }
        var requests = RequestsLine().Match(stdout);
        var traffic = TrafficLine().Match(stdout);
        if (!requests.Success || !traffic.Success)
        {
            throw new InvalidOperationException($"h2load {method}: unexpected output: {stdout.Trim()}");
        }
        var succeeded = int.Parse(requests.Groups["succeeded"].Value, CultureInfo.InvariantCulture);
        var data = long.Parse(traffic.Groups["data"].Value, CultureInfo.InvariantCulture);
        if (succeeded != count || data != count * replyFrameBytes)
        {
            throw new InvalidOperationException(
                $"h2load {method}: {succeeded} of {count} requests succeeded, {data} DATA bytes received, expected {count} × {replyFrameBytes} (the reply validated with grpc-status 0): some replies were not that message");
        }
        var latencies = new List<double>(count);
        foreach (var line in File.ReadLines(logFile))
        {
            // start (µs since epoch) \t HTTP status \t µs to the end of the response
            var columns = line.Split('\t');
            if (columns.Length < 3 || columns[1] != "200")
            {
                throw new InvalidOperationException($"h2load {method}: log row '{line}' is not an HTTP 200 reply");
            }
            latencies.Add(double.Parse(columns[2], CultureInfo.InvariantCulture));
        }
        if (latencies.Count != count)
        {
            throw new InvalidOperationException($"h2load {method}: {latencies.Count} log rows for {count} requests");
        }
        return new Result(latencies, data);
    }

    /// <summary>CPU time of this process's waited-for children so far (the h2load runs): /proc/self/stat cutime + cstime.</summary>
    public static TimeSpan ChildrenCpu()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name (which is in parentheses and may contain spaces): state is field 3; cutime 16, cstime 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    [GeneratedRegex(@"requests: (?<total>\d+) total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"traffic: .*?, \S+ \((?<data>\d+)\) data")]
    private static partial Regex TrafficLine();
}
