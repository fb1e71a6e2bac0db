using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

/// <summary>Small hand-made inventories for the platform check's tests.</summary>
internal static class Fixtures
{
    public static readonly NodeTaint GpuTaint = new("nvidia.com/gpu", "true", TaintEffect.NoSchedule);

    public static PlatformPool Pool(string name, string cpu, int min = 1, int max = 1, int? desired = null, IReadOnlyDictionary<string, string>? labels = null, NodeTaint[]? taints = null, (string Resource, int Count)[]? extended = null, string cluster = "c") =>
        new(cluster, name, min, desired ?? min, max,
            (labels ?? new Dictionary<string, string> { ["neocloud.io/pool"] = name }).ToImmutableSortedDictionary(StringComparer.Ordinal),
            [.. taints ?? []],
            Quantities.Requests([(Quantities.Cpu, cpu), (Quantities.Memory, "64Gi"), (Quantities.Pods, "110"), .. (extended ?? []).Select(e => (e.Resource, e.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))]),
            "test node");

    public static PlatformWorkload Workload(string name, string cpu, int min = 1, int max = 1, string kind = "Deployment", string ns = "apps", PlatformToleration[]? tolerations = null, IReadOnlyDictionary<string, string>? selector = null, (string Resource, string Quantity)[]? extra = null, string cluster = "c", ImmutableArray<ImmutableArray<SelectorRequirement>> affinity = default) =>
        new(cluster, kind, ns, name, "test", WorkloadShape.Labels(("app", name)),
            (selector ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
            affinity.IsDefault ? [] : affinity,
            [.. tolerations ?? []],
            Quantities.Requests([(Quantities.Cpu, cpu), .. extra ?? []]),
            min, max, []);

    public static PlatformInventory Inventory(bool managed = true, bool autoscaler = false, PlatformPool[]? pools = null, PlatformWorkload[]? workloads = null) =>
        PlatformInventory.Empty with
        {
            Clusters = [new PlatformCluster("c", managed, autoscaler)],
            Pools = [.. pools ?? []],
            Workloads = [.. workloads ?? []],
        };
}
