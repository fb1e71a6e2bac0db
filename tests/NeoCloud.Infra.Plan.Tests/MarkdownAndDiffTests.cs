namespace NeoCloud.Infra.Plan.Tests;

public sealed class MarkdownAndDiffTests
{
    [Fact]
    public void Markdown_has_a_heading_the_result_and_a_pipe_table_per_section()
    {
        var run = PlanRun.Of("prod", "--markdown");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("## `neocloud plan prod`", run.Out);
        Assert.Contains("**result: ok", run.Out);
        foreach (var title in new[] { "### Clusters (topology hybrid)", "### GPU pools", "### Serving", "### Shared-pool reservations", "### Tenants", "### Cost (USD)", "### Cost per 1M tokens", "### Policy" })
        {
            Assert.Contains(title, run.Out);
        }

        Assert.Contains("| POOL | BASIS | PER NODE-HOUR | PER GPU-HOUR | HOURLY | MONTHLY | NOTE |", run.Out);
        Assert.Contains("| h100-mig | onprem-gpu-hour | $16.80 | $2.10 | $33.60 | $24,528.00 |  |", run.Out);
        Assert.Contains("| --- |", run.Out);
    }

    [Fact]
    public void Markdown_of_an_invalid_config_lists_errors_and_exits_2()
    {
        var run = PlanRun.Of(PlanRun.InvalidFixture("30-three-independent-errors.yaml"), "--markdown");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("invalid configuration", run.Out);
        Assert.Contains("- `neocloud:topology`: \"edge\" is not allowed", run.Out);
    }

    [Fact]
    public void Diff_against_itself_shows_no_change()
    {
        var run = PlanRun.Of("prod", "--against", "Pulumi.prod.yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Diff against Pulumi.prod.yaml", run.Out);
        Assert.Matches(@"h100-mig\s+unchanged\s+2–2 → 2–2\s+-\s+\$0\.00\s+\$0\.00", run.Out);
        Assert.Matches(@"TOTAL\s+\$0\.00\s+\$0\.00", run.Out);
    }

    [Fact]
    public void Diff_shows_added_removed_and_changed_pools_with_capacity_and_cost_deltas()
    {
        var json = PlanRun.Of("cloud", "--json", "--against", "Pulumi.prod.yaml").Json();
        var diff = json.GetProperty("diff");
        var pools = diff.GetProperty("pools").EnumerateArray().ToDictionary(p => p.GetProperty("pool").GetString()!);

        Assert.True(diff.GetProperty("valid").GetBoolean());
        Assert.Equal("added", pools["l40s-serve"].GetProperty("change").GetString());
        Assert.Equal("removed", pools["h100-mig"].GetProperty("change").GetString());
        Assert.Equal("changed", pools["h100-train"].GetProperty("change").GetString());
        var gpu = pools["h100-train"].GetProperty("capacityAtMax").GetProperty("nvidia.com/gpu");
        Assert.Equal(32, gpu.GetProperty("before").GetInt32());
        Assert.Equal(16, gpu.GetProperty("after").GetInt32());
        Assert.Equal(-16, gpu.GetProperty("delta").GetInt32());
        Assert.Equal(-40, pools["h100-mig"].GetProperty("capacityAtMax").GetProperty("nvidia.com/mig-1g.10gb").GetProperty("delta").GetInt32());
        Assert.Equal(-24528m, pools["h100-mig"].GetProperty("monthlyUsd").GetProperty("delta").GetProperty("max").GetDecimal());

        var total = diff.GetProperty("total").GetProperty("monthlyUsd");
        var before = json.GetProperty("cost").GetProperty("total").GetProperty("monthlyUsd").GetProperty("max").GetDecimal();
        Assert.Equal(before, total.GetProperty("after").GetProperty("max").GetDecimal());
        Assert.Equal(total.GetProperty("after").GetProperty("max").GetDecimal() - total.GetProperty("before").GetProperty("max").GetDecimal(),
            total.GetProperty("delta").GetProperty("max").GetDecimal());
    }

    [Fact]
    public void Diff_against_an_invalid_file_exits_2_with_its_errors()
    {
        var run = PlanRun.Of("prod", "--against", PlanRun.InvalidFixture("01-unknown-topology.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("neocloud:topology: \"edge\" is not allowed", run.Err);
    }
}
