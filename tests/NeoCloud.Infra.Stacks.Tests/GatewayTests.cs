using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>The inference gateway (issue 16) as each checked-in stack registers it under the mock engine.</summary>
public sealed class GatewayTests
{
    private const string HttpRoute = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
    private const string Backend = "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend";

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public async Task Every_deployment_of_a_gateway_cluster_has_its_route_on_that_clusters_gateway(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var gateway = Assert.Single(env.Gateway!.Clusters);
        var expected = env.Serving.Where(s => env.Pool(s.Pool).Cluster == gateway.Cluster).Select(s => $"{s.Tenant}/{s.Name}").Order(StringComparer.Ordinal);
        var routes = run.Mocks.OfType(HttpRoute);
        Assert.All(routes, r => Assert.Equal(gateway.Cluster, RegisteredManifests.ClusterOf(r, env)));
        Assert.Equal(expected, routes.Select(r => $"{r.Str("metadata", "namespace")}/{r.Str("metadata", "name")}").Order(StringComparer.Ordinal));
        Assert.All(routes, r => Assert.Equal($"{r.Str("metadata", "name")}.{gateway.Domain}", Assert.Single(r.List("spec", "hostnames"))));
    }

    [Theory]
    [InlineData("dev", false)]
    [InlineData("prod", true)]
    [InlineData("cloud", false)]
    public async Task Only_the_hybrid_stack_routes_overflow_to_the_burst_internal_endpoint(string stack, bool hybrid)
    {
        var run = await StackRun.StackAsync(stack);
        var backendRefs = run.Mocks.OfType(HttpRoute)
            .SelectMany(r => r.List("spec", "rules").SelectMany(rule => Inputs.At(rule, "backendRefs") is IEnumerable<object> refs ? refs : [])
                .Select(b => (Route: r.Str("metadata", "name"), Kind: Inputs.At(b, "kind") as string ?? "Service", Name: (string)Inputs.At(b, "name")!, Weight: Inputs.At(b, "weight"))))
            .ToList();
        if (!hybrid)
        {
            Assert.All(backendRefs, b => Assert.Equal("Service", b.Kind));
            Assert.Empty(run.Mocks.OfType(Backend));
            return;
        }

        // prod: llama-8b-chat (the deployment with a burst part) splits between its two FQDN Backends; every other route is its Service.
        Assert.Equal([("llama-8b-chat", "Backend", "llama-8b-chat-primary", (object?)36.0), ("llama-8b-chat", "Backend", "llama-8b-chat-burst", 48.0)],
            backendRefs.Where(b => b.Kind == "Backend"));
        Assert.All(backendRefs.Where(b => b.Route != "llama-8b-chat"), b => Assert.Equal("Service", b.Kind));
        var burst = Assert.Single(run.Mocks.OfType(Backend), b => b.Str("metadata", "name") == "llama-8b-chat-burst");
        // The internal NLB's address (what the mock cloud reports for the LoadBalancer Service llama-8b-chat-burst-internal).
        Assert.Equal(StackMocks.LoadBalancerIp, Inputs.At(burst.List("spec", "endpoints")[0], "fqdn", "hostname"));
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        Assert.Equal("dc1", RegisteredManifests.ClusterOf(burst, env)); // the on-prem gateway's object, in dc1
    }

    [Fact]
    public async Task Tenant_namespaces_admit_the_gateway_on_their_serving_ports_and_the_burst_side_the_link()
    {
        var run = await StackRun.StackAsync("prod");
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));
        var policies = run.Mocks.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy").Where(p => p.Str("metadata", "name") == "allow-gateway")
            .ToDictionary(p => $"{RegisteredManifests.ClusterOf(p, env)}/{p.Str("metadata", "namespace")}");
        Assert.Equal(["burst/chat", "dc1/chat", "dc1/search"], policies.Keys.Order(StringComparer.Ordinal));

        static IEnumerable<double> Ports(Pulumi.Testing.MockResourceArgs p) => p.List("spec", "ingress").SelectMany(r => (IEnumerable<object>)Inputs.At(r, "ports")!).Select(x => (double)Inputs.At(x, "port")!);
        static IEnumerable<object> From(Pulumi.Testing.MockResourceArgs p) => p.List("spec", "ingress").SelectMany(r => (IEnumerable<object>)Inputs.At(r, "from")!);

        Assert.Equal([8000.0, 8001.0], Ports(policies["dc1/chat"]));
        var envoy = Assert.Single(From(policies["dc1/search"]));
        Assert.Equal("envoy-gateway-system", Inputs.At(envoy, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"));
        Assert.Equal("envoy", Inputs.At(envoy, "podSelector", "matchLabels", "app.kubernetes.io/name"));
        Assert.Equal([8000.0], Ports(policies["burst/chat"]));
        Assert.Equal(["10.10.0.0/16", "10.20.0.0/16"], From(policies["burst/chat"]).Select(f => (string)Inputs.At(f, "ipBlock", "cidr")!));
    }

    [Theory]
    [InlineData("dev", "dev")]
    [InlineData("prod", "dc1")]
    [InlineData("cloud", "eks-main")]
    public async Task The_gateway_routes_and_the_tenants_keys_are_stack_outputs(string stack, string cluster)
    {
        var run = await StackRun.StackAsync(stack);
        var endpoints = Assert.IsType<Dictionary<string, object?>>(run.Outputs["endpoints"]);
        var gateway = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<Dictionary<string, object?>>(endpoints["gateway"])[cluster]);
        Assert.Equal(["listener", "routes"], gateway.Keys.Order(StringComparer.Ordinal));
        var keys = Assert.IsType<Dictionary<string, object?>>(run.Outputs["gatewayApiKeys"]);
        var perCluster = Assert.IsAssignableFrom<Pulumi.Output<Dictionary<string, string>>>(keys[cluster]);
        Assert.True(await Pulumi.Output.IsSecretAsync(perCluster));
    }

    [Fact]
    public async Task A_registered_route_with_a_misspelt_field_fails_the_Gateway_API_schema_and_the_original_passes()
    {
        var run = await StackRun.StackAsync("prod");
        var original = RegisteredManifests.Manifest(run.Mocks.OfType(HttpRoute).Single(r => r.Str("metadata", "name") == "llama-8b-chat"));
        var broken = (System.Text.Json.Nodes.JsonObject)original.DeepClone();
        var rule = (System.Text.Json.Nodes.JsonObject)broken["spec"]!["rules"]![0]!;
        rule["backendRef"] = rule["backendRefs"]!.DeepClone();
        rule.Remove("backendRefs");

        var result = CrdSchemaCheck.Run([("broken", broken), ("original", original)]);

        Assert.Contains(result.ProblemsOf("broken"), m => m.Contains("backendRef", StringComparison.Ordinal));
        Assert.Empty(result.ProblemsOf("original"));
        Assert.Contains("original", result.Covered);
    }
}
