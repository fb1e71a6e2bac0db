using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Gpu;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>Where one workload lands.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Admitting">Pools that admit it (node selector, required node affinity, tolerations).</param>
/// <param name="Rejections">Why each other pool does not admit it.</param>
/// <param name="PerNode">Replicas one node of each admitting pool holds (after the DaemonSets that run there), and the resource that limits it.</param>
/// <param name="NodesAtMin">Nodes used per pool at minimum replicas.</param>
/// <param name="NodesAtMax">Nodes used per pool at maximum replicas.</param>
/// <param name="UnplacedAtMin">Replicas that do not fit anywhere at minimum.</param>
/// <param name="UnplacedAtMax">Replicas that do not fit anywhere at maximum.</param>
/// <param name="OnExistingNodes">True when it lands on an existing cluster's nodes the config does not describe (capacity unknown).</param>
public sealed record WorkloadPlacement(
    PlatformWorkload Workload,
    ImmutableArray<string> Admitting,
    ImmutableSortedDictionary<string, string> Rejections,
    ImmutableSortedDictionary<string, PerNodeFit> PerNode,
    ImmutableSortedDictionary<string, int> NodesAtMin,
    ImmutableSortedDictionary<string, int> NodesAtMax,
    int UnplacedAtMin,
    int UnplacedAtMax,
    bool OnExistingNodes);

/// <summary>How many replicas of a workload one node holds.</summary>
/// <param name="Replicas">Replicas per node (0 = does not fit).</param>
/// <param name="LimitedBy">The resource that runs out first (e.g. <c>cpu</c>), and by how much a node misses when it does not fit.</param>
public sealed record PerNodeFit(int Replicas, string LimitedBy);

/// <summary>How many nodes a pool needs.</summary>
/// <param name="Pool">Pool (cluster/name).</param>
/// <param name="NodesAtMin">Nodes needed with every workload at minimum replicas.</param>
/// <param name="NodesAtMax">Nodes needed with every workload at maximum replicas.</param>
/// <param name="Desired">Nodes the pool has when nothing resizes it.</param>
/// <param name="Max">Maximum nodes.</param>
public sealed record PoolNeed(string Pool, int NodesAtMin, int NodesAtMax, int Desired, int Max);

/// <summary>Placement of every workload: scheduling predicates (node selector, node affinity, taints) and bin-packing.</summary>
public static class Placement
{
    /// <summary>The name of the implicit pool of an existing (unmanaged) cluster's nodes the config does not describe.</summary>
    public const string ExistingNodes = "(existing nodes)";

    /// <summary>Node labels every Linux node carries.</summary>
    public static readonly ImmutableSortedDictionary<string, string> WellKnownNodeLabels = WorkloadShape.Labels(("kubernetes.io/os", "linux"));

    /// <summary>Places every workload of <paramref name="inventory"/>.</summary>
    public static (ImmutableArray<WorkloadPlacement> Workloads, ImmutableArray<PoolNeed> Pools) Place(PlatformInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var placements = ImmutableArray.CreateBuilder<WorkloadPlacement>();
        var needs = ImmutableArray.CreateBuilder<PoolNeed>();
        foreach (var cluster in inventory.Clusters)
        {
            var pools = inventory.Pools.Where(p => p.Cluster == cluster.Name).ToList();
            var workloads = inventory.Workloads.Where(w => w.Cluster == cluster.Name).ToList();
            var admits = workloads.ToDictionary(w => w, w => pools.ToDictionary(p => p.Name, p => Rejection(w, p), StringComparer.Ordinal));

            // DaemonSets first: each runs on every admitting node and takes its requests from what the others get.
            var overhead = pools.ToDictionary(p => p.Name, _ => (IReadOnlyDictionary<string, long>)ImmutableSortedDictionary<string, long>.Empty, StringComparer.Ordinal);
            foreach (var ds in workloads.Where(w => w.DaemonSet))
            {
                foreach (var p in pools.Where(p => admits[ds][p.Name] is null))
                {
                    overhead[p.Name] = Quantities.Add(overhead[p.Name], WithPod(ds.Requests));
                }
            }

            var free = pools.ToDictionary(p => p.Name, p => Subtract(p.Allocatable, overhead[p.Name]), StringComparer.Ordinal);
            var bins = pools.ToDictionary(p => p.Name, _ => (Min: new List<Dictionary<string, long>>(), Max: new List<Dictionary<string, long>>()), StringComparer.Ordinal);
            var order = workloads.OrderBy(w => w.DaemonSet ? 1 : 0).ThenByDescending(w => Dominant(w.Requests)).ThenBy(w => w.Id, StringComparer.Ordinal);
            foreach (var w in order)
            {
                var admitting = pools.Where(p => admits[w][p.Name] is null).Select(p => p.Name).ToImmutableArray();
                var rejections = pools.Where(p => admits[w][p.Name] is not null).ToImmutableSortedDictionary(p => p.Name, p => admits[w][p.Name]!, StringComparer.Ordinal);
                var existing = !cluster.Managed && ExistingNodesAdmit(w);
                var perNode = admitting.ToImmutableSortedDictionary(
                    p => p,
                    p => w.DaemonSet ? DaemonSetFit(w, pools.Single(x => x.Name == p), Subtract(pools.Single(x => x.Name == p).Allocatable, Subtract(overhead[p], WithPod(w.Requests))))
                                     : Fit(w.Requests, free[p], pools.Single(x => x.Name == p).CpuMemoryKnown),
                    StringComparer.Ordinal);
                var nodesMin = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
                var nodesMax = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
                int unplacedMin = 0, unplacedMax = 0;
                var onExisting = false;
                if (w.DaemonSet)
                {
                    foreach (var p in admitting)
                    {
                        var pool = pools.Single(x => x.Name == p);
                        if (perNode[p].Replicas > 0)
                        {
                            nodesMin[p] = pool.MinNodes;
                            nodesMax[p] = pool.MaxNodes;
                        }
                        else
                        {
                            unplacedMin += pool.MinNodes;
                            unplacedMax += pool.MaxNodes;
                        }
                    }
                }
                else
                {
                    var targets = admitting.Where(p => perNode[p].Replicas > 0).ToList();
                    unplacedMin = Pack(w, w.MinReplicas, targets, pools, free, bins, useMax: false, nodesMin);
                    unplacedMax = Pack(w, w.MaxReplicas, targets, pools, free, bins, useMax: true, nodesMax);
                    if (existing && (targets.Count == 0 || unplacedMax > 0))
                    {
                        // An existing cluster's other nodes take what the described pools cannot (capacity unknown).
                        onExisting = true;
                        unplacedMin = unplacedMax = 0;
                    }
                }

                placements.Add(new WorkloadPlacement(w, admitting, rejections, perNode, nodesMin.ToImmutable(), nodesMax.ToImmutable(), unplacedMin, unplacedMax, onExisting));
            }

            foreach (var p in pools)
            {
                needs.Add(new PoolNeed($"{cluster.Name}/{p.Name}", bins[p.Name].Min.Count, bins[p.Name].Max.Count, p.DesiredNodes, p.MaxNodes));
            }
        }

        return (placements.ToImmutable(), needs.ToImmutable());
    }

    /// <summary>Why <paramref name="pool"/> does not admit <paramref name="w"/>, or null when it does.</summary>
    public static string? Rejection(PlatformWorkload w, PlatformPool pool)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(pool);
        var labels = WellKnownNodeLabels.SetItems(pool.Labels);
        foreach (var (k, v) in w.NodeSelector)
        {
            if (!labels.TryGetValue(k, out var actual))
            {
                return $"nodeSelector {k}={v}: nodes have no {k} label";
            }

            if (actual != v)
            {
                return $"nodeSelector {k}={v}: nodes have {k}={actual}";
            }
        }

        if (!w.RequiredNodeAffinity.IsDefaultOrEmpty && !w.RequiredNodeAffinity.Any(term => term.All(r => r.Matches(labels))))
        {
            return $"required node affinity ({string.Join(" or ", w.RequiredNodeAffinity.Select(t => string.Join(", ", t.Select(r => $"{r.Key} {r.Operator} {string.Join(",", r.Values)}"))))}) not met by the nodes' labels";
        }

        foreach (var taint in pool.Taints.Where(t => t.Effect is TaintEffect.NoSchedule or TaintEffect.NoExecute))
        {
            if (!w.Tolerations.Any(t => t.Tolerates(taint)))
            {
                return $"taint {taint} not tolerated";
            }
        }

        return null;
    }

    /// <summary>Replicas of a pod with <paramref name="requests"/> that fit into <paramref name="free"/>, and what limits them.</summary>
    public static PerNodeFit Fit(IReadOnlyDictionary<string, long> requests, IReadOnlyDictionary<string, long> free, bool cpuMemoryKnown = true)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(free);
        var best = int.MaxValue;
        var limit = "-";
        foreach (var (resource, amount) in WithPod(requests))
        {
            if (amount <= 0 || (!cpuMemoryKnown && resource is Quantities.Cpu or Quantities.Memory or Quantities.EphemeralStorage))
            {
                continue;
            }

            var available = free.GetValueOrDefault(resource);
            var n = available <= 0 ? 0 : (int)Math.Min(int.MaxValue, available / amount);
            if (n == 0)
            {
                return new PerNodeFit(0, $"needs {Quantities.Format(resource, amount)} {resource}, a node offers {Quantities.Format(resource, Math.Max(0, available))}");
            }

            if (n < best)
            {
                best = n;
                limit = resource;
            }
        }

        return new PerNodeFit(best == int.MaxValue ? int.MaxValue : best, limit);
    }

    /// <summary>True when a workload could land on an existing cluster's undescribed nodes (no selector beyond the OS label, no node affinity).</summary>
    public static bool ExistingNodesAdmit(PlatformWorkload w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w.NodeSelector.Keys.All(WellKnownNodeLabels.ContainsKey) && w.RequiredNodeAffinity.IsDefaultOrEmpty
            && !w.Requests.Keys.Any(k => k.StartsWith("nvidia.com/", StringComparison.Ordinal));
    }

    private static PerNodeFit DaemonSetFit(PlatformWorkload ds, PlatformPool pool, IReadOnlyDictionary<string, long> freeForIt) =>
        Fit(ds.Requests, freeForIt, pool.CpuMemoryKnown) is { Replicas: > 0 } ? new PerNodeFit(1, "daemonset") : Fit(ds.Requests, freeForIt, pool.CpuMemoryKnown);

    private static int Pack(
        PlatformWorkload w,
        int replicas,
        List<string> targets,
        List<PlatformPool> pools,
        Dictionary<string, ImmutableSortedDictionary<string, long>> free,
        Dictionary<string, (List<Dictionary<string, long>> Min, List<Dictionary<string, long>> Max)> bins,
        bool useMax,
        ImmutableSortedDictionary<string, int>.Builder used)
    {
        var need = WithPod(w.Requests);
        var left = replicas;
        foreach (var p in targets)
        {
            var pool = pools.Single(x => x.Name == p);
            var nodes = useMax ? bins[p].Max : bins[p].Min;
            var touched = new HashSet<int>();
            while (left > 0)
            {
                var index = nodes.FindIndex(n => Fits(need, n, pool.CpuMemoryKnown));
                if (index < 0)
                {
                    if (nodes.Count >= pool.MaxNodes)
                    {
                        break;
                    }

                    nodes.Add(free[p].ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
                    index = nodes.Count - 1;
                    if (!Fits(need, nodes[index], pool.CpuMemoryKnown))
                    {
                        nodes.RemoveAt(index);
                        break;
                    }
                }

                foreach (var (k, v) in need)
                {
                    nodes[index][k] = nodes[index].GetValueOrDefault(k) - v;
                }

                touched.Add(index);
                left--;
            }

            if (touched.Count > 0)
            {
                used[p] = touched.Count;
            }
        }

        return left;
    }

    private static bool Fits(IReadOnlyDictionary<string, long> need, Dictionary<string, long> node, bool cpuMemoryKnown) =>
        need.All(kv => kv.Value <= 0 || (!cpuMemoryKnown && kv.Key is Quantities.Cpu or Quantities.Memory or Quantities.EphemeralStorage) || node.GetValueOrDefault(kv.Key) >= kv.Value);

    private static ImmutableSortedDictionary<string, long> WithPod(IReadOnlyDictionary<string, long> requests) =>
        requests.ToImmutableSortedDictionary(StringComparer.Ordinal).SetItem(Quantities.Pods, 1);

    private static ImmutableSortedDictionary<string, long> Subtract(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b)
    {
        var result = a.ToImmutableSortedDictionary(StringComparer.Ordinal).ToBuilder();
        foreach (var (k, v) in b)
        {
            if (result.ContainsKey(k))
            {
                result[k] -= v;
            }
        }

        return result.ToImmutable();
    }

    private static double Dominant(IReadOnlyDictionary<string, long> requests) =>
        requests.Keys.Any(k => k.StartsWith("nvidia.com/", StringComparison.Ordinal)) ? 1e18 : requests.GetValueOrDefault(Quantities.Cpu);

    /// <summary>"3 × cpu-bound" style text of a fit.</summary>
    public static string Describe(PerNodeFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return fit.Replicas == int.MaxValue ? "no requests" : fit.Replicas == 0 ? fit.LimitedBy : string.Create(CultureInfo.InvariantCulture, $"{fit.Replicas}/node ({fit.LimitedBy})");
    }
}
