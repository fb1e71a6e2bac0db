using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>Validates a <see cref="GpuNodePoolDefinition"/> and decides its labels, taints, tolerations, tags and capacity.</summary>
public static partial class GpuPoolPlanner
{
    /// <summary>The taint every GPU node carries: <c>nvidia.com/gpu=true:NoSchedule</c>.</summary>
    public static readonly NodeTaint GpuTaint = new(GpuNodeLabels.GpuTaintKey, GpuNodeLabels.GpuTaintValue, TaintEffect.NoSchedule);

    /// <summary>
    /// The toleration of GPU workloads: <c>nvidia.com/gpu</c> Exists NoSchedule. <c>Exists</c> also tolerates the
    /// <c>nvidia.com/gpu=present</c> taint some provisioning tools set.
    /// </summary>
    public static readonly PodToleration GpuToleration = new(GpuNodeLabels.GpuTaintKey, "Exists", null, TaintEffect.NoSchedule);

    /// <summary>Every problem of <paramref name="definition"/> with the Args property it concerns; empty when valid.</summary>
    /// <param name="definition">The pool as stated.</param>
    /// <param name="catalog">The hardware catalog; defaults to <see cref="HardwareCatalog.Default"/>.</param>
    public static IReadOnlyList<ConfigError> Validate(GpuNodePoolDefinition definition, HardwareCatalog? catalog = null)
    {
        var errors = new List<ConfigError>();
        _ = Resolve(definition, catalog ?? HardwareCatalog.Default, errors);
        return errors;
    }

    /// <summary>Plans the pool.</summary>
    /// <param name="definition">The pool as stated.</param>
    /// <param name="catalog">The hardware catalog; defaults to <see cref="HardwareCatalog.Default"/>.</param>
    /// <exception cref="ComponentArgsException">The definition is invalid; every problem is listed.</exception>
    public static GpuPoolPlan Plan(GpuNodePoolDefinition definition, HardwareCatalog? catalog = null)
    {
        var errors = new List<ConfigError>();
        var plan = Resolve(definition, catalog ?? HardwareCatalog.Default, errors);
        if (errors.Count > 0 || plan is null)
        {
            throw new ComponentArgsException("GpuNodePool", definition.PoolName, errors);
        }

        return plan;
    }

    private static GpuPoolPlan? Resolve(GpuNodePoolDefinition d, HardwareCatalog catalog, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(d);
        void Error(string path, string message) => errors.Add(new ConfigError(path, message));

        if (string.IsNullOrEmpty(d.PoolName) || !DnsLabel().IsMatch(d.PoolName))
        {
            Error("PoolName", $"\"{d.PoolName}\" is not a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)");
        }

        CheckLabelValue(errors, "Environment", d.Environment);
        CheckLabelValue(errors, "CostCenter", d.CostCenter);
        if (!Enum.IsDefined(d.Substrate))
        {
            Error("Substrate", $"unknown substrate {d.Substrate}; allowed: Eks, OnPrem");
        }

        if (d.Purpose == PoolPurpose.Cpu || !Enum.IsDefined(d.Purpose))
        {
            Error("Purpose", $"{d.Purpose} is not a GPU pool purpose; allowed: Training, Inference");
        }

        GpuModel? gpu = null;
        var gpusPerNode = 0;
        int min = 0, desired = 0, max = 0;
        if (d.Substrate == Substrate.Eks)
        {
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

            if (d.MinSize is null)
            {
                Error("MinSize", "is required on EKS (0 or more)");
            }

            if (d.MaxSize is null)
            {
                Error("MaxSize", "is required on EKS (at least 1)");
            }

            min = d.MinSize ?? 0;
            max = d.MaxSize ?? 0;
            desired = d.DesiredSize ?? min;
            if (d.MinSize is < 0)
            {
                Error("MinSize", $"must be 0 or more, got {min}");
            }

            if (d.MaxSize is < 1)
            {
                Error("MaxSize", $"must be at least 1, got {max}");
            }

            if (d.MinSize is not null && d.MaxSize is not null && min > max)
            {
                Error("MinSize", $"({min}) must not exceed MaxSize ({max})");
            }

            if (d.MinSize is not null && d.MaxSize is not null && min <= max && (desired < min || desired > max))
            {
                Error("DesiredSize", $"({desired}) must be between MinSize ({min}) and MaxSize ({max})");
            }
        }
        else if (d.Substrate == Substrate.OnPrem)
        {
            if (d.InstanceType is not null)
            {
                Error("InstanceType", "is EKS only; on-prem pools state GpuModel and GpusPerNode");
            }

            foreach (var (value, prop) in new[] { (d.MinSize, "MinSize"), (d.DesiredSize, "DesiredSize"), (d.MaxSize, "MaxSize") })
            {
                if (value is not null)
                {
                    Error(prop, "is EKS only; an on-prem pool's size is its NodeNames count (nodes are never created or deleted)");
                }
            }

            if (d.CapacityType != CapacityType.OnDemand)
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

            var names = d.NodeNames.IsDefault ? [] : d.NodeNames;
            if (names.IsEmpty)
            {
                Error("NodeNames", "at least one existing node is required on-prem");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                if (string.IsNullOrEmpty(names[i]) || !DnsSubdomain().IsMatch(names[i]))
                {
                    Error($"NodeNames[{i}]", $"\"{names[i]}\" is not a valid node name (DNS subdomain)");
                }
                else if (!seen.Add(names[i]))
                {
                    Error($"NodeNames[{i}]", $"\"{names[i]}\" is listed twice");
                }
            }

            min = desired = max = names.Length;
        }

        var interruptible = d.Interruptible ?? d.Purpose == PoolPurpose.Training;
        if (d.CapacityType == CapacityType.Spot && !interruptible)
        {
            Error("CapacityType", d.Interruptible is null
                ? $"SPOT needs an interruptible pool, but {d.Purpose} pools are not interruptible by default; use ON_DEMAND or set Interruptible = true"
                : "SPOT needs an interruptible pool, but Interruptible is false; use ON_DEMAND or set Interruptible = true");
        }

        if (d.TimeSlicingReplicas < 1)
        {
            Error("TimeSlicingReplicas", $"must be at least 1 (1 = not shared), got {d.TimeSlicingReplicas}");
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

        if (migName is not null && !LabelValue().IsMatch(migName))
        {
            Error("MigConfig", $"\"{migName}\" is not a valid label value");
        }

        if (mig is { Enabled: true } && d.TimeSlicingReplicas > 1)
        {
            Error("TimeSlicingReplicas", $"time-slicing ({d.TimeSlicingReplicas} replicas) and MIG ({migName}) cannot be combined on one pool; use one of them");
        }

        var strategy = d.MigStrategy ?? (mig is { Enabled: true } ? MigStrategy.Mixed : MigStrategy.None);
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

        var driver = d.Driver ?? (d.Substrate == Substrate.Eks ? GpuDriver.Preinstalled : GpuDriver.Operator);
        if (d.Substrate == Substrate.Eks && driver == GpuDriver.Operator)
        {
            Error("Driver", "is operator, but EKS GPU AMIs ship the NVIDIA driver and toolkit (the pool pins the AMI release); allowed on EKS: preinstalled");
        }

        string? driverVersion = d.Substrate == Substrate.OnPrem && driver == GpuDriver.Operator ? GpuOperatorChart.DriverVersion : null;
        if (d.Substrate == Substrate.Eks && gpu is not null)
        {
            var amiType = EksAmiTypes.For(gpu);
            var releases = Compatibility.CompatibilityMatrix.Default.EksAmis.Where(a => a.AmiType == amiType).ToList();
            var release = releases.FirstOrDefault(a => a.ReleaseVersion == d.AmiReleaseVersion);
            if (release is null)
            {
                Error("AmiReleaseVersion", (d.AmiReleaseVersion is null ? "is required on EKS (no floating AMI, hence no floating driver)" : $"\"{d.AmiReleaseVersion}\" is not a {amiType} release of the compatibility matrix")
                    + $"; allowed: {string.Join(", ", releases.Select(a => $"{a.ReleaseVersion} (Kubernetes {a.Kubernetes}, driver {a.Driver})"))}");
            }
            else
            {
                driverVersion = release.Driver;
            }
        }
        else if (d.AmiReleaseVersion is not null)
        {
            Error("AmiReleaseVersion", "is EKS only; on-prem the driver comes from the GPU Operator or the host");
        }

        if (errors.Count > 0 || gpu is null)
        {
            return null;
        }

        var spec = new GpuPoolSpec(
            d.PoolName, "", d.Substrate, d.Purpose, d.InstanceType, d.NodeNames.IsDefault ? [] : d.NodeNames, gpu, gpusPerNode,
            min, desired, max, d.CapacityType, interruptible, mig, d.TimeSlicingReplicas, AllowOvercommit: false)
        { Driver = driver, AmiReleaseVersion = d.Substrate == Substrate.Eks ? d.AmiReleaseVersion : null, DriverVersion = driverVersion };

        var attribution = ResourceLabels.CostAttribution(d.Environment, d.CostCenter).ToBuilder();
        attribution[ResourceLabels.Pool] = d.PoolName;
        attribution[ResourceLabels.Purpose] = d.Purpose.ToString().ToLowerInvariant();
        attribution[ResourceLabels.GpuModel] = gpu.Id;
        var tags = attribution.ToImmutable();
        var labels = attribution;
        if (mig is not null)
        {
            labels[GpuNodeLabels.MigConfig] = mig.ConfigName;
        }

        if (d.Substrate == Substrate.OnPrem && driver == GpuDriver.Preinstalled)
        {
            labels[GpuDrivers.DeployDriverLabel] = "false";
            labels[GpuDrivers.DeployToolkitLabel] = "false";
        }

        var devicePluginConfig = spec.TimeSliced ? d.PoolName : null;
        if (devicePluginConfig is not null)
        {
            labels[GpuNodeLabels.DevicePluginConfig] = devicePluginConfig;
        }

        return new GpuPoolPlan(
            spec,
            mig is { Enabled: true } ? strategy : (d.MigStrategy ?? MigStrategy.None),
            d.CustomMigConfig,
            labels.ToImmutable(),
            [GpuTaint],
            [GpuToleration],
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ResourceLabels.Pool, d.PoolName)]),
            tags,
            d.Substrate == Substrate.Eks ? EksAmiTypes.For(gpu) : null,
            devicePluginConfig,
            CapacityPlanner.ForPool(spec, strategy));
    }

    private static void CheckLabelValue(List<ConfigError> errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value) || !LabelValue().IsMatch(value))
        {
            errors.Add(new ConfigError(path, $"\"{value}\" is not a valid label value (1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)"));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
