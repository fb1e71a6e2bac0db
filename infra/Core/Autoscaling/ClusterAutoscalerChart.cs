using System.Collections.Immutable;
using NeoCloud.Infra.Core.Charts;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>
/// The official cluster-autoscaler Helm chart (kubernetes/autoscaler <c>cluster-autoscaler/charts/cluster-autoscaler</c>):
/// where it comes from, the pinned version and the image per Kubernetes minor.
/// </summary>
/// <remarks>
/// Verified against kubernetes/autoscaler at tag <c>cluster-autoscaler-chart-9.59.0</c> (2026-07-21), <c>Chart.yaml</c>
/// <c>version: 9.59.0</c>, <c>appVersion: 1.35.0</c>; every key <see cref="ClusterAutoscalerPlanner"/> sets is in that tag's
/// <c>values.yaml</c> (<c>cloudProvider</c>, <c>awsRegion</c>, <c>autoDiscovery.clusterName</c>, <c>image.tag</c>,
/// <c>rbac.serviceAccount.{create,name}</c>, <c>extraArgs</c> rendered as <c>--key=value</c> by
/// <c>templates/deployment.yaml</c>, <c>nodeSelector</c>, <c>tolerations</c>, <c>additionalLabels</c>, <c>podLabels</c>,
/// <c>priorityClassName</c> default <c>system-cluster-critical</c>, <c>podDisruptionBudget.maxUnavailable</c> default 1).
/// cluster-autoscaler's own rule is one minor per Kubernetes minor (its FAQ, "What are the Kubernetes versions
/// supported"), so the image is chosen from the cluster's version: the newest patch tag of each release line in that
/// repository (<c>cluster-autoscaler-1.33.6</c>, <c>-1.34.5</c>, <c>-1.35.2</c>, <c>-1.36.1</c>), published as
/// <c>registry.k8s.io/autoscaling/cluster-autoscaler:v&lt;version&gt;</c> (the chart's <c>image.repository</c>).
/// </remarks>
public static class ClusterAutoscalerChart
{
    /// <summary>Chart repository.</summary>
    public const string Repository = "https://kubernetes.github.io/autoscaler";

    /// <summary>Chart name.</summary>
    public const string Chart = "cluster-autoscaler";

    /// <summary>Pinned chart version.</summary>
    public const string Version = "9.59.0";

    /// <summary>The pinned chart.</summary>
    public static readonly HelmChartPin Pin = new(Repository, Chart, Version);

    /// <summary>The ServiceAccount the chart creates (<c>rbac.serviceAccount.name</c>), the subject of its Pod Identity association.</summary>
    public const string ServiceAccount = "cluster-autoscaler";

    /// <summary>Namespace of the release: kube-system, like the chart's examples and EKS's own guide.</summary>
    public const string Namespace = "kube-system";

    /// <summary>The cluster-autoscaler image tag per Kubernetes minor.</summary>
    public static readonly ImmutableSortedDictionary<string, string> ImageTags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("1.33", "v1.33.6"),
        KeyValuePair.Create("1.34", "v1.34.5"),
        KeyValuePair.Create("1.35", "v1.35.2"),
        KeyValuePair.Create("1.36", "v1.36.1"),
    ]);
}
