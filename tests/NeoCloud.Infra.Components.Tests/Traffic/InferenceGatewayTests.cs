using System.Collections.Immutable;
using NeoCloud.Infra.Components.Tests.Gpu;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Components.Traffic;
using NeoCloud.Infra.Core.Traffic;
using Pulumi;
using Pulumi.Testing;

namespace NeoCloud.Infra.Components.Tests.Traffic;

/// <summary>The InferenceGateway component under the mock engine: what it asks the engine for.</summary>
public sealed class InferenceGatewayTests
{
    private const string BurstAddress = "internal-a1b2.elb.us-east-1.amazonaws.com";

    private static InferenceGatewayArgs Args(Action<InferenceGatewayArgs>? change = null)
    {
        var args = new InferenceGatewayArgs
        {
            Environment = "prod",
            CostCenter = "inference-platform",
            TlsSecretName = "inference-tls",
            Hostname = "*.inference.example.com",
            Routes =
            [
                new GatewayRouteArgs { Name = "llama-8b-chat", Tenant = "chat", Hostname = "llama-8b-chat.inference.example.com", GrpcPort = 8001 },
                new GatewayRouteArgs { Name = "embeddings", Tenant = "search", Hostname = "embeddings.inference.example.com", GrpcPort = 8001 },
            ],
            Tenants =
            [
                new GatewayTenantArgs { Tenant = "chat", Requests = 600, Unit = "Second" },
                new GatewayTenantArgs { Tenant = "search", Requests = 100, Unit = "Second" },
            ],
            SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system" },
        };
        change?.Invoke(args);
        return args;
    }

    private static void Hybrid(InferenceGatewayArgs args) =>
        args.Routes[0].Burst = new GatewayBurstArgs { Name = "llama-8b-chat-burst", Address = Output.Create(BurstAddress), Weight = 48, PrimaryWeight = 36 };

    private static IReadOnlyDictionary<string, object> Map(object? o) => (IReadOnlyDictionary<string, object>)o!;

    private static ImmutableArray<object> List(object? o) => (ImmutableArray<object>)o!;

    private static object? At(MockResourceArgs r, params string[] path) => path.Aggregate((object?)r.Inputs, (node, key) => node is IReadOnlyDictionary<string, object> d && d.TryGetValue(key, out var v) ? v : null);

    private static object? At(IReadOnlyDictionary<string, object> map, params string[] path) => path.Aggregate((object?)map, (node, key) => node is IReadOnlyDictionary<string, object> d && d.TryGetValue(key, out var v) ? v : null);

    private static IReadOnlyList<MockResourceArgs> Kind(RecordingMocks mocks, string apiVersion, string kind) => mocks.OfType($"kubernetes:{apiVersion}:{kind}");

    [Fact]
    public async Task Envoy_Gateway_comes_from_its_pinned_chart_with_the_Backend_API_and_the_controller_on_the_system_pool()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new InferenceGateway("dc1-gateway", Args()));
        var chart = mocks.Single("kubernetes:helm.sh/v4:Chart");
        Assert.Equal(("gateway-helm", "v1.9.0", "oci://docker.io/envoyproxy"), ((string)chart.Inputs["chart"], (string)chart.Inputs["version"], (string)Map(chart.Inputs["repositoryOpts"])["repo"]));
        Assert.Equal(("eg", "envoy-gateway-system"), ((string)chart.Inputs["name"], (string)chart.Inputs["namespace"]));
        Assert.Equal(true, At(chart, "values", "config", "envoyGateway", "extensionApis", "enableBackend"));
        Assert.Equal("system", At(chart, "values", "deployment", "pod", "nodeSelector", "neocloud.io/node-role"));
        Assert.Equal("system", At(chart, "values", "certgen", "job", "nodeSelector", "neocloud.io/node-role"));
        Assert.Equal("envoy-gateway-system", At(mocks.Single("kubernetes:core/v1:Namespace"), "metadata", "name"));
    }

    [Fact]
    public async Task The_planners_objects_are_registered_one_per_route_and_policy()
    {
        InferenceGateway? gateway = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => gateway = new InferenceGateway("dc1-gateway", Args()));
        var gatewayClass = Assert.Single(Kind(mocks, EnvoyGatewayChart.GatewayApiVersion, "GatewayClass"));
        Assert.Equal(EnvoyGatewayChart.ControllerName, At(gatewayClass, "spec", "controllerName"));
        Assert.Null(At(gatewayClass, "metadata", "namespace"));
        var proxy = Assert.Single(Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "EnvoyProxy"));
        Assert.Equal(2.0, At(proxy, "spec", "provider", "kubernetes", "envoyDeployment", "replicas"));
        Assert.Equal("system", At(proxy, "spec", "provider", "kubernetes", "envoyDeployment", "pod", "nodeSelector", "neocloud.io/node-role"));
        var gw = Assert.Single(Kind(mocks, EnvoyGatewayChart.GatewayApiVersion, "Gateway"));
        Assert.Equal("*.inference.example.com", At(Map(List(At(gw, "spec", "listeners"))[0]), "hostname"));
        Assert.Equal(["chat/llama-8b-chat", "search/embeddings"], Kind(mocks, EnvoyGatewayChart.GatewayApiVersion, "HTTPRoute").Select(r => $"{At(r, "metadata", "namespace")}/{At(r, "metadata", "name")}").Order(StringComparer.Ordinal));
        Assert.Equal(2, Kind(mocks, EnvoyGatewayChart.GatewayApiVersion, "GRPCRoute").Count);
        Assert.Equal(2, Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "SecurityPolicy").Count);
        var limit = Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "BackendTrafficPolicy").Single(p => (string?)At(p, "metadata", "namespace") == "chat");
        var rule = Map(List(At(limit, "spec", "rateLimit", "local", "rules"))[0]);
        Assert.Equal((600.0, "Second"), ((double)Map(rule["limit"])["requests"], (string)Map(rule["limit"])["unit"]));
        Assert.Empty(Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "Backend"));
        Assert.Equal("https://llama-8b-chat.inference.example.com", (await PulumiTest.ValueAsync(gateway!.Endpoints))["llama-8b-chat"]);
        Assert.Equal("v1.9.0", await PulumiTest.ValueAsync(gateway.ChartVersion));
    }

    [Fact]
    public async Task Each_tenant_gets_a_generated_key_in_the_Secret_its_SecurityPolicy_reads_and_the_keys_are_a_secret_output()
    {
        InferenceGateway? gateway = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => gateway = new InferenceGateway("dc1-gateway", Args()));
        Assert.Equal(2, mocks.OfType("random:index/randomPassword:RandomPassword").Count);
        var secrets = mocks.OfType("kubernetes:core/v1:Secret");
        foreach (var tenant in new[] { "chat", "search" })
        {
            var secret = Assert.Single(secrets, s => (string?)At(s, "metadata", "namespace") == tenant);
            Assert.Equal(($"{tenant}-gateway-api-key", "Opaque"), ((string)At(secret, "metadata", "name")!, (string)secret.Inputs["type"]));
            Assert.Equal("mockrandom0", Map(secret.Inputs["stringData"])[tenant]); // the client id is the tenant
            var policy = Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "SecurityPolicy").Single(p => (string?)At(p, "metadata", "namespace") == tenant);
            Assert.Equal($"{tenant}-gateway-api-key", At(Map(List(At(policy, "spec", "apiKeyAuth", "credentialRefs"))[0]), "name"));
        }

        // The key is in no other input than its Secret's.
        Assert.All(mocks.Resources.Where(r => r.Type != "kubernetes:core/v1:Secret" && r.Type != "random:index/randomPassword:RandomPassword"),
            r => Assert.DoesNotContain("mockrandom0", System.Text.Json.JsonSerializer.Serialize(r.Inputs), StringComparison.Ordinal));
        Assert.True(await Output.IsSecretAsync(gateway!.ApiKeys));
        Assert.Equal(["chat", "search"], (await PulumiTest.ValueAsync(gateway.ApiKeys)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_hybrid_route_weights_the_on_prem_Service_and_the_burst_endpoint_as_FQDN_backends()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new InferenceGateway("dc1-gateway", Args(Hybrid)));
        var backends = Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "Backend").ToDictionary(b => (string)At(b, "metadata", "name")!);
        Assert.Equal(["llama-8b-chat-burst", "llama-8b-chat-primary"], backends.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(BurstAddress, At(Map(List(At(backends["llama-8b-chat-burst"], "spec", "endpoints"))[0]), "fqdn", "hostname"));
        Assert.Equal("llama-8b-chat.chat.svc.cluster.local", At(Map(List(At(backends["llama-8b-chat-primary"], "spec", "endpoints"))[0]), "fqdn", "hostname"));
        var route = Kind(mocks, EnvoyGatewayChart.GatewayApiVersion, "HTTPRoute").Single(r => (string?)At(r, "metadata", "name") == "llama-8b-chat");
        var refs = List(Map(List(At(route, "spec", "rules"))[0])["backendRefs"]).Select(Map).ToList();
        Assert.Equal([("llama-8b-chat-primary", 36.0), ("llama-8b-chat-burst", 48.0)], refs.Select(r => ((string)r["name"], (double)r["weight"])));
        var policy = Kind(mocks, EnvoyGatewayChart.PolicyApiVersion, "BackendTrafficPolicy").Single(p => (string?)At(p, "metadata", "namespace") == "chat");
        Assert.Equal(0.0, At(policy, "spec", "healthCheck", "panicThreshold"));
    }

    [Fact]
    public async Task Invalid_args_list_every_problem_and_register_nothing()
    {
        var (ex, mocks) = await GpuNodePoolTests.RunFailing(() => _ = new InferenceGateway("dc1-gateway", Args(a =>
        {
            a.Hostname = "Not A Host";
            a.Tenants[0].Unit = "Fortnight";
            a.Routes[0].Burst = new GatewayBurstArgs { Name = "llama-8b-chat-burst", Weight = 1, PrimaryWeight = 1 };
        })));
        Assert.Contains("InferenceGatewayArgs.Hostname: ", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("InferenceGatewayArgs.Tenants[0].Unit: \"Fortnight\" is not allowed", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("InferenceGatewayArgs.Routes[0].Burst.Address: is required", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(mocks.Resources);
        Assert.Throws<ComponentArgsException>(() => new InferenceGateway("x", null!));
    }
}
