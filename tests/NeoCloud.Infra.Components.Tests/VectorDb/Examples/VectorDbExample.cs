using NeoCloud.Infra.Components.VectorDb;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.VectorDb.Examples;

/// <summary>The README's usage example, compiled and run under the mock engine.</summary>
public static class VectorDbExample
{
    public static VectorDatabase Run(ProviderResource cluster)
    {
        // <readme>
        var qdrant = new VectorDatabase("qdrant", new VectorDatabaseArgs
        {
            Namespace = "vector",
            Environment = "prod",
            CostCenter = "ml-platform",
            Replicas = 3,
            ReplicationFactor = 2,
            StorageClass = "ceph-block",
            StorageSize = "200Gi",
            SpreadAcrossZones = true,
            PrometheusReleaseLabel = "kube-prometheus-stack",
        }, new ComponentResourceOptions { Provider = cluster });
        // </readme>
        return qdrant;
    }
}
