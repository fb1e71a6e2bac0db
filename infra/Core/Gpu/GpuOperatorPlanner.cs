using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>The decisions of one cluster's GPU Operator, as a user states them (the plain part of <c>GpuOperatorArgs</c>).</summary>
public sealed record GpuOperatorDefinition
{
    /// <summary>What runs the cluster's nodes: decides driver/toolkit installation and MIG reboots.</summary>
    public required Substrate Substrate { get; init; }

    /// <summary>Every GPU pool of the cluster (their plans, e.g. <c>GpuNodePool.Plan</c>).</summary>
    public ImmutableArray<GpuPoolPlan> Pools { get; init; } = [];

    /// <summary>The cluster-wide <c>mig.strategy</c>. Defaults to the strategy the MIG pools were planned with (mixed unless they chose single), none without MIG pools.</summary>
    public MigStrategy? MigStrategy { get; init; }

    /// <summary>Namespace of the operator. Defaults to <see cref="GpuOperatorChart.DefaultNamespace"/>.</summary>
    public string Namespace { get; init; } = GpuOperatorChart.DefaultNamespace;

    /// <summary>Value of the <c>release</c> label on the DCGM exporter's ServiceMonitor. Defaults to <see cref="GpuOperatorChart.DefaultPrometheusRelease"/>.</summary>
    public string PrometheusReleaseLabel { get; init; } = GpuOperatorChart.DefaultPrometheusRelease;

    /// <summary>Whether the DCGM exporter gets a ServiceMonitor (needs the prometheus-operator CRDs). Defaults to true.</summary>
    public bool ServiceMonitor { get; init; } = true;

    /// <summary>Whether the MIG manager may reboot a node whose GPUs cannot be reset (<c>WITH_REBOOT</c>). Defaults to true on EKS, false on-prem.</summary>
    public bool? AllowNodeReboot { get; init; }

    /// <summary>Environment (stack) name for labels.</summary>
    public required string Environment { get; init; }

    /// <summary>Cost center for labels.</summary>
    public required string CostCenter { get; init; }
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
    /// <summary>Plans the operator of one cluster.</summary>
    /// <param name="name">The component's resource name (for messages).</param>
    /// <param name="definition">The operator as stated.</param>
    /// <exception cref="ComponentArgsException">The definition is invalid; every problem is listed.</exception>
    public static GpuOperatorPlan Plan(string name, GpuOperatorDefinition definition)
    {
        var errors = new List<ConfigError>();
        var plan = Resolve(definition, errors);
        if (errors.Count > 0 || plan is null)
        {
            throw new ComponentArgsException("GpuOperator", name, errors);
        }

        return plan;
    }

    /// <summary>Every problem of <paramref name="definition"/> with the Args property it concerns; empty when valid.</summary>
    /// <param name="definition">The operator as stated.</param>
    public static IReadOnlyList<ConfigError> Validate(GpuOperatorDefinition definition)
    {
        var errors = new List<ConfigError>();
        _ = Resolve(definition, errors);
        return errors;
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

    private static GpuOperatorPlan? Resolve(GpuOperatorDefinition d, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(d);
        void Error(string path, string message) => errors.Add(new ConfigError(path, message));
        var pools = d.Pools.IsDefault ? [] : d.Pools;

        if (string.IsNullOrEmpty(d.Namespace) || d.Namespace.Length > 63 || !d.Namespace.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            Error("Namespace", $"\"{d.Namespace}\" is not a valid namespace name (DNS label)");
        }

        if (string.IsNullOrEmpty(d.PrometheusReleaseLabel))
        {
            Error("PrometheusReleaseLabel", "must not be empty (kube-prometheus-stack selects ServiceMonitors by it)");
        }

        if (string.IsNullOrEmpty(d.Environment))
        {
            Error("Environment", "is required");
        }

        if (string.IsNullOrEmpty(d.CostCenter))
        {
            Error("CostCenter", "is required");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pools.Length; i++)
        {
            var p = pools[i];
            if (p is null)
            {
                Error($"Pools[{i}]", "must not be null");
                continue;
            }

            if (!names.Add(p.Name))
            {
                Error($"Pools[{i}]", $"pool \"{p.Name}\" is listed twice");
            }

            if (p.Spec.Substrate != d.Substrate)
            {
                Error($"Pools[{i}]", $"pool \"{p.Name}\" runs on {p.Spec.Substrate}, but this operator's cluster is {d.Substrate}; one GpuOperator per cluster");
            }
        }

        var migPools = pools.Select((p, i) => (Plan: p, Index: i)).Where(x => x.Plan?.Spec.Mig is { Enabled: true }).ToList();
        MigStrategy strategy;
        if (d.MigStrategy is { } chosen)
        {
            strategy = chosen;
        }
        else
        {
            var planned = migPools.Select(x => x.Plan.Strategy).Distinct().ToList();
            if (planned.Count > 1)
            {
                Error("MigStrategy", $"the MIG pools were planned for different strategies ({string.Join(", ", migPools.Select(x => $"\"{x.Plan.Name}\": {x.Plan.Strategy.ToChartValue()}"))}); mig.strategy is cluster-wide: plan them alike, or set MigStrategy");
            }

            strategy = planned.Count == 0 ? MigStrategy.None : planned.Count == 1 ? planned[0] : MigStrategy.Mixed;
        }

        foreach (var (p, i) in migPools)
        {
            if (p.Strategy != strategy)
            {
                Error($"Pools[{i}]", $"pool \"{p.Name}\" was planned for mig.strategy {p.Strategy.ToChartValue()}, but the cluster runs {strategy.ToChartValue()}; set the pool's MigStrategy to {strategy}");
            }
        }

        var migManager = pools.Any(p => p?.Spec.Gpu is { MigSupported: true });
        string? migParted = null;
        if (migManager)
        {
            var uses = pools.Where(p => p?.Spec.Mig is not null && p.Spec.Gpu is not null)
                .Select(p => new MigConfigUse(p.Spec.Mig!.ConfigName, p.Spec.Gpu!, p.CustomMigConfig) { GpusPerNode = p.Spec.GpusPerNode });
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
        var timeSliced = pools.Where(p => p?.DevicePluginConfigName is not null).ToList();
        if (timeSliced.Count > 0)
        {
            devicePlugin[GpuOperatorChart.DevicePluginDefaultConfig] = DevicePluginConfig(strategy, 1);
            foreach (var p in timeSliced)
            {
                if (p.DevicePluginConfigName == GpuOperatorChart.DevicePluginDefaultConfig)
                {
                    Error("Pools", $"pool \"{p.Name}\" is time-sliced, but its config name \"{p.Name}\" is reserved for nodes without sharing; rename the pool");
                    continue;
                }

                devicePlugin[p.DevicePluginConfigName!] = DevicePluginConfig(strategy, p.Spec.TimeSlicingReplicas);
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var onPrem = d.Substrate == Substrate.OnPrem;
        var withReboot = d.AllowNodeReboot ?? !onPrem;

        // The operator installs driver and toolkit when some on-prem pool asks for it (driver: operator, the default);
        // pools with driver: preinstalled carry nvidia.com/gpu.deploy.driver/container-toolkit=false, so the DaemonSets
        // skip their nodes. A cluster whose every pool is preinstalled (or EKS) turns both off.
        var operatorDriver = onPrem && (pools.Length == 0 || pools.Any(p => p?.Spec.Driver == GpuDriver.Operator));
        var labels = ResourceLabels.For("gpu-operator", d.Namespace, null, d.Environment, d.CostCenter);
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
                ("serviceMonitor", d.ServiceMonitor
                    ? Map(("enabled", true), ("additionalLabels", Map(("release", d.PrometheusReleaseLabel))))
                    : Map(("enabled", false))))),
            ("daemonsets", Map(("labels", Map([.. ResourceLabels.CostAttribution(d.Environment, d.CostCenter).Select(kv => (kv.Key, (object)kv.Value))])))));

        return new GpuOperatorPlan(d.Namespace, strategy, migManager, withReboot, migParted, devicePlugin.ToImmutable(), values, labels);
    }

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));
}
