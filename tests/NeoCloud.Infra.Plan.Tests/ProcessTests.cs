using System.Diagnostics;

namespace NeoCloud.Infra.Plan.Tests;

public sealed class ProcessTests
{
    [Fact]
    public void The_built_tool_runs_as_a_process_with_exit_code_and_streams()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "neocloud.dll");
        Assert.True(File.Exists(dll), dll);

        var ok = Start(dll, "prod", "--json");
        var invalid = Start(dll, PlanRun.InvalidFixture("01-unknown-topology.yaml"));

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("\"schemaVersion\": 1", ok.Out);
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("neocloud:topology", invalid.Err);
        Assert.Equal(string.Empty, invalid.Out);
    }

    private static PlanRun Start(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = PlanRun.Root };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the tool did not exit within 60 s");
        return new PlanRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}
