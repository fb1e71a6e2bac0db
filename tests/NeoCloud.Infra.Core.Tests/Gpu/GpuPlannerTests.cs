using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;

namespace NeoCloud.Infra.Core.Tests.Gpu;

public class GpuPlannerTests
{
    private static readonly OwnershipSpec Dev = new("dev", "ml");

    private static GpuNodePoolSpec OnPrem(GpuModel gpu, string? mig) => new()
    {
        Ownership = Dev,
        PoolName = "pool",
        Substrate = "onprem",
        GpuModel = gpu.Id,
        GpusPerNode = 8,
        NodeNames = ["n1", "n2"],
        MigConfig = mig,
    };

    private static GpuOperatorPoolSpec OperatorPool(GpuNodePoolSpec pool) => new()
    {
        PoolName = pool.PoolName,
        GpuModel = pool.GpuModel,
        GpusPerNode = pool.GpusPerNode,
        MigConfig = pool.MigConfig,
        CustomMigConfig = pool.CustomMigConfig,
        TimeSlicingReplicas = pool.TimeSlicingReplicas,
        Driver = pool.Driver,
    };

    private static GpuOperatorSpec Operator(params GpuNodePoolSpec[] pools) =>
        new() { Ownership = Dev, Substrate = "onprem", Pools = [.. pools.Select(OperatorPool)] };

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
        Assert.Equal(expected, plan.Placement.AllocatableAtMax);
        var op = GpuOperatorPlanner.Plan(Operator(OnPrem(gpu, config)));
        Assert.Contains(config + ":", op.MigPartedConfig);
    }

    [Fact]
    public void Mig_on_a_gpu_without_mig_names_the_property()
    {
        var errors = GpuPoolPlanner.Validate(OnPrem(HardwareCatalog.Default.FindGpu("L40S")!, "all-1g.10gb"));
        var error = Assert.Single(errors);
        Assert.Equal("MigConfig", error.PropertyPath);
        Assert.StartsWith("L40S does not support MIG", error.Reason);
    }

    [Fact]
    public void Onprem_sizes_conflict_and_missing_nodes_are_reported_together()
    {
        var errors = GpuPoolPlanner.Validate(OnPrem(HardwareCatalog.Default.FindGpu("L40S")!, null) with { NodeNames = [], MaxSize = 3, InstanceType = "g6e.xlarge" });
        Assert.Equal(["InstanceType", "MaxSize", "NodeNames"], errors.Select(e => e.PropertyPath).Order(StringComparer.Ordinal).ToArray());
    }

    private static readonly GpuNodePoolSpec EksP5 = new()
    {
        Ownership = new OwnershipSpec("prod", "ml"),
        PoolName = "p5",
        Substrate = "eks",
        InstanceType = "p5.48xlarge",
        AmiReleaseVersion = "1.33.13-20260714",
        MinSize = 0,
        MaxSize = 2,
        ProvidedInputs = GpuPoolPlanner.EksInputs,
    };

    /// <summary>Every rule of <see cref="GpuPoolPlanner.Validate(GpuNodePoolSpec)"/>: one mutation of a valid spec, the one property it reports and a part of the reason.</summary>
    public static TheoryData<string, string, string> GpuPoolRules() => new()
    {
        { "env", "Environment", "is not allowed" },
        { "tag", "Tags[\"app.kubernetes.io/name\"]", "reserved" },
        { "name-null", "PoolName", "is required" },
        { "name-long", "PoolName", "at most 40 characters" },
        { "substrate-null", "Substrate", "is required; allowed: eks, onprem" },
        { "substrate-bad", "Substrate", "\"Eks\" is not allowed; allowed: eks, onprem" },
        { "purpose-cpu", "Purpose", "\"cpu\" is not allowed; allowed: inference, training" },
        { "capacity-bad", "CapacityType", "\"spot\" is not allowed" },
        { "spot-inference", "CapacityType", "SPOT needs an interruptible pool" },
        { "strategy-bad", "MigStrategy", "\"Mixed\" is not allowed" },
        { "driver-bad", "Driver", "\"nvidia\" is not allowed" },
        { "driver-operator", "Driver", "allowed on EKS: preinstalled" },
        { "no-cluster", "ClusterName", "is required on EKS" },
        { "no-subnets", "NodeSubnetIds", "is required on EKS" },
        { "disk", "DiskSizeGiB", "at least 20" },
        { "gpu-model-eks", "GpuModel", "is on-prem only" },
        { "gpus-eks", "GpusPerNode", "is on-prem only" },
        { "nodes-eks", "NodeNames", "is on-prem only" },
        { "type-null", "InstanceType", "is required on EKS" },
        { "type-cpu", "InstanceType", "is not a GPU instance type of the catalog" },
        { "min-null", "MinSize", "is required on EKS" },
        { "max-null", "MaxSize", "is required on EKS" },
        { "min-negative", "MinSize", "must be 0 or more" },
        { "max-zero", "MaxSize", "must be at least 1" },
        { "min-above-max", "MinSize", "must not exceed MaxSize" },
        { "desired-outside", "DesiredSize", "must be between MinSize (0) and MaxSize (2)" },
        { "ami-null", "AmiReleaseVersion", "is required on EKS" },
        { "ami-unknown", "AmiReleaseVersion", "is not a AL2023_x86_64_NVIDIA release" },
        { "time-slicing-zero", "TimeSlicingReplicas", "must be from 1 (not shared) to 64" },
        { "time-slicing-65", "TimeSlicingReplicas", "must be from 1 (not shared) to 64" },
        { "time-slicing-and-mig", "TimeSlicingReplicas", "cannot be combined" },
        { "mig-unknown", "MigConfig", "all-9g.99gb" },
        { "mig-name-differs", "MigConfig", "differs from CustomMigConfig's name" },
        { "strategy-none-with-mig", "MigStrategy", "none does not advertise MIG devices" },
        { "onprem-cluster", "ClusterName", "is EKS only" },
        { "onprem-version", "KubernetesVersion", "is EKS only" },
        { "onprem-ssm", "EnableSsm", "is EKS only" },
        { "onprem-type", "InstanceType", "is EKS only" },
        { "onprem-capacity", "CapacityType", "is EKS only" },
        { "onprem-min", "MinSize", "is EKS only" },
        { "onprem-ami", "AmiReleaseVersion", "is EKS only" },
        { "onprem-model-null", "GpuModel", "is required on-prem" },
        { "onprem-model-bad", "GpuModel", "is not a GPU model of the catalog" },
        { "onprem-gpus", "GpusPerNode", "is required on-prem and must be at least 1" },
        { "onprem-nodes-empty", "NodeNames", "at least one existing node" },
        { "onprem-node-bad", "NodeNames[1]", "is not allowed; allowed: a Kubernetes node name" },
        { "onprem-node-twice", "NodeNames[1]", "is listed twice" },
    };

    private static GpuNodePoolSpec Mutate(string rule)
    {
        var h100 = OnPrem(HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!, null);
        return rule switch
        {
            "env" => EksP5 with { Ownership = new OwnershipSpec("Prod", "ml") },
            "tag" => EksP5 with { Ownership = new OwnershipSpec("prod", "ml", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("app.kubernetes.io/name", "x")])) },
            "name-null" => EksP5 with { PoolName = null },
            "name-long" => EksP5 with { PoolName = new string('a', 41) },
            "substrate-null" => EksP5 with { Substrate = null },
            "substrate-bad" => EksP5 with { Substrate = "Eks" },
            "purpose-cpu" => EksP5 with { Purpose = "cpu" },
            "capacity-bad" => EksP5 with { CapacityType = "spot", Interruptible = true },
            "spot-inference" => EksP5 with { CapacityType = "SPOT" },
            "strategy-bad" => EksP5 with { MigStrategy = "Mixed" },
            "driver-bad" => EksP5 with { Driver = "nvidia" },
            "driver-operator" => EksP5 with { Driver = "operator" },
            "no-cluster" => EksP5 with { ProvidedInputs = ["NodeSubnetIds"] },
            "no-subnets" => EksP5 with { ProvidedInputs = ["ClusterName"] },
            "disk" => EksP5 with { DiskSizeGiB = 10 },
            "gpu-model-eks" => EksP5 with { GpuModel = "H100-SXM5-80GB" },
            "gpus-eks" => EksP5 with { GpusPerNode = 8 },
            "nodes-eks" => EksP5 with { NodeNames = ["n1"] },
            "type-null" => EksP5 with { InstanceType = null },
            "type-cpu" => EksP5 with { InstanceType = "m7i.xlarge" },
            "min-null" => EksP5 with { MinSize = null },
            "max-null" => EksP5 with { MaxSize = null },
            "min-negative" => EksP5 with { MinSize = -1, DesiredSize = 0 },
            "max-zero" => EksP5 with { MaxSize = 0 },
            "min-above-max" => EksP5 with { MinSize = 3 },
            "desired-outside" => EksP5 with { DesiredSize = 5 },
            "ami-null" => EksP5 with { AmiReleaseVersion = null },
            "ami-unknown" => EksP5 with { AmiReleaseVersion = "1.33.0-20250101" },
            "time-slicing-zero" => EksP5 with { TimeSlicingReplicas = 0 },
            "time-slicing-65" => EksP5 with { TimeSlicingReplicas = 65 },
            "time-slicing-and-mig" => EksP5 with { TimeSlicingReplicas = 4, MigConfig = "all-1g.10gb" },
            "mig-unknown" => EksP5 with { MigConfig = "all-9g.99gb" },
            "mig-name-differs" => EksP5 with { MigConfig = "all-1g.10gb", CustomMigConfig = new MigConfigDefinition("half", [new MigDeviceLayout(null, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("1g.10gb", 7)]))]) },
            "strategy-none-with-mig" => EksP5 with { MigConfig = "all-1g.10gb", MigStrategy = "none" },
            "onprem-cluster" => h100 with { ProvidedInputs = ["ClusterName"] },
            "onprem-version" => h100 with { ProvidedInputs = ["KubernetesVersion"] },
            "onprem-ssm" => h100 with { EnableSsm = true },
            "onprem-type" => h100 with { InstanceType = "p5.48xlarge" },
            "onprem-capacity" => h100 with { CapacityType = "ON_DEMAND" },
            "onprem-min" => h100 with { MinSize = 1 },
            "onprem-ami" => h100 with { AmiReleaseVersion = "1.33.13-20260714" },
            "onprem-model-null" => h100 with { GpuModel = null },
            "onprem-model-bad" => h100 with { GpuModel = "H200" },
            "onprem-gpus" => h100 with { GpusPerNode = 0 },
            "onprem-nodes-empty" => h100 with { NodeNames = [] },
            "onprem-node-bad" => h100 with { NodeNames = ["n1", "Node_2"] },
            "onprem-node-twice" => h100 with { NodeNames = ["n1", "n1"] },
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
    }

    [Fact]
    public void The_valid_specs_of_the_rule_table_are_valid()
    {
        Assert.Empty(GpuPoolPlanner.Validate(EksP5));
        Assert.Empty(GpuPoolPlanner.Validate(OnPrem(HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!, null)));
    }

    [Theory]
    [MemberData(nameof(GpuPoolRules))]
    public void Every_gpu_pool_rule_reports_its_property(string rule, string path, string reason)
    {
        var problems = GpuPoolPlanner.Validate(Mutate(rule));
        Assert.Contains(problems, p => p.PropertyPath == path && p.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_spec_lists_the_required_properties_without_throwing()
    {
        var problems = GpuPoolPlanner.Validate(new GpuNodePoolSpec { Ownership = null! });
        Assert.Equal(["CostCenter", "Environment", "PoolName", "Substrate"], problems.Select(p => p.PropertyPath).Order(StringComparer.Ordinal).ToArray());
        Assert.Throws<ArgumentException>(() => GpuPoolPlanner.Plan(new GpuNodePoolSpec { Ownership = Dev }));
    }

    [Fact]
    public void An_eks_pool_publishes_its_placement_with_node_cpu_and_memory_from_node_allocatable()
    {
        var plan = GpuPoolPlanner.Plan(EksP5 with { MigConfig = "all-1g.10gb", MaxSize = 4 });
        var p = plan.Placement;
        Assert.Equal("p5", p.PoolName);
        Assert.Equal("p5", p.NodeSelector["neocloud.io/pool"]);
        Assert.Equal([GpuPoolPlanner.GpuToleration], p.Tolerations.ToArray());
        Assert.Equal(MigStrategy.Mixed, p.Strategy);
        Assert.Equal("H100-SXM5-80GB", p.GpuModel);
        Assert.Equal((8, 0, 4), (p.GpusPerNode, p.MinNodes, p.MaxNodes));
        Assert.Equal(224, p.AllocatableAtMax["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(0, p.AllocatableAtMin["nvidia.com/mig-1g.10gb"]);
        var type = HardwareCatalog.Default.FindInstanceType("p5.48xlarge")!;
        var node = NeoCloud.Infra.Core.Platform.NodeAllocatable.For(type.Vcpus, type.MemoryGiB, GpuPoolPlanner.DefaultDiskSizeGiB, ImmutableSortedDictionary<string, int>.Empty);
        Assert.Equal(node[NeoCloud.Infra.Core.Platform.Quantities.Cpu], p.NodeCpuMillicores);
        Assert.Equal(node[NeoCloud.Infra.Core.Platform.Quantities.Memory] / (1L << 20), p.NodeMemoryMebibytes);
        Assert.Equal("ON_DEMAND", plan.NodeGroup!.CapacityType);
        Assert.Equal("1.33.13-20260714", plan.NodeGroup.ReleaseVersion);
    }

    [Fact]
    public void An_onprem_pool_does_not_know_its_nodes_cpu_and_memory()
    {
        var p = GpuPoolPlanner.Plan(OnPrem(HardwareCatalog.Default.FindGpu("L4")!, null)).Placement;
        Assert.Equal((0, 0), (p.NodeCpuMillicores, p.NodeMemoryMebibytes));
        Assert.Equal(16, p.AllocatableAtMin[GpuResources.Gpu]);
    }

    [Fact]
    public void Extra_tags_reach_labels_and_tags()
    {
        var tagged = EksP5 with { Ownership = new OwnershipSpec("prod", "ml", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("team", "infer")])) };
        var plan = GpuPoolPlanner.Plan(tagged);
        Assert.Equal("infer", plan.NodeLabels["team"]);
        Assert.Equal("infer", plan.Tags["team"]);
        Assert.Equal("prod", plan.Tags[ResourceLabels.Environment]);
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
        var errors = new SpecProblems();
        var subnets = EksClusterLayout.Subnets("10.40.0.0/16", ["us-east-1a", "us-east-1b"], errors);
        Assert.Equal(0, errors.Count);
        Assert.Equal(
            [new ZoneSubnets("us-east-1a", "10.40.128.0/20", "10.40.0.0/20"), new ZoneSubnets("us-east-1b", "10.40.144.0/20", "10.40.16.0/20")],
            subnets.ToArray());
    }

    [Fact]
    public void Eks_cluster_spec_reports_zones_cidr_and_ownership_together()
    {
        var problems = EksClusterPlanner.Validate(new EksClusterSpec { Ownership = new OwnershipSpec("", "ml"), VpcCidr = "10.40.0.1/16", AvailabilityZones = ["us-east-1a"] });
        Assert.Equal(["Environment", "AvailabilityZones", "VpcCidr"], problems.Select(e => e.PropertyPath).ToArray());
        Assert.Contains("did you mean 10.40.0.0/16", problems[2].Reason);
        Assert.Contains("lists a zone twice", Assert.Single(EksClusterPlanner.Validate(new EksClusterSpec { Ownership = Dev, AvailabilityZones = ["a", "a"] })).Reason);
        Assert.Contains("at most 8", Assert.Single(EksClusterPlanner.Validate(new EksClusterSpec { Ownership = Dev, AvailabilityZones = [.. Enumerable.Range(0, 9).Select(i => $"z{i}")] })).Reason);
        var plan = EksClusterPlanner.Plan(new EksClusterSpec { Ownership = Dev, AvailabilityZones = ["us-east-1a", "us-east-1b"] });
        Assert.Equal(EksClusterPlanner.DefaultVpcCidr, plan.VpcCidr);
        Assert.True(plan.EndpointPublicAccess);
        Assert.Equal("dev", plan.Tags[ResourceLabels.Environment]);
    }

    private static object At(ImmutableSortedDictionary<string, object> values, string key, string leaf) =>
        ((ImmutableSortedDictionary<string, object>)values[key])[leaf];

    [Fact]
    public void Preinstalled_pools_label_their_nodes_so_the_operators_driver_and_toolkit_skip_them()
    {
        var l4 = HardwareCatalog.Default.FindGpu("L4")!;
        var dgxSpec = OnPrem(l4, null) with { PoolName = "dgx", Driver = "preinstalled" };
        var plainSpec = OnPrem(l4, null) with { PoolName = "plain", NodeNames = ["n3"] };
        var dgx = GpuPoolPlanner.Plan(dgxSpec);
        var plain = GpuPoolPlanner.Plan(plainSpec);
        Assert.Equal("false", dgx.NodeLabels[GpuDrivers.DeployDriverLabel]);
        Assert.Equal("false", dgx.NodeLabels[GpuDrivers.DeployToolkitLabel]);
        Assert.False(plain.NodeLabels.ContainsKey(GpuDrivers.DeployDriverLabel));
        Assert.Equal(GpuDriver.Operator, plain.Spec.Driver);

        // Mixed cluster: the operator installs the driver (for "plain"), the labels keep it off "dgx".
        var mixed = GpuOperatorPlanner.Plan(Operator(dgxSpec, plainSpec));
        Assert.Equal(true, At(mixed.Values, "driver", "enabled"));
        Assert.Equal(true, At(mixed.Values, "toolkit", "enabled"));

        // Every pool preinstalled: driver and toolkit off, no driver version.
        var allPreinstalled = GpuOperatorPlanner.Plan(Operator(dgxSpec));
        Assert.Equal(false, At(allPreinstalled.Values, "driver", "enabled"));
        Assert.Equal(false, At(allPreinstalled.Values, "toolkit", "enabled"));
        Assert.False(((ImmutableSortedDictionary<string, object>)allPreinstalled.Values["driver"]).ContainsKey("version"));
    }

    [Fact]
    public void An_eks_pool_pins_an_ami_release_of_the_compatibility_matrix()
    {
        var missing = Assert.Single(GpuPoolPlanner.Validate(EksP5 with { AmiReleaseVersion = null }));
        Assert.Equal("AmiReleaseVersion", missing.PropertyPath);
        Assert.Contains("1.33.13-20260714 (Kubernetes 1.33, driver 580.159.03)", missing.Reason, StringComparison.Ordinal);

        var plan = GpuPoolPlanner.Plan(EksP5 with { AmiReleaseVersion = "1.34.9-20260714" });
        Assert.Equal("1.34.9-20260714", plan.Spec.AmiReleaseVersion);
        Assert.Equal("580.159.03", plan.Spec.DriverVersion);
    }

    /// <summary>Every rule of <see cref="GpuOperatorPlanner.Validate(GpuOperatorSpec)"/>.</summary>
    public static TheoryData<string, string, string> OperatorRules() => new()
    {
        { "cost-center", "CostCenter", "is not allowed" },
        { "substrate", "Substrate", "is required" },
        { "strategy-bad", "MigStrategy", "\"auto\" is not allowed" },
        { "namespace", "Namespace", "DNS-1123 label" },
        { "release", "PrometheusReleaseLabel", "label value" },
        { "null-pool", "Pools[0]", "is required" },
        { "pool-name", "Pools[0].PoolName", "is required" },
        { "pool-twice", "Pools[1].PoolName", "is listed twice" },
        { "reserved-name", "Pools[0].PoolName", "is reserved for nodes without sharing" },
        { "gpu-null", "Pools[0].GpuModel", "is required" },
        { "gpu-bad", "Pools[0].GpuModel", "is not a GPU model of the catalog" },
        { "gpus", "Pools[0].GpusPerNode", "at least 1" },
        { "replicas", "Pools[0].TimeSlicingReplicas", "to 64" },
        { "driver", "Pools[0].Driver", "\"host\" is not allowed" },
        { "mig-unsupported", "Pools[0].MigConfig", "does not support MIG" },
        { "mig-unknown", "Pools[0].MigConfig", "all-9g.99gb" },
        { "mig-and-slicing", "Pools[0].TimeSlicingReplicas", "cannot be combined" },
        { "none-with-mig", "MigStrategy", "is none but pools h100 use MIG" },
        { "single-with-whole", "MigStrategy", "single is not possible: pools l4 have whole GPUs" },
    };

    [Theory]
    [MemberData(nameof(OperatorRules))]
    public void Every_operator_rule_reports_its_property(string rule, string path, string reason)
    {
        var h100 = OperatorPool(OnPrem(HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!, "all-1g.10gb") with { PoolName = "h100" });
        var l4 = OperatorPool(OnPrem(HardwareCatalog.Default.FindGpu("L4")!, null) with { PoolName = "l4" });
        var valid = new GpuOperatorSpec { Ownership = Dev, Substrate = "onprem", Pools = [h100, l4] };
        Assert.Empty(GpuOperatorPlanner.Validate(valid));
        var spec = rule switch
        {
            "cost-center" => valid with { Ownership = new OwnershipSpec("dev", "ML") },
            "substrate" => valid with { Substrate = null },
            "strategy-bad" => valid with { MigStrategy = "auto" },
            "namespace" => valid with { Namespace = "GPU" },
            "release" => valid with { PrometheusReleaseLabel = "" },
            "null-pool" => valid with { Pools = [null!] },
            "pool-name" => valid with { Pools = [h100 with { PoolName = null }] },
            "pool-twice" => valid with { Pools = [h100, h100] },
            "reserved-name" => valid with { Pools = [l4 with { PoolName = GpuOperatorChart.DevicePluginDefaultConfig, TimeSlicingReplicas = 2 }] },
            "gpu-null" => valid with { Pools = [l4 with { GpuModel = null }] },
            "gpu-bad" => valid with { Pools = [l4 with { GpuModel = "T4" }] },
            "gpus" => valid with { Pools = [l4 with { GpusPerNode = 0 }] },
            "replicas" => valid with { Pools = [l4 with { TimeSlicingReplicas = 65 }] },
            "driver" => valid with { Pools = [l4 with { Driver = "host" }] },
            "mig-unsupported" => valid with { Pools = [l4 with { MigConfig = "all-1g.10gb" }] },
            "mig-unknown" => valid with { Pools = [h100 with { MigConfig = "all-9g.99gb" }] },
            "mig-and-slicing" => valid with { Pools = [h100 with { TimeSlicingReplicas = 2 }] },
            "none-with-mig" => valid with { MigStrategy = "none" },
            "single-with-whole" => valid with { MigStrategy = "single" },
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
        Assert.Contains(GpuOperatorPlanner.Validate(spec), p => p.PropertyPath == path && p.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_operator_defaults_to_mixed_with_a_mig_pool_and_renders_time_slicing_per_pool()
    {
        var h100 = OperatorPool(OnPrem(HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!, "all-1g.10gb") with { PoolName = "h100" });
        var l4 = OperatorPool(OnPrem(HardwareCatalog.Default.FindGpu("L4")!, null) with { PoolName = "l4", TimeSlicingReplicas = 4 });
        var plan = GpuOperatorPlanner.Plan(new GpuOperatorSpec { Ownership = Dev, Substrate = "onprem", Pools = [h100, l4] });
        Assert.Equal(MigStrategy.Mixed, plan.Strategy);
        Assert.Equal([GpuOperatorChart.DevicePluginDefaultConfig, "l4"], plan.DevicePluginConfigs.Keys.ToArray());
        Assert.Contains("replicas: 4", plan.DevicePluginConfigs["l4"], StringComparison.Ordinal);
        Assert.Equal(MigStrategy.None, GpuOperatorPlanner.Plan(new GpuOperatorSpec { Ownership = Dev, Substrate = "eks", Pools = [l4 with { TimeSlicingReplicas = 1 }] }).Strategy);
        Assert.Equal(MigStrategy.Single, GpuOperatorPlanner.Plan(new GpuOperatorSpec { Ownership = Dev, Substrate = "onprem", MigStrategy = "single", Pools = [h100] }).Strategy);
    }

    /// <summary>Every rule of <see cref="CpuPoolPlanner.Validate(CpuNodePoolSpec)"/>.</summary>
    public static TheoryData<string, string, string> CpuPoolRules() => new()
    {
        { "env", "Environment", "is not allowed" },
        { "name", "PoolName", "at most 40 characters" },
        { "substrate", "Substrate", "\"aws\" is not allowed" },
        { "capacity", "CapacityType", "\"spot\" is not allowed" },
        { "no-cluster", "ClusterName", "is required on EKS" },
        { "type-null", "InstanceType", "is required on EKS; CPU instance types of the catalog" },
        { "type-gpu", "InstanceType", "is not a CPU instance type of the hardware catalog" },
        { "nodes-eks", "NodeNames", "is on-prem only" },
        { "max-null", "MaxSize", "is required on EKS" },
        { "desired", "DesiredSize", "must be between" },
        { "onprem-subnets", "NodeSubnetIds", "is EKS only" },
        { "onprem-type", "InstanceType", "is EKS only" },
        { "onprem-capacity", "CapacityType", "is EKS only" },
        { "onprem-max", "MaxSize", "is EKS only" },
        { "onprem-nodes", "NodeNames", "at least one existing node" },
        { "onprem-node", "NodeNames[0]", "a Kubernetes node name" },
    };

    [Theory]
    [MemberData(nameof(CpuPoolRules))]
    public void Every_cpu_pool_rule_reports_its_property(string rule, string path, string reason)
    {
        var eks = new CpuNodePoolSpec { Ownership = Dev, PoolName = "system", Substrate = "eks", InstanceType = "m7i.xlarge", MinSize = 2, MaxSize = 3, System = true, ProvidedInputs = GpuPoolPlanner.EksInputs };
        var onprem = new CpuNodePoolSpec { Ownership = Dev, PoolName = "cpu", Substrate = "onprem", NodeNames = ["c1"] };
        Assert.Empty(CpuPoolPlanner.Validate(eks));
        Assert.Empty(CpuPoolPlanner.Validate(onprem));
        var spec = rule switch
        {
            "env" => eks with { Ownership = new OwnershipSpec("1dev", "ml") },
            "name" => eks with { PoolName = new string('s', 41) },
            "substrate" => eks with { Substrate = "aws" },
            "capacity" => eks with { CapacityType = "spot" },
            "no-cluster" => eks with { ProvidedInputs = ["NodeSubnetIds"] },
            "type-null" => eks with { InstanceType = null },
            "type-gpu" => eks with { InstanceType = "p5.48xlarge" },
            "nodes-eks" => eks with { NodeNames = ["c1"] },
            "max-null" => eks with { MaxSize = null },
            "desired" => eks with { DesiredSize = 9 },
            "onprem-subnets" => onprem with { ProvidedInputs = ["NodeSubnetIds"] },
            "onprem-type" => onprem with { InstanceType = "m7i.xlarge" },
            "onprem-capacity" => onprem with { CapacityType = "SPOT" },
            "onprem-max" => onprem with { MaxSize = 2 },
            "onprem-nodes" => onprem with { NodeNames = [] },
            "onprem-node" => onprem with { NodeNames = ["C1"] },
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
        Assert.Contains(CpuPoolPlanner.Validate(spec), p => p.PropertyPath == path && p.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_system_cpu_pool_is_labelled_and_publishes_cpu_memory_without_gpu_resources()
    {
        var plan = CpuPoolPlanner.Plan(new CpuNodePoolSpec { Ownership = Dev, PoolName = "system", Substrate = "eks", InstanceType = "m7i.xlarge", MinSize = 2, MaxSize = 3, System = true, ProvidedInputs = GpuPoolPlanner.EksInputs });
        Assert.Equal(CpuPoolPlanner.SystemValue, plan.NodeLabels[CpuPoolPlanner.SystemLabel]);
        Assert.Equal("cpu", plan.NodeLabels[ResourceLabels.Purpose]);
        Assert.Equal(EksAmiTypes.Al2023X8664Standard, plan.NodeGroup!.AmiType);
        Assert.Null(plan.NodeGroup.ReleaseVersion);
        Assert.Empty(plan.NodeGroup.Taints);
        Assert.Empty(plan.Placement.Tolerations);
        Assert.Empty(plan.Placement.AllocatableAtMax);
        Assert.Equal(MigStrategy.None, plan.Placement.Strategy);
        var type = HardwareCatalog.Default.FindCpuInstanceType("m7i.xlarge")!;
        Assert.Equal(PoolPlacement.NodeCpuMemory(type.Vcpus, type.MemoryGiB, CpuPoolPlanner.DiskSizeGiB), (plan.Placement.NodeCpuMillicores, plan.Placement.NodeMemoryMebibytes));
        Assert.True(plan.Placement.NodeCpuMillicores > 0);
    }
}
