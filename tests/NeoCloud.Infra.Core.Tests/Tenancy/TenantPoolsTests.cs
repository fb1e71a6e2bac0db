using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Tenancy;

/// <summary>Which pools a tenant may use (the admission policy's data and the per-pool quota), and the problems of <c>tenants[].pools</c>.</summary>
public sealed class TenantPoolsTests
{
    private static EnvironmentModel Stack(string name) => EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(name)));

    private static Core.Environments.TenantSpec Tenant(EnvironmentModel env, string name) => env.Tenants.Single(t => t.Name == name);

    private static EnvironmentModel WithTenant(EnvironmentModel env, string name, Func<Core.Environments.TenantSpec, Core.Environments.TenantSpec> change) =>
        env with { Tenants = [.. env.Tenants.Select(t => t.Name == name ? change(t) : t)] };

    [Fact]
    public void By_default_a_tenant_uses_every_GPU_pool_of_its_clusters_whose_resources_its_quota_grants()
    {
        var prod = Stack("prod");
        var chat = TenantPools.Admission(prod, Tenant(prod, "chat"), "dc1");
        // chat's quota: whole GPUs and mig 2g.20gb: h100-mig offers 2g.20gb (and 1g.10gb, which chat's quota does not
        // grant), h100-mixed and h100-train offer whole GPUs.
        Assert.Equal(["h100-mig", "h100-mixed", "h100-train"], chat.Pools.Select(p => p.Name));
        Assert.Equal(["nvidia.com/mig-2g.20gb"], chat.Pools[0].GpuResources);
        var search = TenantPools.Admission(prod, Tenant(prod, "search"), "dc1");
        Assert.Equal(["h100-mig"], search.Pools.Select(p => p.Name));
        Assert.Equal(["nvidia.com/mig-1g.10gb"], search.Pools[0].GpuResources);
        var research = TenantPools.Admission(prod, Tenant(prod, "research"), "dc1");
        Assert.Equal(["h100-mixed", "h100-train"], research.Pools.Select(p => p.Name));
        Assert.All(research.Pools, p => Assert.Equal(["nvidia.com/gpu"], p.GpuResources));
    }

    [Fact]
    public void Declared_pools_make_the_quota_per_pool_where_tenants_share_a_resource_name()
    {
        var prod = Stack("prod");
        // chat and research both hold nvidia.com/gpu, which h100-mixed (chat's 70B) and h100-train both offer; research
        // limited to h100-train cannot spend its quota on h100-mixed.
        var env = WithTenant(prod, "research", t => t with { Pools = ["h100-train"] });
        var research = TenantPools.Admission(env, Tenant(env, "research"), "dc1");
        Assert.Equal(["h100-train"], research.Pools.Select(p => p.Name));
        var onMixed = System.Text.Json.Nodes.JsonNode.Parse("""
            {"metadata": {"labels": {"neocloud.io/environment": "prod", "neocloud.io/cost-center": "ml", "neocloud.io/tenant": "research"}},
             "spec": {"nodeSelector": {"neocloud.io/pool": "h100-mixed"}, "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists"}],
                      "containers": [{"name": "t", "image": "t:1", "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}}
            """)!.AsObject();
        Assert.Equal(["gpu-pools"], PodAdmissionRules.Evaluate(onMixed, research).Select(v => v.Rule));
        onMixed["spec"]!["nodeSelector"]!["neocloud.io/pool"] = "h100-train";
        Assert.Empty(PodAdmissionRules.Evaluate(onMixed, research));
    }

    [Fact]
    public void A_dedicated_pool_is_tainted_and_only_its_tenant_may_use_it()
    {
        var prod = Stack("prod");
        var env = WithTenant(prod, "research", t => t with { DedicatedPools = ["h100-train"] });
        Assert.Equal("research", TenantPools.DedicatedTo(env, "h100-train"));
        Assert.Equal(DedicatedPools.Taint("research"), Assert.Single(TenantPools.ExtraTaints(env, "h100-train")));
        var research = TenantPools.Admission(env, Tenant(env, "research"), "dc1");
        Assert.Contains(research.Pools.Single(p => p.Name == "h100-train").Taints, t => t == DedicatedPools.Taint("research"));
        Assert.Empty(TenantAdmissionPlanner.Validate(research));

        // A tenant whose quota would grant whole GPUs still may not use another tenant's dedicated pool.
        var chat = WithTenant(env, "chat", t => t with { Quota = t.Quota with { GpuResources = t.Quota.GpuResources.SetItem("nvidia.com/gpu", 8) } });
        Assert.DoesNotContain(TenantPools.Admission(chat, Tenant(chat, "chat"), "dc1").Pools, p => p.Name == "h100-train");
        var declared = WithTenant(chat, "chat", t => t with { Pools = ["h100-mig", "h100-train"] });
        var problem = Assert.Single(TenantPools.Problems(declared, Tenant(declared, "chat")));
        Assert.Equal(1, problem.Index);
        Assert.Contains("dedicated to tenant \"research\"", problem.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadPools() => new()
    {
        { "h100-train", "pool \"h100-train\" offers nvidia.com/gpu, but tenant \"search\"'s quota grants nvidia.com/mig-1g.10gb: the quota cannot be used on it" },
        { "burst-h100", "pool \"burst-h100\" is in cluster \"burst\", where tenant \"search\" has no namespace (clusters: dc1)" },
        { "burst-system", "\"burst-system\" is not a GPU pool of this stack; GPU pools: h100-mig, h100-mixed, h100-train, burst-h100, burst-train" },
        { "a100", "\"a100\" is not a GPU pool of this stack" },
    };

    [Theory]
    [MemberData(nameof(BadPools))]
    public void A_declared_pool_the_tenant_cannot_use_is_one_precise_problem(string pool, string reason)
    {
        var prod = Stack("prod");
        var env = WithTenant(prod, "search", t => t with { Pools = ["h100-mig", pool] });
        var problem = Assert.Single(TenantPools.Problems(env, Tenant(env, "search")));
        Assert.Equal(1, problem.Index);
        Assert.StartsWith(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void Every_tenant_workload_the_stack_deploys_passes_its_tenants_admission_policy(string stack)
    {
        var env = Stack(stack);
        var inventory = ConfigInventory.Build(env).Inventory;
        var checkedPods = 0;
        foreach (var tenant in env.Tenants)
        {
            foreach (var cluster in tenant.Clusters)
            {
                var spec = TenantPools.Admission(env, tenant, cluster);
                Assert.Empty(TenantAdmissionPlanner.Validate(spec));
                foreach (var w in inventory.Workloads.Where(w => w.Cluster == cluster && w.Namespace == tenant.Name))
                {
                    var pod = AdmissionPod.From(w, TritonImage.Reference);
                    Assert.True(PodAdmissionRules.Evaluate(pod, spec).IsEmpty, $"{stack}: {cluster}/{w.Id}: {string.Join("; ", PodAdmissionRules.Evaluate(pod, spec))}");
                    Assert.Empty(AdmissionPolicyTests.CelDenied(pod, TenantAdmissionPlanner.Plan(spec)));
                    checkedPods++;
                }
            }
        }

        Assert.True(checkedPods > 0, $"{stack} deploys no tenant workload");
    }

    [Fact]
    public void The_same_serving_pod_on_a_pool_of_another_cluster_or_without_its_labels_is_refused()
    {
        var prod = Stack("prod");
        var w = ConfigInventory.Build(prod).Inventory.Workloads.First(w => w.Namespace == "chat" && w.Cluster == "dc1" && w.Requests.Keys.Any(PodAdmissionRules.IsGpuResource));
        var spec = TenantPools.Admission(prod, Tenant(prod, "chat"), "dc1");
        var elsewhere = w with { NodeSelector = w.NodeSelector.SetItem("neocloud.io/pool", "h100-train") };
        Assert.Equal(["gpu-pools"], PodAdmissionRules.Evaluate(AdmissionPod.From(elsewhere, TritonImage.Reference), spec).Select(v => v.Rule));
        var unlabelled = w with { PodLabels = w.PodLabels.Remove("neocloud.io/tenant") };
        Assert.Equal(["required-labels"], AdmissionPolicyTests.CelDenied(AdmissionPod.From(unlabelled, TritonImage.Reference), TenantAdmissionPlanner.Plan(spec)));
        Assert.Equal(["gpu-pools"], AdmissionPolicyTests.CelDenied(AdmissionPod.From(elsewhere, TritonImage.Reference), TenantAdmissionPlanner.Plan(spec)));
    }

    [Fact]
    public void The_platform_check_reports_a_tenant_workload_its_admission_policy_would_refuse()
    {
        var prod = Stack("prod");
        var built = ConfigInventory.Build(prod).Inventory;
        Assert.Equal(prod.Tenants.Sum(t => t.Clusters.Length), built.Admissions.Length);
        Assert.Empty(PlatformCheck.AdmissionFindings(built));

        var chat = built.Workloads.First(w => w.Namespace == "chat" && w.Cluster == "dc1" && w.Requests.Keys.Any(PodAdmissionRules.IsGpuResource));
        var moved = built with
        {
            Workloads = [.. built.Workloads.Select(w => w == chat ? w with { NodeSelector = w.NodeSelector.SetItem("neocloud.io/pool", "h100-train") } : w)],
        };
        var finding = Assert.Single(PlatformCheck.Run(moved).Findings, f => f.Rule == PlatformRule.Admission);
        Assert.Equal($"dc1/{chat.Id}", finding.Subject);
        Assert.Contains("refused by neocloud-tenant-chat (gpu-pools)", finding.Message, StringComparison.Ordinal);
    }
}
