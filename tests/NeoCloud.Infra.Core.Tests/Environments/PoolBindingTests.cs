using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>
/// The gpuPools and clusters sections call the components' planners: for the same spec the binder's message is the
/// component's reason, at the key the section's table maps the property to (parity, issue 17).
/// </summary>
public class PoolBindingTests
{
    private static readonly string Prod = File.ReadAllText(RepoFiles.StackFile("prod"));

    private const string BurstH100 = "      instanceType: p5.48xlarge\n      minSize: 0\n      desiredSize: 0\n      maxSize: 2\n      capacityType: ON_DEMAND\n";

    private static ConfigError SingleError(string yaml) => Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, "prod")).Errors);

    private static (EnvironmentModel Model, GpuPoolSpec Pool) Valid(string poolName)
    {
        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(Prod, "prod"));
        return (model, model.Pool(poolName));
    }

    private static GpuNodePoolSpec SpecOf(EnvironmentModel model, GpuPoolSpec pool) =>
        GpuNodePoolSpec.ForPool(new OwnershipSpec(model.Environment, model.CostCenter), pool, pool.Mig is { } m ? model.MigConfigs.GetValueOrDefault(m.ConfigName) : null, null);

    public static TheoryData<string, string, string> PoolMutations() => new()
    {
        // (replacement of the burst-h100 pool's sizing block, key under gpuPools[3], the spec change in Args terms)
        { BurstH100.Replace("capacityType: ON_DEMAND", "capacityType: SPOT", StringComparison.Ordinal), "capacityType", "CapacityType=SPOT" },
        { BurstH100.Replace("minSize: 0\n      desiredSize: 0", "minSize: 3\n      desiredSize: 3", StringComparison.Ordinal), "minSize", "MinSize=3" },
        { BurstH100.Replace("instanceType: p5.48xlarge", "instanceType: m7i.large", StringComparison.Ordinal), "instanceType", "InstanceType=m7i.large" },
        { BurstH100 + "      driver: operator\n", "driver", "Driver=operator" },
    };

    [Theory]
    [MemberData(nameof(PoolMutations))]
    public void A_pool_error_is_the_pool_components_reason_at_the_mapped_key(string block, string key, string change)
    {
        Assert.Contains(BurstH100, Prod, StringComparison.Ordinal);
        var error = SingleError(Prod.Replace(BurstH100, block, StringComparison.Ordinal));
        Assert.Equal($"neocloud:gpuPools[3].{key}", error.Path);

        var (model, pool) = Valid("burst-h100");
        var spec = SpecOf(model, pool);
        var value = change.Split('=')[1];
        spec = change.Split('=')[0] switch
        {
            "CapacityType" => spec with { CapacityType = value, Interruptible = null }, // the YAML does not state it
            "MinSize" => spec with { MinSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), DesiredSize = 3 },
            "InstanceType" => spec with { InstanceType = value },
            "Driver" => spec with { Driver = value },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var problem = Assert.Single(GpuPoolPlanner.Validate(spec));

        // The planner's reason, with the properties it names written as the section's keys (MaxSize → maxSize).
        var check = EnvironmentBinder.Trace(StackConfig.FromYaml(Prod.Replace(BurstH100, block, StringComparison.Ordinal), "prod")).Checks.Last(c => c.ObjectPath == "neocloud:gpuPools[3]");
        Assert.Equal(error.Message, check.Message(problem));
    }

    [Fact]
    public void The_valid_pools_bind_to_what_their_components_plan()
    {
        var (model, _) = Valid("burst-h100");
        foreach (var pool in model.GpuPools.Where(p => p.Gpu is not null))
        {
            var planned = GpuPoolPlanner.Plan(SpecOf(model, pool)).Spec;
            Assert.Equal(pool with { Cluster = "", AllowOvercommit = false }, planned with { Mig = pool.Mig });
            Assert.Equal(pool.Mig?.ConfigName, planned.Mig?.ConfigName);
        }

        var system = model.Pool("burst-system");
        var cpu = CpuPoolPlanner.Plan(CpuNodePoolSpec.ForPool(new OwnershipSpec(model.Environment, model.CostCenter), system));
        Assert.Equal((system.MinSize, system.MaxSize), (cpu.Placement.MinNodes, cpu.Placement.MaxNodes));
        Assert.Equal(CpuPoolPlanner.SystemValue, cpu.NodeLabels[CpuPoolPlanner.SystemLabel]);
    }

    [Fact]
    public void A_cpu_pool_is_validated_by_the_cpu_pool_planner_and_rejects_gpu_keys()
    {
        var system = "      instanceType: m7i.2xlarge\n      minSize: 2\n      maxSize: 3\n";
        Assert.Contains(system, Prod, StringComparison.Ordinal);
        var error = SingleError(Prod.Replace(system, "      instanceType: m7i.2xlarge\n      minSize: 4\n      maxSize: 3\n", StringComparison.Ordinal));
        Assert.Equal("neocloud:gpuPools[5].minSize", error.Path);
        Assert.Equal("(4) must not exceed maxSize (3)", error.Message);

        var gpuKey = SingleError(Prod.Replace(system, system + "      timeSlicing: {replicas: 2}\n", StringComparison.Ordinal));
        Assert.Equal("neocloud:gpuPools[5].timeSlicing", gpuKey.Path);
        Assert.Contains("is only for GPU pools", gpuKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_slicing_replicas_follow_the_components_range()
    {
        var onprem = "      gpusPerNode: 8\n    - name: burst-h100\n";
        Assert.Contains(onprem, Prod, StringComparison.Ordinal);
        var error = SingleError(Prod.Replace(onprem, "      gpusPerNode: 8\n      timeSlicing: {replicas: 0}\n    - name: burst-h100\n", StringComparison.Ordinal));
        Assert.Equal("neocloud:gpuPools[2].timeSlicing.replicas", error.Path);
        Assert.Contains("must be from 1 (not shared) to 64", error.Message, StringComparison.Ordinal);

        // 1 = not shared is the component's default, so the binder accepts it too (it was 2..64 there, >= 1 in the component).
        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(Prod.Replace(onprem, "      gpusPerNode: 8\n      timeSlicing: {replicas: 1}\n    - name: burst-h100\n", StringComparison.Ordinal), "prod"));
        Assert.Equal(1, model.Pool("h100-train").TimeSlicingReplicas);
    }

    [Fact]
    public void A_network_error_is_the_eks_cluster_components_reason()
    {
        var error = SingleError(Prod.Replace("vpcCidr: 10.40.0.0/16", "vpcCidr: 10.40.0.0/24", StringComparison.Ordinal));
        Assert.Equal("neocloud:clusters[1].network.vpcCidr", error.Path);
        var spec = new EksClusterSpec { Ownership = new OwnershipSpec("prod", "ml"), VpcCidr = "10.40.0.0/24", AvailabilityZones = ["us-east-1a", "us-east-1b"] };
        Assert.Equal(Assert.Single(EksClusterPlanner.Validate(spec)).Reason, error.Message);
    }

    [Fact]
    public void An_explicit_single_strategy_is_the_operators_rule_at_the_clusters_key()
    {
        var yaml = Prod.Replace("        context: dc1-admin\n      migStrategy: mixed\n", "        context: dc1-admin\n      migStrategy: single\n", StringComparison.Ordinal);
        Assert.NotEqual(Prod, yaml);
        var error = SingleError(yaml);
        Assert.Equal("neocloud:clusters[0].migStrategy", error.Path);
        var (model, _) = Valid("h100-mig");
        var pools = model.PoolsOf("dc1").Where(p => p.Gpu is not null).Select(p => new ClusterMigStrategy.Pool(p.Name, p.Mig)).ToList();
        Assert.Equal(ClusterMigStrategy.Resolve(NeoCloud.Infra.Core.Hardware.MigStrategy.Single, pools).Problem, error.Message);
    }
}
