using Pulumi;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// Where a workload lands on a node pool and what it may ask for (architecture.md, component contract 4): published by
/// <c>GpuNodePool</c> / <c>CpuNodePool</c> as their <c>placement</c> output and taken as-is by serving Args
/// (<c>Input&lt;NodePlacement&gt;</c>), in C# and through the component provider in every Pulumi language.
/// </summary>
/// <remarks>
/// Shape rules this type follows, from pulumi-dotnet v3.112.1: the component analyzer (sdk/Pulumi/Provider/
/// ComponentAnalyzer.cs) reads the public <c>[Output]</c> properties; the provider's PropertyValueSerializer
/// (sdk/Pulumi/Core/PropertyValueSerializer.cs) writes those properties and builds the object back through the
/// constructor whose parameters are their camelCase names; the in-process serializer (sdk/Pulumi/Serialization/
/// Serializer.cs, <c>[OutputType]</c>) writes the readonly fields under their names, which are therefore the same
/// camelCase names. Dictionaries and lists are <see cref="Dictionary{TKey, TValue}"/> / <see cref="List{T}"/> because
/// the analyzer rejects immutable collections.
/// </remarks>
[OutputType]
public sealed class NodePlacement
{
#pragma warning disable IDE1006, SA1306 // field names are the wire names (camelCase), see remarks
    private readonly string poolName;
    private readonly Dictionary<string, string> nodeSelector;
    private readonly List<PlacementToleration> tolerations;
    private readonly string migStrategy;
    private readonly string gpuModel;
    private readonly int gpusPerNode;
    private readonly int minNodes;
    private readonly int maxNodes;
    private readonly Dictionary<string, int> allocatableAtMin;
    private readonly Dictionary<string, int> allocatableAtMax;
    private readonly int nodeCpuMillicores;
    private readonly int nodeMemoryMebibytes;
#pragma warning restore IDE1006, SA1306

    /// <summary>Creates a placement (the pool components do; tests and other programs may too).</summary>
    [OutputConstructor]
    public NodePlacement(
        string poolName,
        Dictionary<string, string> nodeSelector,
        List<PlacementToleration> tolerations,
        string migStrategy,
        string gpuModel,
        int gpusPerNode,
        int minNodes,
        int maxNodes,
        Dictionary<string, int> allocatableAtMin,
        Dictionary<string, int> allocatableAtMax,
        int nodeCpuMillicores,
        int nodeMemoryMebibytes)
    {
        this.poolName = poolName;
        this.nodeSelector = nodeSelector;
        this.tolerations = tolerations;
        this.migStrategy = migStrategy;
        this.gpuModel = gpuModel;
        this.gpusPerNode = gpusPerNode;
        this.minNodes = minNodes;
        this.maxNodes = maxNodes;
        this.allocatableAtMin = allocatableAtMin;
        this.allocatableAtMax = allocatableAtMax;
        this.nodeCpuMillicores = nodeCpuMillicores;
        this.nodeMemoryMebibytes = nodeMemoryMebibytes;
    }

    /// <summary>The pool's name (<c>neocloud.io/pool</c> label value).</summary>
    [Output("poolName")]
    public string PoolName => poolName;

    /// <summary>The node selector that lands a pod on this pool's nodes.</summary>
    [Output("nodeSelector")]
    public Dictionary<string, string> NodeSelector => nodeSelector;

    /// <summary>The tolerations a pod needs for this pool's taints, as Kubernetes toleration objects.</summary>
    [Output("tolerations")]
    public List<PlacementToleration> Tolerations => tolerations;

    /// <summary>GPU Operator MIG strategy of the pool's nodes: <c>none</c>, <c>single</c> or <c>mixed</c>.</summary>
    [Output("migStrategy")]
    public string MigStrategy => migStrategy;

    /// <summary>Catalog id of the pool's GPU (e.g. <c>H100-SXM5-80GB</c>); empty for a CPU pool.</summary>
    [Output("gpuModel")]
    public string GpuModel => gpuModel;

    /// <summary>Whole GPUs per node (0 for a CPU pool).</summary>
    [Output("gpusPerNode")]
    public int GpusPerNode => gpusPerNode;

    /// <summary>The pool's minimum node count.</summary>
    [Output("minNodes")]
    public int MinNodes => minNodes;

    /// <summary>The pool's maximum node count.</summary>
    [Output("maxNodes")]
    public int MaxNodes => maxNodes;

    /// <summary>Extended resources (<c>nvidia.com/gpu</c>, <c>nvidia.com/mig-1g.10gb</c>, ...) the whole pool offers at its minimum size.</summary>
    [Output("allocatableAtMin")]
    public Dictionary<string, int> AllocatableAtMin => allocatableAtMin;

    /// <summary>Extended resources the whole pool offers at its maximum size.</summary>
    [Output("allocatableAtMax")]
    public Dictionary<string, int> AllocatableAtMax => allocatableAtMax;

    /// <summary>CPU one node offers to pods after system reservations, in millicores (Core's <c>NodeAllocatable</c>); 0 when the node shape is not known (on-prem pools).</summary>
    [Output("nodeCpuMillicores")]
    public int NodeCpuMillicores => nodeCpuMillicores;

    /// <summary>Memory one node offers to pods after system reservations, in MiB (Core's <c>NodeAllocatable</c>); 0 when the node shape is not known (on-prem pools).</summary>
    [Output("nodeMemoryMebibytes")]
    public int NodeMemoryMebibytes => nodeMemoryMebibytes;
}

/// <summary>A Kubernetes toleration (core/v1 Toleration: key, operator, value, effect) of a <see cref="NodePlacement"/>.</summary>
[OutputType]
public sealed class PlacementToleration
{
#pragma warning disable IDE1006, SA1306 // field names are the wire names (camelCase), see NodePlacement
    private readonly string key;
    private readonly string @operator;
    private readonly string? value;
    private readonly string effect;
#pragma warning restore IDE1006, SA1306

    /// <summary>Creates a toleration.</summary>
    [OutputConstructor]
    public PlacementToleration(string key, string @operator, string? value, string effect)
    {
        this.key = key;
        this.@operator = @operator;
        this.value = value;
        this.effect = effect;
    }

    /// <summary>Taint key, e.g. <c>nvidia.com/gpu</c>.</summary>
    [Output("key")]
    public string Key => key;

    /// <summary><c>Equal</c> or <c>Exists</c>.</summary>
    [Output("operator")]
    public string Operator => @operator;

    /// <summary>Taint value (null with <c>Exists</c>).</summary>
    [Output("value")]
    public string? Value => value;

    /// <summary><c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>.</summary>
    [Output("effect")]
    public string Effect => effect;
}
