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
    /// The pinned chart version (as the NGC repository tags it, with the leading <c>v</c>): NVIDIA/gpu-operator tag
    /// <c>v26.7.0</c> ("GPU Operator v26.7.0", 2026-08-20), the newest release; NVIDIA/cloud-native-docs
    /// gpu-operator/life-cycle-policy.rst lists 26.7.x as supported. Every values key <see cref="GpuOperatorPlanner"/>
    /// sets is in that tag's deployments/gpu-operator/values.yaml (driver.enabled/version, toolkit.enabled,
    /// mig.strategy, migManager.enabled/config.{create,name,default}/env, devicePlugin.enabled/config.{create,name,default},
    /// dcgmExporter.enabled/serviceMonitor.{enabled,additionalLabels}, daemonsets.labels).
    /// </summary>
    public const string Version = "v26.7.0";

    /// <summary>The pinned chart: <see cref="Repository"/>, <see cref="Chart"/>, <see cref="Version"/>.</summary>
    public static readonly HelmChartPin Pin = new(Repository, Chart, Version);

    /// <summary>
    /// The data-center driver version the operator installs where it installs the driver (on-prem): 595.91.07, the
    /// default and recommended driver of GPU Operator v26.7.0 (NVIDIA/cloud-native-docs gpu-operator/release-notes.rst
    /// "26.7.0 ... NVIDIA GPU Driver 595.91.07", life-cycle-policy.rst component matrix "(R, D)"; the tag's values.yaml
    /// <c>driver.version: "595.91.07"</c>). On EKS GPU AMIs the AMI's driver is used instead (see the compatibility matrix).
    /// </summary>
    public const string DriverVersion = "595.91.07";

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
