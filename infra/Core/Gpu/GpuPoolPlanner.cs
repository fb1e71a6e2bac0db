using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>Validates a <see cref="GpuNodePoolSpec"/> and decides its labels, taints, tolerations, tags, capacity and placement.</summary>
public static partial class GpuPoolPlanner
{
    /// <summary>The taint every GPU node carries: <c>nvidia.com/gpu=true:NoSchedule</c>.</summary>
    public static readonly NodeTaint GpuTaint = new(GpuNodeLabels.GpuTaintKey, GpuNodeLabels.GpuTaintValue, TaintEffect.NoSchedule);

    /// <summary>
    /// The toleration of GPU workloads: <c>nvidia.com/gpu</c> Exists NoSchedule. <c>Exists</c> also tolerates the
    /// <c>nvidia.com/gpu=present</c> taint some provisioning tools set.
    /// </summary>
    public static readonly PodToleration GpuToleration = new(GpuNodeLabels.GpuTaintKey, "Exists", null, TaintEffect.NoSchedule);

    /// <summary>Root volume of an EKS GPU node when <c>DiskSizeGiB</c> is not given (inference server images are large).</summary>
    public const int DefaultDiskSizeGiB = 200;

    /// <summary>The most time-slicing replicas per GPU (the binder's <c>timeSlicing.replicas</c> and <c>TimeSlicingReplicas</c>).</summary>
    public const int MaxTimeSlicingReplicas = 64;

    /// <summary>The pool-name rule (GPU and cpu pools): pool names name AWS resources (<c>&lt;name&gt;-node-group</c>, IAM roles of at most 64 characters).</summary>
    public const string PoolNameRule = "a DNS label of at most 40 characters: lowercase letters, digits and '-', starting with a letter";

    /// <summary>The node-name rule of on-prem pools (a Kubernetes node name).</summary>
    public const string NodeNameRule = "a Kubernetes node name (DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters)";

    /// <summary>The Input properties an EKS pool needs.</summary>
    public static readonly ImmutableSortedSet<string> EksInputs = ImmutableSortedSet.Create(StringComparer.Ordinal, "ClusterName", "NodeSubnetIds");

    /// <summary>True for a valid pool name (<see cref="PoolNameRule"/>).</summary>
    public static bool IsValidPoolName(string? name) => KubernetesNames.IsShortName(name);

    /// <summary>True for a valid node name (<see cref="NodeNameRule"/>).</summary>
    public static bool IsValidNodeName(string? name) => name is { Length: > 0 and <= 253 } && DnsSubdomain().IsMatch(name);

    /// <summary>Every problem of <paramref name="spec"/> with the Args property it concerns; empty when valid.</summary>
    /// <param name="spec">The pool as stated.</param>
    public static ImmutableArray<SpecProblem> Validate(GpuNodePoolSpec spec) => Validate(spec, HardwareCatalog.Default);

    /// <summary>Every problem of <paramref name="spec"/> against <paramref name="catalog"/>; empty when valid.</summary>
    /// <param name="spec">The pool as stated.</param>
    /// <param name="catalog">The hardware catalog.</param>
    public static ImmutableArray<SpecProblem> Validate(GpuNodePoolSpec spec, HardwareCatalog catalog)
    {
        var problems = new SpecProblems();
        _ = Resolve(spec, catalog, problems);
        return problems.ToImmutable();
    }

    /// <summary>Plans a valid pool.</summary>
    /// <param name="spec">The pool as stated.</param>
    /// <exception cref="ArgumentException">The spec is invalid (call <see cref="Validate(GpuNodePoolSpec)"/> first).</exception>
    public static GpuPoolPlan Plan(GpuNodePoolSpec spec) => Plan(spec, HardwareCatalog.Default);

    /// <summary>Plans a valid pool against <paramref name="catalog"/>.</summary>
    /// <param name="spec">The pool as stated.</param>
    /// <param name="catalog">The hardware catalog.</param>
    /// <exception cref="ArgumentException">The spec is invalid (call <see cref="Validate(GpuNodePoolSpec, HardwareCatalog)"/> first).</exception>
    public static GpuPoolPlan Plan(GpuNodePoolSpec spec, HardwareCatalog catalog)
    {
        var problems = new SpecProblems();
        var plan = Resolve(spec, catalog, problems);
        return problems.Count == 0 && plan is not null
            ? plan
            : throw new ArgumentException($"invalid GpuNodePoolSpec: {string.Join("; ", problems.ToImmutable())}", nameof(spec));
    }

    private static GpuPoolPlan? Resolve(GpuNodePoolSpec d, HardwareCatalog catalog, SpecProblems errors)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(catalog);
        void Error(string path, string message) => errors.Add(path, message);

        CheckOwnership(d.Ownership, errors);
        CheckPoolName(d.PoolName, errors);

        var substrate = PoolValues.Parse(PoolValues.Substrates, d.Substrate, "Substrate", errors);
        var purpose = PoolValues.Parse(PoolValues.GpuPurposes, d.Purpose, "Purpose", errors, PoolPurpose.Inference) ?? PoolPurpose.Inference;
        var capacityType = PoolValues.Parse(PoolValues.CapacityTypes, d.CapacityType, "CapacityType", errors, CapacityType.OnDemand) ?? CapacityType.OnDemand;
        var chosenStrategy = d.MigStrategy is null ? null : PoolValues.Parse(PoolValues.Strategies, d.MigStrategy, "MigStrategy", errors);
        var chosenDriver = d.Driver is null ? null : PoolValues.Parse(PoolValues.Drivers, d.Driver, "Driver", errors);
        var timeSlicing = d.TimeSlicingReplicas ?? 1;
        var inputs = d.ProvidedInputs ?? [];

        GpuModel? gpu = null;
        var gpusPerNode = 0;
        int min = 0, desired = 0, max = 0;
        if (substrate == Substrate.Eks)
        {
            foreach (var input in EksInputs.Where(i => !inputs.Contains(i)))
            {
                Error(input, input == "ClusterName" ? "is required on EKS (an EksCluster's ClusterName or an existing cluster's name)" : "is required on EKS (the subnets nodes launch into)");
            }

            if (d.DiskSizeGiB is < 20)
            {
                Error("DiskSizeGiB", $"must be at least 20, got {d.DiskSizeGiB}");
            }

            if (d.GpuModel is not null)
            {
                Error("GpuModel", "is on-prem only; on EKS the GPU model follows from InstanceType");
            }

            if (d.GpusPerNode is not null)
            {
                Error("GpusPerNode", "is on-prem only; on EKS the GPU count follows from InstanceType");
            }

            if (!d.NodeNames.IsDefaultOrEmpty)
            {
                Error("NodeNames", "is on-prem only; EKS nodes are created by the node group");
            }

            if (string.IsNullOrEmpty(d.InstanceType))
            {
                Error("InstanceType", "is required on EKS");
            }
            else if (catalog.FindInstanceType(d.InstanceType) is not { } type)
            {
                Error("InstanceType", $"\"{d.InstanceType}\" is not a GPU instance type of the catalog; valid: {string.Join(", ", catalog.InstanceTypes.Select(t => t.Name))}");
            }
            else
            {
                gpu = catalog.GpuOf(type);
                gpusPerNode = type.Gpus;
            }

            (min, desired, max) = EksSize(d.MinSize, d.DesiredSize, d.MaxSize, errors);
        }
        else if (substrate == Substrate.OnPrem)
        {
            foreach (var input in inputs.Where(i => i is "ClusterName" or "NodeSubnetIds" or "KubernetesVersion"))
            {
                Error(input, "is EKS only; on-prem nodes are reached through the Kubernetes provider");
            }

            foreach (var (set, prop) in new[] { (d.DiskSizeGiB is not null, "DiskSizeGiB"), (d.EnableSsm is not null, "EnableSsm") })
            {
                if (set)
                {
                    Error(prop, "is EKS only; on-prem nodes exist already");
                }
            }

            if (d.InstanceType is not null)
            {
                Error("InstanceType", "is EKS only; on-prem pools state GpuModel and GpusPerNode");
            }

            OnPremSize(d.MinSize, d.DesiredSize, d.MaxSize, errors);

            if (d.CapacityType is not null)
            {
                Error("CapacityType", "is EKS only; on-prem nodes have no capacity type");
            }

            if (string.IsNullOrEmpty(d.GpuModel))
            {
                Error("GpuModel", $"is required on-prem; valid: {string.Join(", ", catalog.Gpus.Select(g => g.Id))}");
            }
            else if (catalog.FindGpu(d.GpuModel) is not { } model)
            {
                Error("GpuModel", $"\"{d.GpuModel}\" is not a GPU model of the catalog; valid: {string.Join(", ", catalog.Gpus.Select(g => g.Id))}");
            }
            else
            {
                gpu = model;
            }

            if (d.GpusPerNode is not { } n || n < 1)
            {
                Error("GpusPerNode", $"is required on-prem and must be at least 1, got {(d.GpusPerNode is { } g ? g.ToString(CultureInfo.InvariantCulture) : "nothing")}");
            }
            else
            {
                gpusPerNode = n;
            }

            var names = OnPremNodes(d.NodeNames, errors);
            min = desired = max = names.Length;
        }

        var interruptible = d.Interruptible ?? purpose == PoolPurpose.Training;
        if (capacityType == CapacityType.Spot && !interruptible)
        {
            Error("CapacityType", d.Interruptible is null
                ? $"SPOT needs an interruptible pool, but {PoolValues.NameOf(PoolValues.Purposes, purpose)} pools are not interruptible by default; use ON_DEMAND or set Interruptible = true"
                : "SPOT needs an interruptible pool, but Interruptible is false; use ON_DEMAND or set Interruptible = true");
        }

        if (timeSlicing is < 1 or > MaxTimeSlicingReplicas)
        {
            Error("TimeSlicingReplicas", $"must be from 1 (not shared) to {MaxTimeSlicingReplicas}, got {timeSlicing}");
        }

        // MIG.
        var migName = d.MigConfig ?? d.CustomMigConfig?.Name;
        if (d.CustomMigConfig is { } custom && d.MigConfig is not null && d.MigConfig != custom.Name)
        {
            Error("MigConfig", $"\"{d.MigConfig}\" differs from CustomMigConfig's name \"{custom.Name}\"; leave MigConfig unset or use the same name");
        }

        PoolMig? mig = null;
        if (migName is not null && gpu is not null)
        {
            if (!gpu.MigSupported)
            {
                Error(d.MigConfig is null ? "CustomMigConfig" : "MigConfig", $"{gpu.Id} does not support MIG; remove the MIG config (MIG GPUs of the catalog: {string.Join(", ", catalog.Gpus.Where(g => g.MigSupported).Select(g => g.Id))})");
            }
            else if (gpusPerNode > 0)
            {
                var customs = d.CustomMigConfig is { } c ? new Dictionary<string, MigConfigDefinition> { [c.Name] = c } : [];
                var resolution = MigConfigs.Resolve(migName, gpu, gpusPerNode, customs);
                if (!resolution.IsValid)
                {
                    foreach (var e in resolution.Errors)
                    {
                        Error(d.CustomMigConfig is not null ? "CustomMigConfig" : "MigConfig", e);
                    }
                }
                else
                {
                    mig = new PoolMig(migName, resolution.PerDevice);
                }
            }
        }

        if (migName is not null && !KubernetesNames.IsLabelValue(migName))
        {
            Error("MigConfig", $"\"{migName}\" is not a valid label value");
        }

        if (d.DedicatedTo is { } dedicated && !KubernetesNames.IsDnsLabel(dedicated))
        {
            Error("DedicatedTo", $"\"{dedicated}\" is not a tenant name (a DNS label: lowercase letters, digits and '-', at most 63 characters)");
        }

        if (mig is { Enabled: true } && timeSlicing > 1)
        {
            Error("TimeSlicingReplicas", $"time-slicing ({timeSlicing} replicas) and MIG ({migName}) cannot be combined on one pool; use one of them");
        }

        var strategy = chosenStrategy ?? (mig is { Enabled: true } ? MigStrategy.Mixed : MigStrategy.None);
        if (mig is { Enabled: true })
        {
            if (strategy == MigStrategy.None)
            {
                Error("MigStrategy", $"none does not advertise MIG devices, but MIG config \"{migName}\" enables MIG; use Mixed (default) or Single");
            }
            else if (strategy == MigStrategy.Single && !GpuResources.IsHomogeneous(mig.PerDevice))
            {
                Error("MigStrategy", $"single needs every GPU MIG-enabled with one profile, but \"{migName}\" is {MigGeometry.Describe(mig.PerDevice.First(l => l.Count > 0))} per GPU; use Mixed");
            }
        }

        var driver = chosenDriver ?? (substrate == Substrate.Eks ? GpuDriver.Preinstalled : GpuDriver.Operator);
        if (substrate == Substrate.Eks && driver == GpuDriver.Operator)
        {
            Error("Driver", "is operator, but EKS GPU AMIs ship the NVIDIA driver and toolkit (the pool pins the AMI release); allowed on EKS: preinstalled");
        }

        string? driverVersion = substrate == Substrate.OnPrem && driver == GpuDriver.Operator ? GpuOperatorChart.DriverVersion : null;
        if (substrate == Substrate.Eks && gpu is not null)
        {
            var releaseAmiType = EksAmiTypes.For(gpu);
            var releases = Compatibility.CompatibilityMatrix.Default.EksAmis.Where(a => a.AmiType == releaseAmiType).ToList();
            var release = releases.FirstOrDefault(a => a.ReleaseVersion == d.AmiReleaseVersion);
            if (release is null)
            {
                Error("AmiReleaseVersion", (d.AmiReleaseVersion is null ? "is required on EKS (no floating AMI, hence no floating driver)" : $"\"{d.AmiReleaseVersion}\" is not a {releaseAmiType} release of the compatibility matrix")
                    + $"; allowed: {string.Join(", ", releases.Select(a => $"{a.ReleaseVersion} (Kubernetes {a.Kubernetes}, driver {a.Driver})"))}");
            }
            else
            {
                driverVersion = release.Driver;
            }
        }
        else if (d.AmiReleaseVersion is not null && substrate == Substrate.OnPrem)
        {
            Error("AmiReleaseVersion", "is EKS only; on-prem the driver comes from the GPU Operator or the host");
        }

        if (errors.Count > 0 || gpu is null || substrate is not { } sub || d.PoolName is not { } poolName)
        {
            return null;
        }

        var spec = new GpuPoolSpec(
            poolName, "", sub, purpose, d.InstanceType, d.NodeNames.IsDefault ? [] : d.NodeNames, gpu, gpusPerNode,
            min, desired, max, capacityType, interruptible, mig, timeSlicing, AllowOvercommit: false)
        { Driver = driver, AmiReleaseVersion = sub == Substrate.Eks ? d.AmiReleaseVersion : null, DriverVersion = driverVersion };

        var attribution = d.Ownership!.Labels().ToBuilder();
        attribution[ResourceLabels.Pool] = poolName;
        attribution[ResourceLabels.Purpose] = PoolValues.NameOf(PoolValues.Purposes, purpose);
        attribution[ResourceLabels.GpuModel] = gpu.Id;
        var tags = attribution.ToImmutable();
        var labels = attribution;
        if (mig is not null)
        {
            labels[GpuNodeLabels.MigConfig] = mig.ConfigName;
        }

        if (sub == Substrate.OnPrem)
        {
            labels[ResourceLabels.GpusPerNode] = gpusPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (sub == Substrate.OnPrem && driver == GpuDriver.Preinstalled)
        {
            labels[GpuDrivers.DeployDriverLabel] = "false";
            labels[GpuDrivers.DeployToolkitLabel] = "false";
        }

        var effective = mig is { Enabled: true } ? strategy : (chosenStrategy ?? MigStrategy.None);
        if (sub == Substrate.Eks && AutoscalerNodeTemplate.CarriesAcceleratorLabel(mig is not null, effective))
        {
            // cluster-autoscaler's GPU readiness: a node with this label and no nvidia.com/gpu yet is still starting.
            labels[AutoscalerNodeTemplate.AcceleratorLabel] = gpu.Id;
        }

        var devicePluginConfig = spec.TimeSliced ? poolName : null;
        if (devicePluginConfig is not null)
        {
            labels[GpuNodeLabels.DevicePluginConfig] = devicePluginConfig;
        }

        var capacity = CapacityPlanner.ForPool(spec, strategy);
        var nodeSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ResourceLabels.Pool, poolName)]);
        var nodeLabels = labels.ToImmutable();
        var (cpu, memory) = sub == Substrate.Eks && catalog.FindInstanceType(d.InstanceType!) is { } it
            ? PoolPlacement.NodeCpuMemory(it.Vcpus, it.MemoryGiB, d.DiskSizeGiB ?? DefaultDiskSizeGiB)
            : (0, 0);
        // A dedicated pool also carries its tenant's taint; the placement tolerates it (only that tenant's admission allows it).
        ImmutableArray<NodeTaint> taints = d.DedicatedTo is { } owner ? [GpuTaint, Tenancy.DedicatedPools.Taint(owner)] : [GpuTaint];
        ImmutableArray<PodToleration> tolerations = d.DedicatedTo is { } tenant ? [GpuToleration, Tenancy.DedicatedPools.Toleration(tenant)] : [GpuToleration];
        var placement = new PoolPlacement(poolName, nodeSelector, tolerations, effective, gpu.Id, gpusPerNode, min, max, capacity.AtMin, capacity.AtMax, cpu, memory);
        var amiType = sub == Substrate.Eks ? EksAmiTypes.For(gpu) : null;
        EksNodeGroupPlan? nodeGroup = null;
        if (sub == Substrate.Eks && catalog.FindInstanceType(d.InstanceType!) is { } instance)
        {
            var disk = d.DiskSizeGiB ?? DefaultDiskSizeGiB;
            var allocatable = Platform.NodeAllocatable.For(instance.Vcpus, instance.MemoryGiB, disk, capacity.PerNode);
            nodeGroup = new EksNodeGroupPlan($"Nodes of GPU pool {poolName}", d.InstanceType!, amiType!, d.AmiReleaseVersion, PoolValues.NameOf(PoolValues.CapacityTypes, capacityType),
                disk, min, desired, max, nodeLabels, taints, tags, d.EnableSsm ?? false)
            {
                NodeAllocatable = allocatable,
                AutoscalerTemplate = AutoscalerNodeTemplate.Tags(nodeLabels, taints, allocatable, mig is not null),
            };
        }

        return new GpuPoolPlan(
            spec,
            effective,
            d.CustomMigConfig,
            nodeLabels,
            taints,
            tolerations,
            nodeSelector,
            tags,
            amiType,
            devicePluginConfig,
            capacity,
            placement,
            nodeGroup);
    }

    /// <summary>The EKS size rules of a pool (GPU and cpu): MinSize ≥ 0 and MaxSize ≥ 1 required, MinSize ≤ DesiredSize ≤ MaxSize.</summary>
    internal static (int Min, int Desired, int Max) EksSize(int? minSize, int? desiredSize, int? maxSize, SpecProblems errors)
    {
        if (minSize is null)
        {
            errors.Add("MinSize", "is required on EKS (0 or more)");
        }

        if (maxSize is null)
        {
            errors.Add("MaxSize", "is required on EKS (at least 1)");
        }

        var min = minSize ?? 0;
        var max = maxSize ?? 0;
        var desired = desiredSize ?? min;
        errors.Require(minSize is not < 0, "MinSize", $"must be 0 or more, got {min}");
        errors.Require(maxSize is not < 1, "MaxSize", $"must be at least 1, got {max}");
        if (minSize is not null && maxSize is not null && min > max)
        {
            errors.Add("MinSize", $"({min}) must not exceed MaxSize ({max})");
        }
        else if (minSize is not null && maxSize is not null && (desired < min || desired > max))
        {
            errors.Add("DesiredSize", $"({desired}) must be between MinSize ({min}) and MaxSize ({max})");
        }

        return (min, desired, max);
    }

    /// <summary>On-prem pools (GPU and cpu) have no size of their own: MinSize, DesiredSize and MaxSize are EKS only.</summary>
    internal static void OnPremSize(int? minSize, int? desiredSize, int? maxSize, SpecProblems errors)
    {
        foreach (var (value, prop) in new[] { (minSize, "MinSize"), (desiredSize, "DesiredSize"), (maxSize, "MaxSize") })
        {
            errors.Require(value is null, prop, "is EKS only; an on-prem pool's size is its NodeNames count (nodes are never created or deleted)");
        }
    }

    /// <summary>The node-name rules of an on-prem pool (GPU and cpu): at least one, each <see cref="NodeNameRule"/>, none twice.</summary>
    internal static ImmutableArray<string> OnPremNodes(ImmutableArray<string> nodeNames, SpecProblems errors)
    {
        var names = nodeNames.IsDefault ? [] : nodeNames;
        errors.Require(!names.IsEmpty, "NodeNames", "at least one existing node is required on-prem");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!IsValidNodeName(names[i]))
            {
                errors.Add($"NodeNames[{i}]", $"\"{names[i]}\" is not allowed; allowed: {NodeNameRule}");
            }
            else if (!seen.Add(names[i]))
            {
                errors.Add($"NodeNames[{i}]", $"\"{names[i]}\" is listed twice");
            }
        }

        return names;
    }

    /// <summary>The pool-name rule (GPU and cpu pools).</summary>
    internal static void CheckPoolName(string? poolName, SpecProblems errors)
    {
        if (poolName is null)
        {
            errors.Add("PoolName", "is required");
        }
        else if (!IsValidPoolName(poolName))
        {
            errors.Add("PoolName", $"\"{poolName}\" is not allowed; allowed: {PoolNameRule}");
        }
    }

    /// <summary>The ownership rules (<see cref="OwnershipPlanner.Validate"/>), a null ownership reported as Environment/CostCenter.</summary>
    internal static void CheckOwnership(OwnershipSpec? ownership, SpecProblems errors)
    {
        errors.AddRange(OwnershipPlanner.Validate(ownership ?? new OwnershipSpec(null!, null!)));
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
