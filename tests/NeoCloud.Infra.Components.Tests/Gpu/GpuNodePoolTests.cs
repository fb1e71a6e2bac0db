using System.Collections.Immutable;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Gpu;

public class GpuNodePoolTests
{
    private static GpuNodePoolArgs EksH100(Action<GpuNodePoolArgs>? change = null)
    {
        var args = new GpuNodePoolArgs
        {
            Substrate = "eks",
            Environment = "prod",
            CostCenter = "ml-platform",
            ClusterName = "gpu-cluster",
            NodeSubnetIds = new[] { "subnet-a", "subnet-b" },
            InstanceType = "p5.48xlarge",
            AmiReleaseVersion = "1.33.13-20260714", // an EKS GPU AMI release of Core's compatibility matrix (driver 580.159.03)
            MinSize = 1,
            DesiredSize = 2,
            MaxSize = 4,
            MigConfig = "all-1g.10gb",
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object value) => Assert.IsAssignableFrom<ImmutableDictionary<string, object>>(value);

    [Fact]
    public async Task Eks_h100_all_1g_10gb_registers_a_node_group_with_labels_taints_capacity_scaling_and_tags()
    {
        GpuNodePool? pool = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => pool = new GpuNodePool("h100", EksH100()));

        var ng = mocks.Single("aws:eks/nodeGroup:NodeGroup");
        Assert.Equal("h100-node-group", ng.Name);
        var inputs = ng.Inputs;
        Assert.Equal("gpu-cluster", inputs["clusterName"]);
        Assert.Equal("AL2023_x86_64_NVIDIA", inputs["amiType"]);
        Assert.Equal("1.33.13-20260714", inputs["releaseVersion"]);
        Assert.Equal("ON_DEMAND", inputs["capacityType"]);
        Assert.Equal(["p5.48xlarge"], Assert.IsAssignableFrom<ImmutableArray<object>>(inputs["instanceTypes"]).Cast<string>().ToArray());
        Assert.Equal(["subnet-a", "subnet-b"], Assert.IsAssignableFrom<ImmutableArray<object>>(inputs["subnetIds"]).Cast<string>().ToArray());
        var scaling = Map(inputs["scalingConfig"]);
        Assert.Equal(1, Convert.ToInt32(scaling["minSize"]));
        Assert.Equal(2, Convert.ToInt32(scaling["desiredSize"]));
        Assert.Equal(4, Convert.ToInt32(scaling["maxSize"]));

        var labels = Map(inputs["labels"]);
        Assert.Equal("h100", labels["neocloud.io/pool"]);
        Assert.Equal("inference", labels["neocloud.io/purpose"]);
        Assert.Equal("prod", labels["neocloud.io/environment"]);
        Assert.Equal("ml-platform", labels["neocloud.io/cost-center"]);
        Assert.Equal("H100-SXM5-80GB", labels["neocloud.io/gpu-model"]);
        Assert.Equal("all-1g.10gb", labels["nvidia.com/mig.config"]);
        Assert.False(labels.ContainsKey("nvidia.com/device-plugin.config"));

        var taint = Map(Assert.Single(Assert.IsAssignableFrom<ImmutableArray<object>>(inputs["taints"])));
        Assert.Equal("nvidia.com/gpu", taint["key"]);
        Assert.Equal("true", taint["value"]);
        Assert.Equal("NO_SCHEDULE", taint["effect"]);

        var tags = Map(inputs["tags"]);
        Assert.Equal("prod", tags["neocloud.io/environment"]);
        Assert.Equal("ml-platform", tags["neocloud.io/cost-center"]);
        Assert.Equal("h100", tags["neocloud.io/pool"]);
        Assert.False(tags.ContainsKey("nvidia.com/mig.config"));

        // 7 × 1g.10gb per GPU × 8 GPUs per p5.48xlarge × nodes, mixed strategy: one placement output.
        var placement = await PulumiTest.ValueAsync(pool!.Placement);
        Assert.Equal("h100", placement.PoolName);
        Assert.Equal(new Dictionary<string, int> { ["nvidia.com/mig-1g.10gb"] = 7 * 8 * 1 }, placement.AllocatableAtMin);
        Assert.Equal(new Dictionary<string, int> { ["nvidia.com/mig-1g.10gb"] = 7 * 8 * 4 }, placement.AllocatableAtMax);
        Assert.Equal("mixed", placement.MigStrategy);
        Assert.Equal("H100-SXM5-80GB", placement.GpuModel);
        Assert.Equal((8, 1, 4), (placement.GpusPerNode, placement.MinNodes, placement.MaxNodes));
        Assert.Equal(new Dictionary<string, string> { ["neocloud.io/pool"] = "h100" }, placement.NodeSelector);
        var toleration = Assert.Single(placement.Tolerations);
        Assert.Equal(("nvidia.com/gpu", "Exists", (string?)null, "NoSchedule"), (toleration.Key, toleration.Operator, toleration.Value, toleration.Effect));
        // p5.48xlarge: 192 vCPU, 2048 GiB minus the EKS AMI's kubelet/system reserve (Core's NodeAllocatable).
        Assert.Equal(192_000 - (60 + 10 + 5 + 5) - (188 * 25 / 10), placement.NodeCpuMillicores);
        Assert.Equal((2048 * 1024) - (11 * 110) - 255 - 100, placement.NodeMemoryMebibytes);
        Assert.Equal("all-1g.10gb", await PulumiTest.ValueAsync(pool.MigConfigName));
    }

    [Fact]
    public async Task The_component_registers_under_the_index_token_with_the_old_token_as_alias()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => new GpuNodePool("h100", EksH100()));
        var component = mocks.Single("neocloud:index:GpuNodePool");
        Assert.Equal("h100", component.Name);
        Assert.Equal("neocloud:gpu:GpuNodePool", GpuNodePool.PreviousTypeToken);
        Assert.DoesNotContain(mocks.Resources, r => r.Type == GpuNodePool.PreviousTypeToken);
    }

    [Fact]
    public async Task Eks_pool_has_a_node_role_with_the_managed_node_policies()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => new GpuNodePool("h100", EksH100(a => a.EnableSsm = true)));

        var role = mocks.Single("aws:iam/role:Role");
        Assert.Equal("h100-node-role", role.Name);
        Assert.Contains("ec2.amazonaws.com", (string)role.Inputs["assumeRolePolicy"]);
        var policies = mocks.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").Select(a => (string)a.Inputs["policyArn"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            ],
            policies);
    }

    [Fact]
    public async Task Spot_training_pool_is_allowed_and_marked_spot()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => new GpuNodePool("train", EksH100(a =>
        {
            a.Purpose = "training";
            a.CapacityType = "SPOT";
            a.MigConfig = null;
        })));
        var ng = mocks.Single("aws:eks/nodeGroup:NodeGroup");
        Assert.Equal("SPOT", ng.Inputs["capacityType"]);
        Assert.False(Map(ng.Inputs["labels"]).ContainsKey("nvidia.com/mig.config"));
    }

    [Fact]
    public async Task Onprem_pool_patches_exactly_its_named_nodes_with_labels_and_no_taints()
    {
        GpuNodePool? pool = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => pool = new GpuNodePool("dgx", new GpuNodePoolArgs
        {
            Substrate = "onprem",
            Environment = "dev",
            CostCenter = "research",
            GpuModel = "H100-SXM5-80GB",
            GpusPerNode = 8,
            NodeNames = ["dgx-01", "dgx-02"],
            TimeSlicingReplicas = 4,
        }));

        var patches = mocks.OfType("kubernetes:core/v1:NodePatch");
        Assert.Equal(["dgx-01", "dgx-02"], patches.Select(p => (string)Map(p.Inputs["metadata"])["name"]).Order().ToArray());
        Assert.Equal(["dgx-dgx-01", "dgx-dgx-02"], patches.Select(p => p.Name!).Order().ToArray());
        foreach (var patch in patches)
        {
            var metadata = Map(patch.Inputs["metadata"]);
            Assert.Equal(
                new Dictionary<string, object>
                {
                    ["neocloud.io/cost-center"] = "research",
                    ["neocloud.io/environment"] = "dev",
                    ["neocloud.io/gpu-model"] = "H100-SXM5-80GB",
                    ["neocloud.io/gpus-per-node"] = "8", // what the pack counts before GPU Feature Discovery labels the node
                    ["neocloud.io/pool"] = "dgx",
                    ["neocloud.io/purpose"] = "inference",
                    ["nvidia.com/device-plugin.config"] = "dgx",
                },
                Map(metadata["labels"]));
            Assert.Equal("neocloud-gpu-pool-dgx", Map(metadata["annotations"])["pulumi.com/patchFieldManager"]);
            // Decision: taints are left to node provisioning; the patch never owns spec.taints.
            Assert.False(patch.Inputs.ContainsKey("spec"));
        }

        Assert.Empty(mocks.OfType("aws:eks/nodeGroup:NodeGroup"));
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "kubernetes:core/v1:Node");
        Assert.Equal(["nvidia.com/gpu=true:NoSchedule"], (await PulumiTest.ValueAsync(pool!.Taints)).ToArray());
        var placement = await PulumiTest.ValueAsync(pool.Placement);
        Assert.Single(placement.Tolerations);
        Assert.Equal(new Dictionary<string, int> { ["nvidia.com/gpu"] = 8 * 4 * 2 }, placement.AllocatableAtMax);
        Assert.Equal((0, 0), (placement.NodeCpuMillicores, placement.NodeMemoryMebibytes));
        Assert.Equal(["dgx-01", "dgx-02"], (await PulumiTest.ValueAsync(pool.PatchedNodes)).ToArray());
    }

    [Fact]
    public async Task A_dedicated_pool_taints_its_node_group_and_tolerates_the_taint_in_its_placement()
    {
        GpuNodePool? pool = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => pool = new GpuNodePool("h100", EksH100(a => a.DedicatedTo = "acme")));

        var taints = mocks.Single("aws:eks/nodeGroup:NodeGroup").Inputs["taints"];
        Assert.Equal(
            ["nvidia.com/gpu=true:NO_SCHEDULE", "neocloud.io/dedicated=acme:NO_SCHEDULE"],
            ((ImmutableArray<object>)taints).Select(t => $"{Map(t)["key"]}={Map(t)["value"]}:{Map(t)["effect"]}"));
        Assert.Equal(["nvidia.com/gpu=true:NoSchedule", "neocloud.io/dedicated=acme:NoSchedule"], (await PulumiTest.ValueAsync(pool!.Taints)).ToArray());
        var placement = await PulumiTest.ValueAsync(pool.Placement);
        var dedicated = Assert.Single(placement.Tolerations, t => t.Key == "neocloud.io/dedicated");
        Assert.Equal(("Equal", "acme"), (dedicated.Operator, dedicated.Value));

        // cluster-autoscaler's node template (scale from zero) knows the taint too.
        Assert.Contains(mocks.OfType("aws:autoscaling/tag:Tag"), t => Map(t.Inputs["tag"])["key"] is "k8s.io/cluster-autoscaler/node-template/taint/neocloud.io/dedicated" && Map(t.Inputs["tag"])["value"] is "acme:NoSchedule");
    }

    public static TheoryData<string, Action<GpuNodePoolArgs>, string, string> InvalidPools => new()
    {
        { "mig-on-l40s", a => { a.InstanceType = "g6e.12xlarge"; a.MigConfig = "all-1g.10gb"; }, "MigConfig", "L40S does not support MIG" },
        { "unknown-instance", a => a.InstanceType = "p9.mega", "InstanceType", "\"p9.mega\" is not a GPU instance type of the catalog" },
        { "impossible-mig", a => a.MigConfig = "all-1g.5gb", "MigConfig", "\"all-1g.5gb\" is not a MIG config of H100-SXM5-80GB; valid: all-disabled, all-1g.10gb" },
        { "spot-inference", a => a.CapacityType = "SPOT", "CapacityType", "SPOT needs an interruptible pool" },
        { "spot-not-interruptible", a => { a.Purpose = "training"; a.Interruptible = false; a.CapacityType = "SPOT"; }, "CapacityType", "Interruptible is false" },
        { "min-over-max", a => { a.MinSize = 5; a.MaxSize = 2; a.DesiredSize = null; }, "MinSize", "(5) must not exceed MaxSize (2)" },
        { "no-cluster", a => a.ClusterName = null, "ClusterName", "is required on EKS" },
        { "single-with-balanced", a => { a.MigConfig = "all-balanced"; a.MigStrategy = "single"; }, "MigStrategy", "single needs every GPU MIG-enabled with one profile" },
        { "mig-and-time-slicing", a => a.TimeSlicingReplicas = 2, "TimeSlicingReplicas", "cannot be combined" },
        { "substrate-spelling", a => a.Substrate = "EKS", "Substrate", "\"EKS\" is not allowed; allowed: eks, onprem" },
        { "onprem-with-subnets", a => { a.Substrate = "onprem"; a.GpuModel = "H100-SXM5-80GB"; a.GpusPerNode = 8; a.NodeNames = ["n1"]; a.InstanceType = null; a.MinSize = a.DesiredSize = a.MaxSize = null; a.ClusterName = null; a.AmiReleaseVersion = null; }, "NodeSubnetIds", "is EKS only" },
        { "environment", a => a.Environment = "Prod", "Environment", "is not allowed" },
        { "dedicated-to-not-a-tenant-name", a => a.DedicatedTo = "Team_A", "DedicatedTo", "\"Team_A\" is not a tenant name" },
    };

    [Theory]
    [MemberData(nameof(InvalidPools))]
    public async Task Invalid_args_fail_with_the_property_and_register_nothing(string name, Action<GpuNodePoolArgs> change, string property, string message)
    {
        // Outside the engine: the structured errors.
        var direct = Assert.Throws<ComponentArgsException>(() => new GpuNodePool(name, EksH100(change)));
        Assert.Contains(direct.Problems, e => e.PropertyPath == property && e.Reason.Contains(message, StringComparison.Ordinal));

        // Under the engine: the program fails with the same message and nothing is registered, not even the component.
        var (ex, mocks) = await RunFailing(() => new GpuNodePool(name, EksH100(change)));
        Assert.Contains($"GpuNodePool \"{name}\": invalid GpuNodePoolArgs", ex.Message);
        Assert.Contains($"GpuNodePoolArgs.{property}: ", ex.Message);
        Assert.Contains(message, ex.Message);
        Assert.Empty(mocks.Resources);
    }

    internal static async Task<(Exception Error, RecordingMocks Mocks)> RunFailing(Action create)
    {
        var mocks = new RecordingMocks();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => Pulumi.Deployment.TestAsync(mocks, new Pulumi.Testing.TestOptions { IsPreview = false }, create));
        return (ex, mocks);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Assert.Throws<ComponentArgsException>(() => new GpuNodePool("bad", EksH100(a =>
        {
            a.InstanceType = "g6e.12xlarge";
            a.CapacityType = "SPOT";
            a.NodeNames = ["x"];
        })));
        Assert.Equal(["CapacityType", "MigConfig", "NodeNames"], ex.Problems.Select(e => e.PropertyPath).Order().ToArray());
    }
}
