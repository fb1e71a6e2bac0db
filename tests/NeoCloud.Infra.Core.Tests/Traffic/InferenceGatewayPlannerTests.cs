using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Traffic;

namespace NeoCloud.Infra.Core.Tests.Traffic;

/// <summary>The inference gateway's objects: one route per deployment, per tenant its API keys and its rate limit over exactly its routes.</summary>
public sealed class InferenceGatewayPlannerTests
{
    private static InferenceGatewaySpec Spec() => new(
        "inference", "neocloud-gateway", "inference-tls", "*.inference.example.com",
        [
            new GatewayRouteSpec("llama-8b-chat", "chat", "llama-8b-chat.inference.example.com", 8000, 8001),
            new GatewayRouteSpec("embeddings", "search", "embeddings.inference.example.com", 8000, null),
        ],
        [new GatewayTenantSpec("chat", "chat-api-keys", 600, "Minute"), new GatewayTenantSpec("search", "search-api-keys", 50, "Second")]);

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

        var chatKeys = plan.Policies.Single(p => S(p["kind"]) == "SecurityPolicy" && S(p["metadata"]!["namespace"]) == "chat");
        Assert.Equal(["llama-8b-chat", "llama-8b-chat-grpc"], chatKeys["spec"]!["targetRefs"]!.AsArray().Select(t => S(t!["name"])));
        Assert.Equal("chat-api-keys", S(chatKeys["spec"]!["apiKeyAuth"]!["credentialRefs"]![0]!["name"]));
        var searchLimit = plan.Policies.Single(p => S(p["kind"]) == "BackendTrafficPolicy" && S(p["metadata"]!["namespace"]) == "search");
        Assert.Equal(["embeddings"], searchLimit["spec"]!["targetRefs"]!.AsArray().Select(t => S(t!["name"])));
        var rule = searchLimit["spec"]!["rateLimit"]!["local"]!["rules"]![0]!;
        Assert.Equal(50, (int)rule["limit"]!["requests"]!);
        Assert.Equal("Second", S(rule["limit"]!["unit"]));
        Assert.Equal("envoy", plan.ProxyPodLabels["app.kubernetes.io/name"]);
        Assert.Equal("envoy-gateway-system", InferenceGatewayPlanner.TenantIngressPeer(plan).NamespaceLabels!["kubernetes.io/metadata.name"]);
    }

    [Fact]
    public void Every_broken_field_is_named()
    {
        var broken = Spec() with
        {
            Hostname = "not a host",
            Routes = [new GatewayRouteSpec("Chat", "nobody", "*.x.example.com", 0, 70000)],
            Tenants = [new GatewayTenantSpec("chat", "chat-api-keys", 0, "Fortnight")],
        };
        Assert.Equal(
            ["Hostname", "Routes[0].Name", "Routes[0].Tenant", "Routes[0].Hostname", "Routes[0].HttpPort", "Routes[0].GrpcPort", "Tenants[0].Requests", "Tenants[0].Unit"],
            InferenceGatewayPlanner.Validate(broken).Select(p => p.PropertyPath));
    }
}
