using System.Text.Json;

namespace NeoCloud.Infra.Plan.Tests;

public sealed class JsonSchemaTests
{
    private static readonly string[] TopLevel =
        ["schemaVersion", "stack", "file", "valid", "exitCode", "errors", "environment", "costCenter", "topology", "secrets", "otherConfigKeys", "clusters", "pools", "serving", "reservations", "tenants", "cost", "policy", "gateways", "platform"];

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void Every_documented_top_level_field_is_present_with_schema_version_1(string stack)
    {
        var run = PlanRun.Of(stack, "--json");
        var json = run.Json();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(TopLevel, json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, json.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(stack, json.GetProperty("stack").GetString());
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void Prod_pools_carry_nodes_mig_and_allocatable_resources()
    {
        var pools = PlanRun.Of("prod", "--json").Json().GetProperty("pools");
        var mixed = Single(pools, "name", "h100-mig");

        Assert.Equal(["name", "cluster", "substrate", "purpose", "instanceType", "gpuModel", "gpusPerNode", "nodes", "capacityType", "interruptible", "timeSlicingReplicas", "allowOvercommit", "mig", "allocatable"],
            mixed.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("H100-SXM5-80GB", mixed.GetProperty("gpuModel").GetString());
        Assert.Equal(2, mixed.GetProperty("nodes").GetProperty("max").GetInt32());
        Assert.Equal("serving-chat", mixed.GetProperty("mig").GetProperty("config").GetString());
        Assert.Equal(8, mixed.GetProperty("mig").GetProperty("perDevice").GetArrayLength());
        Assert.Equal(40, mixed.GetProperty("allocatable").GetProperty("atMax").GetProperty("nvidia.com/mig-1g.10gb").GetInt32());
        Assert.Equal(36, mixed.GetProperty("allocatable").GetProperty("atMax").GetProperty("nvidia.com/mig-2g.20gb").GetInt32());
        Assert.Equal("mixed", mixed.GetProperty("allocatable").GetProperty("strategy").GetString());
        Assert.Equal(JsonValueKind.Null, mixed.GetProperty("capacityType").ValueKind);
        Assert.Equal(16, Single(pools, "name", "h100-mixed").GetProperty("allocatable").GetProperty("atMax").GetProperty("nvidia.com/gpu").GetInt32());
        Assert.Equal("SPOT", Single(pools, "name", "burst-train").GetProperty("capacityType").GetString());
    }

    [Fact]
    public void Prod_serving_tenants_and_reservations_match_core_capacity()
    {
        var json = PlanRun.Of("prod", "--json").Json();
        var burst = json.GetProperty("serving").EnumerateArray().Single(s => s.GetProperty("deployment").GetString() == "llama-8b-chat" && s.GetProperty("burst").GetBoolean());

        Assert.Equal("burst-h100", burst.GetProperty("pool").GetString());
        Assert.Equal(48, burst.GetProperty("capacityAtMax").GetInt32());
        Assert.Equal(0, burst.GetProperty("headroom").GetInt32());
        Assert.True(burst.GetProperty("fits").GetBoolean());
        Assert.Equal(2.0 / 7, burst.GetProperty("gpuShare").GetDouble(), 6);
        var shared = json.GetProperty("reservations").EnumerateArray().Single(r => r.GetProperty("pool").GetString() == "h100-mig" && r.GetProperty("resource").GetString() == "nvidia.com/mig-1g.10gb");
        Assert.Equal(40, shared.GetProperty("reserved").GetInt32());
        Assert.False(shared.GetProperty("overcommitted").GetBoolean());
        var chat = json.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("tenant").GetString() == "chat" && t.GetProperty("cluster").GetString() == "burst" && t.GetProperty("resource").GetString() == "nvidia.com/gpu");
        Assert.True(chat.GetProperty("overSubscribed").GetBoolean());
        Assert.Equal(32, chat.GetProperty("allTenantsQuota").GetInt32());
    }

    [Fact]
    public void Prod_cost_states_basis_ranges_totals_formula_and_per_million_tokens()
    {
        var cost = PlanRun.Of("prod", "--json").Json().GetProperty("cost");

        Assert.Equal("USD", cost.GetProperty("currency").GetString());
        Assert.Equal(730, cost.GetProperty("hoursPerMonth").GetDouble());
        Assert.Equal(0.6, cost.GetProperty("spotDiscount").GetDouble());
        var mig = Single(cost.GetProperty("pools"), "pool", "h100-mig");
        Assert.Equal("onprem-gpu-hour", mig.GetProperty("basis").GetString());
        Assert.Equal(2.10m, mig.GetProperty("gpuHourlyUsd").GetDecimal());
        Assert.Equal(33.60m, mig.GetProperty("hourlyUsd").GetProperty("min").GetDecimal());
        Assert.Equal(24528m, mig.GetProperty("monthlyUsd").GetProperty("max").GetDecimal());
        var burst = Single(cost.GetProperty("pools"), "pool", "burst-h100");
        Assert.Equal("on-demand", burst.GetProperty("basis").GetString());
        Assert.Equal(0m, burst.GetProperty("hourlyUsd").GetProperty("min").GetDecimal());
        Assert.Equal(burst.GetProperty("nodeHourlyUsd").GetDecimal() * 2, burst.GetProperty("hourlyUsd").GetProperty("max").GetDecimal());
        Assert.NotNull(burst.GetProperty("priceRegion").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", burst.GetProperty("priceDate").GetString()!);
        var total = cost.GetProperty("total").GetProperty("hourlyUsd");
        Assert.Equal(cost.GetProperty("pools").EnumerateArray().Sum(p => p.GetProperty("hourlyUsd").GetProperty("max").GetDecimal()), total.GetProperty("max").GetDecimal());
        Assert.Contains("gpuShare", cost.GetProperty("perMillionTokensFormula").GetString());

        // llama-8b-chat on h100-mig's 2g.20gb: $2.10 × 2/7 per hour / (1800 × 3600 / 1e6) M tokens
        var chat = cost.GetProperty("perMillionTokens").EnumerateArray().Single(t => t.GetProperty("deployment").GetString() == "llama-8b-chat" && !t.GetProperty("burst").GetBoolean());
        Assert.Equal(2.10 * 2 / 7 / (1800 * 3600 / 1e6), (double)chat.GetProperty("usdPerMillionTokens").GetDecimal(), 4);
        Assert.Equal(0.6m, chat.GetProperty("replicaHourlyUsd").GetDecimal());
        // llama-70b-chat: 2 whole GPUs per replica
        var big = cost.GetProperty("perMillionTokens").EnumerateArray().Single(t => t.GetProperty("deployment").GetString() == "llama-70b-chat");
        Assert.Equal(4.2m, big.GetProperty("replicaHourlyUsd").GetDecimal());
    }

    [Fact]
    public void Dev_unpriced_pool_reports_null_prices_and_zero_totals()
    {
        var cost = PlanRun.Of("dev", "--json").Json().GetProperty("cost");
        var pool = Single(cost.GetProperty("pools"), "pool", "l4-shared");

        Assert.False(pool.GetProperty("priced").GetBoolean());
        Assert.Equal("not-priced", pool.GetProperty("basis").GetString());
        Assert.Equal(JsonValueKind.Null, pool.GetProperty("nodeHourlyUsd").ValueKind);
        Assert.Equal(0m, cost.GetProperty("total").GetProperty("monthlyUsd").GetProperty("max").GetDecimal());
        var tokens = cost.GetProperty("perMillionTokens")[0];
        Assert.Equal(0.25, tokens.GetProperty("gpuShare").GetDouble());
        Assert.Equal(JsonValueKind.Null, tokens.GetProperty("usdPerMillionTokens").ValueKind);
    }

    [Fact]
    public void Policy_verdicts_have_policy_status_level_blocking_subject_message()
    {
        var policy = PlanRun.Of("prod", "--json").Json().GetProperty("policy");

        Assert.Equal("policy/config/prod.json", policy.GetProperty("packConfig").GetString());
        Assert.Equal(0, policy.GetProperty("mandatoryViolations").GetInt32());
        foreach (var v in policy.GetProperty("verdicts").EnumerateArray())
        {
            Assert.Equal(["policy", "status", "level", "blocking", "subject", "message"], v.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Contains(v.GetProperty("status").GetString(), new[] { "pass", "fail", "not-applicable" });
        }

        var names = policy.GetProperty("verdicts").EnumerateArray().Select(v => v.GetProperty("policy").GetString()!).Distinct().ToArray();
        Assert.Equal(["config-valid", "capacity-fits", .. NeoCloud.Infra.Core.Policy.ConfigChecks.PolicyNames], names);
    }

    [Fact]
    public void The_json_output_is_deterministic()
    {
        var first = PlanRun.Of("prod", "--json").Out;
        var second = PlanRun.Of("prod", "--json").Out;

        Assert.Equal(first.Replace(PlanRun.Root, string.Empty, StringComparison.Ordinal), second.Replace(PlanRun.Root, string.Empty, StringComparison.Ordinal));
    }

    private static JsonElement Single(JsonElement array, string key, string value) =>
        array.EnumerateArray().Single(e => e.GetProperty(key).GetString() == value);
}
