using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Offline;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Policy.Tests.Configuration;

/// <summary>
/// The pack as a user of Core's pack-config parser: the shared cases (tests/Shared/PackConfigCases.cs, which the plan's
/// tests run too) through <see cref="PolicySettings.ParseConfig"/> + <see cref="PolicySettings.Apply"/> and through the
/// offline <c>check</c>, plus what only the pack checks (policy names and settings against its schemas).
/// </summary>
public sealed class PackConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-packconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly IReadOnlyList<IPolicyRule> Rules = NeoCloudPolicyPack.Rules();

    private static PolicySettings Apply(string json, StackKind kind) =>
        PolicySettings.Defaults(Rules, kind).Apply(PolicySettings.ParseConfig(json, PackConfigCases.FileName, Rules), Rules);

    private (int Code, string Out, string Err) Check(string json)
    {
        var config = Path.Combine(_dir, PackConfigCases.FileName);
        File.WriteAllText(config, json);
        var preview = Path.Combine(Fixtures.RepoRoot(), "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "data", "preview.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CheckCommand.Run(["--preview-json", preview, "--policy-pack-config", config], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(PackConfigCases.Valid), MemberType = typeof(PackConfigCases))]
    public void The_pack_takes_the_level_the_file_gives(string json, string policy, EnforcementLevel? expected)
    {
        var rule = Rules.Single(r => r.Descriptor.Name == policy);
        foreach (var kind in new[] { StackKind.Dev, StackKind.Prod })
        {
            Assert.Equal(expected ?? rule.Descriptor.DefaultLevel(kind), Apply(json, kind).For(rule).Level);
        }
    }

    [Theory]
    [MemberData(nameof(PackConfigCases.Invalid), MemberType = typeof(PackConfigCases))]
    public void The_pack_and_its_check_report_every_problem_without_quoting_the_file(string json, string[] fragments)
    {
        var e = Assert.Throws<EnvironmentConfigException>(() => PolicySettings.ParseConfig(json, PackConfigCases.FileName, Rules));
        var (code, output, err) = Check(json);

        Assert.Equal(CheckCommand.InputErrorExitCode, code);
        Assert.Empty(output);
        Assert.All(fragments, f => Assert.Contains(f, e.Message, StringComparison.Ordinal));
        Assert.All(fragments, f => Assert.Contains(f, err, StringComparison.Ordinal));
        Assert.DoesNotContain(PackConfigCases.Canary, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PackConfigCases.Canary, err, StringComparison.Ordinal);
        Assert.StartsWith($"check: invalid --policy-pack-config {PackConfigCases.FileName} ({e.Errors.Length} problem", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "CANARY-policy": "advisory" }""", "pack.json: entry #1: is not a policy of this pack (policies: bucket-companions-present, ")]
    [InlineData("""{ "images-pinned": { "CANARY": 1, "requireDigest": true } }""", "pack.json: images-pinned: setting #1 is not a setting of this policy (settings: requireDigest)")]
    [InlineData("""{ "images-pinned": { "requireDigest": "CANARY" } }""", "pack.json: images-pinned.requireDigest: expected a boolean, got a string")]
    [InlineData("""{ "all": { "enforcementLevel": "advisory", "CANARY": 1 } }""", "pack.json: all: takes only enforcementLevel; settings belong to a policy's own entry")]
    public void Pack_only_rules_name_unknown_keys_by_position(string json, string expected)
    {
        var e = Assert.Throws<EnvironmentConfigException>(() => Apply(json, StackKind.Dev));
        var (code, _, err) = Check(json);

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PackConfigCases.Canary, e.Message, StringComparison.Ordinal);
        Assert.Equal(CheckCommand.InputErrorExitCode, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.DoesNotContain(PackConfigCases.Canary, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_file_is_listed_at_once()
    {
        var e = Assert.Throws<EnvironmentConfigException>(() => Apply("""{ "nope": "advisory", "images-pinned": { "requireDigest": 1 }, "vector-db-ha": { "minReplicas": 0 } }""", StackKind.Prod));

        Assert.Equal(
            ["pack.json: entry #1", "pack.json: images-pinned.requireDigest", "pack.json: vector-db-ha.minReplicas"],
            e.Errors.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Settings_reach_the_policy_and_unset_ones_keep_their_defaults()
    {
        var rule = Rules.Single(r => r.Descriptor.Name == "vector-db-ha");
        var settings = Apply("""{ "vector-db-ha": { "enforcementLevel": "advisory", "minReplicas": 5 } }""", StackKind.Prod).For(rule);

        Assert.Equal(EnforcementLevel.Advisory, settings.Level);
        Assert.Equal(5, settings.Config["minReplicas"].AsNumber());
        Assert.True(settings.Config["imageMarkers"].IsKnown);
    }

    [Fact]
    public void Non_strict_apply_keeps_unknown_settings()
    {
        var rule = Rules.Single(r => r.Descriptor.Name == "images-pinned");
        var config = PolicySettings.ParseConfig("""{ "images-pinned": { "extra": "x" }, "other-pack-policy": "advisory" }""", PackConfigCases.FileName, Rules);

        var settings = PolicySettings.Defaults(Rules, StackKind.Dev).Apply(config, Rules, strict: false).For(rule);

        Assert.Equal("x", settings.Config["extra"].AsString());
    }
}
