using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Tests.VectorDb;

public sealed class VectorDatabasePlannerTests
{
    private static readonly VectorDatabaseSpec Valid = new(
        new OwnershipSpec("prod", "ml-platform"), "vector-db", null, 3, 2, 1, 1, "ceph-block", "200Gi", true, "kube-prometheus-stack");

    [Fact]
    public void A_valid_spec_has_no_problem_and_plans_production_from_the_environment()
    {
        Assert.Empty(VectorDatabasePlanner.Validate(Valid));
        var plan = VectorDatabasePlanner.Plan(Valid);
        Assert.True(plan.Production);
        Assert.Equal("prod", plan.Labels[ResourceLabels.Environment]);
        Assert.False(VectorDatabasePlanner.Plan(Valid with { Ownership = new OwnershipSpec("dev", "ml-platform") }).Production);
        Assert.False(VectorDatabasePlanner.Plan(Valid with { Production = false }).Production);
    }

    public static TheoryData<string, VectorDatabaseSpec, string> Rules() => new()
    {
        { "Environment", Valid with { Ownership = new OwnershipSpec("Prod!", "ml-platform") }, "is not allowed" },
        { "CostCenter", Valid with { Ownership = new OwnershipSpec("prod", null!) }, "a missing value" },
        { "Namespace", Valid with { Namespace = null }, "is required" },
        { "Namespace", Valid with { Namespace = "Vector_DB" }, "DNS-1123 label" },
        { "Replicas", Valid with { Replicas = 0 }, "use at least 1" },
        { "Replicas", Valid with { Replicas = 2 }, "at least 3 are required" },
        { "ReplicationFactor", Valid with { ReplicationFactor = 0 }, "use at least 1" },
        { "ReplicationFactor", Valid with { ReplicationFactor = 4 }, "need at least 4 peers" },
        { "ReplicationFactor", Valid with { ReplicationFactor = 1 }, "in production keeps a single copy" },
        { "WriteConsistencyFactor", Valid with { WriteConsistencyFactor = 3 }, "between 1 and ReplicationFactor (2)" },
        { "ShardsPerNode", Valid with { ShardsPerNode = 0 }, "use at least 1" },
        { "StorageClass", Valid with { StorageClass = " " }, "is required" },
        { "StorageSize", Valid with { StorageSize = null }, "is required" },
        { "StorageSize", Valid with { StorageSize = "lots" }, "not a Kubernetes quantity" },
        { "PrometheusReleaseLabel", Valid with { PrometheusReleaseLabel = null }, "is required" },
        { "PrometheusReleaseLabel", Valid with { PrometheusReleaseLabel = "no spaces allowed" }, "label value" },
        { "ClientNamespaces", Valid with { ClientNamespaces = ["chat"] }, "only used with RestrictIngress" },
        { "ClientNamespaces[1]", Valid with { RestrictIngress = true, ClientNamespaces = ["chat", "Team B"] }, "DNS-1123 label" },
        { "MonitoringNamespace", Valid with { RestrictIngress = true, MonitoringNamespace = null }, "is required with RestrictIngress" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_reports_its_property(string path, VectorDatabaseSpec spec, string reason)
    {
        var problem = Assert.Single(VectorDatabasePlanner.Validate(spec));
        Assert.Equal(path, problem.PropertyPath);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RestrictIngress_plans_the_namespace_policy_for_the_clients_and_prometheus()
    {
        Assert.Null(VectorDatabasePlanner.Plan(Valid).Ingress);
        var ingress = VectorDatabasePlanner.Plan(Valid with { RestrictIngress = true, ClientNamespaces = ["search", "chat"] }).Ingress!;
        Assert.Equal(VectorDatabasePlan.IngressPolicyName, ingress.Name);
        Assert.Equal(VectorDatabasePlan.IngressPolicy(["chat", "search"], "monitoring"), ingress, new ShapeComparer());
    }

    private sealed class ShapeComparer : IEqualityComparer<NeoCloud.Infra.Core.Tenancy.NetworkPolicyShape>
    {
        public bool Equals(NeoCloud.Infra.Core.Tenancy.NetworkPolicyShape? x, NeoCloud.Infra.Core.Tenancy.NetworkPolicyShape? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(NeoCloud.Infra.Core.Tenancy.NetworkPolicyShape obj) => 0;
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_nulls_never_throw()
    {
        var spec = new VectorDatabaseSpec(new OwnershipSpec(null!, null!), null, null, 0, 0, 0, 0, null, null, false, null);
        var paths = VectorDatabasePlanner.Validate(spec).Select(p => p.PropertyPath).ToList();
        Assert.Equal(["CostCenter", "Environment", "Namespace", "PrometheusReleaseLabel", "Replicas", "ReplicationFactor", "ShardsPerNode", "StorageClass", "StorageSize", "WriteConsistencyFactor"], paths.Order(StringComparer.Ordinal));
    }
}
