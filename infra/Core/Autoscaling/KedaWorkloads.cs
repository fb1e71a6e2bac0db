using System.Collections.Immutable;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>
/// The pods of the KEDA chart (<see cref="KedaChart.Version"/>) as <see cref="KedaChart.Values"/> places them: our values
/// set the top-level <c>nodeSelector</c> (the cluster's system pools) when the cluster has one; tolerations, affinity and
/// resources are the chart defaults, read from kedacore/charts at tag v2.20.2 <c>keda/values.yaml</c>:
/// <c>tolerations: []</c>, <c>affinity: {}</c>, one replica each, requests 100m / 100Mi for the operator, the metrics API
/// server and the admission webhooks (<c>resources.{operator,metricServer,webhooks}</c>), every Deployment with
/// <c>kubernetes.io/os: linux</c> before the chart's selector; the operator's metrics on port 8080
/// (<c>prometheus.operator.port</c>).
/// </summary>
public static class KedaWorkloads
{
    /// <summary>Pod labels of the KEDA operator (the chart's <c>app: keda-operator</c>, <c>app.kubernetes.io/name: keda-operator</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, string> OperatorPodLabels = WorkloadShape.Labels(("app", "keda-operator"), ("app.kubernetes.io/name", "keda-operator"));

    /// <summary>The operator's metrics port.</summary>
    public const int OperatorMetricsPort = 8080;

    private const string Source = "keda " + KedaChart.Version;

    /// <summary>The chart's pods in <paramref name="ns"/>.</summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="values">The release's values (<see cref="KedaChart.Values"/>): the <c>nodeSelector</c> is read back from them.</param>
    public static ImmutableArray<WorkloadShape> For(string ns, IReadOnlyDictionary<string, object>? values = null)
    {
        var selector = WorkloadShape.Labels(("kubernetes.io/os", "linux")).SetItems(Gpu.GpuOperatorWorkloads.Selector(values ?? ImmutableSortedDictionary<string, object>.Empty));
        return
        [
            new("Deployment", ns, "keda-operator", Source, OperatorPodLabels, [], WorkloadShape.CpuMemory("100m", "100Mi")) { NodeSelector = selector },
            new("Deployment", ns, "keda-operator-metrics-apiserver", Source, WorkloadShape.Labels(("app", "keda-operator-metrics-apiserver")), [], WorkloadShape.CpuMemory("100m", "100Mi")) { NodeSelector = selector },
            new("Deployment", ns, "keda-admission-webhooks", Source, WorkloadShape.Labels(("app", "keda-admission-webhooks")), [], WorkloadShape.CpuMemory("100m", "100Mi")) { NodeSelector = selector },
        ];
    }
}
