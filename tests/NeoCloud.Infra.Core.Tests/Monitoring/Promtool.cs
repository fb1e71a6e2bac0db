using System.Diagnostics;

namespace NeoCloud.Infra.Core.Tests.Monitoring;

/// <summary>Runs Prometheus' promtool (Debian package <c>prometheus</c>, installed by scripts/test.sh from scripts/test-tools.txt).</summary>
internal static class Promtool
{
    public static (int Exit, string Output) Run(params string[] args) => RunTool("promtool", "prometheus", args);

    /// <summary>Runs <paramref name="tool"/> from PATH (installed by scripts/test.sh from Debian package <paramref name="debianPackage"/>).</summary>
    public static (int Exit, string Output) RunTool(string tool, string debianPackage, params string[] args)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"{tool} is not on PATH: run the tests through scripts/test.sh, which installs it (Debian package '{debianPackage}', listed in scripts/test-tools.txt), or apt-get install {debianPackage}");
        var start = new ProcessStartInfo(path!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// Runs <c>promtool test rules</c> on <paramref name="testsYaml"/> (the <c>tests:</c> list of a promtool unit-test
    /// file) against a rule file holding <paramref name="ruleFile"/>; returns promtool's exit code and output.
    /// </summary>
    public static (int Exit, string Output) TestRules(string ruleFile, string testsYaml)
    {
        var dir = Directory.CreateTempSubdirectory("neocloud-promtool-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "rules.yaml"), ruleFile);
            var test = Path.Combine(dir.FullName, "test.yaml");
            File.WriteAllText(test, "rule_files:\n  - rules.yaml\nevaluation_interval: 1m\n" + testsYaml);
            return Run("test", "rules", test);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
