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
}
