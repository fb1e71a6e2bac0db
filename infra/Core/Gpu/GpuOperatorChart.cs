using NeoCloud.Infra.Core.Charts;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// The one place the NVIDIA GPU Operator chart and the versions it installs are pinned. Code, docs and tests
/// refer to these members, never to literals.
/// </summary>
public static class GpuOperatorChart
{
    /// <summary>The official NVIDIA Helm repository.</summary>
    public const string Repository = "https://helm.ngc.nvidia.com/nvidia";

    /// <summary>The chart name in <see cref="Repository"/>.</summary>
    public const string Chart = "gpu-operator";

    /// <summary>
    /// The pinned chart version (as the NGC repository tags it, with the leading <c>v</c>). 25.10.1 is the release the
    /// NVIDIA cloud-native-stack and Pulumi's aws-ts-eks-gpu-dra example pin.
    /// </summary>
    public const string Version = "v25.10.1";

    /// <summary>The pinned chart: <see cref="Repository"/>, <see cref="Chart"/>, <see cref="Version"/>.</summary>
    public static readonly HelmChartPin Pin = new(Repository, Chart, Version);

    /// <summary>
    /// The data-center driver version the operator installs where it installs the driver (on-prem); the version NVIDIA
    /// cloud-native-stack pairs with chart <see cref="Version"/>. On EKS GPU AMIs the AMI's driver is used instead.
    /// </summary>
    public const string DriverVersion = "580.105.08";

    /// <summary>Namespace the operator runs in unless the caller chooses another.</summary>
    public const string DefaultNamespace = "gpu-operator";

    /// <summary>Default value of the <c>release</c> label kube-prometheus-stack selects ServiceMonitors by.</summary>
    public const string DefaultPrometheusRelease = "kube-prometheus-stack";

    /// <summary>Name of the mig-parted ConfigMap this library renders (key <see cref="MigPartedConfigKey"/>).</summary>
    public const string MigPartedConfigMapName = "neocloud-mig-parted-config";

    /// <summary>Key of the mig-parted document in its ConfigMap.</summary>
    public const string MigPartedConfigKey = "config.yaml";

    /// <summary>Name of the device-plugin ConfigMap holding one time-slicing config per time-sliced pool.</summary>
    public const string DevicePluginConfigMapName = "neocloud-device-plugin-config";

    /// <summary>Key of the device-plugin config nodes without a <c>nvidia.com/device-plugin.config</c> label use (no sharing).</summary>
    public const string DevicePluginDefaultConfig = "default";
}
