using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Plan.Tests;

/// <summary>
/// Secrets are per value: a <c>secure:</c> value binds into the model as [secret], nothing else of its section is
/// dropped, and no output (human, JSON, markdown) contains it. Keys that neocloud must read reject a secret by path.
/// </summary>
public sealed class SecretTests : IDisposable
{
    private const string Canary = "CANARY-7c1e-secret";
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-secret-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_secret_model_name_is_one_error_at_its_key_and_never_printed()
    {
        var stack = Variant("model: meta-llama/Llama-3.1-8B-Instruct", "model:\n        secure: v1:" + Canary);

        var runs = Runs(stack);

        // A model id is a label, a metric label and a repository path: it cannot be secret (issue 15/17).
        Assert.All(runs, r => Assert.Equal(2, r.ExitCode));
        Assert.All(runs, r => Assert.Contains("neocloud:serving[0].model", r.Out + r.Err, StringComparison.Ordinal));
        Assert.All(runs, r => Assert.Contains("is a secret (secure:), but a model id cannot be secret", r.Out + r.Err, StringComparison.Ordinal));
        Assert.All(runs, r => Assert.DoesNotContain(Canary, r.Out + r.Err, StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_pack_config_keeps_strict_enforcement()
    {
        var stack = Variant("packConfig: policy/config/prod.json", "packConfig:\n      secure: v1:" + Canary);

        var runs = Runs(stack);

        var policy = runs[1].Json().GetProperty("policy");
        Assert.Contains("is a secret", policy.GetProperty("levelSource").GetString(), StringComparison.Ordinal);
        Assert.All(policy.GetProperty("verdicts").EnumerateArray(), v => Assert.Equal("mandatory", v.GetProperty("level").GetString()));
    }

    [Fact]
    public void A_secret_storage_class_is_allowed_and_printed_as_secret()
    {
        var stack = Variant("    storageClass: fast-ssd\n  neocloud:vectorDb:", "    storageClass:\n      secure: v1:" + Canary + "\n  neocloud:vectorDb:");

        Assert.All(Runs(stack), r => Assert.Equal(0, r.ExitCode));
    }

    [Theory]
    [InlineData("retention: 30d", "retention:\n      secure: v1:" + Canary, "neocloud:monitoring.retention")]
    [InlineData("spotDiscount: 0.6", "spotDiscount:\n      secure: v1:" + Canary, "neocloud:cost.spotDiscount")]
    [InlineData("    - name: llama-8b-chat", "    - name:\n        secure: v1:" + Canary, "neocloud:serving[0].name")]
    public void A_secret_where_neocloud_must_read_the_value_is_an_error_with_its_path(string from, string to, string path)
    {
        var stack = Variant(from, to);

        var runs = Runs(stack);

        Assert.All(runs, r => Assert.Equal(2, r.ExitCode));
        Assert.Contains($"  - {path}: is a secret (secure:), but", runs[0].Err, StringComparison.Ordinal);
        Assert.Contains(runs[1].Json().GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == path);
    }

    private string Variant(string from, string to)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.FullPath, "Pulumi.prod.yaml"));
        Assert.Contains(from, text, StringComparison.Ordinal);
        var dir = Path.Combine(_dir, "policy", "config");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(RepoRoot.FullPath, "policy", "config", "prod.json"), Path.Combine(dir, "prod.json"), overwrite: true);
        var path = Path.Combine(_dir, "Pulumi.prod.yaml");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        return path;
    }

    /// <summary>Human, JSON and markdown runs; none prints the canary.</summary>
    private static PlanRun[] Runs(string stack)
    {
        PlanRun[] runs = [PlanRun.Of(stack), PlanRun.Of(stack, "--json"), PlanRun.Of(stack, "--markdown")];
        Assert.All(runs, r => Assert.DoesNotContain(Canary, r.Out + r.Err, StringComparison.Ordinal));
        return runs;
    }
}
