using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>Who provides a node's NVIDIA driver and container toolkit.</summary>
public enum GpuDriver
{
    /// <summary>The GPU Operator installs them (its driver and toolkit DaemonSets): the on-prem default.</summary>
    Operator,

    /// <summary>
    /// The host already has them (EKS GPU AMIs, DGX OS, pre-provisioned nodes): the operator's driver and toolkit are off
    /// for these nodes. On EKS this is the only choice.
    /// </summary>
    Preinstalled,
}

/// <summary>Config spelling and node labels of <see cref="GpuDriver"/>.</summary>
public static class GpuDrivers
{
    /// <summary>The config values (<c>driver: operator|preinstalled</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, GpuDriver> ByName =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("operator", GpuDriver.Operator), KeyValuePair.Create("preinstalled", GpuDriver.Preinstalled)]);

    /// <summary>
    /// The node label that gates the operator's driver DaemonSet. The operator writes it as <c>"true"</c> on GPU nodes
    /// only when it is absent or empty, so a node labelled <c>"false"</c> keeps it and gets no driver pod
    /// (NVIDIA/gpu-operator v26.7.0 controllers/state_manager.go: <c>driverDeployLabelKey</c>, <c>addGPUStateLabels</c>).
    /// </summary>
    public const string DeployDriverLabel = "nvidia.com/gpu.deploy.driver";

    /// <summary>The node label that gates the container-toolkit DaemonSet (same file, <c>gpuStateLabels</c>).</summary>
    public const string DeployToolkitLabel = "nvidia.com/gpu.deploy.container-toolkit";

    /// <summary>The config spelling of <paramref name="driver"/>.</summary>
    /// <param name="driver">The driver source.</param>
    public static string ToConfigValue(this GpuDriver driver) => driver == GpuDriver.Preinstalled ? "preinstalled" : "operator";
}
