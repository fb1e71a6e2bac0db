using System.Collections.Immutable;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Components.VectorDb;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Components.Tests.VectorDb;

public sealed class VectorDatabaseTests
{
    private static VectorDatabaseArgs Args(Action<VectorDatabaseArgs>? change = null)
    {
        var args = new VectorDatabaseArgs
        {
            Namespace = "vector",
            Environment = "prod",
            CostCenter = "ml-platform",
            Replicas = 3,
            ReplicationFactor = 2,
            StorageClass = "ceph-block",
            StorageSize = "200Gi",
            SpreadAcrossZones = true,
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    private static ImmutableArray<object> List(object o) => (ImmutableArray<object>)o;

    [Fact]
    public async Task Chart_is_pinned_clustered_and_replicates_collections()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args()));
        var chart = mocks.Single("kubernetes:helm.sh/v4:Chart");
        Assert.Equal(QdrantChart.Name, chart.Inputs["chart"]);
        Assert.Equal(QdrantChart.Version, chart.Inputs["version"]);
        Assert.Equal(QdrantChart.Repository, Map(chart.Inputs["repositoryOpts"])["repo"]);
        var values = Map(chart.Inputs["values"]);
        Assert.Equal(3.0, values["replicaCount"]);
        var config = Map(values["config"]);
        Assert.True((bool)Map(config["cluster"])["enabled"]);
        var collection = Map(Map(config["storage"])["collection"]);
        Assert.Equal(2.0, collection["replication_factor"]);
        Assert.Equal(1.0, collection["write_consistency_factor"]);
        var persistence = Map(values["persistence"]);
        Assert.Equal("ceph-block", persistence["storageClassName"]);
        Assert.Equal("200Gi", persistence["size"]);
    }

    [Fact]
    public async Task Peers_spread_over_hosts_and_zones_with_a_pdb_and_a_service_monitor()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args()));
        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        var term = Map(Assert.Single(List(Map(Map(values["affinity"])["podAntiAffinity"])["requiredDuringSchedulingIgnoredDuringExecution"])));
        Assert.Equal("kubernetes.io/hostname", term["topologyKey"]);
        var spread = Map(Assert.Single(List(values["topologySpreadConstraints"])));
        Assert.Equal("topology.kubernetes.io/zone", spread["topologyKey"]);
        Assert.Equal("DoNotSchedule", spread["whenUnsatisfiable"]);
        var pdb = Map(values["podDisruptionBudget"]);
        Assert.True((bool)pdb["enabled"]);
        Assert.Equal(1.0, pdb["maxUnavailable"]);
        var monitor = Map(Map(values["metrics"])["serviceMonitor"]);
        Assert.True((bool)monitor["enabled"]);
        Assert.Equal("kube-prometheus-stack", Map(monitor["additionalLabels"])["release"]);
        var credentials = Map(Map(monitor["authorization"])["credentials"]);
        Assert.Equal("Bearer", Map(monitor["authorization"])["type"]);
        Assert.Equal("api-key", credentials["key"]);
    }

    [Fact]
    public async Task Api_key_is_random_in_a_secret_and_never_in_the_values()
    {
        VectorDatabase? db = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => db = new VectorDatabase("qdrant", Args()));
        Assert.Single(mocks.OfType("random:index/randomPassword:RandomPassword"));
        var secret = mocks.Single("kubernetes:core/v1:Secret");
        Assert.Equal("qdrant-api-key", Map(secret.Inputs["metadata"])["name"]);
        Assert.True(Map(secret.Inputs["stringData"]).ContainsKey(QdrantChart.ApiKeySecretKey));
        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        Assert.False((bool)values["apiKey"]);
        var env = Map(Assert.Single(List(values["env"])));
        Assert.Equal("QDRANT__SERVICE__API_KEY", env["name"]);
        var secretRef = Map(Map(env["valueFrom"])["secretKeyRef"]);
        Assert.Equal("qdrant-api-key", secretRef["name"]);
        Assert.DoesNotContain("mockrandom0", System.Text.Json.JsonSerializer.Serialize(values.ToDictionary()));
        Assert.Equal("http://qdrant.vector.svc:6333", await PulumiTest.ValueAsync(db!.HttpEndpoint));
    }

    [Fact]
    public async Task Fewer_than_three_replicas_in_prod_and_factor_above_replicas_fail_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new VectorDatabase("qdrant", Args(a =>
            {
                a.Replicas = 2;
                a.ReplicationFactor = 3;
            })));
            Assert.Equal(["Replicas", "ReplicationFactor"], error.Problems.Select(e => e.PropertyPath).Order());
            Assert.Contains("at least 3 are required", error.Message);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task The_system_node_selector_places_the_peers_on_the_system_pool_and_defaults_to_the_charts()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args(a => a.SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system" })));
        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        Assert.Equal("system", Map(values["nodeSelector"])["neocloud.io/node-role"]);

        var (plain, _) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args()));
        Assert.False(Map(plain.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]).ContainsKey("nodeSelector"));
    }

    [Fact]
    public async Task A_system_node_selector_that_is_not_a_node_label_fails_and_registers_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new VectorDatabase("qdrant", Args(a => a.SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system pool" })));
            var problem = Assert.Single(error.Problems);
            Assert.Equal("SystemNodeSelector[neocloud.io/node-role]", problem.PropertyPath);
            Assert.Contains("is not a node label", problem.Reason, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Required_inputs_left_unset_are_all_reported_and_nothing_registers()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new VectorDatabase("qdrant", new VectorDatabaseArgs()));
            Assert.Equal(["CostCenter", "Environment", "Namespace", "StorageClass"], error.Problems.Select(e => e.PropertyPath).Order(StringComparer.Ordinal));
            Assert.StartsWith("VectorDatabase \"qdrant\": invalid VectorDatabaseArgs (4 problems); nothing was registered:", error.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task The_component_registers_under_the_index_token_and_carries_the_tags()
    {
        var (mocks, resources) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args(a => a.Tags = new() { ["team"] = "search" })));
        Assert.Equal("neocloud:index:VectorDatabase", Assert.Single(resources.OfType<VectorDatabase>()).GetResourceType());
        Assert.Equal("neocloud:vectordb:VectorDatabase", VectorDatabase.PreviousTypeToken);
        var secret = mocks.Single("kubernetes:core/v1:Secret");
        Assert.Equal("search", Map(Map(secret.Inputs["metadata"])["labels"])["team"]);
        var values = mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"];
        Assert.Equal("search", Map(Map(values)["podLabels"])["team"]);
    }

    [Fact]
    public async Task RestrictIngress_creates_the_namespace_policy_admitting_only_peers_prometheus_and_the_clients()
    {
        var (none, _) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args()));
        Assert.Empty(none.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy"));

        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new VectorDatabase("qdrant", Args(a =>
        {
            a.RestrictIngress = true;
            a.ClientNamespaces = ["chat"];
        })));
        var policy = mocks.Single("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        Assert.Equal("qdrant-qdrant-ingress", policy.Name);
        Assert.Equal("qdrant-ingress", Map(policy.Inputs["metadata"])["name"]);
        Assert.Equal("vector", Map(policy.Inputs["metadata"])["namespace"]);
        var rules = List(Map(policy.Inputs["spec"])["ingress"]);
        Assert.Equal(3, rules.Length); // peers, Prometheus, the client namespace
        var admitted = System.Text.Json.JsonSerializer.Serialize(rules[2]);
        Assert.Contains("\"chat\"", admitted, StringComparison.Ordinal);
    }
}
