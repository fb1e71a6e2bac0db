using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>
/// ScaledObjects whose targets share GPU pools fit those pools together: the pack's counterpart of Core's
/// <c>ReplicaBudget</c> (the binder's and the plan's shared-pool budget). <see cref="ScaledObjectCapacityRule"/> checks
/// each ScaledObject alone.
/// </summary>
/// <remarks>
/// Sound (no false positive): for each distinct set A of pools admitting some scaled GPU workload, the workloads whose
/// admitting pools are all in A can only run on A, so their summed maximum demand (maxReplicaCount × GPU request per
/// pod, per extended resource) must fit A's capacity (per-node offers × max nodes) or some replica can never be
/// scheduled. Only sets shared by at least two ScaledObjects are reported (one alone is the other rule's), and a set
/// with a pool whose offers cannot be computed, or whose GPUs per node the stack does not state
/// (<see cref="GpuPool.GpuCountKnown"/>: an on-prem NodePatch without <c>neocloud.io/gpus-per-node</c> or <c>nvidia.com/gpu.count</c>), or that is time-sliced
/// (<see cref="GpuPool.TimeSliced"/>: the replicas per GPU are not read), is skipped. A pool's config <c>allowOvercommit</c> is not written onto
/// any registered resource, so the pack cannot honour it: an over-committed pool is reported (advisory in dev).
/// </remarks>
public sealed class SharedPoolCapacityRule(HardwareCatalog catalog) : IStackRule
{
    /// <summary>Uses the Core catalog.</summary>
    public SharedPoolCapacityRule() : this(HardwareCatalog.Default)
    {
    }

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        ConfigChecks.ScaledObjectsSharePoolCapacity, "ScaledObjects sharing GPU pools fit together",
        "For each set of pools admitting a scaled GPU workload, the maxReplicaCount × GPU request per pod of every ScaledObject whose target can only schedule on those pools, summed per extended resource, fits their capacity (per-node offers × max nodes); sets with a pool whose GPUs per node the stack does not state (an on-prem node without neocloud.io/gpus-per-node or nvidia.com/gpu.count) or that is time-sliced (nvidia.com/device-plugin.config) are skipped. A pool's allowOvercommit is not visible in the registered resources, so over-committed pools are reported too (advisory in dev).",
        PolicySeverity.Medium, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None, ["gpu", "autoscaling"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var scaled = ScaledTargets.Of(stack);
        if (scaled.Count < 2)
        {
            return [];
        }
        var inventory = GpuInventory.FromStack(stack, catalog);
        var index = new Dictionary<GpuPool, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < inventory.Pools.Length; i++)
        {
            index[inventory.Pools[i]] = i;
        }
        var result = new List<Violation>();
        var claims = new List<Claim>();
        // KEDA admits one ScaledObject per target; should a stack declare more, the smallest maximum is the sound one.
        foreach (var group in scaled.Where(s => s.Target is not null).GroupBy(s => (object)s.Target!.Resource, ReferenceEqualityComparer.Instance))
        {
            var entry = group.MinBy(s => s.MaxReplicas)!;
            var workload = entry.Target!;
            try
            {
                var requests = workload.GpuRequests();
                if (requests.Count == 0)
                {
                    continue;
                }
                var admitting = inventory.Admitting(workload.PodSpec);
                if (admitting.Count == 0)
                {
                    continue; // gpu-resource-offered reports a workload no pool admits
                }
                claims.Add(new Claim(entry.ScaledObject, workload, entry.MaxReplicas, requests,
                    [.. admitting.Select(p => index[p]).Order()]));
            }
            catch (UnknownValueException)
            {
                result.Add(Violation.CannotEvaluate($"the GPU requests or placement of '{workload.Resource.Name}', a target of ScaledObject '{entry.ScaledObject.Name}', or its pools", entry.ScaledObject.Urn));
            }
        }
        result.AddRange(scaled.Select(s => s.Unreadable).OfType<Violation>());

        foreach (var set in claims.Select(c => c.Pools).Distinct(PoolSetComparer.Instance))
        {
            var members = claims.Where(c => c.Pools.All(set.Contains)).ToList();
            var pools = set.Select(i => inventory.Pools[i]).ToList();
            if (members.Count < 2 || pools.Any(p => !p.GpuCountKnown || p.TimeSliced || inventory.OffersOf(p).Offers is null))
            {
                continue;
            }
            foreach (var resource in members.SelectMany(m => m.Requests.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var sharing = members.Where(m => m.Requests.ContainsKey(resource)).ToList();
                var need = sharing.Sum(m => m.MaxReplicas * m.Requests[resource]);
                var have = inventory.CapacityOf(pools, resource);
                if (sharing.Count < 2 || need <= have)
                {
                    continue;
                }
                var who = string.Join(", ", sharing.Select(m => $"'{m.ScaledObject.Name}' ({m.Workload.Kind} '{m.Workload.Name}': {N(m.MaxReplicas)} × {N(m.Requests[resource])})"));
                var poolNames = string.Join(", ", pools.Select(p => p.Name).Distinct(StringComparer.Ordinal).Select(n => $"'{n}'"));
                // The violation belongs to the first ScaledObject; the message names every one.
                result.Add(new Violation(
                    $"ScaledObjects {who} can only schedule on pools {poolNames} and may together need {resource}={N(need)}, but those pools hold at most {resource}={N(have)} at their maximum size; lower their maxReplicaCount, raise the pools' maxSize, or let some target schedule on another pool (a pool's allowOvercommit is not visible to the pack)",
                    sharing[0].ScaledObject.Urn));
            }
        }
        return result;
    }

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Claim(ResourceSnapshot ScaledObject, Workload Workload, int MaxReplicas, ImmutableDictionary<string, double> Requests, ImmutableArray<int> Pools);

    private sealed class PoolSetComparer : IEqualityComparer<ImmutableArray<int>>
    {
        public static readonly PoolSetComparer Instance = new();

        public bool Equals(ImmutableArray<int> x, ImmutableArray<int> y) => x.SequenceEqual(y);

        public int GetHashCode(ImmutableArray<int> obj)
        {
            var hash = default(HashCode);
            foreach (var i in obj)
            {
                hash.Add(i);
            }
            return hash.ToHashCode();
        }
    }
}
