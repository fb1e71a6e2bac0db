namespace NeoCloud.Infra.Plan.Tests;

public sealed class HumanOutputTests
{
    [Fact]
    public void Dev_shows_its_onprem_cluster_time_sliced_pool_and_unpriced_cost()
    {
        var run = PlanRun.Of("dev");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Err);
        Assert.Contains("topology onprem", run.Out);
        Assert.Matches(@"dev\s+onprem\s+-\s+-\s+none\s+renders to rendered/dev", run.Out);
        Assert.Matches(@"l4-shared\s+dev\s+onprem\s+inference\s+L4 × 1 × 1 \(1–1\)\s+-\s+4 per GPU\s+owned\s+gpu 4\s+gpu 4", run.Out);
        Assert.Matches(@"tinyllama\s+main\s+l4-shared\s+gpu\s+1–3\s+4 / 4\s+yes\s+yes\s+\+1", run.Out);
        Assert.Matches(@"playground\s+dev\s+gpu\s+4\s+4\s+4\s+no", run.Out);
        Assert.Contains("not priced: no cost.onPremGpuHourUsd[L4]", run.Out);
        Assert.Contains("0.25 (time-sliced: 1/4 GPU)", run.Out);
        Assert.Contains("result: ok", run.Out);
        Assert.Contains("warning: no alert receiver (neocloud:monitoring.receivers): alerts fire in Prometheus but Alertmanager notifies no one", run.Out);
    }

    [Fact]
    public void Prod_shows_mig_pools_serving_fit_burst_reservations_and_tenant_oversubscription()
    {
        var run = PlanRun.Of("prod");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"burst\s+eks\s+us-east-1\s+1\.33\s+mixed\s+burst", run.Out);
        Assert.Matches(@"h100-mig\s+dc1\s+onprem\s+inference\s+H100-SXM5-80GB × 8 × 2 \(2–2\)\s+serving-chat \(6 GPUs: 1g\.10gb×1\+2g\.20gb×3; 2 GPUs: 1g\.10gb×7\)", run.Out);
        Assert.Matches(@"h100-mixed\s+dc1\s+onprem\s+inference\s+H100-SXM5-80GB × 8 × 2 \(2–2\)\s+-\s", run.Out);
        Assert.Matches(@"burst-h100\s+burst\s+eks p5\.48xlarge\s+inference\s+H100-SXM5-80GB × 8 × 0 \(0–2\)\s+all-2g\.20gb.*ON_DEMAND\s+mig-2g\.20gb 0\s+mig-2g\.20gb 48", run.Out);
        Assert.Matches(@"burst-train\s+burst\s+eks p4d\.24xlarge\s+training.*SPOT", run.Out);
        Assert.Matches(@"llama-8b-chat\s+main\s+h100-mig\s+mig-2g\.20gb\s+4–36\s+36 / 36\s+yes\s+yes\s+0", run.Out);
        Assert.Matches(@"llama-8b-chat\s+burst\s+burst-h100\s+mig-2g\.20gb\s+0–48\s+0 / 48\s+yes", run.Out);
        Assert.Matches(@"llama-70b-chat\s+main\s+h100-mixed\s+2 × gpu\s+1–8\s+16 / 16\s+yes\s+yes\s+0", run.Out);
        Assert.Matches(@"h100-mig\s+mig-1g\.10gb\s+40 / 40\s+embeddings, reranker\s+no", run.Out);
        Assert.Matches(@"chat\s+burst\s+gpu\s+16\s+32\s+16\s+yes", run.Out);
        Assert.Matches(@"research\s+dc1\s+gpu\s+16\s+32\s+48\s+no", run.Out);
    }

    [Fact]
    public void Prod_cost_prices_onprem_per_gpu_hour_eks_on_demand_and_spot_with_the_discount()
    {
        var run = PlanRun.Of("prod");

        // 8 GPUs × $2.10
        Assert.Matches(@"h100-mig\s+onprem-gpu-hour\s+\$16\.80\s+\$2\.10\s+\$33\.60\s+\$24,528\.00", run.Out);
        Assert.Matches(@"burst-h100\s+on-demand\s+\$\S+\s+\$\S+\s+\$0\.00 – \$\S+", run.Out);
        Assert.Matches(@"burst-train\s+spot", run.Out);
        Assert.Contains("spot discount 0.6", run.Out);
        Assert.Contains("EKS prices are the catalog's Linux on-demand list prices (us-east-1 on", run.Out);
        Assert.Matches(@"TOTAL\s+\$135\.21 – \$\S+", run.Out); // incl. the burst system pool: 2 × m7i.2xlarge at $0.4032
        Assert.Contains("no throughputTokensPerSecond stated: reranker", run.Out);
        Assert.Matches(@"llama-70b-chat\s+h100-mixed\s+1,200\s+2 \(2 whole GPUs \(tensor parallel\)\)\s+\$4\.20", run.Out);
    }

    [Fact]
    public void A_p5e_pool_is_shown_as_not_priced_not_with_a_placeholder_figure()
    {
        var dir = Directory.CreateTempSubdirectory("neocloud-plan-p5e-");
        try
        {
            var stack = File.ReadAllText(Path.Combine(PlanRun.Root, "Pulumi.cloud.yaml")).Replace("instanceType: p5.48xlarge", "instanceType: p5e.48xlarge", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "Pulumi.p5e.yaml"), stack);
            var run = PlanRun.In(dir.FullName, Path.Combine(dir.FullName, "Pulumi.p5e.yaml"));

            Assert.Equal(0, run.ExitCode);
            Assert.Matches(@"h100-train\s+not-priced", run.Out);
            Assert.Contains("not priced: p5e.48xlarge has no published on-demand price", run.Out);
            Assert.Contains("Not priced (counted as $0): h100-train.", run.Out);
            Assert.DoesNotContain("63.296", run.Out);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Prod_policy_verdicts_come_from_core_checks_at_mandatory_level()
    {
        var run = PlanRun.Of("prod");

        foreach (var policy in NeoCloud.Infra.Core.Policy.ConfigChecks.PolicyNames)
        {
            Assert.Matches($@"{policy}\s+mandatory\s+pass", run.Out);
        }

        Assert.Contains("levels: policy/config/prod.json", run.Out);
        Assert.Contains("0 mandatory violation(s)", run.Out);
    }

    [Fact]
    public void Dev_prod_only_policies_are_not_applicable_and_levels_come_from_the_dev_pack_config()
    {
        var run = PlanRun.Of("dev");

        Assert.Matches(@"bucket-replication-prod\s+disabled\s+n/a", run.Out);
        Assert.Matches(@"vector-db-ha\s+disabled\s+n/a", run.Out);
        Assert.Matches(@"mig-config-valid\s+mandatory\s+n/a\s+stack\s+no pool uses MIG", run.Out);
        Assert.Matches(@"tenant-isolation\s+advisory\s+pass", run.Out);
        Assert.Contains("levels: policy/config/dev.json", run.Out);
    }

    [Fact]
    public void Cloud_prices_eks_pools_and_cost_per_million_tokens_for_a_whole_gpu()
    {
        var run = PlanRun.Of("cloud");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("topology cloud", run.Out);
        Assert.Matches(@"l40s-serve\s+on-demand", run.Out);
        Assert.Matches(@"h100-train\s+spot", run.Out);
        Assert.Contains("priced in us-east-1, cluster runs in us-west-2", run.Out);
        Assert.Matches(@"mistral-7b\s+l40s-serve\s+1,500\s+1 \(1 whole GPU\)", run.Out);
    }

    [Fact]
    public void Plan_subcommand_and_a_path_work_like_the_stack_name()
    {
        var byName = PlanRun.Of("prod");
        var bySubcommand = PlanRun.Of("plan", "prod");
        var byPath = PlanRun.In(Path.GetTempPath(), "plan", Path.Combine(PlanRun.Root, "Pulumi.prod.yaml"));

        Assert.Equal(byName.Out, bySubcommand.Out);
        Assert.Equal(byName.Out, byPath.Out);
    }

    [Fact]
    public void Stack_names_are_found_in_parent_directories()
    {
        var run = PlanRun.In(Path.Combine(PlanRun.Root, "infra", "Plan"), "dev");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("stack dev", run.Out);
    }

    [Fact]
    public void Spot_discount_override_changes_spot_prices_only()
    {
        var normal = PlanRun.Of("prod", "--json").Json().GetProperty("cost");
        var overridden = PlanRun.Of("prod", "--json", "--spot-discount", "0").Json().GetProperty("cost");

        static decimal Node(System.Text.Json.JsonElement cost, string pool) =>
            cost.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == pool).GetProperty("nodeHourlyUsd").GetDecimal();

        Assert.True(overridden.GetProperty("spotDiscountOverridden").GetBoolean());
        Assert.Equal(Node(normal, "burst-h100"), Node(overridden, "burst-h100"));
        Assert.Equal(Node(normal, "burst-train") / 0.4m, Node(overridden, "burst-train"), 3);
        Assert.Contains("(--spot-discount)", PlanRun.Of("prod", "--spot-discount", "0.5").Out);
    }
}
