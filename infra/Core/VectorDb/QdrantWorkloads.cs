using System.Collections.Immutable;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.VectorDb;

/// <summary>
/// The Qdrant chart's (<see cref="QdrantChart.Version"/>) StatefulSet as <see cref="VectorDatabasePlan.ChartValues"/> places it:
/// our values set replicas, the volume's StorageClass, pod anti-affinity and, on a cluster with a system pool, the
/// <c>nodeSelector</c> (<see cref="VectorDatabasePlan.NodeSelector"/>); no tolerations or resources, so those are the chart
/// defaults (qdrant/qdrant-helm at tag qdrant-1.19.0 <c>charts/qdrant/values.yaml</c>: <c>resources: {}</c>,
/// <c>nodeSelector: {}</c>, <c>tolerations: []</c>).
/// </summary>
public static class QdrantWorkloads
{
    /// <summary>Pod labels of the chart's pods for <paramref name="release"/>.</summary>
    public static ImmutableSortedDictionary<string, string> PodLabels(string release) =>
        WorkloadShape.Labels(("app.kubernetes.io/name", QdrantChart.Name), ("app.kubernetes.io/instance", release));

    /// <summary>The StatefulSet.</summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="release">Release name.</param>
    /// <param name="plan">The plan.</param>
    public static WorkloadShape For(string ns, string release, VectorDatabasePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new WorkloadShape("StatefulSet", ns, VectorDatabasePlan.FullName(release), "qdrant " + QdrantChart.Version, PodLabels(release).AddRange(plan.Labels.Where(kv => !PodLabels(release).ContainsKey(kv.Key))), [], WorkloadShape.NoRequests, plan.Replicas)
        {
            ClaimTemplates = [plan.StorageClass],
            NodeSelector = Gpu.GpuOperatorWorkloads.Selector(plan.ChartValues(release)),
        };
    }
}
