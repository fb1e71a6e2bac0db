using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>A taint of a pool's nodes.</summary>
public sealed record NodeTaint(string Key, string? Value, string Effect);

/// <summary>
/// A set of GPU nodes declared in the stack: an EKS node group (aws:eks/nodeGroup:NodeGroup) or a Kubernetes Node /
/// NodePatch, with its labels, taints, GPU model (from the neocloud.io/gpu-model label or the instance type via the
/// Core catalog), GPUs per node, MIG config label and most nodes. <see cref="GpuCountKnown"/> is false when GPUs per node
/// was neither given by a catalog instance type nor by the <c>nvidia.com/gpu.count</c> label (then 1 is assumed): an
/// on-prem NodePatch does not carry that label, GPU Feature Discovery writes it on the live node.
/// </summary>
public sealed record GpuPool(
    ResourceSnapshot Resource,
    ImmutableDictionary<string, string> Labels,
    ImmutableArray<NodeTaint> Taints,
    string? InstanceType,
    GpuModel? Gpu,
    int GpusPerNode,
    int MaxNodes,
    bool GpuCountKnown = true)
{
    /// <summary>Type tokens of pool resources.</summary>
    public static ImmutableArray<string> Types { get; } = ["aws:eks/nodeGroup:NodeGroup", "kubernetes:core/v1:Node", "kubernetes:core/v1:NodePatch"];

    /// <summary>Pool name: the neocloud.io/pool label, else the resource name.</summary>
    public string Name => Labels.GetValueOrDefault(ResourceLabels.Pool) ?? Resource.Name;

    /// <summary>
    /// True when the pool selects a device-plugin config (<c>nvidia.com/device-plugin.config</c>, time-slicing): each
    /// GPU is then advertised as several <c>nvidia.com/gpu</c>, a count <see cref="Offers"/> does not include.
    /// </summary>
    public bool TimeSliced => Labels.ContainsKey(GpuNodeLabels.DevicePluginConfig);

    /// <summary>The MIG config label value, or null.</summary>
    public string? MigConfig => Labels.GetValueOrDefault(GpuNodeLabels.MigConfig);

    /// <summary>The pools of a stack.</summary>
    /// <exception cref="UnknownValueException">Labels, taints or instance types are not known yet.</exception>
    public static ImmutableArray<GpuPool> FromStack(StackSnapshot stack, HardwareCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. stack.OfType(Types).Select(r => From(r, catalog))];
    }

    /// <summary>The pool view of one resource.</summary>
    /// <exception cref="UnknownValueException">Labels, taints or instance types are not known yet.</exception>
    public static GpuPool From(ResourceSnapshot resource, HardwareCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(catalog);
        var isNodeGroup = resource.Type == "aws:eks/nodeGroup:NodeGroup";
        var labelsValue = isNodeGroup ? resource["labels"] : resource["metadata"]["labels"];
        var labels = labelsValue.Entries().ToImmutableDictionary(e => e.Key, e => e.Value.AsString() ?? string.Empty, StringComparer.Ordinal);
        var taintsValue = isNodeGroup ? resource["taints"] : resource["spec"]["taints"];
        var taints = taintsValue.Items().Select(t => new NodeTaint(t["key"].AsString() ?? string.Empty, t["value"].AsString(),
            NormalizeEffect(t["effect"].AsString()))).ToImmutableArray();
        var instanceType = isNodeGroup
            ? resource["instanceTypes"].Items().Select(i => i.AsString()).FirstOrDefault()
            : labels.GetValueOrDefault(ResourceLabels.NodeInstanceType);
        var instance = instanceType is null ? null : catalog.FindInstanceType(instanceType);
        var gpu = labels.GetValueOrDefault(ResourceLabels.GpuModel) is { } modelId ? catalog.FindGpu(modelId) : instance is null ? null : catalog.GpuOf(instance);
        // GFD's count on a live node, else the count the pool declares (an on-prem NodePatch, known before the node runs).
        var labelled = (int.TryParse(labels.GetValueOrDefault(ResourceLabels.NodeGpuCount), out var n) && n > 0)
            || (int.TryParse(labels.GetValueOrDefault(ResourceLabels.GpusPerNode), out n) && n > 0);
        var gpus = instance?.Gpus ?? (labelled ? n : 1);
        var maxNodes = isNodeGroup ? (int)(resource["scalingConfig"]["maxSize"].AsNumber() ?? 1) : 1;
        return new GpuPool(resource, labels, taints, instanceType, gpu, gpus, Math.Max(maxNodes, 0), instance is not null || labelled);
    }

    /// <summary>
    /// The extended resources one node offers (Core <see cref="GpuResources.PerNode"/>), or the reason it cannot be computed.
    /// </summary>
    public (ImmutableSortedDictionary<string, int>? Offers, string? Problem) Offers(MigStrategy strategy, MigPartedDocument custom)
    {
        ArgumentNullException.ThrowIfNull(custom);
        if (Gpu is null)
        {
            return (null, $"pool '{Name}' has no known GPU model (label {ResourceLabels.GpuModel} or a catalog instance type)");
        }
        IReadOnlyList<ImmutableSortedDictionary<string, int>>? layouts = null;
        if (MigConfig is { } config)
        {
            var resolution = MigConfigs.Resolve(config, Gpu, GpusPerNode, custom.For(Gpu));
            if (!resolution.IsValid)
            {
                return (null, $"pool '{Name}': {string.Join("; ", resolution.Errors)}");
            }
            layouts = resolution.PerDevice;
        }
        try
        {
            return (GpuResources.PerNode(Gpu, GpusPerNode, layouts, strategy), null);
        }
        catch (ArgumentException e)
        {
            return (null, $"pool '{Name}': {e.Message}");
        }
    }

    /// <summary>True when a pod with <paramref name="podSpec"/> may be scheduled on this pool's nodes (node selector, required node affinity, taints).</summary>
    /// <exception cref="UnknownValueException">The pod's placement is not known yet.</exception>
    public bool Admits(PropertyValue podSpec)
    {
        ArgumentNullException.ThrowIfNull(podSpec);
        foreach (var (key, value) in podSpec["nodeSelector"].Entries())
        {
            if (Labels.GetValueOrDefault(key) != value.AsString())
            {
                return false;
            }
        }
        var terms = podSpec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].Items();
        if (terms.Length > 0 && !terms.Any(term => term["matchExpressions"].Items().All(Matches)))
        {
            return false;
        }
        var tolerations = podSpec["tolerations"].Items();
        return Taints.Where(t => t.Effect is "NoSchedule" or "NoExecute").All(t => tolerations.Any(tol => Tolerates(tol, t)));
    }

    private bool Matches(PropertyValue expression)
    {
        var key = expression["key"].AsString() ?? string.Empty;
        var values = expression["values"].Items().Select(v => v.AsString()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var has = Labels.TryGetValue(key, out var actual);
        return expression["operator"].AsString() switch
        {
            "In" => has && values.Contains(actual!),
            "NotIn" => !has || !values.Contains(actual!),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => true,
        };
    }

    private static bool Tolerates(PropertyValue toleration, NodeTaint taint)
    {
        var key = toleration["key"].AsString();
        var op = toleration["operator"].AsString() ?? "Equal";
        var effect = toleration["effect"].AsString();
        if (!string.IsNullOrEmpty(effect) && effect != taint.Effect)
        {
            return false;
        }
        if (string.IsNullOrEmpty(key))
        {
            return op == "Exists";
        }
        return key == taint.Key && (op == "Exists" || toleration["value"].AsString() == taint.Value);
    }

    private static string NormalizeEffect(string? effect) => effect switch
    {
        "NO_SCHEDULE" => "NoSchedule",
        "NO_EXECUTE" => "NoExecute",
        "PREFER_NO_SCHEDULE" => "PreferNoSchedule",
        null => "NoSchedule",
        _ => effect,
    };
}

/// <summary>What the stack says about GPUs: pools, the cluster's MIG strategy, custom MIG configs.</summary>
/// <param name="Pools">Every pool.</param>
/// <param name="Strategy">MIG strategy from the GPU Operator chart values (chart default: single).</param>
/// <param name="CustomConfigs">Custom configs of the mig-parted ConfigMap.</param>
public sealed record GpuInventory(ImmutableArray<GpuPool> Pools, MigStrategy Strategy, MigPartedDocument CustomConfigs)
{
    private static readonly string[] ChartTypes = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

    // Offers per pool, computed on first use: a stack rule asks once per pod template for every pool admitting it, and
    // resolving a pool's MIG layout is the expensive part (pods x pools resolutions before). Not part of equality.
    private readonly OffersCache _offers = new();

    // Pools by label key, then value, in pool order, built on first use per key (the key of a pod's first nodeSelector entry).
    private readonly Dictionary<string, Dictionary<string, List<GpuPool>>> _byLabel = new(StringComparer.Ordinal);

    /// <summary>
    /// The pools admitting a pod with <paramref name="podSpec"/> (<see cref="GpuPool.Admits"/>), in pool order. Pools whose
    /// label differs from the pod's first nodeSelector entry are skipped through an index: Admits checks that entry first
    /// and rejects them, so the result (and any <see cref="UnknownValueException"/>) is the same as testing every pool,
    /// in O(matching pools) instead of O(pools) per pod.
    /// </summary>
    /// <exception cref="UnknownValueException">The pod's placement is not known yet.</exception>
    public IReadOnlyList<GpuPool> Admitting(PropertyValue podSpec)
    {
        ArgumentNullException.ThrowIfNull(podSpec);
        if (Pools.IsEmpty)
        {
            return [];
        }
        IEnumerable<GpuPool> candidates = Pools;
        foreach (var (key, value) in podSpec["nodeSelector"].Entries())
        {
            if (value.AsString() is { } wanted)
            {
                candidates = PoolsLabelled(key, wanted);
            }
            break; // only the first entry: Admits checks entries in this order and stops at the first mismatch
        }
        return [.. candidates.Where(p => p.Admits(podSpec))];
    }

    private List<GpuPool> PoolsLabelled(string key, string value)
    {
        lock (_byLabel)
        {
            if (!_byLabel.TryGetValue(key, out var byValue))
            {
                _byLabel[key] = byValue = new Dictionary<string, List<GpuPool>>(StringComparer.Ordinal);
                foreach (var pool in Pools)
                {
                    if (pool.Labels.TryGetValue(key, out var label))
                    {
                        if (!byValue.TryGetValue(label, out var list))
                        {
                            byValue[label] = list = [];
                        }
                        list.Add(pool);
                    }
                }
            }
            return byValue.TryGetValue(value, out var found) ? found : [];
        }
    }

    /// <summary><see cref="GpuPool.Offers"/> of <paramref name="pool"/> under this inventory's strategy and custom configs, computed once per pool.</summary>
    public (ImmutableSortedDictionary<string, int>? Offers, string? Problem) OffersOf(GpuPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        lock (_offers)
        {
            if (!_offers.TryGetValue(pool, out var result))
            {
                _offers[pool] = result = pool.Offers(Strategy, CustomConfigs);
            }
            return result;
        }
    }

    /// <summary>
    /// Units of <paramref name="resource"/> the <paramref name="pools"/> hold at their maximum size: per-node offer ×
    /// max nodes, summed; a pool whose offers cannot be computed counts 0.
    /// </summary>
    public double CapacityOf(IEnumerable<GpuPool> pools, string resource)
    {
        ArgumentNullException.ThrowIfNull(pools);
        return pools.Sum(p => OffersOf(p).Offers is { } offers ? (double)offers.GetValueOrDefault(resource) * p.MaxNodes : 0);
    }

    /// <inheritdoc />
    public bool Equals(GpuInventory? other) =>
        other is not null && Pools.Equals(other.Pools) && Strategy == other.Strategy && Equals(CustomConfigs, other.CustomConfigs);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Pools.Length, Strategy);

    private sealed class OffersCache() : Dictionary<GpuPool, (ImmutableSortedDictionary<string, int>?, string?)>(ReferenceEqualityComparer.Instance);

    /// <summary>Reads the inventory of a stack.</summary>
    /// <exception cref="UnknownValueException">Something it needs is not known yet.</exception>
    public static GpuInventory FromStack(StackSnapshot stack, HardwareCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var strategy = MigStrategy.Single;
        foreach (var chart in stack.OfType(ChartTypes))
        {
            if ((chart["chart"].AsString() ?? string.Empty).Contains("gpu-operator", StringComparison.OrdinalIgnoreCase))
            {
                strategy = chart["values"]["mig"]["strategy"].AsString() switch
                {
                    "mixed" => MigStrategy.Mixed,
                    "none" => MigStrategy.None,
                    _ => MigStrategy.Single,
                };
            }
        }
        return new GpuInventory(GpuPool.FromStack(stack, catalog), strategy, MigPartedConfigMap.FromStack(stack));
    }
}
