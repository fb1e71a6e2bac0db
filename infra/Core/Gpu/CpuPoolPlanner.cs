using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// The decisions of one cpu pool, as a user states them: the plain part of <c>CpuNodePoolArgs</c> (same property names
/// and value spellings as <see cref="GpuNodePoolSpec"/>), validated and planned by <see cref="CpuPoolPlanner"/>.
/// </summary>
public sealed record CpuNodePoolSpec
{
    /// <summary>Environment, cost center and extra tags of every object of the pool.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Required. Pool name (node label <c>neocloud.io/pool</c>). <see cref="GpuPoolPlanner.PoolNameRule"/>.</summary>
    public string? PoolName { get; init; }

    /// <summary>Required. <c>eks</c> or <c>onprem</c>.</summary>
    public string? Substrate { get; init; }

    /// <summary>EKS, required: a CPU instance type of the hardware catalog (e.g. <c>m7i.xlarge</c>).</summary>
    public string? InstanceType { get; init; }

    /// <summary>On-prem, required: the existing nodes of the pool, by name.</summary>
    public ImmutableArray<string> NodeNames { get; init; } = [];

    /// <summary>EKS, required: minimum nodes.</summary>
    public int? MinSize { get; init; }

    /// <summary>EKS: nodes at creation. Defaults to <see cref="MinSize"/>.</summary>
    public int? DesiredSize { get; init; }

    /// <summary>EKS, required: maximum nodes.</summary>
    public int? MaxSize { get; init; }

    /// <summary>EKS: <c>ON_DEMAND</c> or <c>SPOT</c>. Defaults to <c>ON_DEMAND</c>.</summary>
    public string? CapacityType { get; init; }

    /// <summary>Whether the pool admits the cluster's system add-ons (nodes labelled <see cref="CpuPoolPlanner.SystemLabel"/>). Defaults to false.</summary>
    public bool? System { get; init; }

    /// <summary>The Args' Input properties that were given: <c>ClusterName</c>, <c>NodeSubnetIds</c>, <c>KubernetesVersion</c>.</summary>
    public ImmutableSortedSet<string> ProvidedInputs { get; init; } = ImmutableSortedSet<string>.Empty;

    /// <summary>The spec of an environment's cpu pool (<c>gpuPools[]</c> with <c>purpose: cpu</c>).</summary>
    /// <param name="ownership">The environment's ownership.</param>
    /// <param name="pool">The bound pool.</param>
    public static CpuNodePoolSpec ForPool(OwnershipSpec ownership, GpuPoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var eks = pool.Substrate == Environments.Substrate.Eks;
        return new CpuNodePoolSpec
        {
            Ownership = ownership,
            PoolName = pool.Name,
            Substrate = PoolValues.NameOf(PoolValues.Substrates, pool.Substrate),
            InstanceType = eks ? pool.InstanceType : null,
            NodeNames = eks ? [] : pool.NodeNames,
            MinSize = eks ? pool.MinSize : null,
            DesiredSize = eks ? pool.DesiredSize : null,
            MaxSize = eks ? pool.MaxSize : null,
            CapacityType = eks ? PoolValues.NameOf(PoolValues.CapacityTypes, pool.CapacityType) : null,
            System = pool.System,
            ProvidedInputs = eks ? GpuPoolPlanner.EksInputs : [],
        };
    }
}

/// <summary>A planned cpu pool.</summary>
/// <param name="Name">The pool name.</param>
/// <param name="Substrate">EKS or on-prem.</param>
/// <param name="NodeNames">On-prem: the nodes labelled; empty on EKS.</param>
/// <param name="NodeLabels">Labels of its nodes (pool, purpose, ownership, the system label when <c>System</c>).</param>
/// <param name="Tags">AWS tags of the node group and its role.</param>
/// <param name="InstanceType">EKS: the catalog CPU instance type; null on-prem.</param>
/// <param name="NodeGroup">EKS: the node group; null on-prem.</param>
/// <param name="Placement">What the pool publishes as <c>placement</c>.</param>
public sealed record CpuPoolPlan(
    string Name,
    Substrate Substrate,
    ImmutableArray<string> NodeNames,
    ImmutableSortedDictionary<string, string> NodeLabels,
    ImmutableSortedDictionary<string, string> Tags,
    CpuInstanceType? InstanceType,
    EksNodeGroupPlan? NodeGroup,
    PoolPlacement Placement)
{
    /// <summary>EKS: the node group's AMI type; null on-prem.</summary>
    public string? AmiType => NodeGroup?.AmiType;
}

/// <summary>
/// Plans a cpu pool (<c>gpuPools[].purpose: cpu</c>, or <c>CpuNodePool</c>): on EKS a managed node group of a catalog CPU
/// instance type with no GPU taint; on-prem labels on existing nodes. A <c>system: true</c> pool's nodes also carry
/// <see cref="SystemLabel"/>=<see cref="SystemValue"/>, the label the add-ons' chart values select on EKS.
/// </summary>
/// <remarks>
/// A system label rather than the <c>CriticalAddonsOnly</c> taint: a taint would have to be tolerated by every chart
/// (kube-prometheus-stack's operator, Prometheus, Alertmanager, Grafana and kube-state-metrics, KEDA's three
/// Deployments, the GPU Operator and NFD, Qdrant) and would keep tenants' CPU pods off the only untainted nodes of the
/// cluster. GPU pools keep the GPU taint, so nothing without a GPU toleration lands on GPU nodes either way.
/// </remarks>
public static class CpuPoolPlanner
{
    /// <summary>Node label of system pools.</summary>
    public const string SystemLabel = "neocloud.io/node-role";

    /// <summary>Value of <see cref="SystemLabel"/> on system pools.</summary>
    public const string SystemValue = "system";

    /// <summary>Root disk of a cpu node group (GiB): images of the add-ons only, no model weights.</summary>
    public const int DiskSizeGiB = 50;

    /// <summary>The node selector that places an add-on on the cluster's system pools.</summary>
    public static ImmutableSortedDictionary<string, string> SystemNodeSelector { get; } =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(SystemLabel, SystemValue)]);

    /// <summary>Every problem of <paramref name="spec"/>; empty when valid.</summary>
    /// <param name="spec">The pool as stated.</param>
    public static ImmutableArray<SpecProblem> Validate(CpuNodePoolSpec spec) => Validate(spec, HardwareCatalog.Default);

    /// <summary>Every problem of <paramref name="spec"/> against <paramref name="catalog"/>; empty when valid.</summary>
    /// <param name="spec">The pool as stated.</param>
    /// <param name="catalog">The hardware catalog.</param>
    public static ImmutableArray<SpecProblem> Validate(CpuNodePoolSpec spec, HardwareCatalog catalog)
    {
        var problems = new SpecProblems();
        _ = Resolve(spec, catalog, problems);
        return problems.ToImmutable();
    }

    /// <summary>Plans a valid cpu pool.</summary>
    /// <param name="spec">The pool as stated.</param>
    /// <exception cref="ArgumentException">The spec is invalid (call <see cref="Validate(CpuNodePoolSpec)"/> first).</exception>
    public static CpuPoolPlan Plan(CpuNodePoolSpec spec) => Plan(spec, HardwareCatalog.Default);

    /// <summary>Plans a valid cpu pool against <paramref name="catalog"/>.</summary>
    /// <param name="spec">The pool as stated.</param>
    /// <param name="catalog">The hardware catalog.</param>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public static CpuPoolPlan Plan(CpuNodePoolSpec spec, HardwareCatalog catalog)
    {
        var problems = new SpecProblems();
        var plan = Resolve(spec, catalog, problems);
        return problems.Count == 0 && plan is not null
            ? plan
            : throw new ArgumentException($"invalid CpuNodePoolSpec: {string.Join("; ", problems.ToImmutable())}", nameof(spec));
    }

    private static CpuPoolPlan? Resolve(CpuNodePoolSpec d, HardwareCatalog catalog, SpecProblems errors)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(catalog);
        GpuPoolPlanner.CheckOwnership(d.Ownership, errors);
        GpuPoolPlanner.CheckPoolName(d.PoolName, errors);
        var substrate = PoolValues.Parse(PoolValues.Substrates, d.Substrate, "Substrate", errors);
        var capacityType = PoolValues.Parse(PoolValues.CapacityTypes, d.CapacityType, "CapacityType", errors, CapacityType.OnDemand) ?? CapacityType.OnDemand;
        var inputs = d.ProvidedInputs ?? [];
        CpuInstanceType? type = null;
        int min = 0, desired = 0, max = 0;
        var nodes = ImmutableArray<string>.Empty;
        if (substrate == Substrate.Eks)
        {
            foreach (var input in GpuPoolPlanner.EksInputs.Where(i => !inputs.Contains(i)))
            {
                errors.Add(input, input == "ClusterName" ? "is required on EKS (an EksCluster's ClusterName or an existing cluster's name)" : "is required on EKS (the subnets nodes launch into)");
            }

            if (d.InstanceType is null)
            {
                errors.Add("InstanceType", $"is required on EKS; CPU instance types of the catalog: {string.Join(", ", catalog.CpuInstanceTypes.Select(t => t.Name))}");
            }
            else if ((type = catalog.FindCpuInstanceType(d.InstanceType)) is null)
            {
                errors.Add("InstanceType", $"\"{d.InstanceType}\" is not a CPU instance type of the hardware catalog; known CPU instance types: {string.Join(", ", catalog.CpuInstanceTypes.Select(t => t.Name))}");
            }

            errors.Require(d.NodeNames.IsDefaultOrEmpty, "NodeNames", "is on-prem only; EKS nodes are created by the node group");
            (min, desired, max) = GpuPoolPlanner.EksSize(d.MinSize, d.DesiredSize, d.MaxSize, errors);
        }
        else if (substrate == Substrate.OnPrem)
        {
            foreach (var input in inputs.Where(i => i is "ClusterName" or "NodeSubnetIds" or "KubernetesVersion"))
            {
                errors.Add(input, "is EKS only; on-prem nodes are reached through the Kubernetes provider");
            }

            errors.Require(d.InstanceType is null, "InstanceType", "is EKS only; on-prem nodes exist already");
            errors.Require(d.CapacityType is null, "CapacityType", "is EKS only; on-prem nodes have no capacity type");
            GpuPoolPlanner.OnPremSize(d.MinSize, d.DesiredSize, d.MaxSize, errors);
            nodes = GpuPoolPlanner.OnPremNodes(d.NodeNames, errors);
            min = desired = max = nodes.Length;
        }

        if (errors.Count > 0 || substrate is not { } sub || d.PoolName is not { } name)
        {
            return null;
        }

        var tags = d.Ownership.Labels().ToBuilder();
        tags[ResourceLabels.Pool] = name;
        tags[ResourceLabels.Purpose] = "cpu";
        var labels = tags.ToImmutable();
        if (d.System == true)
        {
            labels = labels.SetItem(SystemLabel, SystemValue);
        }

        var none = ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);
        var (cpu, memory) = type is null ? (0, 0) : PoolPlacement.NodeCpuMemory(type.Vcpus, type.MemoryGiB, DiskSizeGiB);
        var nodeSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ResourceLabels.Pool, name)]);
        var placement = new PoolPlacement(name, nodeSelector, [], MigStrategy.None, "", 0, min, max, none, none, cpu, memory);
        var allocatable = type is null ? null : Platform.NodeAllocatable.For(type.Vcpus, type.MemoryGiB, DiskSizeGiB, ImmutableSortedDictionary<string, int>.Empty);
        var nodeGroup = type is null
            ? null
            : new EksNodeGroupPlan($"Nodes of cpu pool {name}", type.Name, EksAmiTypes.Al2023X8664Standard, null, PoolValues.NameOf(PoolValues.CapacityTypes, capacityType),
                DiskSizeGiB, min, desired, max, labels, [], tags.ToImmutable(), EnableSsm: false)
            {
                NodeAllocatable = allocatable!,
                AutoscalerTemplate = AutoscalerNodeTemplate.Tags(labels, [], allocatable!, mig: false),
            };
        return new CpuPoolPlan(name, sub, nodes, labels, tags.ToImmutable(), type, nodeGroup, placement);
    }
}
