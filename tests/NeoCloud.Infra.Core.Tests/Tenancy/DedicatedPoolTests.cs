using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Tenancy;

/// <summary>
/// <c>gpuPools[].dedicatedTo</c> end to end in Core: the binder reads it, the pool plan taints the nodes and tolerates the
/// taint in its placement, the config inventory's pool carries it, the dedicated tenant's Tritons still place and pass
/// its admission, and every other tenant's admission refuses the toleration.
/// </summary>
public sealed class DedicatedPoolTests
{
    /// <summary>Pulumi.prod.yaml with the EKS pool burst-h100 (chat's burst capacity) dedicated to chat.</summary>
    internal static string DedicatedProdYaml()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod"));
        const string entry = "    - name: burst-h100\n";
        Assert.Contains(entry, yaml, StringComparison.Ordinal);
        return yaml.Replace(entry, entry + "      dedicatedTo: chat\n", StringComparison.Ordinal);
    }

    private static EnvironmentModel Dedicated() => EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(DedicatedProdYaml(), "prod"));

    private static GpuPoolPlan PlanOf(EnvironmentModel env, string pool)
    {
        var spec = env.Pool(pool);
        return GpuPoolPlanner.Plan(GpuNodePoolSpec.ForPool(new OwnershipSpec(env.Environment, env.CostCenter), spec, spec.Mig is { } mig ? env.MigConfigs.GetValueOrDefault(mig.ConfigName) : null, env.Cluster(spec.Cluster).MigStrategy, TenantPools.DedicatedTo(env, pool)));
    }

    [Fact]
    public void The_binder_reads_dedicatedTo_and_the_tenant_learns_its_pool()
    {
        var env = Dedicated();
        Assert.Equal<string>(["burst-h100"], env.Tenants.Single(t => t.Name == "chat").DedicatedPools);
        Assert.Equal("chat", TenantPools.DedicatedTo(env, "burst-h100"));
        Assert.Null(TenantPools.DedicatedTo(env, "h100-mig"));
    }

    [Fact]
    public void A_dedicated_pool_plan_carries_the_tenant_taint_on_its_nodes_node_group_and_autoscaler_template_and_tolerates_it_in_placement()
    {
        var env = Dedicated();
        var plan = PlanOf(env, "burst-h100");
        Assert.Equal<NodeTaint>([GpuPoolPlanner.GpuTaint, DedicatedPools.Taint("chat")], plan.Taints);
        Assert.Equal<PodToleration>([GpuPoolPlanner.GpuToleration, DedicatedPools.Toleration("chat")], plan.Tolerations);
        Assert.Equal<PodToleration>(plan.Tolerations, plan.Placement.Tolerations);
        var nodeGroup = Assert.IsType<EksNodeGroupPlan>(plan.NodeGroup);
        Assert.Equal<NodeTaint>(plan.Taints, nodeGroup.Taints);
        Assert.Contains(nodeGroup.AutoscalerTemplate, kv => kv.Key.EndsWith("taint/" + DedicatedPools.TaintKey, StringComparison.Ordinal) && kv.Value == "chat:NoSchedule");

        // A shared pool is unchanged.
        var shared = PlanOf(env, "h100-mig");
        Assert.Equal<NodeTaint>([GpuPoolPlanner.GpuTaint], shared.Taints);
        Assert.Equal<PodToleration>([GpuPoolPlanner.GpuToleration], shared.Placement.Tolerations);
    }

    [Fact]
    public void A_DedicatedTo_that_is_not_a_tenant_name_is_one_problem_at_DedicatedTo()
    {
        var env = Dedicated();
        var spec = GpuNodePoolSpec.ForPool(new OwnershipSpec(env.Environment, env.CostCenter), env.Pool("burst-h100"), null, null, "Team_Chat");
        var problem = Assert.Single(GpuPoolPlanner.Validate(spec));
        Assert.Equal("DedicatedTo", problem.PropertyPath);
        Assert.Contains("\"Team_Chat\" is not a tenant name", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_inventory_pool_carries_the_taint_and_the_dedicated_tenants_Tritons_still_place_and_pass_admission()
    {
        var env = Dedicated();
        var config = ConfigInventory.Build(env);
        var pool = config.Inventory.Pools.Single(p => p.Name == "burst-h100");
        Assert.Contains(DedicatedPools.Taint("chat"), pool.Taints);

        // The platform check reports exactly prod's pinned findings: the burst Tritons of chat still fit burst-h100.
        var report = PlatformCheck.Run(config.Inventory, config.Findings);
        var pinned = File.ReadAllLines(RepoFiles.Fixture("platform", "prod.findings.txt")).Where(l => l.Length > 0);
        Assert.Equal(pinned, report.Findings.Select(f => f.ToString()));
        var burst = Assert.Single(config.Inventory.Workloads, w => w.Cluster == "burst" && w.Namespace == "chat" && w.NodeSelector.GetValueOrDefault(ResourceLabels.Pool) == "burst-h100");
        var placed = Assert.Single(report.Placements, p => p.Workload == burst);
        Assert.Equal<string>(["burst-h100"], placed.Admitting);

        var chat = TenantPools.Admission(env, env.Tenants.Single(t => t.Name == "chat"), "burst");
        var pod = AdmissionPod.From(burst, TritonImage.Reference);
        Assert.Empty(PodAdmissionRules.Evaluate(pod, chat));
        Assert.Empty(AdmissionPolicyTests.CelDenied(pod, TenantAdmissionPlanner.Plan(chat)));
    }

    [Fact]
    public void Every_other_tenants_admission_refuses_the_dedicated_toleration_and_the_pool()
    {
        var env = Dedicated();
        var burst = ConfigInventory.Build(env).Inventory.Workloads.Single(w => w.Cluster == "burst" && w.Namespace == "chat" && w.NodeSelector.GetValueOrDefault(ResourceLabels.Pool) == "burst-h100");
        var research = env.Tenants.Single(t => t.Name == "research");
        Assert.Contains("burst", research.Clusters);
        var spec = TenantPools.Admission(env, research, "burst");
        Assert.DoesNotContain(spec.Pools, p => p.Name == "burst-h100");

        // chat's burst Triton moved into research's namespace (same pool, same tolerations, research's labels).
        var pod = AdmissionPod.From(burst with { Namespace = "research", PodLabels = burst.PodLabels.SetItem(ResourceLabels.Tenant, "research") }, TritonImage.Reference);
        var rules = PodAdmissionRules.Evaluate(pod, spec).Select(v => v.Rule).ToList();
        Assert.Contains("tolerations", rules);
        Assert.NotEmpty(AdmissionPolicyTests.CelDenied(pod, TenantAdmissionPlanner.Plan(spec)));

        // Only the toleration: a research pod on its own burst pool that also tolerates chat's dedicated taint is refused by that rule.
        Assert.Contains(spec.Pools, p => p.Name == "burst-train");
        var tolerating = System.Text.Json.Nodes.JsonNode.Parse("""
            {"metadata": {"labels": {"neocloud.io/environment": "prod", "neocloud.io/cost-center": "inference-platform", "neocloud.io/tenant": "research"}},
             "spec": {"nodeSelector": {"neocloud.io/pool": "burst-train"},
                      "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
                                      {"key": "neocloud.io/dedicated", "operator": "Equal", "value": "chat", "effect": "NoSchedule"}],
                      "containers": [{"name": "t", "image": "t:1", "resources": {"limits": {"nvidia.com/gpu": "8"}}}]}}
            """)!.AsObject();
        Assert.Equal(["tolerations"], PodAdmissionRules.Evaluate(tolerating, spec).Select(v => v.Rule));
        Assert.NotEmpty(AdmissionPolicyTests.CelDenied(tolerating, TenantAdmissionPlanner.Plan(spec)));
        tolerating["spec"]!["tolerations"]!.AsArray().RemoveAt(1);
        Assert.Empty(PodAdmissionRules.Evaluate(tolerating, spec));
    }
}
