using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Core.Traffic;

namespace NeoCloud.Infra.Core.Tests.Traffic;

/// <summary><c>neocloud:gateway</c>: what it binds to, the spec each gateway gets, and the flows the platform check proves.</summary>
public sealed class GatewaySectionTests
{
    private static string Stack(string name) => File.ReadAllText(RepoFiles.StackFile(name));

    private static BindResult Bind(string yaml, string stack = "prod") => EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, stack));

    private static FlowVerdict Flow(PlatformReport report, string name) => report.Flows.Single(f => f.Flow.Name == name);

    [Fact]
    public void Prod_binds_one_gateway_on_dc1_with_the_tenant_rate_limits_and_the_burst_route()
    {
        var env = Bind(Stack("prod")).ModelOrThrow();
        var gateway = Assert.Single(env.Gateway!.Clusters);
        Assert.Equal(new GatewayClusterSpec("dc1", "inference.example.com", "inference-tls"), gateway);
        var spec = GatewayLayout.For(env, gateway);
        Assert.Empty(InferenceGatewayPlanner.Validate(spec));
        Assert.Equal("*.inference.example.com", spec.Hostname);
        Assert.Equal(["llama-8b-chat", "embeddings", "llama-70b-chat", "reranker"], spec.Routes.Select(r => r.Name));
        Assert.Equal([8001, 8001, null, 8001], spec.Routes.Select(r => r.GrpcPort)); // llama-70b-chat runs vLLM: HTTP only
        var burst = Assert.Single(spec.Routes, r => r.Burst is not null).Burst!;
        Assert.Equal(new GatewayBurstSpec("llama-8b-chat-burst", 8000, 48, 36) { AddressSet = true }, burst);
        Assert.Equal([("chat", 600, "Second"), ("search", 100, "Second")], spec.Tenants.Select(t => (t.Tenant, t.Requests, t.Unit)));
        Assert.Equal(2, spec.ProxyReplicas); // production
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void The_gateway_reaches_each_deployment_on_its_serving_ports_and_nothing_else(string stack)
    {
        var env = Bind(Stack(stack), stack).ModelOrThrow();
        var report = PlatformCheck.ForConfig(env);
        var c = env.Gateway!.Clusters[0].Cluster;
        foreach (var s in GatewayLayout.DeploymentsOn(env, c))
        {
            Assert.True(Flow(report, $"{c}: gateway → {s.Tenant}/{s.Name} http").Allowed);
            if (s.Runtime != NeoCloud.Infra.Core.Serving.ServingRuntime.Vllm)
            {
                Assert.True(Flow(report, $"{c}: gateway → {s.Tenant}/{s.Name} grpc").Allowed);
                var metrics = Flow(report, $"{c}: gateway → {s.Tenant}/{s.Name} metrics");
                Assert.False(metrics.Flow.Intended);
                Assert.False(metrics.Allowed);
            }
        }

        Assert.Equal(stack == "prod", report.Flows.Any(f => f.Flow.Name.Contains("gateway overflow", StringComparison.Ordinal)));
        Assert.DoesNotContain(report.Findings, f => f.Rule == PlatformRule.Reachability);
    }

    [Fact]
    public void Prod_overflow_reaches_the_burst_replicas_over_the_link_only_through_allow_gateway()
    {
        var env = Bind(Stack("prod")).ModelOrThrow();
        var report = PlatformCheck.ForConfig(env);
        var overflow = Flow(report, "dc1 → burst: gateway overflow → chat/llama-8b-chat-burst-internal");
        Assert.True(overflow.Allowed);
        Assert.Equal("allowed by chat/allow-gateway", overflow.Ingress);
        Assert.Equal("10.10.0.1", overflow.Flow.From.Address!.Value);

        // Without the burst side's allow-gateway the same flow is closed, and the check says so.
        var closed = PlatformCheck.Run(report.Inventory with
        {
            NetworkPolicies = [.. report.Inventory.NetworkPolicies.Where(p => !(p.Cluster == "burst" && p.Name == TenantGatewayIngress.PolicyName))],
        });
        Assert.Contains(closed.Findings, f => f.ToString().StartsWith("reachability: dc1 → burst: gateway overflow → chat/llama-8b-chat-burst-internal: intended flow is closed", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_its_policy_the_gateway_flow_is_a_finding()
    {
        var report = PlatformCheck.ForConfig(Bind(Stack("dev"), "dev").ModelOrThrow());
        var closed = PlatformCheck.Run(report.Inventory with
        {
            NetworkPolicies = [.. report.Inventory.NetworkPolicies.Where(p => p.Name != TenantGatewayIngress.PolicyName)],
        });
        Assert.Contains(closed.Findings, f => f.ToString().StartsWith("reachability: dev: gateway → playground/tinyllama http: intended flow is closed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_disabled_or_absent_gateway_leaves_no_gateway_path()
    {
        var disabled = Stack("dev").Replace("{cluster: dev, domain: dev.inference.example.com, tlsSecretName: inference-tls}", "{cluster: dev, enabled: false, domain: dev.inference.example.com, tlsSecretName: inference-tls}", StringComparison.Ordinal);
        Assert.NotEqual(Stack("dev"), disabled);
        var env = Bind(disabled, "dev").ModelOrThrow();
        Assert.Empty(env.Gateway!.Clusters);
        Assert.Null(GatewayLayout.TenantIngress(env, "playground", "dev"));
        var report = PlatformCheck.ForConfig(env);
        Assert.DoesNotContain(report.Flows, f => f.Flow.Name.Contains("gateway", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Inventory.NetworkPolicies, p => p.Name == TenantGatewayIngress.PolicyName);

        var start = Stack("dev").IndexOf("  neocloud:gateway:", StringComparison.Ordinal);
        var end = Stack("dev").IndexOf("  neocloud:policy:", StringComparison.Ordinal);
        Assert.Null(Bind(Stack("dev").Remove(start, end - start), "dev").ModelOrThrow().Gateway);
    }

    [Theory]
    [InlineData("    rateLimit: {requests: 20, unit: Second}\n", "", "neocloud:gateway.rateLimit", "is required")]
    [InlineData("rateLimit: {requests: 20, unit: Second}", "rateLimit: {requests: 0, unit: Second}", "neocloud:gateway.rateLimit.requests", "0 is not a positive number of requests")]
    [InlineData("tlsSecretName: inference-tls}", "tlsSecretName: Inference_TLS}", "neocloud:gateway.clusters[0].tlsSecretName", "\"Inference_TLS\" is not a DNS-1123 label")]
    [InlineData("      - {cluster: dev, domain: dev.inference.example.com, tlsSecretName: inference-tls}\n", "      - {cluster: dev, domain: dev.inference.example.com, tlsSecretName: inference-tls}\n      - {cluster: dev, domain: other.example.com, tlsSecretName: inference-tls}\n", "neocloud:gateway.clusters[1].cluster", "already has a gateway entry")]
    [InlineData("tlsSecretName: inference-tls}", "tlsSecretName: inference-tls, tls: cert-manager}", "neocloud:gateway.clusters[0].tls", "unknown key")]
    public void Each_bad_value_is_one_error_at_its_key(string from, string to, string path, string message)
    {
        var yaml = Stack("dev").Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Stack("dev"), yaml);
        var result = Bind(yaml, "dev");
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The tenant side: <see cref="TenantGatewayIngress"/> opens the serving ports to the gateway's peers only.</summary>
public sealed class TenantGatewayIngressTests
{
    private static NeoCloud.Infra.Core.Tenancy.TenantSpec Tenant(TenantGatewayIngress gateway) =>
        new("chat", "team-chat", "8", "32Gi", new NeoCloud.Infra.Core.Naming.OwnershipSpec("prod", "inference-platform")) { Gateway = gateway };

    [Fact]
    public void The_policy_admits_the_Envoy_pods_and_the_link_on_the_given_ports_only()
    {
        var ingress = new TenantGatewayIngress("envoy-gateway-system", EnvoyGatewayChart.ProxyPodLabels("inference", "envoy-gateway-system"), ["10.10.0.0/16"], [8000, 8001]);
        Assert.Empty(TenantPlanner.Validate(Tenant(ingress)));
        var policy = Assert.Single(TenantPlanner.Plan(Tenant(ingress)).NetworkPolicies(), p => p.Name == TenantGatewayIngress.PolicyName);
        Assert.Equal(PolicyDirection.Ingress, Assert.Single(policy.PolicyTypes));
        var rule = Assert.Single(policy.Ingress);
        Assert.True(rule.Ports.SequenceEqual([new PolicyPort("TCP", 8000), new PolicyPort("TCP", 8001)]));
        Assert.Equal("envoy-gateway-system", rule.Peers[0].NamespaceLabels![TenantPlan.NamespaceNameLabel]);
        Assert.Equal("proxy", rule.Peers[0].PodLabels!["app.kubernetes.io/component"]);
        Assert.Equal("10.10.0.0/16", rule.Peers[1].Cidr);
        Assert.DoesNotContain(TenantPlanner.Plan(Tenant(ingress) with { Gateway = null }).NetworkPolicies(), p => p.Name == TenantGatewayIngress.PolicyName);
    }

    [Fact]
    public void No_peer_no_port_or_a_bad_cidr_is_refused_rather_than_opening_everything()
    {
        var problems = TenantPlanner.Validate(Tenant(new TenantGatewayIngress(null, System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, ["10.10.0.1/16"], [])));
        Assert.Equal(["Gateway.Cidrs[0]", "Gateway.Ports"], problems.Select(p => p.PropertyPath));
        Assert.Equal(["Gateway"], TenantPlanner.Validate(Tenant(new TenantGatewayIngress(null, System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, [], [8000]))).Select(p => p.PropertyPath));
    }
}
