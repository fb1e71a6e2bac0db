using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>Inputs of <see cref="GpuOperator"/>: plain decisions, validated by Core's <see cref="GpuOperatorPlanner.Validate(GpuOperatorSpec)"/> before anything is registered.</summary>
public sealed class GpuOperatorArgs : NeoCloudArgs
{
    /// <summary>Required. <c>eks</c> or <c>onprem</c>: on EKS GPU AMIs the driver and toolkit are preinstalled, on-prem the operator installs them (unless every pool's <c>Driver</c> is <c>preinstalled</c>).</summary>
    [Input("substrate", required: true)]
    public string Substrate { get; set; } = null!;

    /// <summary>Every GPU pool of this cluster, with the values its <see cref="GpuNodePool"/> was given. Decides the mig-parted and the device-plugin configs. Defaults to none.</summary>
    [Input("pools")]
    public List<GpuOperatorPoolArgs>? Pools { get; set; }

    /// <summary><c>none</c>, <c>single</c> or <c>mixed</c>: the cluster-wide <c>mig.strategy</c> (the pools' <c>MigStrategy</c> must be the same). Defaults to mixed when a pool enables MIG, none otherwise.</summary>
    [Input("migStrategy")]
    public string? MigStrategy { get; set; }

    /// <summary>Namespace created for the operator (a DNS label). Defaults to <c>gpu-operator</c>.</summary>
    [Input("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Value of the <c>release</c> label kube-prometheus-stack selects ServiceMonitors by. Defaults to <c>kube-prometheus-stack</c>.</summary>
    [Input("prometheusReleaseLabel")]
    public string? PrometheusReleaseLabel { get; set; }

    /// <summary>Whether the DCGM exporter gets a ServiceMonitor (needs the prometheus-operator CRDs in the cluster). Defaults to true.</summary>
    [Input("serviceMonitor")]
    public bool? ServiceMonitor { get; set; }

    /// <summary>Whether the MIG manager may reboot a node whose GPUs cannot be reset (<c>WITH_REBOOT</c>). Defaults to true on EKS, false on-prem.</summary>
    [Input("allowNodeReboot")]
    public bool? AllowNodeReboot { get; set; }

    /// <summary>
    /// Node selector of the operator's controllers (the operator Deployment, NFD master and gc), e.g. a system
    /// <see cref="CpuNodePool"/>'s <c>neocloud.io/node-role: system</c>. Defaults to none (the chart's placement). The
    /// GPU DaemonSets always run on the GPU nodes.
    /// </summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    internal GpuOperatorSpec ToSpec() => new()
    {
        Ownership = ToOwnership(),
        Substrate = Substrate,
        Pools = [.. (Pools ?? []).Select(p => p?.ToSpec()!)],
        MigStrategy = MigStrategy,
        Namespace = Namespace,
        PrometheusReleaseLabel = PrometheusReleaseLabel,
        ServiceMonitor = ServiceMonitor,
        AllowNodeReboot = AllowNodeReboot,
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
    };
}

/// <summary>One GPU pool of the operator's cluster: the same values its <see cref="GpuNodePoolArgs"/> states.</summary>
public sealed class GpuOperatorPoolArgs : ResourceArgs
{
    /// <summary>Required. The pool's name (<see cref="NodePoolArgs.PoolName"/>); a time-sliced pool's device-plugin config is named after it.</summary>
    [Input("poolName", required: true)]
    public string PoolName { get; set; } = null!;

    /// <summary>Required. Catalog id of the pool's GPU model (e.g. <c>H100-SXM5-80GB</c>; on EKS the model of the instance type).</summary>
    [Input("gpuModel", required: true)]
    public string GpuModel { get; set; } = null!;

    /// <summary>Required. GPUs per node.</summary>
    [Input("gpusPerNode", required: true)]
    public int GpusPerNode { get; set; }

    /// <summary>The pool's MIG config name. Defaults to none.</summary>
    [Input("migConfig")]
    public string? MigConfig { get; set; }

    /// <summary>The pool's custom MIG config. Defaults to none.</summary>
    [Input("customMigConfig")]
    public MigConfigArgs? CustomMigConfig { get; set; }

    /// <summary>Time-slicing replicas per GPU, 1 to 64. Defaults to 1 (not shared).</summary>
    [Input("timeSlicingReplicas")]
    public int? TimeSlicingReplicas { get; set; }

    /// <summary><c>operator</c> or <c>preinstalled</c>. Defaults to operator on-prem, preinstalled on EKS.</summary>
    [Input("driver")]
    public string? Driver { get; set; }

    internal GpuOperatorPoolSpec ToSpec() => new()
    {
        PoolName = PoolName,
        GpuModel = GpuModel,
        GpusPerNode = GpusPerNode,
        MigConfig = MigConfig,
        CustomMigConfig = CustomMigConfig?.ToDefinition(),
        TimeSlicingReplicas = TimeSlicingReplicas,
        Driver = Driver,
    };
}
