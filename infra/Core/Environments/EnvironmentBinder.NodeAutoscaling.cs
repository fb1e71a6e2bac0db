using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Core.Environments;

// clusters[].nodeAutoscaler: the node autoscaler's limits of an EKS cluster, checked against the cluster's pools.
public static partial class EnvironmentBinder
{
    /// <summary>Input bound of <c>nodeAutoscaler.maxNodesTotal</c> (YAML robustness; the rule is the planner's).</summary>
    private const int MaxNodesTotalBound = 100_000;

    private sealed partial class Binding
    {
        // Bound nodeAutoscaler sections by cluster name, with the key path of maxNodesTotal.
        private readonly Dictionary<string, (NodeAutoscalerSettings Settings, string MaxNodesTotalPath)> _nodeAutoscalers = new(StringComparer.Ordinal);

        /// <summary>
        /// Reads <c>clusters[i].nodeAutoscaler</c> (<c>{maxNodesTotal}</c>); EKS only. Called by <c>BindClusters</c> for
        /// each cluster entry, before its unknown-key check.
        /// </summary>
        private void BindNodeAutoscaler(ConfigObject cluster, string? name, Substrate? substrate)
        {
            var section = cluster.Object("nodeAutoscaler");
            if (section is null)
            {
                return;
            }

            if (substrate == Substrate.OnPrem)
            {
                errors.Add(cluster.At("nodeAutoscaler"), "is only for eks clusters: on-prem nodes exist already and no autoscaler adds any");
            }

            var max = section.Int("maxNodesTotal", min: 1, max: MaxNodesTotalBound);
            section.RejectUnknownKeys();
            if (name is not null && substrate == Substrate.Eks)
            {
                _nodeAutoscalers[name] = (new NodeAutoscalerSettings(max), section.At("maxNodesTotal"));
            }
        }

        /// <summary>
        /// The autoscaler's limits must leave every pool of the cluster room to reach its <c>maxSize</c>
        /// (<see cref="ClusterAutoscalerPlanner.LimitProblem"/>), reported at <c>nodeAutoscaler.maxNodesTotal</c>.
        /// </summary>
        private void CheckNodeAutoscalerLimits(IEnumerable<ClusterSpec> clusters, IReadOnlyCollection<GpuPoolSpec> pools)
        {
            foreach (var cluster in clusters)
            {
                if (!_nodeAutoscalers.TryGetValue(cluster.Name, out var bound) || bound.Settings.MaxNodesTotal is not { } limit || _clustersWithBrokenPools.Contains(cluster.Name))
                {
                    continue;
                }

                var scaled = pools.Where(p => p.Cluster == cluster.Name && p.Substrate == Substrate.Eks)
                    .Select(p => new AutoscaledPoolSpec(p.Name, p.MinSize, p.MaxSize, Gpu.PoolValues.NameOf(Gpu.PoolValues.CapacityTypes, p.CapacityType))).ToList();
                if (scaled.Count > 0 && ClusterAutoscalerPlanner.LimitProblem(limit, scaled) is { } problem)
                {
                    errors.Add(bound.MaxNodesTotalPath, problem);
                }
            }
        }

        private NodeAutoscalerSettings NodeAutoscalerOf(string cluster) =>
            _nodeAutoscalers.TryGetValue(cluster, out var bound) ? bound.Settings : NodeAutoscalerSettings.Default;
    }
}
