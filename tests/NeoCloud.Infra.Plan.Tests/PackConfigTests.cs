using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Plan.Policy;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Plan.Tests;

/// <summary>
/// The plan as a user of Core's pack-config parser: the shared cases (tests/Shared/PackConfigCases.cs, which the pack's
/// tests run too) through <see cref="PackConfigLevels.Load"/>, as <c>neocloud plan</c> reads <c>policy.packConfig</c>.
/// </summary>
public sealed class PackConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-plan-packconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PackConfigLevels Load(string json, PolicyEnforcement profile)
    {
        File.WriteAllText(Path.Combine(_dir, PackConfigCases.FileName), json);
        return PackConfigLevels.Load(new PolicySpec(profile, PackConfigCases.FileName), _dir);
    }

    [Theory]
    [MemberData(nameof(PackConfigCases.Valid), MemberType = typeof(PackConfigCases))]
    public void The_plan_takes_the_level_the_file_gives(string json, string policy, EnforcementLevel? expected)
    {
        // Under both profiles, so a level from the file is told apart from the profile's fallback.
        var strict = Load(json, PolicyEnforcement.Strict);
        var advisory = Load(json, PolicyEnforcement.Advisory);

        Assert.True(strict.Found);
        Assert.Equal(expected ?? EnforcementLevel.Mandatory, strict.LevelOf(policy));
        Assert.Equal(expected ?? EnforcementLevel.Advisory, advisory.LevelOf(policy));
    }

    [Theory]
    [MemberData(nameof(PackConfigCases.Invalid), MemberType = typeof(PackConfigCases))]
    public void The_plan_reports_every_problem_without_quoting_the_file(string json, string[] fragments)
    {
        var e = Assert.Throws<EnvironmentConfigException>(() => Load(json, PolicyEnforcement.Strict));

        Assert.All(fragments, f => Assert.Contains(f, e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(PackConfigCases.Canary, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checked_in_prod_config_reads_as_the_pack_reads_it()
    {
        var levels = PackConfigLevels.Load(new PolicySpec(PolicyEnforcement.Advisory, "policy/config/prod.json"), RepoRoot.FullPath);

        Assert.True(levels.Found);
        Assert.All(ConfigChecks.PolicyNames, p => Assert.Equal(EnforcementLevel.Mandatory, levels.LevelOf(p)));
    }
}
