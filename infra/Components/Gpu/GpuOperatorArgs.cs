using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>Inputs of <see cref="GpuOperator"/>: plain decisions, validated before anything is registered.</summary>
public sealed class GpuOperatorArgs : ResourceArgs
{
    /// <summary>Required. What runs the cluster's nodes: on EKS GPU AMIs the driver and toolkit are preinstalled, on-prem the operator installs them.</summary>
    public Substrate? Substrate { get; set; }

    /// <summary>Every GPU pool of this cluster (<see cref="GpuNodePool.Plan"/>). Decides mig.strategy, the mig-parted and the device-plugin configs. Defaults to none.</summary>
    public List<GpuPoolPlan> Pools { get; set; } = [];

    /// <summary>The cluster-wide <c>mig.strategy</c>. Defaults to the strategy the MIG pools were planned with (mixed unless they chose single); none without MIG pools.</summary>
    public MigStrategy? MigStrategy { get; set; }

    /// <summary>Namespace created for the operator. Defaults to <c>gpu-operator</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>Value of the <c>release</c> label kube-prometheus-stack selects ServiceMonitors by. Defaults to <c>kube-prometheus-stack</c>.</summary>
    public string? PrometheusReleaseLabel { get; set; }

    /// <summary>Whether the DCGM exporter gets a ServiceMonitor (needs the prometheus-operator CRDs in the cluster). Defaults to true.</summary>
    public bool? ServiceMonitor { get; set; }

    /// <summary>Whether the MIG manager may reboot a node whose GPUs cannot be reset (<c>WITH_REBOOT</c>). Defaults to true on EKS, false on-prem.</summary>
    public bool? AllowNodeReboot { get; set; }

    /// <summary>Required. Environment (stack) name for labels.</summary>
    public string Environment { get; set; } = "";

    /// <summary>Required. Cost center for labels.</summary>
    public string CostCenter { get; set; } = "";

    internal GpuOperatorDefinition? ToDefinition() => Substrate is { } substrate
        ? new GpuOperatorDefinition
        {
            Substrate = substrate,
            Pools = [.. Pools ?? []],
            MigStrategy = MigStrategy,
            Namespace = Namespace ?? GpuOperatorChart.DefaultNamespace,
            PrometheusReleaseLabel = PrometheusReleaseLabel ?? GpuOperatorChart.DefaultPrometheusRelease,
            ServiceMonitor = ServiceMonitor ?? true,
            AllowNodeReboot = AllowNodeReboot,
            Environment = Environment,
            CostCenter = CostCenter,
        }
        : null;
}
