namespace NeoCloud.Infra.Plan.Tests;

public sealed class ExitCodeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(PlanRun.InvalidFixtures), MemberType = typeof(PlanRun))]
    public void Invalid_fixtures_exit_2_and_print_every_expected_error_with_its_key_path_to_stderr(string fixture)
    {
        var path = PlanRun.InvalidFixture(fixture);
        var expected = File.ReadLines(path)
            .Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => l["# expect: ".Length..].Split(" :: ", 2))
            .ToList();

        var run = PlanRun.Of(path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        Assert.NotEmpty(expected);
        foreach (var e in expected)
        {
            Assert.Contains($"  - {e[0]}: ", run.Err);
            Assert.Contains(e[1], run.Err);
        }
    }

    [Theory]
    [MemberData(nameof(PlanRun.InvalidFixtures), MemberType = typeof(PlanRun))]
    public void Invalid_fixtures_in_json_list_every_error_under_errors(string fixture)
    {
        var path = PlanRun.InvalidFixture(fixture);
        var expected = File.ReadLines(path).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => l["# expect: ".Length..].Split(" :: ", 2)).ToList();

        var run = PlanRun.Of(path, "--json");
        var json = run.Json();

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, json.GetProperty("exitCode").GetInt32());
        Assert.False(json.GetProperty("valid").GetBoolean());
        var errors = json.GetProperty("errors").EnumerateArray().Select(e => (Path: e.GetProperty("path").GetString()!, Message: e.GetProperty("message").GetString()!)).ToList();
        foreach (var e in expected)
        {
            Assert.Contains(errors, x => x.Path == e[0] && x.Message.Contains(e[1], StringComparison.Ordinal));
        }

        Assert.False(json.TryGetProperty("pools", out _));
    }

    [Fact]
    public void A_missing_stack_exits_2()
    {
        var run = PlanRun.Of("no-such-stack");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no stack file found", run.Err);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--json", "--markdown")]
    [InlineData("--spot-discount", "1.5")]
    public void Bad_usage_exits_2_not_1(params string[] extra)
    {
        var run = PlanRun.Of(["dev", .. extra]);

        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Err);
    }

    [Fact]
    public void A_mandatory_violation_exits_1()
    {
        var stack = WriteProdVariant("nosync", syncToS3: false);

        var run = PlanRun.Of(stack);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"bucket-replication-prod\s+mandatory\s+FAIL\s+bucket/models\s+on-prem bucket ""models"" is not replicated", run.Out);
        Assert.Contains("1 mandatory violation(s)", run.Out);
    }

    [Fact]
    public void The_pack_config_file_sets_levels_per_policy_over_all()
    {
        var stack = WriteProdVariant("nosync", syncToS3: false);
        Directory.CreateDirectory(Path.Combine(_dir, "policy", "config"));
        File.WriteAllText(Path.Combine(_dir, "policy", "config", "prod.json"),
            """{ "all": "mandatory", "bucket-replication-prod": { "enforcementLevel": "advisory", "bucketMarkers": ["model"] } }""");

        var run = PlanRun.Of(stack, "--json");
        var verdicts = run.Json().GetProperty("policy").GetProperty("verdicts").EnumerateArray().ToList();

        Assert.Equal(0, run.ExitCode);
        Assert.All(verdicts.Where(v => v.GetProperty("policy").GetString() == "bucket-replication-prod"), v => Assert.Equal("advisory", v.GetProperty("level").GetString()));
        Assert.All(verdicts.Where(v => v.GetProperty("policy").GetString() == "vector-db-ha"), v => Assert.Equal("mandatory", v.GetProperty("level").GetString()));
        Assert.True(run.Json().GetProperty("policy").GetProperty("packConfigFound").GetBoolean());
        Assert.Equal(1, run.Json().GetProperty("policy").GetProperty("advisoryViolations").GetInt32());
    }

    [Fact]
    public void A_disabled_policy_does_not_block()
    {
        var stack = WriteProdVariant("nosync", syncToS3: false);
        Directory.CreateDirectory(Path.Combine(_dir, "policy", "config"));
        File.WriteAllText(Path.Combine(_dir, "policy", "config", "prod.json"), """{ "bucket-replication-prod": "disabled" }""");

        Assert.Equal(0, PlanRun.Of(stack).ExitCode);
    }

    [Fact]
    public void A_malformed_pack_config_is_invalid_config()
    {
        var stack = WriteProdVariant("prod", syncToS3: true);
        Directory.CreateDirectory(Path.Combine(_dir, "policy", "config"));
        File.WriteAllText(Path.Combine(_dir, "policy", "config", "prod.json"), """{ "all": "strict" }""");

        var run = PlanRun.Of(stack);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("policy/config/prod.json: all: is not an enforcement level", run.Err);
        Assert.DoesNotContain("strict", run.Err); // packConfig may name any file: its strings are never echoed
    }

    private string WriteProdVariant(string stack, bool syncToS3)
    {
        var text = File.ReadAllText(Path.Combine(PlanRun.Root, "Pulumi.prod.yaml"));
        if (!syncToS3)
        {
            text = text.Replace("syncToS3: true", "syncToS3: false", StringComparison.Ordinal);
        }

        var path = Path.Combine(_dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
