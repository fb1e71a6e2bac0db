using System.Collections.Immutable;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Tests.VectorDb;

public sealed class VectorDatabasePlanTests
{
    private static VectorDatabasePlan Plan(int replicas, int factor, bool prod) =>
        new(replicas, factor, 1, 1, "ceph-block", "100Gi", prod, false, "kube-prometheus-stack", ImmutableSortedDictionary<string, string>.Empty);

    [Fact]
    public void Values_replicate_collections_and_reference_the_key_secret()
    {
        var values = Plan(3, 2, true).ChartValues("qdrant");
        var collection = (ImmutableSortedDictionary<string, object>)((ImmutableSortedDictionary<string, object>)((ImmutableSortedDictionary<string, object>)values["config"])["storage"])["collection"];
        Assert.Equal(2, collection["replication_factor"]);
        Assert.False((bool)values["apiKey"]);
        Assert.Equal("qdrant", VectorDatabasePlan.FullName("qdrant"));
        Assert.Equal("vec-qdrant", VectorDatabasePlan.FullName("vec"));
    }

    [Fact]
    public void ServiceMonitor_scrapes_metrics_with_the_api_key_from_the_secret()
    {
        // /metrics answers 401 without the key; the chart adds credentials itself only for its own apiKey value.
        var values = Plan(3, 2, true).ChartValues("q");
        var monitor = (ImmutableSortedDictionary<string, object>)((ImmutableSortedDictionary<string, object>)values["metrics"])["serviceMonitor"];
        var authorization = (ImmutableSortedDictionary<string, object>)monitor["authorization"];
        Assert.Equal("Bearer", authorization["type"]);
        var credentials = (ImmutableSortedDictionary<string, object>)authorization["credentials"];
        Assert.Equal("q-api-key", credentials["name"]);
        Assert.Equal(QdrantChart.ApiKeySecretKey, credentials["key"]);
        Assert.Equal("1.19.0", QdrantChart.Version);
    }
}
