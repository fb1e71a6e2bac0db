using System.Diagnostics;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Policy.Tests.Engine;

/// <summary>The built analyzer started as the engine starts it: <c>dotnet NeoCloud.Infra.Policy.dll [flags] engineAddr .</c>.</summary>
internal sealed class AnalyzerProcess : IDisposable
{
    private readonly Process _process;

    private AnalyzerProcess(Process process, int port, TimeSpan startup)
    {
        _process = process;
        Port = port;
        Startup = startup;
    }

    public int Port { get; }

    public TimeSpan Startup { get; }

    public bool HasExited => _process.HasExited;

    public static string DllPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Fixtures.RepoRoot(), "policy", "bin", configuration, "net10.0", "NeoCloud.Infra.Policy.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the policy project first", path);
    }

    /// <summary>
    /// The NativeAOT executable to test: <c>NEOCLOUD_POLICY_NATIVE</c>, else
    /// <c>artifacts/policy-native/linux-x64/NeoCloud.Infra.Policy</c> (scripts/test.sh publishes it when
    /// <c>NEOCLOUD_TEST_NATIVE=1</c>) when it is newer than the built dll (an older one would test stale code); null otherwise.
    /// </summary>
    public static string? NativePath()
    {
        var path = Environment.GetEnvironmentVariable("NEOCLOUD_POLICY_NATIVE");
        if (!string.IsNullOrEmpty(path))
        {
            return File.Exists(path) ? path : null;
        }
        path = Path.Combine(Fixtures.RepoRoot(), "artifacts", "policy-native", "linux-x64", "NeoCloud.Infra.Policy");
        return File.Exists(path) && File.GetLastWriteTimeUtc(path) >= File.GetLastWriteTimeUtc(DllPath()) ? path : null;
    }

    /// <summary>Starts the built dll with <c>dotnet</c>, or <paramref name="native"/> with no PATH (so no dotnet) and no DOTNET_* variables.</summary>
    public static async Task<AnalyzerProcess> StartAsync(string? native = null)
    {
        var info = new ProcessStartInfo(native ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (native is not null)
        {
            info.Environment.Clear();
            info.Environment["PATH"] = "/nonexistent";
        }
        else
        {
            info.ArgumentList.Add(DllPath());
        }
        foreach (var arg in new[] { "--logtostderr", "-v=1", "--tracing", "http://localhost:1", "127.0.0.1:1", "." })
        {
            info.ArgumentList.Add(arg);
        }
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(int.TryParse(line, out var port) && port is > 0 and < 65536, $"first stdout line must be the port, got '{line}'");
        return new AnalyzerProcess(process, port, watch.Elapsed);
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}

/// <summary>Runs the node engine client (Pulumi's generated AnalyzerClient).</summary>
internal static class EngineClient
{
    public static string Directory => Path.Combine(Fixtures.RepoRoot(), "tests", "NeoCloud.Infra.Policy.Tests", "engine-client");

    public static Task<string> RunAsync(params string[] args) => NodeScript.RunAsync(Directory, ["client.js", .. args]);
}
