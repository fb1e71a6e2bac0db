using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Environments;

// Section gpuPools: GPU and cpu pools, the system-pool requirement and the clusters' MIG strategies.
public static partial class EnvironmentBinder
{
    /// <summary>Input bound of a pool's node counts (YAML robustness; the size rules are the planners').</summary>
    private const int MaxPoolNodes = 1000;

    /// <summary>Input bound of <c>gpusPerNode</c> (YAML robustness; the GPU rules are the planner's).</summary>
    private const int MaxGpusPerNode = 16;

    private sealed partial class Binding
    {
        private ImmutableArray<GpuPoolSpec> BindPools(ImmutableArray<ClusterSpec> clusters, ImmutableSortedDictionary<string, MigConfigDefinition> migConfigs)
        {
            var list = TopList("gpuPools", required: true);
            var result = ImmutableArray.CreateBuilder<GpuPoolSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var nodeOwners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in list)
            {
                var before = errors.Count;

                // What only YAML has: types and shapes, unknown keys, references to other entries and sections.
                var name = p.String("name", required: true);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(p.At("name"), $"duplicate pool name \"{name}\"; pool names must be unique");
                }

                var clusterName = p.String("cluster", required: true);
                var cluster = clusters.FirstOrDefault(c => c.Name == clusterName);
                if (clusterName is not null && cluster is null && !_brokenClusters.Contains(clusterName))
                {
                    errors.Add(p.At("cluster"), $"\"{clusterName}\" is not a cluster of this stack; clusters: {string.Join(", ", clusters.Select(c => c.Name))}");
                }

                var substrateText = p.String("substrate", required: true);
                var substrate = substrateText is not null && PoolValues.Substrates.TryGetValue(substrateText, out var s) ? s : (Substrate?)null;
                if (substrate is not null && cluster is not null && substrate != cluster.Substrate)
                {
                    errors.Add(p.At("substrate"), $"is {substrateText} but cluster \"{cluster.Name}\" is {PoolValues.NameOf(PoolValues.Substrates, cluster.Substrate)}");
                }

                // The purpose decides which planner validates the pool (GpuPoolPlanner or CpuPoolPlanner).
                var purpose = p.Enum("purpose", PoolValues.Purposes, required: true);
                var cpu = purpose == PoolPurpose.Cpu;
                var system = p.Bool("system") ?? false;
                if (system && purpose is not null && !cpu)
                {
                    errors.Add(p.At("system"), $"is only for purpose: cpu pools; a {PoolValues.NameOf(PoolValues.Purposes, purpose.Value)} pool carries the GPU taint, so system add-ons cannot run on it");
                }

                var allowOvercommit = p.Bool("allowOvercommit") ?? false;
                var interruptible = p.Bool("interruptible");
                var capacityType = p.String("capacityType");
                var instanceType = p.String("instanceType");
                var min = p.Int("minSize", min: 0, max: MaxPoolNodes);
                var max = p.Int("maxSize", min: 1, max: MaxPoolNodes);
                var desired = p.Int("desiredSize", min: 0, max: MaxPoolNodes);
                var nodes = p.Strings("nodes");
                foreach (var node in nodes ?? [])
                {
                    if (nodeOwners.TryGetValue(node, out var owner))
                    {
                        errors.Add(p.At("nodes"), $"node \"{node}\" is already in pool \"{owner}\"; a node belongs to one pool");
                    }
                    else
                    {
                        nodeOwners[node] = name ?? "?";
                    }
                }

                var gpuModel = p.String("gpuModel");
                var gpusPerNode = p.Int("gpusPerNode", max: MaxGpusPerNode);
                var driver = p.String("driver");
                var amiRelease = p.String("amiReleaseVersion");
                var ts = p.Object("timeSlicing");
                var replicas = ts?.Int("replicas", required: true, max: GpuPoolPlanner.MaxTimeSlicingReplicas);
                ts?.RejectUnknownKeys();
                var migNode = p.Object("mig");
                var migConfig = migNode?.String("config", required: true);
                migNode?.RejectUnknownKeys();
                if (cpu)
                {
                    foreach (var gpuOnly in new[] { "gpuModel", "gpusPerNode", "driver", "amiReleaseVersion", "timeSlicing", "mig" }.Where(p.Has))
                    {
                        errors.Add(p.At(gpuOnly), "is only for GPU pools (purpose training or inference); a cpu pool has no GPUs");
                    }
                }

                ReadDedicatedTo(p, name);
                p.RejectUnknownKeys();

                // Everything else is the components' rules: the same Validate GpuNodePool / CpuNodePool call.
                var eks = ImmutableSortedSet<string>.Empty;
                var reported = new HashSet<string>(StringComparer.Ordinal);
                if (substrate == Substrate.Eks)
                {
                    eks = GpuPoolPlanner.EksInputs;
                    if (!cpu && instanceType is not null && catalog.FindInstanceType(instanceType) is { } type && cluster?.KubernetesVersion is { } k8s)
                    {
                        // Environment-only: the AMI release defaults to the matrix's for the cluster's version, and its driver must run the serving image.
                        var (ami, amiProblem) = CompatibilityChecks.ResolveAmi(Matrix, EksAmiTypes.For(catalog.GpuOf(type)), k8s, amiRelease);
                        if (amiProblem is not null)
                        {
                            reported.Add(p.At("amiReleaseVersion"));
                            // An unsupported cluster version is reported once, at the cluster's version.
                            if (amiRelease is not null || CompatibilityChecks.KubernetesProblem(Matrix, k8s) is null)
                            {
                                errors.Add(p.At("amiReleaseVersion"), amiProblem);
                            }
                        }
                        else if (CompatibilityChecks.DriverProblem(Matrix, Serving.TritonImage.Reference, ami!.Driver, $"AMI release {ami.ReleaseVersion}") is { } driverProblem)
                        {
                            errors.Add(p.At("amiReleaseVersion"), driverProblem);
                        }

                        amiRelease = ami?.ReleaseVersion ?? amiRelease;
                    }
                }

                reported.UnionWith(errors.All.Skip(before).Select(e => e.Path));
                GpuPoolPlan? gpuPlan = null;
                CpuPoolPlan? cpuPlan = null;
                IEnumerable<SpecProblem> problems = [];
                if (cpu)
                {
                    var spec = new CpuNodePoolSpec
                    {
                        Ownership = BoundOwnership,
                        PoolName = name,
                        Substrate = substrateText,
                        InstanceType = instanceType,
                        NodeNames = nodes ?? [],
                        MinSize = min,
                        DesiredSize = desired,
                        MaxSize = max,
                        CapacityType = capacityType,
                        System = system,
                        ProvidedInputs = eks,
                    };
                    problems = Check(p.Path, spec, CpuPoolPlanner.Validate(spec, catalog), path => PoolKey(p, migNode, ts, path));
                    cpuPlan = problems.Any() || errors.Count > before ? null : CpuPoolPlanner.Plan(spec, catalog);
                }
                else if (purpose is not null)
                {
                    var spec = new GpuNodePoolSpec
                    {
                        Ownership = BoundOwnership,
                        PoolName = name,
                        Substrate = substrateText,
                        Purpose = PoolValues.NameOf(PoolValues.Purposes, purpose.Value),
                        InstanceType = instanceType,
                        GpuModel = gpuModel,
                        GpusPerNode = gpusPerNode,
                        NodeNames = nodes ?? [],
                        MinSize = min,
                        DesiredSize = desired,
                        MaxSize = max,
                        CapacityType = capacityType,
                        Interruptible = interruptible,
                        MigConfig = migConfig,
                        CustomMigConfig = migConfig is not null ? migConfigs.GetValueOrDefault(migConfig) : null,
                        TimeSlicingReplicas = replicas,

                        // The pool's own driver, else an on-prem cluster's default (an EKS cluster's is reported at the cluster).
                        Driver = driver ?? (cluster is { Substrate: Substrate.OnPrem } ? PoolValues.NameOf(PoolValues.Drivers, cluster.Driver) : null),
                        AmiReleaseVersion = amiRelease,
                        ProvidedInputs = eks,
                    };
                    problems = Check(p.Path, spec, GpuPoolPlanner.Validate(spec, catalog), path => PoolKey(p, migNode, ts, path));
                    gpuPlan = problems.Any() || errors.Count > before ? null : GpuPoolPlanner.Plan(spec, catalog);
                }

                foreach (var problem in problems)
                {
                    // One mistake, one error: a key the binder already reported (its type, a cross-reference) is not reported again.
                    if (PoolKey(p, migNode, ts, problem.PropertyPath) is { } key && !reported.Contains(key))
                    {
                        errors.Add(key, problem.Reason);
                    }
                }

                // A pool without a plan is broken even when its only problem was reported elsewhere (e.g. the cluster's version).
                if (errors.Count > before || cluster is null || name is null || clusterName is null || (gpuPlan is null && cpuPlan is null))
                {
                    if (name is not null)
                    {
                        _brokenPools.Add(name);
                    }

                    if (clusterName is not null)
                    {
                        _clustersWithBrokenPools.Add(clusterName);
                    }

                    continue;
                }

                if (gpuPlan is not null)
                {
                    result.Add(gpuPlan.Spec with { Cluster = clusterName, AllowOvercommit = allowOvercommit });
                }
                else if (cpuPlan is not null)
                {
                    var n = cpuPlan.Placement;
                    result.Add(new GpuPoolSpec(
                        name, clusterName, cpuPlan.Substrate, PoolPurpose.Cpu, cpuPlan.InstanceType?.Name, cpuPlan.NodeNames, null, 0,
                        n.MinNodes, desired ?? n.MinNodes, n.MaxNodes, capacityType is null ? CapacityType.OnDemand : PoolValues.CapacityTypes[capacityType], interruptible ?? true, null, 1, allowOvercommit)
                    {
                        System = system,
                    });
                }
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// The key-path table of <c>gpuPools[]</c>: a <see cref="GpuNodePoolSpec"/> / <see cref="CpuNodePoolSpec"/> property
        /// path → its key. Ownership paths map to null: environment and cost center are bound and reported at their own keys.
        /// </summary>
        private static string? PoolKey(ConfigObject pool, ConfigObject? mig, ConfigObject? timeSlicing, string propertyPath)
        {
            if (propertyPath.StartsWith("NodeNames[", StringComparison.Ordinal))
            {
                return pool.At("nodes" + propertyPath["NodeNames".Length..]);
            }

            return propertyPath switch
            {
                "Environment" or "CostCenter" => null,
                _ when propertyPath.StartsWith("Tags[", StringComparison.Ordinal) => null,
                "PoolName" => pool.At("name"),
                "Substrate" => pool.At("substrate"),
                "Purpose" => pool.At("purpose"),
                "InstanceType" => pool.At("instanceType"),
                "GpuModel" => pool.At("gpuModel"),
                "GpusPerNode" => pool.At("gpusPerNode"),
                "NodeNames" => pool.At("nodes"),
                "MinSize" => pool.At("minSize"),
                "DesiredSize" => pool.At("desiredSize"),
                "MaxSize" => pool.At("maxSize"),
                "CapacityType" => pool.At("capacityType"),
                "Interruptible" => pool.At("interruptible"),
                "Driver" => pool.At("driver"),
                "AmiReleaseVersion" => pool.At("amiReleaseVersion"),
                "MigConfig" or "CustomMigConfig" or "MigStrategy" => mig?.At("config") ?? pool.At("mig"),
                "TimeSlicingReplicas" => timeSlicing?.At("replicas") ?? pool.At("timeSlicing"),
                "System" => pool.At("system"),
                "DedicatedTo" => pool.At("dedicatedTo"),

                // Args-only properties (Inputs, disk, SSM): the binder always sets them right; a problem there is the binder's.
                _ => pool.Path,
            };
        }

        // The ownership the planners are called with: its problems are the top-level keys' (reported there), never mapped.
        private OwnershipSpec BoundOwnership => new(_environment, config.Values.GetValueOrDefault("costCenter") is JsonValue v && v.TryGetValue<string>(out var costCenter) ? costCenter : "");

        /// <summary>
        /// Every EKS cluster the stack creates needs a <c>system: true</c> cpu pool: its GPU pools carry the GPU taint, so
        /// CoreDNS, the GPU Operator's controller, KEDA, Prometheus and the vector DB would not schedule anywhere.
        /// </summary>
        private void RequireSystemPools(ImmutableArray<ClusterSpec> clusters, ImmutableArray<GpuPoolSpec> pools)
        {
            CheckNodeAutoscalerLimits(clusters, pools);
            foreach (var cluster in clusters)
            {
                if (cluster.Substrate != Substrate.Eks || cluster.Existing is not null
                    || pools.Any(p => p.Cluster == cluster.Name && p.System)
                    || _brokenClusters.Contains(cluster.Name) || _clustersWithBrokenPools.Contains(cluster.Name))
                {
                    continue;
                }

                errors.Add(_clusterPaths[cluster.Name], $"EKS cluster \"{cluster.Name}\" has no pool that admits system add-ons (CoreDNS, GPU Operator, KEDA, Prometheus): add a gpuPools entry with cluster: {cluster.Name}, purpose: cpu, system: true and a CPU instanceType ({string.Join(", ", catalog.CpuInstanceTypes.Take(3).Select(t => t.Name))}, ...)");
            }
        }

        private ImmutableArray<ClusterSpec> ResolveStrategies(ImmutableArray<ClusterSpec> clusters, ImmutableArray<GpuPoolSpec> pools)
        {
            var result = ImmutableArray.CreateBuilder<ClusterSpec>();
            foreach (var cluster in clusters)
            {
                // The GPU Operator's cluster-wide rule (ClusterMigStrategy), reported at the cluster's migStrategy key.
                var clusterPools = pools.Where(p => p.Cluster == cluster.Name && p.Gpu is not null).Select(p => new ClusterMigStrategy.Pool(p.Name, p.Mig)).ToList();
                var chosen = _explicitStrategies.TryGetValue(cluster.Name, out var c) ? c : ((MigStrategy, string)?)null;
                var (strategy, problem) = ClusterMigStrategy.Resolve(chosen?.Item1, clusterPools);
                if (problem is not null)
                {
                    errors.Add(chosen!.Value.Item2, problem); // keeps binding the rest under the strategy that can express it (mixed)
                }

                result.Add(cluster with { MigStrategy = strategy, NodeAutoscaler = NodeAutoscalerOf(cluster.Name) });
            }

            return result.ToImmutable();
        }
    }
}
