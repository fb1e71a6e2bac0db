using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Networking;

namespace NeoCloud.Infra.Core.Tests.Gpu;

public class GpuPlannerTests
{
    private static GpuNodePoolDefinition OnPrem(GpuModel gpu, string? mig) => new()
    {
        PoolName = "pool",
        Substrate = Substrate.OnPrem,
        Environment = "dev",
        CostCenter = "ml",
        GpuModel = gpu.Id,
        GpusPerNode = 8,
        NodeNames = ["n1", "n2"],
        MigConfig = mig,
    };

    public static TheoryData<string, string> EveryBuiltInConfig()
    {
        var data = new TheoryData<string, string>();
        foreach (var gpu in HardwareCatalog.Default.Gpus.Where(g => g.MigSupported))
        {
            foreach (var name in MigConfigs.BuiltInNames(gpu))
            {
                data.Add(gpu.Id, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryBuiltInConfig))]
    public void Every_built_in_mig_config_of_every_mig_gpu_plans_and_renders(string gpuId, string config)
    {
        var gpu = HardwareCatalog.Default.FindGpu(gpuId)!;
        var plan = GpuPoolPlanner.Plan(OnPrem(gpu, config));
        Assert.Equal(config, plan.NodeLabels[GpuNodeLabels.MigConfig]);
        var layout = MigConfigs.BuiltInLayout(config, gpu)!;
        var expected = layout.Count == 0
            ? new Dictionary<string, int> { [GpuResources.Gpu] = 16 }
            : layout.ToDictionary(kv => "nvidia.com/mig-" + kv.Key, kv => kv.Value * 16);
        Assert.Equal(expected, plan.Capacity.AtMax);
        var op = GpuOperatorPlanner.Plan("op", new GpuOperatorDefinition { Substrate = Substrate.OnPrem, Pools = [plan], Environment = "dev", CostCenter = "ml" });
        Assert.Contains(config + ":", op.MigPartedConfig);
    }

    [Fact]
    public void Mig_on_a_gpu_without_mig_names_the_property()
    {
        var errors = GpuPoolPlanner.Validate(OnPrem(HardwareCatalog.Default.FindGpu("L40S")!, "all-1g.10gb"));
        var error = Assert.Single(errors);
        Assert.Equal("MigConfig", error.Path);
        Assert.StartsWith("L40S does not support MIG", error.Message);
    }

    [Fact]
    public void Onprem_sizes_conflict_and_missing_nodes_are_reported_together()
    {
        var errors = GpuPoolPlanner.Validate(OnPrem(HardwareCatalog.Default.FindGpu("L40S")!, null) with { NodeNames = [], MaxSize = 3, InstanceType = "g6e.xlarge" });
        Assert.Equal(["InstanceType", "MaxSize", "NodeNames"], errors.Select(e => e.Path).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Device_plugin_config_is_time_slicing_document()
    {
        Assert.Equal(
            "version: v1\nflags:\n  migStrategy: mixed\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 3\n",
            GpuOperatorPlanner.DevicePluginConfig(MigStrategy.Mixed, 3));
    }

    [Fact]
    public void Eks_subnets_split_the_vpc_into_private_and_public_blocks()
    {
        var errors = new List<ConfigError>();
        var subnets = EksClusterLayout.Subnets("10.40.0.0/16", ["us-east-1a", "us-east-1b"], errors);
        Assert.Empty(errors);
        Assert.Equal(
            [new ZoneSubnets("us-east-1a", "10.40.128.0/20", "10.40.0.0/20"), new ZoneSubnets("us-east-1b", "10.40.144.0/20", "10.40.16.0/20")],
            subnets.ToArray());
    }

    [Fact]
    public void Eks_subnets_reject_one_zone_and_host_bits()
    {
        var errors = new List<ConfigError>();
        Assert.Empty(EksClusterLayout.Subnets("10.40.0.1/16", ["us-east-1a"], errors));
        Assert.Equal(["AvailabilityZones", "VpcCidr"], errors.Select(e => e.Path).ToArray());
        Assert.Contains("did you mean 10.40.0.0/16", errors[1].Message);
    }

    private static readonly GpuNodePoolDefinition EksP5 = new()
    {
        PoolName = "p5",
        Substrate = Substrate.Eks,
        Environment = "prod",
        CostCenter = "ml",
        InstanceType = "p5.48xlarge",
        MinSize = 0,
        MaxSize = 2,
    };

    private static object At(System.Collections.Immutable.ImmutableSortedDictionary<string, object> values, string key, string leaf) =>
        ((System.Collections.Immutable.ImmutableSortedDictionary<string, object>)values[key])[leaf];

    [Fact]
    public void Preinstalled_pools_label_their_nodes_so_the_operators_driver_and_toolkit_skip_them()
    {
        var l4 = HardwareCatalog.Default.FindGpu("L4")!;
        var dgx = GpuPoolPlanner.Plan(OnPrem(l4, null) with { PoolName = "dgx", Driver = GpuDriver.Preinstalled });
        var plain = GpuPoolPlanner.Plan(OnPrem(l4, null) with { PoolName = "plain", NodeNames = ["n3"] });
        Assert.Equal("false", dgx.NodeLabels[GpuDrivers.DeployDriverLabel]);
        Assert.Equal("false", dgx.NodeLabels[GpuDrivers.DeployToolkitLabel]);
        Assert.False(plain.NodeLabels.ContainsKey(GpuDrivers.DeployDriverLabel));
        Assert.Equal(GpuDriver.Operator, plain.Spec.Driver);

        // Mixed cluster: the operator installs the driver (for "plain"), the labels keep it off "dgx".
        var mixed = GpuOperatorPlanner.Plan("op", new GpuOperatorDefinition { Substrate = Substrate.OnPrem, Pools = [dgx, plain], Environment = "dev", CostCenter = "ml" });
        Assert.Equal(true, At(mixed.Values, "driver", "enabled"));
        Assert.Equal(true, At(mixed.Values, "toolkit", "enabled"));

        // Every pool preinstalled: driver and toolkit off, no driver version.
        var allPreinstalled = GpuOperatorPlanner.Plan("op", new GpuOperatorDefinition { Substrate = Substrate.OnPrem, Pools = [dgx], Environment = "dev", CostCenter = "ml" });
        Assert.Equal(false, At(allPreinstalled.Values, "driver", "enabled"));
        Assert.Equal(false, At(allPreinstalled.Values, "toolkit", "enabled"));
        Assert.False(((System.Collections.Immutable.ImmutableSortedDictionary<string, object>)allPreinstalled.Values["driver"]).ContainsKey("version"));
    }

    [Fact]
    public void An_eks_pool_cannot_ask_the_operator_for_a_driver()
    {
        var errors = GpuPoolPlanner.Validate(EksP5 with { Driver = GpuDriver.Operator, AmiReleaseVersion = "1.33.13-20260714" });
        var error = Assert.Single(errors);
        Assert.Equal("Driver", error.Path);
        Assert.Contains("allowed on EKS: preinstalled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_eks_pool_pins_an_ami_release_of_the_compatibility_matrix()
    {
        var pool = EksP5;
        var missing = Assert.Single(GpuPoolPlanner.Validate(pool));
        Assert.Equal("AmiReleaseVersion", missing.Path);
        Assert.Contains("is required on EKS", missing.Message, StringComparison.Ordinal);
        Assert.Contains("1.33.13-20260714 (Kubernetes 1.33, driver 580.159.03)", missing.Message, StringComparison.Ordinal);

        var unknown = Assert.Single(GpuPoolPlanner.Validate(pool with { AmiReleaseVersion = "1.33.0-20250101" }));
        Assert.Contains("\"1.33.0-20250101\" is not a AL2023_x86_64_NVIDIA release of the compatibility matrix", unknown.Message, StringComparison.Ordinal);

        var plan = GpuPoolPlanner.Plan(pool with { AmiReleaseVersion = "1.34.9-20260714" });
        Assert.Equal("1.34.9-20260714", plan.Spec.AmiReleaseVersion);
        Assert.Equal("580.159.03", plan.Spec.DriverVersion);
    }
}
