using System.Text.Json;
using NeoCloud.Infra.Policy.Offline;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Evaluation;

namespace NeoCloud.Infra.Policy.Tests.Offline;

public sealed class OfflineCheckTests
{
    private static string Data(string name) => Path.Combine(Fixtures.RepoRoot(), "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "data", name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CheckCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Preview_with_mandatory_violations_exits_1_and_never_echoes_secrets()
    {
        var (code, output, _) = Run("--preview-json", Data("preview.json"), "--stack", "prod", "--format", "json");
        Assert.Equal(1, code);
        Assert.DoesNotContain(Fixtures.SecretText, output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(output);
        var diagnostics = doc.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Contains(diagnostics, d => d.GetProperty("policyName").GetString() == "images-pinned" && d.GetProperty("enforcementLevel").GetString() == "mandatory");
        Assert.Contains(diagnostics, d => d.GetProperty("policyName").GetString() == "no-plaintext-secrets" && d.GetProperty("message").GetString()!.Contains("API_TOKEN", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetProperty("policyName").GetString() == "required-labels" && d.GetProperty("enforcementLevel").GetString() == "advisory");
        Assert.Equal(3, doc.RootElement.GetProperty("resources").GetInt32()); // provider, triton, computed (stack and deletes skipped)
    }

    [Fact]
    public void Human_output_and_dev_config_file()
    {
        var (code, output, _) = Run("--preview-json", Data("preview.json"), "--stack", "dev",
            "--policy-pack-config", Path.Combine(Fixtures.RepoRoot(), "policy", "config", "dev.json"));
        Assert.Equal(1, code); // no-plaintext-secrets is mandatory on dev too
        Assert.Contains("MANDATORY  no-plaintext-secrets", output, StringComparison.Ordinal);
        Assert.Contains("ADVISORY   images-pinned", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_stack_export_exits_0()
    {
        var (code, output, _) = Run("--stack-export", Data("clean-export.json"));
        Assert.Equal(0, code);
        Assert.Contains("0 mandatory", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_input_exits_2()
    {
        var garbage = Path.GetTempFileName();
        File.WriteAllText(garbage, "{not json");
        Assert.Equal(2, Run("--preview-json", garbage).Code);
        Assert.Equal(2, Run("--stack-export", garbage).Code);
        Assert.Equal(2, Run("--stack-export", Data("preview.json")).Code); // wrong shape
        Assert.Equal(2, Run("--preview-json", "/nonexistent/file.json").Code);
        Assert.Equal(2, Run().Code);
        Assert.Equal(2, Run("--preview-json", Data("preview.json"), "--stack", "staging").Code);
        File.WriteAllText(garbage, """{"images-pinned":{"requireDigest":"yes"}}""");
        var (code, _, err) = Run("--preview-json", Data("preview.json"), "--policy-pack-config", garbage);
        Assert.Equal(2, code);
        Assert.Contains("requireDigest", err, StringComparison.Ordinal);
        File.Delete(garbage);
    }
}

public sealed class ConfigFileTests
{
    [Theory]
    [InlineData("dev.json", StackKind.Dev)]
    [InlineData("prod.json", StackKind.Prod)]
    public void Checked_in_config_files_fit_every_schema_and_match_the_documented_levels(string file, StackKind kind)
    {
        var rules = NeoCloudPolicyPack.Rules();
        var config = PolicySettings.ParseConfig(File.ReadAllText(Path.Combine(Fixtures.RepoRoot(), "policy", "config", file)), file, rules);
        var settings = PolicySettings.Defaults(rules, kind).Apply(config, rules, strict: true);
        foreach (var rule in rules)
        {
            Assert.True(config.Find(rule.Descriptor.Name) is not null, $"{file} must list {rule.Descriptor.Name}");
            Assert.Equal(rule.Descriptor.DefaultLevel(kind), settings.For(rule).Level);
        }
    }

    [Fact]
    public void Every_policy_name_is_kebab_case_and_unique()
    {
        var names = NeoCloudPolicyPack.Rules().Select(r => r.Descriptor.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
    }
}

/// <summary>
/// The shortest reproducers of the offline check's crashes (Offline/Corpus): each is an input error (exit 2) listing
/// its JSON path, in bounded time, with no exception in the output.
/// </summary>
public sealed class OfflineCorpusTests
{
    private static string Corpus(string name) => Path.Combine(Fixtures.RepoRoot(), "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "Corpus", name);

    [Theory]
    [InlineData("empty-urn.json", "--preview-json", "$.steps[0].newState.urn: must not be empty")] // was ArgumentOutOfRangeException
    [InlineData("lone-surrogate-value.json", "--preview-json", "$.steps[0].newState.inputs.metadata.name: is not valid Unicode")] // was InvalidOperationException
    [InlineData("lone-surrogate-key.json", "--preview-json", "$.steps[0].newState.inputs: has a key that is not valid Unicode")]
    [InlineData("nested-257.json", "--preview-json", "$.steps[0].newState: has property values nested deeper than 256 levels")] // was JsonException
    [InlineData("nested-257-in-provider.json", "--preview-json", "$.steps[0].newState: has property values nested deeper than 256 levels")] // harness state seed 1432: was JsonException via the provider
    [InlineData("resource-not-object.json", "--stack-export", "$.deployment.resources[1]: expected a resource object, got number")] // was silently skipped
    [InlineData("not-a-urn.json", "--preview-json", "$.steps[0].newState.urn: is not a Pulumi URN")]
    [InlineData("missing-type.json", "--preview-json", "$.steps[0].newState.type: is required")] // was silently skipped
    [InlineData("steps-not-array.json", "--preview-json", "$.steps: is required")]
    public void Each_reproducer_is_an_input_error_with_its_json_path(string file, string option, string expected)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = CheckCommand.Run([option, Corpus(file)], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Contains("  - " + expected, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout.ToString() + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_files_and_directories_are_not_read()
    {
        using var stderr = new StringWriter();
        Assert.Equal(2, CheckCommand.Run(["--preview-json", "/dev/zero"], new StringWriter(), stderr));
        Assert.Equal(2, CheckCommand.Run(["--stack-export", Path.GetTempPath()], new StringWriter(), stderr));
        Assert.Contains("zero: is a character device; only regular files are read", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("is a directory", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_internal_error_exits_3_with_one_line()
    {
        using var stderr = new StringWriter();
        var preview = Path.Combine(Fixtures.RepoRoot(), "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "data", "preview.json");

        var code = CheckCommand.Run(["--preview-json", preview], new FailingWriter(), stderr);

        Assert.Equal(3, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("check: internal error (exit 3; not a verdict on the input): IOException: ", line, StringComparison.Ordinal);

        using var verbose = new StringWriter();
        Assert.Equal(3, CheckCommand.Run(["--preview-json", preview, "--verbose"], new FailingWriter(), verbose));
        Assert.Contains("   at ", verbose.ToString(), StringComparison.Ordinal);
    }

    private sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new IOException("Broken pipe");

        public override void Write(string? value) => throw new IOException("Broken pipe");

        public override void WriteLine(string? value) => throw new IOException("Broken pipe");
    }
}
