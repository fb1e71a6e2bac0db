using System.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>Invalid configuration stops the program with every problem and registers nothing.</summary>
public sealed class InvalidConfigTests
{
    public static TheoryData<string> Fixtures =>
        [.. Directory.GetFiles(RepoFiles.InvalidFixtureDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_stops_the_program_with_its_expected_errors_and_zero_resources(string fixture)
    {
        var path = Path.Combine(RepoFiles.InvalidFixtureDirectory, fixture);
        var (error, mocks) = await StackRun.FailingAsync(CliConfig.FromYamlFile(path));
        // The engine reports the program's exception as text (RunException); the lines are Core's errors.
        Assert.Contains($"{typeof(EnvironmentConfigException).FullName}: invalid stack configuration", error.Message, StringComparison.Ordinal);
        var lines = error.Message.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- neocloud:", StringComparison.Ordinal) || l.StartsWith("- PULUMI", StringComparison.Ordinal)).ToList();
        foreach (var (keyPath, text) in Expectations(path))
        {
            Assert.Contains(lines, l => l.StartsWith($"- {keyPath}: ", StringComparison.Ordinal) && l.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Empty(mocks.Resources);
    }

    [Fact]
    public async Task The_program_exits_2_with_the_errors_before_contacting_the_engine()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NeoCloud.Infra.Stacks.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment[Stacks.EngineConfig.ConfigVariable] = CliConfig.FromYamlFile(Path.Combine(RepoFiles.InvalidFixtureDirectory, "30-three-independent-errors.yaml"));
        start.Environment.Remove("PULUMI_MONITOR");
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode); // the error contract: 2 = invalid input, never 1 (a policy verdict)
        Assert.Contains("invalid stack configuration", stderr, StringComparison.Ordinal);
        Assert.Contains("neocloud:topology", stderr, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Path, string Text)> Expectations(string file) =>
        File.ReadLines(file)
            .Where(l => l.StartsWith("# expect:", StringComparison.Ordinal))
            .Select(l => l["# expect:".Length..].Split("::", 2))
            .Select(p => (p[0].Trim(), p[1].Trim()));
}
