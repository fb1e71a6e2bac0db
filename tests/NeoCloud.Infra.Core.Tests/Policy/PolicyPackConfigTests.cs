using System.Text.Json;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Core.Tests.Policy;

/// <summary>
/// Core's one <c>--policy-pack-config</c> parser. The shared cases (tests/Shared/PackConfigCases.cs) run here on the
/// parser itself and in the plan's and the pack's tests through their own entry points.
/// </summary>
public sealed class PolicyPackConfigTests
{
    private static readonly IReadOnlySet<string> Known = ConfigChecks.PolicyNames.ToHashSet(StringComparer.Ordinal);

    private static PolicyPackConfig Parse(string json) => PolicyPackConfig.Parse(json, PackConfigCases.FileName, Known);

    [Theory]
    [MemberData(nameof(PackConfigCases.Valid), MemberType = typeof(PackConfigCases))]
    public void Levels_come_from_the_own_entry_then_all(string json, string policy, EnforcementLevel? expected) =>
        Assert.Equal(expected, Parse(json).LevelOf(policy));

    [Theory]
    [MemberData(nameof(PackConfigCases.Invalid), MemberType = typeof(PackConfigCases))]
    public void Errors_name_the_file_and_a_known_key_or_a_position_and_never_quote_the_file(string json, string[] fragments)
    {
        var e = Assert.Throws<EnvironmentConfigException>(() => Parse(json));

        Assert.All(fragments, f => Assert.Contains(f, e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(PackConfigCases.Canary, e.Message, StringComparison.Ordinal);
        Assert.All(e.Errors, p => Assert.StartsWith(PackConfigCases.FileName, p.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Entries_keep_file_order_positions_and_detached_settings()
    {
        var config = Parse("""{ "vector-db-ha": { "minReplicas": 5, "enforcementLevel": "mandatory", "imageMarkers": ["qdrant"] }, "other": "advisory" }""");

        Assert.Equal(PackConfigCases.FileName, config.Source);
        Assert.Equal(["vector-db-ha", "other"], config.Entries.Select(e => e.Key));
        Assert.Equal([1, 2], config.Entries.Select(e => e.Position));
        var entry = config.Find("vector-db-ha")!;
        Assert.Equal(EnforcementLevel.Mandatory, entry.Level);
        Assert.Equal(["minReplicas", "imageMarkers"], entry.Settings.Select(s => s.Key));
        Assert.Equal(5, entry.Settings[0].Value.GetInt32()); // readable after the parser's document is gone
        Assert.Equal(JsonValueKind.Array, entry.Settings[1].Value.ValueKind);
        Assert.Empty(config.Find("other")!.Settings);
        Assert.Null(config.Find("missing"));
    }

    [Fact]
    public void An_unknown_key_is_described_by_position_a_known_one_by_name()
    {
        var config = Parse("""{ "secret-looking-key": "advisory", "all": "mandatory", "mig-config-valid": "disabled" }""");

        Assert.Equal(["entry #1", "all", "mig-config-valid"], config.Entries.Select(e => PolicyPackConfig.Describe(e, Known)));
    }

    [Theory]
    [InlineData(EnforcementLevel.Advisory, "advisory")]
    [InlineData(EnforcementLevel.Mandatory, "mandatory")]
    [InlineData(EnforcementLevel.Disabled, "disabled")]
    [InlineData(EnforcementLevel.Remediate, "remediate")]
    public void Level_spellings_round_trip(EnforcementLevel level, string name)
    {
        Assert.Equal(name, EnforcementLevels.Name(level));
        Assert.True(EnforcementLevels.TryParse(name.ToUpperInvariant(), out var parsed));
        Assert.Equal(level, parsed);
        Assert.Contains(name, EnforcementLevels.Allowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strict")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_spellings_are_not_levels(string? text) => Assert.False(EnforcementLevels.TryParse(text, out _));
}
