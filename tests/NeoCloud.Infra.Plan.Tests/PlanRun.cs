using System.Text.Json;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Plan.Tests;

/// <summary>One in-process run of the tool: exit code and what it wrote.</summary>
internal sealed record PlanRun(int ExitCode, string Out, string Err)
{
    /// <summary>The repository root (where the stack files are).</summary>
    public static string Root => RepoRoot.FullPath;

    /// <summary>An invalid fixture of the Core tests.</summary>
    public static string InvalidFixture(string name) => Path.Combine(Root, "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "invalid", name);

    /// <summary>Every invalid fixture's file name.</summary>
    public static IEnumerable<object[]> InvalidFixtures() =>
        Directory.GetFiles(Path.Combine(Root, "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "invalid"), "*.yaml")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    /// <summary>Runs the tool with the repository root as working directory.</summary>
    public static PlanRun Of(params string[] args) => In(Root, args);

    /// <summary>Runs the tool in <paramref name="workingDirectory"/>.</summary>
    public static PlanRun In(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PlanCommand.Run(args, output, error, workingDirectory);
        return new PlanRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The JSON output, parsed.</summary>
    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Out);
        return doc.RootElement.Clone();
    }
}
