using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// A chart's (or the stack's) workload as its values place it, before it is bound to a cluster: the one shape each
/// chart class in Core (<c>GpuOperatorWorkloads</c>, <c>KedaWorkloads</c>, <c>KubePrometheusStackWorkloads</c>,
/// <c>QdrantWorkloads</c>, <c>RookGatewayWorkloads</c>, <c>EksSystemWorkloads</c>) describes its pods in.
/// </summary>
/// <param name="Kind">Deployment, StatefulSet, DaemonSet, Job, CronJob.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Name.</param>
/// <param name="Source">The chart or add-on (e.g. <c>gpu-operator v25.10.1</c>).</param>
/// <param name="PodLabels">Pod labels.</param>
/// <param name="Tolerations">Tolerations.</param>
/// <param name="Requests">Requests of one pod as Kubernetes quantities (resource → quantity).</param>
/// <param name="Replicas">Replicas (ignored for DaemonSets).</param>
public sealed record WorkloadShape(
    string Kind,
    string Namespace,
    string Name,
    string Source,
    ImmutableSortedDictionary<string, string> PodLabels,
    ImmutableArray<PlatformToleration> Tolerations,
    ImmutableSortedDictionary<string, string> Requests,
    int Replicas = 1)
{
    /// <summary>spec.nodeSelector.</summary>
    public ImmutableSortedDictionary<string, string> NodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Required node affinity terms (OR of ANDed requirements).</summary>
    public ImmutableArray<ImmutableArray<SelectorRequirement>> RequiredNodeAffinity { get; init; } = [];

    /// <summary>StorageClass names of its volumeClaimTemplates (null entry = cluster default).</summary>
    public ImmutableArray<string?> ClaimTemplates { get; init; } = [];

    /// <summary>Replicas at maximum, when it differs from <see cref="Replicas"/> (an autoscaled workload).</summary>
    public int? MaxReplicas { get; init; }

    /// <summary>The workload on <paramref name="cluster"/>.</summary>
    public PlatformWorkload On(string cluster) => new(
        cluster,
        Kind,
        Namespace,
        Name,
        Source,
        PodLabels,
        NodeSelector,
        RequiredNodeAffinity,
        Tolerations,
        Requests.ToImmutableSortedDictionary(kv => kv.Key, kv => Quantities.Parse(kv.Key, kv.Value), StringComparer.Ordinal),
        Replicas,
        MaxReplicas ?? Replicas,
        ClaimTemplates);

    /// <summary>A label map.</summary>
    public static ImmutableSortedDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);

    /// <summary>Requests of cpu and memory.</summary>
    public static ImmutableSortedDictionary<string, string> CpuMemory(string cpu, string memory) =>
        Labels((Quantities.Cpu, cpu), (Quantities.Memory, memory));

    /// <summary>No requests (the chart sets <c>resources: {}</c>).</summary>
    public static ImmutableSortedDictionary<string, string> NoRequests { get; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Tolerates <c>key</c> with <c>operator: Equal</c>, <c>value: ""</c>, effect NoSchedule (the control-plane tolerations charts ship).</summary>
    public static PlatformToleration EqualEmpty(string key) => new(key, "Equal", string.Empty, TaintEffect.NoSchedule);

    /// <summary>Tolerates <c>key</c> with <c>operator: Exists</c> and the given effect (null = every effect).</summary>
    public static PlatformToleration Exists(string? key, TaintEffect? effect) => new(key, "Exists", null, effect);
}
