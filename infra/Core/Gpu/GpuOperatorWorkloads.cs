using System.Collections.Immutable;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// The pods the GPU Operator chart (<see cref="GpuOperatorChart.Version"/>) and its ClusterPolicy run, as the values
/// <see cref="GpuOperatorPlanner"/> passes place them. Our values set only the controllers' <c>nodeSelector</c> (the
/// cluster's system pools, <see cref="GpuOperatorSpec.SystemNodeSelector"/>, read back from the plan's values here);
/// tolerations, affinity and resources are the chart defaults, read from NVIDIA/gpu-operator at tag v26.7.0:
/// <list type="bullet">
/// <item><c>deployments/gpu-operator/values.yaml</c> <c>operator</c>: <c>nodeSelector: kubernetes.io/os: linux</c>
/// (merged with ours), toleration node-role.kubernetes.io/control-plane (Equal "", NoSchedule), a preferred affinity only,
/// requests 200m / 100Mi; <c>daemonsets.tolerations</c>: nvidia.com/gpu Exists NoSchedule (every operand DaemonSet);
/// operand resources <c>{}</c>.</item>
/// <item><c>deployments/gpu-operator/charts/node-feature-discovery/values.yaml</c> (NFD 0.19.0): master
/// <c>nodeSelector: {}</c>, tolerates only control-plane, requests 100m / 128Mi; gc <c>nodeSelector: {}</c>, no
/// tolerations, 10m / 128Mi; worker (tolerations overridden by the parent chart: control-plane, nvidia.com/gpu Exists
/// NoSchedule), 5m / 64Mi.</item>
/// </list>
/// The operand DaemonSets run only on nodes NFD labels with an NVIDIA PCI device
/// (<see cref="NvidiaPciLabel"/>; the operator then sets <c>nvidia.com/gpu.deploy.*</c>); the MIG manager only where
/// GPU Feature Discovery reports <see cref="MigCapableLabel"/>.
/// </summary>
public static class GpuOperatorWorkloads
{
    /// <summary>The NFD label of a node with an NVIDIA (vendor 10de) PCI device.</summary>
    public const string NvidiaPciLabel = "feature.node.kubernetes.io/pci-10de.present";

    /// <summary>The GPU Feature Discovery label of a node whose GPUs support MIG.</summary>
    public const string MigCapableLabel = "nvidia.com/mig.capable";

    private const string Source = "gpu-operator " + GpuOperatorChart.Version;

    /// <summary>The operator's and operands' pods.</summary>
    /// <param name="ns">Namespace of the release.</param>
    /// <param name="plan">The operator plan (driver/toolkit on-prem, MIG manager when a pool has MIG-capable GPUs).</param>
    public static ImmutableArray<WorkloadShape> For(string ns, GpuOperatorPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var controlPlane = ImmutableArray.Create(WorkloadShape.EqualEmpty("node-role.kubernetes.io/control-plane"));
        var gpu = ImmutableArray.Create(WorkloadShape.Exists(GpuNodeLabels.GpuTaintKey, TaintEffect.NoSchedule));
        var onGpuNodes = ImmutableArray.Create(ImmutableArray.Create(new SelectorRequirement(NvidiaPciLabel, "In", ["true"])));
        var result = ImmutableArray.CreateBuilder<WorkloadShape>();
        var linux = WorkloadShape.Labels(("kubernetes.io/os", "linux"));
        result.Add(new("Deployment", ns, "gpu-operator", Source, WorkloadShape.Labels(("app", "gpu-operator")), controlPlane, WorkloadShape.CpuMemory("200m", "100Mi"))
        {
            NodeSelector = linux.SetItems(Selector(plan.Values, "operator")),
        });
        result.Add(new("Deployment", ns, "gpu-operator-node-feature-discovery-master", Source, WorkloadShape.Labels(("app.kubernetes.io/name", "node-feature-discovery"), ("role", "master")), controlPlane, WorkloadShape.CpuMemory("100m", "128Mi"))
        {
            NodeSelector = Selector(plan.Values, "node-feature-discovery", "master"),
        });
        result.Add(new("Deployment", ns, "gpu-operator-node-feature-discovery-gc", Source, WorkloadShape.Labels(("app.kubernetes.io/name", "node-feature-discovery"), ("role", "gc")), [], WorkloadShape.CpuMemory("10m", "128Mi"))
        {
            NodeSelector = Selector(plan.Values, "node-feature-discovery", "gc"),
        });
        result.Add(new("DaemonSet", ns, "gpu-operator-node-feature-discovery-worker", Source, WorkloadShape.Labels(("app.kubernetes.io/name", "node-feature-discovery"), ("role", "worker")), [.. controlPlane, .. gpu], WorkloadShape.CpuMemory("5m", "64Mi")));

        WorkloadShape Operand(string name, string app) =>
            new("DaemonSet", ns, name, Source, WorkloadShape.Labels(("app", app)), gpu, WorkloadShape.NoRequests) { RequiredNodeAffinity = onGpuNodes };
        var driverEnabled = plan.Values.TryGetValue("driver", out var d) && d is IReadOnlyDictionary<string, object> dm && dm.TryGetValue("enabled", out var de) && de is true;
        if (driverEnabled)
        {
            result.Add(Operand("nvidia-driver-daemonset", "nvidia-driver-daemonset"));
        }

        var toolkitEnabled = plan.Values.TryGetValue("toolkit", out var t) && t is IReadOnlyDictionary<string, object> tm && tm.TryGetValue("enabled", out var te) && te is true;
        if (toolkitEnabled)
        {
            result.Add(Operand("nvidia-container-toolkit-daemonset", "nvidia-container-toolkit-daemonset"));
        }

        result.Add(Operand("nvidia-device-plugin-daemonset", "nvidia-device-plugin-daemonset"));
        result.Add(Operand("gpu-feature-discovery", "gpu-feature-discovery"));
        result.Add(Operand("nvidia-dcgm-exporter", "nvidia-dcgm-exporter"));
        result.Add(Operand("nvidia-operator-validator", "nvidia-operator-validator"));
        if (plan.MigManagerEnabled)
        {
            result.Add(Operand("nvidia-mig-manager", "nvidia-mig-manager") with
            {
                RequiredNodeAffinity = [[new SelectorRequirement(NvidiaPciLabel, "In", ["true"]), new SelectorRequirement(MigCapableLabel, "In", ["true"])]],
            });
        }

        return result.ToImmutable();
    }

    /// <summary>The <c>nodeSelector</c> at <paramref name="path"/> in chart values (empty when the values set none).</summary>
    /// <param name="values">Chart values.</param>
    /// <param name="path">Keys down to the component whose <c>nodeSelector</c> is read.</param>
    public static ImmutableSortedDictionary<string, string> Selector(IReadOnlyDictionary<string, object> values, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(path);
        var node = values;
        foreach (var key in path)
        {
            if (!node.TryGetValue(key, out var next) || next is not IReadOnlyDictionary<string, object> map)
            {
                return WorkloadShape.Labels();
            }

            node = map;
        }

        return node.TryGetValue("nodeSelector", out var selector) && selector is IReadOnlyDictionary<string, object> s
            ? s.ToImmutableSortedDictionary(kv => kv.Key, kv => (string)kv.Value, StringComparer.Ordinal)
            : WorkloadShape.Labels();
    }

    /// <summary>The DCGM exporter's metrics port (the chart's <c>dcgmExporter.service.port</c> default).</summary>
    public const int DcgmExporterPort = 9400;
}
