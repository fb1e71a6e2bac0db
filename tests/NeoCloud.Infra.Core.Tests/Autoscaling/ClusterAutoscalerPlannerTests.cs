using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>
/// Node autoscaling on EKS (issue 14 item 2): what a node that does not exist yet offers (cluster-autoscaler's
/// node-template tags, from Core's allocatable math), the configuration that lets a pool go 0 → N for pending Triton
/// pods, and the limits that must leave every pool room to reach its maximum size.
/// </summary>
public sealed class ClusterAutoscalerPlannerTests
{
    private static EnvironmentModel Stack(string name) => EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(name)));

    private static GpuPoolPlan PlanOf(EnvironmentModel env, string pool)
    {
        var spec = env.GpuPools.Single(p => p.Name == pool);
        var cluster = env.Cluster(spec.Cluster);
        var custom = spec.Mig is { } mig ? env.MigConfigs.GetValueOrDefault(mig.ConfigName) : null;
        return GpuPoolPlanner.Plan(GpuNodePoolSpec.ForPool(new OwnershipSpec(env.Environment, env.CostCenter), spec, custom, cluster.MigStrategy));
    }

    private static string Resource(string name) => AutoscalerNodeTemplate.Prefix + "resources/" + name;

    [Fact]
    public void The_prod_burst_pool_template_offers_exactly_the_node_the_platform_check_places_workloads_on()
    {
        var prod = Stack("prod");
        var template = PlanOf(prod, "burst-h100").NodeGroup!.AutoscalerTemplate;

        // prod's burst pool: 8 × H100-SXM5-80GB × 3 slices of 2g.20gb (all-2g.20gb), under the burst cluster's mixed strategy.
        Assert.Equal("24", template[Resource("nvidia.com/mig-2g.20gb")]);
        Assert.False(template.ContainsKey(Resource("nvidia.com/gpu")));

        // Exactly the node the platform check (and the plan) places workloads on: same allocatable, resource by resource.
        var pool = Assert.Single(PlatformCheck.ForConfig(prod).Inventory.Pools, p => p.Name == "burst-h100");
        Assert.Equal(pool.Allocatable, AutoscalerNodeTemplate.Resources(template));
        Assert.Equal(CapacityPlanner.PerNode(prod.GpuPools.Single(p => p.Name == "burst-h100"), MigStrategy.Mixed)["nvidia.com/mig-2g.20gb"], (int)pool.Allocatable["nvidia.com/mig-2g.20gb"]);
        Assert.Equal("all-2g.20gb", template[AutoscalerNodeTemplate.Prefix + "label/nvidia.com/mig.config"]);
    }

    [Fact]
    public void A_p5_node_split_all_1g_10gb_is_offered_as_56_slices_before_any_node_exists()
    {
        // The example: the prod burst pool's p5.48xlarge node group with the built-in all-1g.10gb layout.
        var prod = Stack("prod");
        var burst = prod.GpuPools.Single(p => p.Name == "burst-h100");
        var spec = GpuNodePoolSpec.ForPool(new OwnershipSpec(prod.Environment, prod.CostCenter), burst, null, prod.Cluster(burst.Cluster).MigStrategy) with { MigConfig = "all-1g.10gb", CustomMigConfig = null };
        Assert.Empty(GpuPoolPlanner.Validate(spec));
        var plan = GpuPoolPlanner.Plan(spec);
        var template = plan.NodeGroup!.AutoscalerTemplate;

        // 8 × H100-SXM5-80GB × 7 slices of 1g.10gb, the count Core's capacity gives the pool.
        Assert.Equal("56", template[Resource("nvidia.com/mig-1g.10gb")]);
        Assert.Equal(plan.Capacity.PerNode["nvidia.com/mig-1g.10gb"].ToString(System.Globalization.CultureInfo.InvariantCulture), template[Resource("nvidia.com/mig-1g.10gb")]);
        Assert.False(template.ContainsKey(Resource("nvidia.com/gpu")));
        var p5 = HardwareCatalog.Default.FindInstanceType("p5.48xlarge")!;
        Assert.Equal(NodeAllocatable.For(p5.Vcpus, p5.MemoryGiB, GpuPoolPlanner.DefaultDiskSizeGiB, new Dictionary<string, int> { ["nvidia.com/mig-1g.10gb"] = 56 }), AutoscalerNodeTemplate.Resources(template));
        Assert.Equal("191450m", template[Resource("cpu")]);

        // The labels pods select on and the taint they must tolerate; the MIG layout label the MIG manager applies.
        Assert.Equal("burst-h100", template[AutoscalerNodeTemplate.Prefix + "label/neocloud.io/pool"]);
        Assert.Equal("all-1g.10gb", template[AutoscalerNodeTemplate.Prefix + "label/nvidia.com/mig.config"]);
        Assert.Equal("true:NoSchedule", template[AutoscalerNodeTemplate.Prefix + "taint/nvidia.com/gpu"]);

        // Mixed MIG nodes advertise no nvidia.com/gpu: CA's GPU label would hold them unready for good (gpu-operator#693).
        Assert.False(template.ContainsKey(AutoscalerNodeTemplate.Prefix + "label/" + AutoscalerNodeTemplate.AcceleratorLabel));
        Assert.Equal(AutoscalerNodeTemplate.MigScaleDownUnneededTime, template[AutoscalerNodeTemplate.Prefix + "autoscaling-options/scaledownunneededtime"]);
    }

    [Fact]
    public void Whole_GPU_and_time_sliced_templates_offer_nvidia_com_gpu_with_the_replicas_and_carry_the_accelerator_label()
    {
        var whole = PlanOf(Stack("prod"), "burst-train").NodeGroup!.AutoscalerTemplate;
        Assert.Equal("8", whole[Resource("nvidia.com/gpu")]);
        Assert.Equal("A100-SXM4-40GB", whole[AutoscalerNodeTemplate.Prefix + "label/" + AutoscalerNodeTemplate.AcceleratorLabel]);
        Assert.False(whole.ContainsKey(AutoscalerNodeTemplate.Prefix + "autoscaling-options/scaledownunneededtime"));

        var sliced = GpuPoolPlanner.Plan(new GpuNodePoolSpec
        {
            Ownership = new OwnershipSpec("dev", "ml"),
            PoolName = "l40s-shared",
            Substrate = "eks",
            InstanceType = "g6e.12xlarge",
            MinSize = 0,
            MaxSize = 3,
            TimeSlicingReplicas = 4,
            AmiReleaseVersion = "1.33.13-20260714",
            ProvidedInputs = GpuPoolPlanner.EksInputs,
        });
        // 4 × L40S, each shared 4 ways: 16 nvidia.com/gpu, the same count Core's capacity gives the pool.
        Assert.Equal("16", sliced.NodeGroup!.AutoscalerTemplate[Resource("nvidia.com/gpu")]);
        Assert.Equal(sliced.Capacity.PerNode["nvidia.com/gpu"].ToString(System.Globalization.CultureInfo.InvariantCulture), sliced.NodeGroup.AutoscalerTemplate[Resource("nvidia.com/gpu")]);
        Assert.Equal("l40s-shared", sliced.NodeGroup.AutoscalerTemplate[AutoscalerNodeTemplate.Prefix + "label/nvidia.com/device-plugin.config"]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(24, 1)]
    [InlineData(25, 2)]
    [InlineData(48, 2)]
    public void N_pending_burst_Triton_pods_take_the_burst_pool_from_zero_to_the_nodes_they_fill(int pending, int nodes)
    {
        var prod = Stack("prod");
        var report = PlatformCheck.ForConfig(prod);
        var triton = Assert.Single(report.Inventory.Workloads, w => w.Cluster == "burst" && w.Name == "llama-8b-chat-burst");
        var plan = PlanOf(prod, "burst-h100");
        Assert.Equal(0, plan.NodeGroup!.MinSize);
        Assert.Equal(0, plan.NodeGroup.DesiredSize);

        var autoscaler = ClusterAutoscalerPlanner.Plan(ClusterAutoscalerSpec.ForCluster(prod, prod.Cluster("burst"), "burst-node-autoscaler")!);
        var others = prod.PoolsOf("burst").Where(p => p.Name != "burst-h100").Sum(p => p.MinSize);
        var up = ClusterAutoscalerPlanner.EstimateScaleUp(plan.NodeGroup.AutoscalerTemplate, triton.NodeSelector, triton.Tolerations, triton.Requests, pending, plan.NodeGroup.MaxSize, autoscaler.MaxNodesTotal - others);

        Assert.Null(up.Limit);
        Assert.Equal(nodes, up.Nodes);
        Assert.Equal(pending, up.PodsPlaced);

        // What lets those nodes go: a Triton pod mounts an emptyDir (/dev/shm), so the default
        // --skip-nodes-with-local-storage=true would never scale them down again; the cap leaves every pool its max.
        Assert.Equal("false", autoscaler.Args["skip-nodes-with-local-storage"]);
        Assert.Equal(prod.PoolsOf("burst").Sum(p => p.MaxSize), autoscaler.MaxNodesTotal);
        Assert.Equal("v1.33.6", autoscaler.ImageTag);
        Assert.Equal(CpuPoolPlanner.SystemNodeSelector.ToDictionary(kv => kv.Key, kv => (object)kv.Value), (IReadOnlyDictionary<string, object>)autoscaler.Values["nodeSelector"]);
    }

    [Fact]
    public void More_pending_pods_than_the_pool_holds_stop_at_its_max_size_and_say_so()
    {
        var prod = Stack("prod");
        var triton = Assert.Single(PlatformCheck.ForConfig(prod).Inventory.Workloads, w => w.Cluster == "burst" && w.Name == "llama-8b-chat-burst");
        var group = PlanOf(prod, "burst-h100").NodeGroup!;

        var up = ClusterAutoscalerPlanner.EstimateScaleUp(group.AutoscalerTemplate, triton.NodeSelector, triton.Tolerations, triton.Requests, 200, group.MaxSize, 100);

        // 24 two-slice replicas per p5 node (its 2g.20gb slices bind before its CPU), at most 2 nodes.
        Assert.Equal(2, up.Nodes);
        Assert.Equal(48, up.PodsPlaced);
        Assert.Equal("9 nodes needed, capped at 2", up.Limit);
    }

    [Fact]
    public void A_pod_without_the_GPU_toleration_or_for_another_pool_never_scales_the_GPU_pool()
    {
        var group = PlanOf(Stack("prod"), "burst-h100").NodeGroup!;
        var requests = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("cpu", 1000L)]);
        var selector = new Dictionary<string, string> { ["neocloud.io/pool"] = "burst-h100" };

        var untolerated = ClusterAutoscalerPlanner.EstimateScaleUp(group.AutoscalerTemplate, selector, [], requests, 3, 2, 10);
        var elsewhere = ClusterAutoscalerPlanner.EstimateScaleUp(group.AutoscalerTemplate, new Dictionary<string, string> { ["neocloud.io/pool"] = "system" }, [new PlatformToleration("nvidia.com/gpu", "Exists", null, TaintEffect.NoSchedule)], requests, 3, 2, 10);

        Assert.Equal(0, untolerated.Nodes);
        Assert.Equal("the pod does not tolerate the template's taint nvidia.com/gpu=true:NoSchedule", untolerated.Limit);
        Assert.Equal(0, elsewhere.Nodes);
        Assert.Equal("the template has no label neocloud.io/pool=system", elsewhere.Limit);
    }

    [Fact]
    public void A_max_nodes_total_below_the_pools_maximum_sizes_is_one_problem_at_MaxNodesTotal_naming_the_pools()
    {
        var prod = Stack("prod");
        var spec = ClusterAutoscalerSpec.ForCluster(prod, prod.Cluster("burst"), "burst-node-autoscaler")! with { MaxNodesTotal = 2 };

        var problem = Assert.Single(ClusterAutoscalerPlanner.Validate(spec));

        Assert.Equal("MaxNodesTotal", problem.PropertyPath);
        Assert.Equal(
            "2 is below the pools' maximum sizes (burst-h100 2 + burst-train 2 + burst-system 3 = 7 nodes): cluster-autoscaler stops adding nodes at 2, so pool \"burst-system\" could never reach its maxSize; set at least 7 or lower the pools' maxSize",
            problem.Reason);
        Assert.Throws<ArgumentException>(() => ClusterAutoscalerPlanner.Plan(spec));
        Assert.Empty(ClusterAutoscalerPlanner.Validate(spec with { MaxNodesTotal = 7 }));
    }

    [Fact]
    public void An_unpinned_Kubernetes_minor_a_missing_cluster_and_a_bad_region_are_each_named()
    {
        var prod = Stack("prod");
        var spec = ClusterAutoscalerSpec.ForCluster(prod, prod.Cluster("burst"), "burst-node-autoscaler")! with
        {
            KubernetesVersion = "1.31",
            Region = "useast1",
            ProvidedInputs = [],
        };

        var problems = ClusterAutoscalerPlanner.Validate(spec).Select(p => p.PropertyPath).ToArray();

        Assert.Equal(["ClusterName", "Region", "KubernetesVersion"], problems);
    }

    [Fact]
    public void Spot_pools_are_named_and_the_IAM_policy_resizes_only_this_clusters_node_groups()
    {
        var cloud = Stack("cloud");
        var plan = ClusterAutoscalerPlanner.Plan(ClusterAutoscalerSpec.ForCluster(cloud, cloud.Cluster("eks-main"), "eks-main-node-autoscaler")!);
        Assert.Equal(["h100-train"], plan.SpotPools.ToArray());

        using var policy = System.Text.Json.JsonDocument.Parse(ClusterAutoscalerPlanner.PolicyDocument("eks-main"));
        var resize = policy.RootElement.GetProperty("Statement").EnumerateArray().Single(s => s.GetProperty("Sid").GetString() == "ResizeOwnNodeGroups");
        Assert.Equal("owned", resize.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:ResourceTag/k8s.io/cluster-autoscaler/eks-main").GetString());
        Assert.Contains(policy.RootElement.GetProperty("Statement")[0].GetProperty("Action").EnumerateArray(), a => a.GetString() == "eks:DescribeNodegroup");
    }

    [Fact]
    public void Only_EKS_clusters_the_stack_creates_run_the_autoscaler()
    {
        var prod = Stack("prod");
        Assert.Null(ClusterAutoscalerSpec.ForCluster(prod, prod.Cluster("dc1"), "dc1-node-autoscaler"));
        Assert.Null(ClusterAutoscalerSpec.ForCluster(prod, prod.Cluster("burst") with { Existing = new ExistingEksCluster("c", ["subnet-1"]) }, "x"));
    }
}
