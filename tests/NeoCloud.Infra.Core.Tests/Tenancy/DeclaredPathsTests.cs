using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Tests.Tenancy;

/// <summary><c>tenants[].allowFrom</c> and <c>tenants[].uses</c>: each opens exactly its path, the platform check proves it.</summary>
public sealed class DeclaredPathsTests
{
    private static string Prod => File.ReadAllText(RepoFiles.StackFile("prod"));

    private static EnvironmentModel Bind(string yaml) => EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml, "prod"));

    private static FlowVerdict Flow(PlatformReport report, string name) => report.Flows.Single(f => f.Flow.Name == name);

    [Fact]
    public void Declared_clients_and_vector_DB_users_are_open_and_every_other_tenant_stays_out()
    {
        var report = PlatformCheck.ForConfig(Bind(Prod));

        Assert.True(Flow(report, "dc1: research → chat/llama-8b-chat").Allowed);
        Assert.True(Flow(report, "dc1: 10.20.0.0/16 → chat/llama-8b-chat").Allowed);
        Assert.True(Flow(report, "dc1: chat → search/embeddings").Allowed);
        Assert.True(Flow(report, "dc1: chat → vector DB").Allowed);
        Assert.True(Flow(report, "dc1: search → vector DB").Allowed);

        // Tenant A → tenant B where B does not name A, an undeclared address, an undeclared vector DB user: closed.
        Assert.False(Flow(report, "dc1: search → chat/llama-8b-chat").Allowed);
        Assert.False(Flow(report, "dc1: research → search/embeddings").Allowed);
        Assert.False(Flow(report, $"dc1: {ConfigInventory.UndeclaredClientAddress} → chat/llama-8b-chat").Allowed);
        var research = Flow(report, "dc1: research → vector DB");
        Assert.False(research.Flow.Intended);
        Assert.StartsWith("denied: Ingress isolated by qdrant-ingress", research.Ingress, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Rule == PlatformRule.Reachability);
    }

    [Fact]
    public void Removing_a_declaration_closes_its_path_and_the_flow_becomes_unintended()
    {
        var yaml = Prod.Replace("      allowFrom: [chat]\n", string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(Prod, yaml);
        var report = PlatformCheck.ForConfig(Bind(yaml));

        // search no longer names a client: the only client flow left is the in-cluster one, and it is closed (a finding).
        Assert.False(Flow(report, "dc1: chat → search/embeddings").Allowed);
        Assert.Contains(report.Findings, f => f.ToString() == "reachability: dc1: client → search/embeddings: intended flow is closed (port 8000/TCP): egress not isolated (no Egress policy selects it); ingress denied: Ingress isolated by default-deny, allow-same-namespace, allow-ingress-namespaces, allow-gateway; no rule admits it");
        Assert.DoesNotContain(report.Inventory.NetworkPolicies, p => p.Namespace == "chat" && p.Name == "allow-to-declared" && p.Cluster == "dc1");
    }

    [Fact]
    public void The_check_reports_an_undeclared_tenant_that_reaches_the_vector_DB()
    {
        var report = PlatformCheck.ForConfig(Bind(Prod));
        var open = report.Inventory with
        {
            // research's namespace without isolation and the vector DB without its ingress policy.
            NetworkPolicies = [.. report.Inventory.NetworkPolicies.Where(p => p.Namespace is not "research" && p.Name != VectorDatabasePlan.IngressPolicyName)],
        };

        var findings = PlatformCheck.Run(open).Findings.Select(f => f.ToString()).ToList();

        Assert.Contains(findings, f => f.StartsWith("reachability: dc1: research → vector DB: unintended flow is open", StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_open_the_declared_ingress_the_peer_egress_and_the_vector_DB_ports_only()
    {
        var env = Bind(Prod);
        var chat = TenantPaths.For(env, env.Tenants.Single(t => t.Name == "chat"), "dc1");
        var search = TenantPaths.For(env, env.Tenants.Single(t => t.Name == "search"), "dc1");
        var research = TenantPaths.For(env, env.Tenants.Single(t => t.Name == "research"), "dc1");

        Assert.Equal(new[] { "research" }, chat.AllowFromNamespaces);
        Assert.Equal(new[] { "10.20.0.0/16" }, chat.AllowFromCidrs);
        Assert.Equal(new[] { "search" }, chat.AllowToNamespaces);
        Assert.Equal(new[] { TenantPaths.VectorDb }, chat.Uses);
        Assert.Equal(new[] { "chat" }, research.AllowToNamespaces);
        Assert.Empty(research.Uses);
        Assert.Equal(new[] { "chat" }, search.AllowFromNamespaces);
        Assert.Equal(new[] { "chat", "search" }, TenantPaths.VectorDbUsers(env));
        Assert.Empty(TenantPaths.For(env, env.Tenants.Single(t => t.Name == "chat"), "burst").Uses);

        var plan = new TenantPlan("chat", "g", "prod", "cc", PodSecurityLevel.Baseline, new(System.Collections.Immutable.ImmutableSortedDictionary<string, int>.Empty, "1", null, "1Gi", null, 1, 0), null, [], null, [], []) { Paths = chat };
        var policies = plan.NetworkPolicies().ToDictionary(p => p.Name);
        var from = Assert.Single(policies["allow-from-declared"].Ingress);
        Assert.Equal(new[] { "research", null }, from.Peers.Select(p => p.NamespaceLabels?[TenantPlan.NamespaceNameLabel]));
        Assert.Equal(new[] { null, "10.20.0.0/16" }, from.Peers.Select(p => p.Cidr));
        var vectorDb = Assert.Single(policies["allow-vector-db"].Egress);
        Assert.Equal(new[] { 6333, 6334 }, vectorDb.Ports.Select(p => p.Port));
        Assert.Equal(StackLayout.VectorDbNamespace, vectorDb.Peers.Single().NamespaceLabels![TenantPlan.NamespaceNameLabel]);
        Assert.Equal("search", Assert.Single(policies["allow-to-declared"].Egress).Peers.Single().NamespaceLabels![TenantPlan.NamespaceNameLabel]);
        Assert.Empty(TenantPlanner.Validate(new NeoCloud.Infra.Core.Tenancy.TenantSpec("chat", "g", "1", "1Gi", new("prod", "cc")) { Paths = chat }));
    }

    [Fact]
    public void Invalid_paths_are_reported_with_their_property_path()
    {
        var spec = new NeoCloud.Infra.Core.Tenancy.TenantSpec("chat", "g", "1", "1Gi", new("prod", "cc"))
        {
            Paths = new TenantPaths(["Bad_NS"], ["10.0.0.0/33"], [], [new("vector-db", "vector-db", TenantPaths.VectorDb.PodLabels, [])]),
        };

        Assert.Equal(["Paths.AllowFromNamespaces[0]", "Paths.AllowFromCidrs[0]", "Paths.Uses[0]"], TenantPlanner.Validate(spec).Select(e => e.PropertyPath));
    }

    [Theory]
    [InlineData("  neocloud:vectorDb:\n", "  neocloud:vectorDbUnused:\n", "neocloud:tenants[0].uses", "names vectorDb, but neocloud:vectorDb is not configured")]
    [InlineData("      allowFrom: [research, 10.20.0.0/16]\n", "      allowFrom: [research, 10.20.0.0/16]\n      clusters: [burst]\n", "neocloud:tenants[0].uses", "names vectorDb, but tenant \"chat\" has no namespace in cluster \"dc1\" of the vector DB")]
    [InlineData("      allowFrom: [chat]\n", "      allowFrom: [chat, kube-system]\n", "neocloud:tenants[1].allowFrom[1]", "\"kube-system\" is not a namespace of this stack")]
    [InlineData("      allowFrom: [chat]\n", "      allowFrom: [chat, 10.0.0.0/8/1]\n", "neocloud:tenants[1].allowFrom[1]", "\"10.0.0.0/8/1\" is not an IPv4 CIDR")]
    public void Bad_declarations_name_the_key(string from, string to, string path, string message)
    {
        var yaml = Prod.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Prod, yaml);

        var result = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, "prod"));

        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }
}
