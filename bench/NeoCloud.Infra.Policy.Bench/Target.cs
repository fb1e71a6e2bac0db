using System.Diagnostics;
using System.Globalization;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>An analyzer to start: the native executable, the built dll (with dotnet) or the Node pack (with node).</summary>
// Floor: a no-op server (bench/NeoCloud.Infra.Policy.Floor), not a pack: only its Analyze round trip is measured.
internal sealed record Target(string Name, string File, string[] Arguments, string WorkingDirectory, string Check, bool Floor = false)
{
    public static Target Native(string path) => new("native executable", path, ["127.0.0.1:1"], Path.GetTempPath(), path);

    /// <summary>The no-op analyzer, NativeAOT: <paramref name="mode"/> <c>grpc</c> (Grpc.AspNetCore) or <c>kestrel</c> (no gRPC layer).</summary>
    public static Target FloorServer(string path, string mode) => new($"floor: no-op {mode} (NativeAOT)", path, [mode, "127.0.0.1:1"], Path.GetTempPath(), path, Floor: true);

    public static Target Dll(string path) => new("built dll (dotnet)", "dotnet", [path, "127.0.0.1:1"], Path.GetTempPath(), path);

    // @pulumi/policy reads the pack version from package.json in the working directory.
    public static Target Node(string dir) => new("@pulumi/policy Node pack", "node", ["index.js"], dir, Path.Combine(dir, "node_modules", "@pulumi", "policy"));

    public bool Exists => System.IO.File.Exists(Check) || Directory.Exists(Check);

    /// <summary>
    /// Starts the analyzer and reads its port (the first stdout line); the first answer (GetPluginInfo) comes through
    /// <see cref="GrpcClient"/> (HttpClient).
    /// </summary>
    public async Task<Analyzer> StartAsync()
    {
        var info = new ProcessStartInfo(File) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = WorkingDirectory };
        foreach (var a in Arguments)
        {
            info.ArgumentList.Add(a);
        }
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var port = int.Parse(line!, CultureInfo.InvariantCulture);
        var toPort = watch.Elapsed;
        var client = new GrpcClient(port);
        await client.CallAsync("GetPluginInfo", Empties.Bytes);
        return new Analyzer(process, client, toPort, watch.Elapsed, errors);
    }
}

/// <summary>A running analyzer.</summary>
internal sealed class Analyzer(Process process, GrpcClient client, TimeSpan toPort, TimeSpan toFirstAnswer, List<string> errors) : IDisposable
{
    public Process Process { get; } = process;

    /// <summary>
    /// HttpClient (SocketsHttpHandler): the stress mode's client; compare's for the cold-start call, validation and
    /// warm-up (and its timed client with <c>--client http</c>); the timed client is otherwise h2load (<see cref="H2Load"/>).
    /// </summary>
    public GrpcClient Client { get; } = client;

    /// <summary>One call through <see cref="Client"/>; throws unless grpc-status is 0.</summary>
    public Task<byte[]> CallAsync(string method, byte[] payload) => Client.CallAsync(method, payload);

    public TimeSpan ToPort { get; } = toPort;

    public TimeSpan ToFirstAnswer { get; } = toFirstAnswer;

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }

    public (double Rss, double Peak) Memory() => Stats.Memory(Process.Id);

    public void Dispose()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit();
        }
        Process.Dispose();
    }
}

internal static class Empties
{
    public static readonly byte[] Bytes = [];
}
