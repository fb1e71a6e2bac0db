using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>
/// The monitoring and vectorDb sections: the binder reports the planners' own reasons at the key paths of its tables
/// (the rules exist once, in <see cref="PrometheusStackPlanner"/> and <see cref="VectorDatabasePlanner"/>).
/// </summary>
public sealed class MonitoringAndVectorDbBindingTests
{
    private static readonly string Dev = File.ReadAllText(Path.Combine(NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath, "Pulumi.dev.yaml"));
    private static readonly string Prod = File.ReadAllText(Path.Combine(NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath, "Pulumi.prod.yaml"));

    private static readonly PrometheusStackSpec ValidStack = new(
        new OwnershipSpec("dev", "ml-platform"), "monitoring", true, "kube-prometheus-stack", "2d", "10Gi", null, null, "admin", [], false, []);

    public static TheoryData<string, string, string, PrometheusStackSpec> MonitoringCases() => new()
    {
        { "    retention: 2d\n", "    retention: 2 days\n", "neocloud:monitoring.retention", ValidStack with { Retention = "2 days" } },
        { "    storageSize: 10Gi\n", "    storageSize: lots\n", "neocloud:monitoring.storageSize", ValidStack with { StorageSize = "lots" } },
        { "    retention: 2d\n", "    retention: 2d\n    releaseLabel: a-release-name-longer-than-26\n", "neocloud:monitoring.releaseLabel", ValidStack with { ReleaseName = "a-release-name-longer-than-26" } },
        { "    retention: 2d\n", "    retention: 2d\n    grafana: {adminUser: Ops Team}\n", "neocloud:monitoring.grafana.adminUser", ValidStack with { GrafanaAdminUser = "Ops Team" } },
    };

    [Theory]
    [MemberData(nameof(MonitoringCases))]
    public void A_monitoring_problem_is_the_planners_reason_at_the_key_path(string find, string replace, string keyPath, PrometheusStackSpec sameSpec)
    {
        var result = EnvironmentBinder.Bind(StackConfig.FromYaml(Dev.Replace(find, replace, StringComparison.Ordinal)));
        var error = Assert.Single(result.Errors);
        Assert.Equal(keyPath, error.Path);
        var component = Assert.Single(PrometheusStackPlanner.Validate(sameSpec));
        Assert.Equal(component.Reason, error.Message);
        Assert.Equal(keyPath, EnvironmentBinder.MonitoringKeyOf(component.PropertyPath));
    }

    [Fact]
    public void Receiver_problems_map_to_their_list_item()
    {
        var yaml = Dev.Replace("    retention: 2d\n", """
                retention: 2d
                receivers:
                  - {name: oncall, kind: opsgenie, secretKey: hook}
                  - {name: oncall, kind: webhook, secretKey: hook, channel: "#gpu"}

            """, StringComparison.Ordinal).Replace("config:\n", "config:\n  neocloud:hook: {secure: v1:AAAA}\n", StringComparison.Ordinal);
        var errors = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml)).Errors;
        Assert.Equal(
            ["neocloud:monitoring.receivers[0].kind", "neocloud:monitoring.receivers[1].channel", "neocloud:monitoring.receivers[1].name"],
            errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Message == "\"opsgenie\" is not allowed; allowed: pagerduty, slack, webhook");
        Assert.Contains(errors, e => e.Message.StartsWith("duplicate receiver name \"oncall\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AlertReceivers[3].Secret", "neocloud:monitoring.receivers[3].secretKey")]
    [InlineData("AlertReceivers[0].Name", "neocloud:monitoring.receivers[0].name")]
    [InlineData("Namespace", null)]
    [InlineData("Environment", null)]
    [InlineData("FederationSourceRanges[0]", null)]
    [InlineData("Retention.Extra", null)]
    public void The_monitoring_table_maps_only_what_the_section_sets(string propertyPath, string? keyPath) =>
        Assert.Equal(keyPath, EnvironmentBinder.MonitoringKeyOf(propertyPath));

    public static TheoryData<string, string, string, string> VectorDbCases() => new()
    {
        // Production (prod is strict): the planner's production rules speak at the section's keys.
        { "    replicas: 3\n", "    replicas: 2\n", "neocloud:vectorDb.replicas", "2 replicas in production; at least 3 are required" },
        { "    replicationFactor: 2\n", "    replicationFactor: 1\n", "neocloud:vectorDb.replicationFactor", "1 in production keeps a single copy of each shard" },
        { "    replicationFactor: 2\n", "    replicationFactor: 4\n", "neocloud:vectorDb.replicationFactor", "4 copies of each shard need at least 4 peers, but replicas is 3" },
        { "    replicationFactor: 2\n", "    replicationFactor: 0\n", "neocloud:vectorDb.replicationFactor", "0 is not allowed; use at least 1" },
        { "    storageSize: 200Gi\n", "    storageSize: big\n", "neocloud:vectorDb.storageSize", "\"big\" is not a Kubernetes quantity, e.g. 200Gi" },
        { "    storageClass: fast-ssd\n    storageSize: 200Gi\n", "    storageSize: 200Gi\n", "neocloud:vectorDb.storageClass", "is required (a storage class of the cluster)" },
    };

    [Theory]
    [MemberData(nameof(VectorDbCases))]
    public void A_vector_db_problem_is_the_planners_reason_at_the_key_path(string find, string replace, string keyPath, string reason)
    {
        Assert.Contains(find, Prod, StringComparison.Ordinal);
        var result = EnvironmentBinder.Bind(StackConfig.FromYaml(Prod.Replace(find, replace, StringComparison.Ordinal)));
        var error = Assert.Single(result.Errors);
        Assert.Equal(keyPath, error.Path);
        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vector_db_spec_of_the_section_is_the_components_spec_and_is_valid_for_every_checked_in_stack()
    {
        foreach (var stack in new[] { "dev", "prod", "cloud" })
        {
            var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
            if (env.VectorDb is { } db)
            {
                var spec = db.ToSpec(new OwnershipSpec(env.Environment, env.CostCenter), env.IsProduction, env.Cluster(db.Cluster).Substrate == Substrate.Eks, env.Monitoring.ReleaseLabel, NeoCloud.Infra.Core.Tenancy.TenantPaths.VectorDbUsers(env));
                Assert.Empty(VectorDatabasePlanner.Validate(spec));
                Assert.Equal(NeoCloud.Infra.Core.Stacks.StackLayout.VectorDbNamespace, spec.Namespace);
            }
        }

        Assert.Equal(2, new VectorDbSpec("c", 3, 2, 6, "s", "1Gi").ShardsPerNode);
        Assert.Equal(6, new VectorDbSpec("c", 0, 1, 6, "s", "1Gi").ShardsPerNode); // no division by zero: the planner reports replicas 0
    }
}
