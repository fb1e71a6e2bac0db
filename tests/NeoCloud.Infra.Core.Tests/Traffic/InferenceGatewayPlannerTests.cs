using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Traffic;

namespace NeoCloud.Infra.Core.Tests.Traffic;

/// <summary>The inference gateway's objects: one route per deployment, per tenant its API keys and its rate limit over exactly its routes.</summary>
public sealed class InferenceGatewayPlannerTests
{
    internal static InferenceGatewaySpec Spec() => new(
        new OwnershipSpec("prod", "inference-platform"),
        "inference", "envoy-gateway-system", "inference-tls", "*.inference.example.com",
        [
            new GatewayRouteSpec("llama-8b-chat", "chat", "llama-8b-chat.inference.example.com", 8000, 8001),
            new GatewayRouteSpec("embeddings", "search", "embeddings.inference.example.com", 8000, null),
        ],
        [new GatewayTenantSpec("chat", "chat-api-keys", 600, "Minute"), new GatewayTenantSpec("search", "search-api-keys", 50, "Second")]);

    private static InferenceGatewaySpec Hybrid() => Spec() with
    {
        Routes = [Spec().Routes[0] with { Burst = new GatewayBurstSpec("llama-8b-chat-burst", 8000, 48, 36) { AddressSet = true } }, Spec().Routes[1]],
    };

    private static string S(JsonNode? n) => (string)n!;

    [Fact]
    public void One_HTTPS_gateway_a_route_per_deployment_and_per_tenant_its_keys_and_limit()
    {
        Assert.Empty(InferenceGatewayPlanner.Validate(Spec()));
        var plan = InferenceGatewayPlanner.Plan(Spec());
        var listener = plan.Gateway["spec"]!["listeners"]![0]!;
        Assert.Equal("HTTPS", S(listener["protocol"]));
        Assert.Equal(443, (int)listener["port"]!);
        Assert.Equal("inference-tls", S(listener["tls"]!["certificateRefs"]![0]!["name"]));
        Assert.Equal("neocloud.io/tenant", S(listener["allowedRoutes"]!["namespaces"]!["selector"]!["matchExpressions"]![0]!["key"]));

        Assert.Equal(["chat/HTTPRoute/llama-8b-chat", "chat/GRPCRoute/llama-8b-chat-grpc", "search/HTTPRoute/embeddings"],
            plan.Routes.Select(r => $"{S(r["metadata"]!["namespace"])}/{S(r["kind"])}/{S(r["metadata"]!["name"])}"));
        var grpc = plan.Routes.Single(r => S(r["kind"]) == "GRPCRoute");
        Assert.Equal(8001, (int)grpc["spec"]!["rules"]![0]!["backendRefs"]![0]!["port"]!);
        // gRPC has its own hostname: an HTTPRoute and a GRPCRoute must not share one on a listener.
        Assert.Equal("llama-8b-chat-grpc.inference.example.com", S(grpc["spec"]!["hostnames"]![0]));

        var chatKeys = plan.Policies.Single(p => S(p["kind"]) == "SecurityPolicy" && S(p["metadata"]!["namespace"]) == "chat");
        Assert.Equal(["llama-8b-chat", "llama-8b-chat-grpc"], chatKeys["spec"]!["targetRefs"]!.AsArray().Select(t => S(t!["name"])));
        Assert.Equal("chat-api-keys", S(chatKeys["spec"]!["apiKeyAuth"]!["credentialRefs"]![0]!["name"]));
        Assert.True((bool)chatKeys["spec"]!["apiKeyAuth"]!["sanitize"]!);
        var searchLimit = plan.Policies.Single(p => S(p["kind"]) == "BackendTrafficPolicy" && S(p["metadata"]!["namespace"]) == "search");
        Assert.Equal(["embeddings"], searchLimit["spec"]!["targetRefs"]!.AsArray().Select(t => S(t!["name"])));
        var rule = searchLimit["spec"]!["rateLimit"]!["local"]!["rules"]![0]!;
        Assert.Equal(50, (int)rule["limit"]!["requests"]!);
        Assert.Equal("Second", S(rule["limit"]!["unit"]));
        Assert.Null(searchLimit["spec"]!["healthCheck"]);
        Assert.Empty(plan.Backends);
        Assert.Equal("envoy", plan.ProxyPodLabels["app.kubernetes.io/name"]);
        Assert.Equal("envoy-gateway-system", InferenceGatewayPlanner.TenantIngressPeer(plan).NamespaceLabels!["kubernetes.io/metadata.name"]);
    }

    [Fact]
    public void Every_object_carries_the_cost_labels_and_tenant_objects_their_tenant()
    {
        var plan = InferenceGatewayPlanner.Plan(Hybrid());
        foreach (var o in plan.Objects())
        {
            var labels = o["metadata"]!["labels"]!;
            Assert.Equal("prod", S(labels["neocloud.io/environment"]));
            Assert.Equal("inference-platform", S(labels["neocloud.io/cost-center"]));
            if (o["metadata"]!["namespace"] is { } ns && S(ns) != "envoy-gateway-system")
            {
                Assert.Equal(S(ns), S(labels["neocloud.io/tenant"]));
            }
        }
    }

    [Fact]
    public void The_class_is_parameterised_by_an_EnvoyProxy_on_the_system_pool()
    {
        var plan = InferenceGatewayPlanner.Plan(Spec() with { SystemNodeSelector = ImmutableSortedDictionary<string, string>.Empty.Add("neocloud.io/node-role", "system"), ProxyReplicas = 3 });
        var reference = plan.GatewayClass["spec"]!["parametersRef"]!;
        Assert.Equal(("EnvoyProxy", S(plan.Proxy["metadata"]!["name"]), "envoy-gateway-system"), (S(reference["kind"]), S(reference["name"]), S(reference["namespace"])));
        var deployment = plan.Proxy["spec"]!["provider"]!["kubernetes"]!["envoyDeployment"]!;
        Assert.Equal(3, (int)deployment["replicas"]!);
        Assert.Equal("system", S(deployment["pod"]!["nodeSelector"]!["neocloud.io/node-role"]));
        var values = plan.ChartValues;
        Assert.Equal("system", ((IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)values["deployment"])["pod"])["nodeSelector"] is IReadOnlyDictionary<string, object> sel ? sel["neocloud.io/node-role"] : null);
        var extension = (IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)values["config"])["envoyGateway"])["extensionApis"];
        Assert.Equal(true, extension["enableBackend"]);
        Assert.Null(InferenceGatewayPlanner.Plan(Spec()).Proxy["spec"]!["provider"]!["kubernetes"]!["envoyDeployment"]!["pod"]);
    }

    [Fact]
    public void A_hybrid_route_weights_two_FQDN_backends_and_its_tenant_health_checks_them_without_panic_mode()
    {
        var spec = Hybrid();
        Assert.Empty(InferenceGatewayPlanner.Validate(spec));
        var plan = InferenceGatewayPlanner.Plan(spec);
        var http = plan.Routes.Single(r => S(r["kind"]) == "HTTPRoute" && S(r["metadata"]!["name"]) == "llama-8b-chat");
        var refs = http["spec"]!["rules"]![0]!["backendRefs"]!.AsArray();
        Assert.Equal([("Backend", "llama-8b-chat-primary", 36), ("Backend", "llama-8b-chat-burst", 48)], refs.Select(r => (S(r!["kind"]), S(r["name"]), (int)r["weight"]!)));
        Assert.All(refs, r => Assert.Equal("gateway.envoyproxy.io", S(r!["group"])));

        // The on-prem side as the Service's DNS name, so both sides are FQDN endpoints of one cluster.
        var primary = Assert.Single(plan.Backends);
        Assert.Equal("llama-8b-chat.chat.svc.cluster.local", S(primary["spec"]!["endpoints"]![0]!["fqdn"]!["hostname"]));
        Assert.Equal(8000, (int)primary["spec"]!["endpoints"]![0]!["fqdn"]!["port"]!);
        var burst = InferenceGatewayPlanner.BurstBackend(spec, spec.Routes[0], "internal-a1b2.elb.us-east-1.amazonaws.com");
        Assert.Equal(("llama-8b-chat-burst", "chat"), (S(burst["metadata"]!["name"]), S(burst["metadata"]!["namespace"])));
        Assert.Equal("internal-a1b2.elb.us-east-1.amazonaws.com", S(burst["spec"]!["endpoints"]![0]!["fqdn"]!["hostname"]));
        Assert.Throws<ArgumentException>(() => InferenceGatewayPlanner.BurstBackend(spec, spec.Routes[0], ""));
        Assert.Throws<ArgumentException>(() => InferenceGatewayPlanner.BurstBackend(spec, spec.Routes[1], "x.example.com"));

        // gRPC stays on the Service; the non-hybrid tenant has no health check.
        var grpc = plan.Routes.Single(r => S(r["kind"]) == "GRPCRoute");
        Assert.Equal("llama-8b-chat", S(grpc["spec"]!["rules"]![0]!["backendRefs"]![0]!["name"]));
        var chat = plan.Policies.Single(p => S(p["kind"]) == "BackendTrafficPolicy" && S(p["metadata"]!["namespace"]) == "chat");
        var check = chat["spec"]!["healthCheck"]!;
        Assert.Equal(0, (int)check["panicThreshold"]!);
        Assert.Equal("TCP", S(check["active"]!["type"]));
        Assert.NotNull(check["active"]!["tcp"]);
        Assert.Null(plan.Policies.Single(p => S(p["kind"]) == "BackendTrafficPolicy" && S(p["metadata"]!["namespace"]) == "search")["spec"]!["healthCheck"]);
    }

    [Fact]
    public void Every_broken_field_is_named()
    {
        var broken = Spec() with
        {
            Routes = [new GatewayRouteSpec("Chat", "nobody", "*.x.example.com", 0, 70000)
            {
                Burst = new GatewayBurstSpec("Chat", 0, 0, 2_000_000),
            }],
            Tenants = [new GatewayTenantSpec("chat", "chat-api-keys", 0, "Fortnight")],
            ProxyReplicas = 0,
        };
        Assert.Equal(
            ["ProxyReplicas", "Routes[0].Name", "Routes[0].Tenant", "Routes[0].Hostname", "Routes[0].HttpPort", "Routes[0].GrpcPort",
                "Routes[0].Burst.Name", "Routes[0].Burst.Port", "Routes[0].Burst.Weight", "Routes[0].Burst.PrimaryWeight", "Routes[0].Burst.Address",
                "Tenants[0].Requests", "Tenants[0].Unit"],
            InferenceGatewayPlanner.Validate(broken).Select(p => p.PropertyPath));
    }

    [Fact]
    public void A_broken_listener_is_one_problem_and_a_route_outside_it_is_named()
    {
        Assert.Equal(["Hostname"], InferenceGatewayPlanner.Validate(Spec() with { Hostname = "not a host" }).Select(p => p.PropertyPath));
        var outside = Spec() with { Routes = [Spec().Routes[0] with { Hostname = "llama.other.example.com" }], Tenants = [Spec().Tenants[0]] };
        var problem = Assert.Single(InferenceGatewayPlanner.Validate(outside));
        Assert.Equal("Routes[0].Hostname", problem.PropertyPath);
        Assert.Contains("not served by the listener hostname", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "aexample.com", false)]
    [InlineData("a.example.com", "a.example.com", true)]
    [InlineData("a.example.com", "b.example.com", false)]
    public void Listener_hostnames_match_as_Gateway_API_says(string listener, string host, bool matches) =>
        Assert.Equal(matches, InferenceGatewayPlanner.Matches(listener, host));
}
