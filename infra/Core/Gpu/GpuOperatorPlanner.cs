using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>The decisions of one cluster's GPU Operator, as a user states them (the plain part of <c>GpuOperatorArgs</c>).</summary>
public sealed record GpuOperatorSpec
{
    /// <summary>Environment, cost center and extra tags of the objects the component creates.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Required. <c>eks</c> or <c>onprem</c>: decides driver/toolkit installation and MIG reboots.</summary>
    public string? Substrate { get; init; }

    /// <summary>Every GPU pool of the cluster. Defaults to none.</summary>
    public ImmutableArray<GpuOperatorPoolSpec> Pools { get; init; } = [];

    /// <summary><c>none</c>, <c>single</c> or <c>mixed</c>: the cluster-wide <c>mig.strategy</c>. Defaults to mixed when a pool enables MIG, none otherwise.</summary>
    public string? MigStrategy { get; init; }

    /// <summary>Namespace of the operator. Defaults to <see cref="GpuOperatorChart.DefaultNamespace"/>.</summary>
    public string? Namespace { get; init; }

    /// <summary>Value of the <c>release</c> label on the DCGM exporter's ServiceMonitor. Defaults to <see cref="GpuOperatorChart.DefaultPrometheusRelease"/>.</summary>
    public string? PrometheusReleaseLabel { get; init; }

    /// <summary>Whether the DCGM exporter gets a ServiceMonitor (needs the prometheus-operator CRDs). Defaults to true.</summary>
    public bool? ServiceMonitor { get; init; }

    /// <summary>Whether the MIG manager may reboot a node whose GPUs cannot be reset (<c>WITH_REBOOT</c>). Defaults to true on EKS, false on-prem.</summary>
    public bool? AllowNodeReboot { get; init; }

    /// <summary>
    /// Node selector of the operator's controllers (the operator Deployment, NFD master and gc): the cluster's system
    /// pools (<see cref="SystemAddonPlacement.NodeSelector"/>). Empty (the default): the chart's placement. The GPU
    /// DaemonSets are not affected; they run on GPU nodes.
    /// </summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>What the operator needs of one GPU pool of its cluster (the same values the pool's <see cref="GpuNodePoolSpec"/> states).</summary>
public sealed record GpuOperatorPoolSpec
{
    /// <summary>Required. The pool's name (its time-slicing config is named after it).</summary>
    public string? PoolName { get; init; }

    /// <summary>Required. Catalog id of the pool's GPU model.</summary>
    public string? GpuModel { get; init; }

    /// <summary>Required. GPUs per node, at least 1.</summary>
    public int? GpusPerNode { get; init; }

    /// <summary>The pool's MIG config name, or null when it does not manage MIG.</summary>
    public string? MigConfig { get; init; }

    /// <summary>The pool's custom MIG config, or null.</summary>
    public MigConfigDefinition? CustomMigConfig { get; init; }

    /// <summary>Time-slicing replicas per GPU. Defaults to 1 (not shared).</summary>
    public int? TimeSlicingReplicas { get; init; }

    /// <summary><c>operator</c> or <c>preinstalled</c>. Defaults to operator on-prem, preinstalled on EKS.</summary>
    public string? Driver { get; init; }

    /// <summary>The operator's view of an environment's GPU pool.</summary>
    /// <param name="pool">The bound pool (GPU purpose).</param>
    /// <param name="customMigConfig">The <c>migConfigs</c> entry its MIG config names, or null.</param>
    public static GpuOperatorPoolSpec ForPool(GpuPoolSpec pool, MigConfigDefinition? customMigConfig)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new GpuOperatorPoolSpec
        {
            PoolName = pool.Name,
            GpuModel = pool.Gpu?.Id,
            GpusPerNode = pool.GpusPerNode,
            MigConfig = pool.Mig?.ConfigName,
            CustomMigConfig = customMigConfig,
            TimeSlicingReplicas = pool.TimeSlicingReplicas,
            Driver = PoolValues.NameOf(PoolValues.Drivers.ToImmutableSortedDictionary(), pool.Driver),
        };
    }
}

/// <summary>The cluster-wide MIG strategy rule, shared by the operator and the binder (<c>clusters[].migStrategy</c>).</summary>
public static class ClusterMigStrategy
{
    /// <summary>A GPU pool as the strategy rule sees it.</summary>
    /// <param name="Name">Pool name.</param>
    /// <param name="Mig">Its resolved MIG layout, or null.</param>
    public sealed record Pool(string Name, PoolMig? Mig);

    /// <summary>
    /// The strategy of a cluster: the chosen one when it can express the pools, else mixed with the reason (null when
    /// none); unchosen: mixed when any pool enables MIG, none otherwise.
    /// </summary>
    /// <param name="chosen">The explicit strategy, or null.</param>
    /// <param name="pools">The cluster's GPU pools.</param>
    public static (MigStrategy Strategy, string? Problem) Resolve(MigStrategy? chosen, IReadOnlyList<Pool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var migPools = pools.Where(p => p.Mig is { Enabled: true }).ToList();
        var fallback = migPools.Count > 0 ? MigStrategy.Mixed : MigStrategy.None;
        switch (chosen)
        {
            case null:
                return (fallback, null);
            case MigStrategy.None when migPools.Count > 0:
                return (MigStrategy.Mixed, $"is none but pools {string.Join(", ", migPools.Select(p => p.Name))} use MIG; use mixed (or single when every MIG GPU has one profile)");
            case MigStrategy.Single:
                var profiles = migPools.SelectMany(p => p.Mig!.Profiles).Distinct().ToList();
                var partial = migPools.Where(p => p.Mig!.PerDevice.Any(l => l.Count == 0) || p.Mig.PerDevice.Any(l => l.Count > 1)).Select(p => p.Name).ToList();
                var whole = pools.Where(p => p.Mig is not { Enabled: true }).Select(p => p.Name).ToList();
                if (profiles.Count > 1 || partial.Count > 0 || whole.Count > 0)
                {
                    var why = profiles.Count > 1 ? $"the cluster's MIG pools use several profiles ({string.Join(", ", profiles)})"
                        : partial.Count > 0 ? $"pools {string.Join(", ", partial)} mix profiles or MIG-disabled GPUs on a node"
                        : $"pools {string.Join(", ", whole)} have whole GPUs, which single would advertise under the same nvidia.com/gpu name as MIG instances";
                    return (MigStrategy.Mixed, $"single is not possible: {why}; use mixed");
                }

                return (migPools.Count > 0 ? MigStrategy.Single : MigStrategy.None, null);
            default:
                return (chosen.Value, null);
        }
    }
}

/// <summary>What Core decided for one cluster's GPU Operator.</summary>
/// <param name="Namespace">The operator's namespace.</param>
/// <param name="Strategy">The cluster-wide MIG strategy.</param>
/// <param name="MigManagerEnabled">True when any pool's GPU supports MIG.</param>
/// <param name="WithReboot">Value of the MIG manager's <c>WITH_REBOOT</c>.</param>
/// <param name="MigPartedConfig">The mig-parted document (ConfigMap key <c>config.yaml</c>), or null when the MIG manager is off.</param>
/// <param name="DevicePluginConfigs">Device-plugin config documents by name (ConfigMap data); empty when no pool is time-sliced.</param>
/// <param name="Values">The chart values.</param>
/// <param name="Labels">Labels of the objects the component creates itself (namespace, ConfigMaps).</param>
public sealed record GpuOperatorPlan(
    string Namespace,
    MigStrategy Strategy,
    bool MigManagerEnabled,
    bool WithReboot,
    string? MigPartedConfig,
    ImmutableSortedDictionary<string, string> DevicePluginConfigs,
    ImmutableSortedDictionary<string, object> Values,
    ImmutableSortedDictionary<string, string> Labels);

/// <summary>Decides the GPU Operator's chart values, MIG and device-plugin configs from a cluster's pools and substrate.</summary>
public static class GpuOperatorPlanner
{
    /// <summary>Every problem of <paramref name="spec"/> with the Args property it concerns; empty when valid.</summary>
    /// <param name="spec">The operator as stated.</param>
    public static ImmutableArray<SpecProblem> Validate(GpuOperatorSpec spec) => Validate(spec, HardwareCatalog.Default);

    /// <summary>Every problem of <paramref name="spec"/> against <paramref name="catalog"/>; empty when valid.</summary>
    /// <param name="spec">The operator as stated.</param>
    /// <param name="catalog">The hardware catalog.</param>
    public static ImmutableArray<SpecProblem> Validate(GpuOperatorSpec spec, HardwareCatalog catalog)
    {
        var problems = new SpecProblems();
        _ = Resolve(spec, catalog, problems);
        return problems.ToImmutable();
    }

    /// <summary>Plans the operator of one cluster.</summary>
    /// <param name="spec">The operator as stated.</param>
    /// <exception cref="ArgumentException">The spec is invalid (call <see cref="Validate(GpuOperatorSpec)"/> first).</exception>
    public static GpuOperatorPlan Plan(GpuOperatorSpec spec) => Plan(spec, HardwareCatalog.Default);

    /// <summary>Plans the operator of one cluster against <paramref name="catalog"/>.</summary>
    /// <param name="spec">The operator as stated.</param>
    /// <param name="catalog">The hardware catalog.</param>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public static GpuOperatorPlan Plan(GpuOperatorSpec spec, HardwareCatalog catalog)
    {
        var problems = new SpecProblems();
        var plan = Resolve(spec, catalog, problems);
        return problems.Count == 0 && plan is not null
            ? plan
            : throw new ArgumentException($"invalid GpuOperatorSpec: {string.Join("; ", problems.ToImmutable())}", nameof(spec));
    }

    /// <summary>
    /// The device-plugin config document of a pool: <c>version: v1</c>, the cluster's <c>flags.migStrategy</c> and, when
    /// time-sliced, <c>sharing.timeSlicing.resources: [{name: nvidia.com/gpu, replicas: N}]</c>.
    /// </summary>
    /// <param name="strategy">The cluster's MIG strategy.</param>
    /// <param name="timeSlicingReplicas">Replicas per GPU (1 = no sharing section).</param>
    public static string DevicePluginConfig(MigStrategy strategy, int timeSlicingReplicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeSlicingReplicas, 1);
        var sb = new StringBuilder();
        sb.Append("version: v1\n");
        sb.Append("flags:\n");
        sb.Append("  migStrategy: ").Append(strategy.ToChartValue()).Append('\n');
        if (timeSlicingReplicas > 1)
        {
            sb.Append("sharing:\n");
            sb.Append("  timeSlicing:\n");
            sb.Append("    resources:\n");
            sb.Append("    - name: ").Append(GpuResources.Gpu).Append('\n');
            sb.Append("      replicas: ").Append(timeSlicingReplicas.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    private sealed record ResolvedPool(string Name, GpuModel Gpu, int GpusPerNode, PoolMig? Mig, MigConfigDefinition? Custom, int TimeSlicingReplicas, GpuDriver Driver);

    private static GpuOperatorPlan? Resolve(GpuOperatorSpec d, HardwareCatalog catalog, SpecProblems errors)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(catalog);
        void Error(string path, string message) => errors.Add(path, message);
        GpuPoolPlanner.CheckOwnership(d.Ownership, errors);
        var substrate = PoolValues.Parse(PoolValues.Substrates, d.Substrate, "Substrate", errors);
        var chosen = d.MigStrategy is null ? null : PoolValues.Parse(PoolValues.Strategies, d.MigStrategy, "MigStrategy", errors);
        var ns = d.Namespace ?? GpuOperatorChart.DefaultNamespace;
        var release = d.PrometheusReleaseLabel ?? GpuOperatorChart.DefaultPrometheusRelease;
        if (!KubernetesNames.IsDnsLabel(ns))
        {
            Error("Namespace", $"\"{ns}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
        }

        errors.AddRange(SystemAddonPlacement.SelectorProblems(d.SystemNodeSelector));

        if (release.Length == 0 || !KubernetesNames.IsLabelValue(release))
        {
            Error("PrometheusReleaseLabel", $"\"{release}\" is not allowed; allowed: a non-empty {KubernetesNames.LabelValueRule} (kube-prometheus-stack selects ServiceMonitors by it)");
        }

        var raw = d.Pools.IsDefault ? [] : d.Pools;
        var pools = new List<ResolvedPool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Length; i++)
        {
            var at = $"Pools[{i}]";
            var p = raw[i];
            if (p is null)
            {
                Error(at, "is required (null entry)");
                continue;
            }

            var before = errors.Count;
            if (p.PoolName is null)
            {
                Error($"{at}.PoolName", "is required");
            }
            else if (!GpuPoolPlanner.IsValidPoolName(p.PoolName))
            {
                Error($"{at}.PoolName", $"\"{p.PoolName}\" is not allowed; allowed: {GpuPoolPlanner.PoolNameRule}");
            }
            else if (!names.Add(p.PoolName))
            {
                Error($"{at}.PoolName", $"pool \"{p.PoolName}\" is listed twice");
            }
            else if (p.PoolName == GpuOperatorChart.DevicePluginDefaultConfig && p.TimeSlicingReplicas > 1)
            {
                Error($"{at}.PoolName", $"pool \"{p.PoolName}\" is time-sliced, but its config name \"{p.PoolName}\" is reserved for nodes without sharing; rename the pool");
            }

            var gpu = p.GpuModel is null ? null : catalog.FindGpu(p.GpuModel);
            if (gpu is null)
            {
                Error($"{at}.GpuModel", (p.GpuModel is null ? "is required" : $"\"{p.GpuModel}\" is not a GPU model of the catalog") + $"; valid: {string.Join(", ", catalog.Gpus.Select(g => g.Id))}");
            }

            errors.Require(p.GpusPerNode is >= 1, $"{at}.GpusPerNode", $"is required and must be at least 1, got {(p.GpusPerNode is { } n ? n.ToString(CultureInfo.InvariantCulture) : "nothing")}");
            var replicas = p.TimeSlicingReplicas ?? 1;
            errors.Require(replicas is >= 1 and <= GpuPoolPlanner.MaxTimeSlicingReplicas, $"{at}.TimeSlicingReplicas", $"must be from 1 (not shared) to {GpuPoolPlanner.MaxTimeSlicingReplicas}, got {replicas}");
            var driver = p.Driver is null ? (substrate == Substrate.Eks ? GpuDriver.Preinstalled : GpuDriver.Operator) : PoolValues.Parse(PoolValues.Drivers, p.Driver, $"{at}.Driver", errors);
            PoolMig? mig = null;
            var migName = p.MigConfig ?? p.CustomMigConfig?.Name;
            if (migName is not null && gpu is not null && p.GpusPerNode is >= 1)
            {
                if (!gpu.MigSupported)
                {
                    Error($"{at}.MigConfig", $"{gpu.Id} does not support MIG; remove the MIG config");
                }
                else
                {
                    var customs = p.CustomMigConfig is { } c ? new Dictionary<string, MigConfigDefinition> { [c.Name] = c } : [];
                    var resolution = MigConfigs.Resolve(migName, gpu, p.GpusPerNode.Value, customs);
                    foreach (var e in resolution.Errors.IsDefault ? [] : resolution.Errors)
                    {
                        Error($"{at}.{(p.CustomMigConfig is not null ? "CustomMigConfig" : "MigConfig")}", e);
                    }

                    mig = resolution.IsValid ? new PoolMig(migName, resolution.PerDevice) : null;
                }
            }

            if (mig is { Enabled: true } && replicas > 1)
            {
                Error($"{at}.TimeSlicingReplicas", $"time-slicing ({replicas} replicas) and MIG ({migName}) cannot be combined on one pool; use one of them");
            }

            if (errors.Count == before && gpu is not null && driver is { } dr)
            {
                pools.Add(new ResolvedPool(p.PoolName!, gpu, p.GpusPerNode!.Value, mig, p.CustomMigConfig, replicas, dr));
            }
        }

        var (strategy, strategyProblem) = ClusterMigStrategy.Resolve(chosen, [.. pools.Select(p => new ClusterMigStrategy.Pool(p.Name, p.Mig))]);
        if (strategyProblem is not null)
        {
            Error("MigStrategy", strategyProblem);
        }

        var migManager = pools.Any(p => p.Gpu.MigSupported);
        string? migParted = null;
        if (migManager)
        {
            var uses = pools.Where(p => p.Mig is not null)
                .Select(p => new MigConfigUse(p.Mig!.ConfigName, p.Gpu, p.Custom) { GpusPerNode = p.GpusPerNode });
            try
            {
                migParted = MigPartedConfig.Render(uses);
            }
            catch (ArgumentException ex)
            {
                Error("Pools", "the pools' MIG configs cannot share one mig-parted ConfigMap: " + ex.Message.Split(" (Parameter")[0]);
            }
        }

        var devicePlugin = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var timeSliced = pools.Where(p => p.TimeSlicingReplicas > 1).ToList();
        if (timeSliced.Count > 0)
        {
            devicePlugin[GpuOperatorChart.DevicePluginDefaultConfig] = DevicePluginConfig(strategy, 1);
            foreach (var p in timeSliced)
            {
                devicePlugin[p.Name] = DevicePluginConfig(strategy, p.TimeSlicingReplicas);
            }
        }

        if (errors.Count > 0 || substrate is not { } sub)
        {
            return null;
        }

        var onPrem = sub == Substrate.OnPrem;
        var withReboot = d.AllowNodeReboot ?? !onPrem;

        // The operator installs driver and toolkit when some on-prem pool asks for it (driver: operator, the default);
        // pools with driver: preinstalled carry nvidia.com/gpu.deploy.driver/container-toolkit=false, so the DaemonSets
        // skip their nodes. A cluster whose every pool is preinstalled (or EKS) turns both off.
        var operatorDriver = onPrem && (pools.Count == 0 || pools.Any(p => p.Driver == GpuDriver.Operator));
        var labels = d.Ownership.Tags.SetItems(ResourceLabels.For("gpu-operator", ns, null, d.Ownership.Environment, d.Ownership.CostCenter));
        var values = Map(
            ("driver", operatorDriver
                ? Map(("enabled", true), ("version", GpuOperatorChart.DriverVersion))
                : Map(("enabled", false))),
            ("toolkit", Map(("enabled", operatorDriver))),
            ("mig", Map(("strategy", strategy.ToChartValue()))),
            ("migManager", migManager
                ? Map(
                    ("enabled", true),
                    ("config", Map(("create", false), ("name", GpuOperatorChart.MigPartedConfigMapName), ("default", MigConfigs.AllDisabled))),
                    ("env", ImmutableArray.Create<object>(Map(("name", "WITH_REBOOT"), ("value", withReboot ? "true" : "false")))))
                : Map(("enabled", false))),
            ("devicePlugin", devicePlugin.Count > 0
                ? Map(("enabled", true), ("config", Map(("create", false), ("name", GpuOperatorChart.DevicePluginConfigMapName), ("default", GpuOperatorChart.DevicePluginDefaultConfig))))
                : Map(("enabled", true))),
            ("dcgmExporter", Map(
                ("enabled", true),
                ("serviceMonitor", d.ServiceMonitor ?? true
                    ? Map(("enabled", true), ("additionalLabels", Map(("release", release))))
                    : Map(("enabled", false))))),
            ("daemonsets", Map(("labels", Map([.. d.Ownership.Labels().Select(kv => (kv.Key, (object)kv.Value))])))));

        if (SystemAddonPlacement.ChartValue(d.SystemNodeSelector ?? ImmutableSortedDictionary<string, string>.Empty) is { } selector)
        {
            // NVIDIA/gpu-operator v26.7.0 values.yaml operator.nodeSelector (default kubernetes.io/os: linux, merged by
            // Helm) and charts/node-feature-discovery (0.19.0) values.yaml master.nodeSelector / gc.nodeSelector ({}).
            values = values
                .SetItem("operator", Map(("nodeSelector", selector)))
                .SetItem("node-feature-discovery", Map(("master", Map(("nodeSelector", selector))), ("gc", Map(("nodeSelector", selector)))));
        }

        return new GpuOperatorPlan(ns, strategy, migManager, withReboot, migParted, devicePlugin.ToImmutable(), values, labels);
    }

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));
}
