using System.Text.Json;
using NeoCloud.Infra.Policy.Offline;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Configuration;
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
        var config = PolicyPackConfig.Parse(File.ReadAllText(Path.Combine(Fixtures.RepoRoot(), "policy", "config", file)));
        var settings = PolicySettings.Defaults(rules, kind).Apply(config, rules, strict: true);
        foreach (var rule in rules)
        {
            Assert.True(config.Entries.ContainsKey(rule.Descriptor.Name), $"{file} must list {rule.Descriptor.Name}");
            Assert.Equal(rule.Descriptor.DefaultLevel(kind), settings.For(rule).Level);
        }
    }

    [Fact]
    public void Unknown_policy_or_setting_is_rejected()
    {
        var rules = NeoCloudPolicyPack.Rules();
        Assert.Throws<PolicyConfigException>(() => PolicySettings.Defaults(rules, StackKind.Dev).Apply(PolicyPackConfig.Parse("""{"no-such-policy":"advisory"}"""), rules));
        Assert.Throws<PolicyConfigException>(() => PolicySettings.Defaults(rules, StackKind.Dev).Apply(PolicyPackConfig.Parse("""{"images-pinned":{"typo":1}}"""), rules));
        Assert.Throws<PolicyConfigException>(() => PolicyPackConfig.Parse("""{"images-pinned":"sometimes"}"""));
    }

    [Fact]
    public void Every_policy_name_is_kebab_case_and_unique()
    {
        var names = NeoCloudPolicyPack.Rules().Select(r => r.Descriptor.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
    }
}
