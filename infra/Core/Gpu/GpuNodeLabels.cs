namespace NeoCloud.Infra.Core.Gpu;

/// <summary>Node label and taint keys the NVIDIA GPU Operator and this library agree on.</summary>
public static class GpuNodeLabels
{
    /// <summary>Selects a named config of the mig-parted ConfigMap for the node (read by the MIG manager).</summary>
    public const string MigConfig = "nvidia.com/mig.config";

    /// <summary>Written by the MIG manager: <c>pending</c>, <c>rebooting</c>, <c>success</c> or <c>failed</c>.</summary>
    public const string MigConfigState = "nvidia.com/mig.config.state";

    /// <summary>Selects a named config of the device-plugin ConfigMap for the node (time-slicing).</summary>
    public const string DevicePluginConfig = "nvidia.com/device-plugin.config";

    /// <summary>Key of the taint that keeps pods without a GPU toleration off GPU nodes.</summary>
    public const string GpuTaintKey = "nvidia.com/gpu";

    /// <summary>Value of the GPU taint.</summary>
    public const string GpuTaintValue = "true";

    /// <summary>The field manager name prefix of on-prem node label patches (one manager per pool).</summary>
    public const string FieldManagerPrefix = "neocloud-gpu-pool-";
}

/// <summary>Effect of a Kubernetes taint.</summary>
public enum TaintEffect
{
    /// <summary>New pods without a matching toleration are not scheduled.</summary>
    NoSchedule,

    /// <summary>The scheduler tries to avoid the node.</summary>
    PreferNoSchedule,

    /// <summary>Running pods without a matching toleration are evicted.</summary>
    NoExecute,
}

/// <summary>A node taint.</summary>
/// <param name="Key">Taint key.</param>
/// <param name="Value">Taint value.</param>
/// <param name="Effect">Taint effect.</param>
public sealed record NodeTaint(string Key, string Value, TaintEffect Effect)
{
    /// <summary>The EKS API spelling of <see cref="Effect"/>: <c>NO_SCHEDULE</c>, <c>PREFER_NO_SCHEDULE</c>, <c>NO_EXECUTE</c>.</summary>
    public string EksEffect => Effect switch
    {
        TaintEffect.NoSchedule => "NO_SCHEDULE",
        TaintEffect.PreferNoSchedule => "PREFER_NO_SCHEDULE",
        TaintEffect.NoExecute => "NO_EXECUTE",
        _ => throw new InvalidOperationException($"unknown taint effect {Effect}"),
    };

    /// <summary>The kubelet / kubectl spelling, e.g. <c>nvidia.com/gpu=true:NoSchedule</c>.</summary>
    public override string ToString() => $"{Key}={Value}:{Effect}";
}

/// <summary>A pod toleration, as workloads placed on a pool must carry it.</summary>
/// <param name="Key">Taint key tolerated.</param>
/// <param name="Operator"><c>Exists</c> or <c>Equal</c>.</param>
/// <param name="Value">Value for <c>Equal</c>; null for <c>Exists</c>.</param>
/// <param name="Effect">Effect tolerated.</param>
public sealed record PodToleration(string Key, string Operator, string? Value, TaintEffect Effect)
{
    /// <summary>The toleration as a string map (<c>key</c>, <c>operator</c>, <c>value</c> when set, <c>effect</c>), the shape of a pod spec entry.</summary>
    public System.Collections.Immutable.ImmutableSortedDictionary<string, string> ToMap()
    {
        var map = System.Collections.Immutable.ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        map["key"] = Key;
        map["operator"] = Operator;
        if (Value is not null)
        {
            map["value"] = Value;
        }

        map["effect"] = Effect.ToString();
        return map.ToImmutable();
    }
}
