using System.Diagnostics;

namespace NeoCloud.Infra.Tests.Shared;

/// <summary>
/// Runs a Node script of a test's engine client (a folder under tests/ with a package-lock.json; scripts/test.sh runs
/// <c>npm ci</c> there) and returns its stdout; fails the test on a non-zero exit and kills it when it hangs.
/// </summary>
internal static class NodeScript
{
    /// <summary>Runs <c>node <paramref name="args"/></c> in <paramref name="directory"/>.</summary>
    /// <param name="directory">The engine client's folder.</param>
    /// <param name="args">The script and its arguments.</param>
    public static async Task<string> RunAsync(string directory, params string[] args)
    {
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "@pulumi", "pulumi")),
            $"the engine client's packages are missing: run `npm ci` in {directory} (scripts/test.sh does)");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the engine client hung");
        }
        Assert.True(process.ExitCode == 0, $"engine client failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
