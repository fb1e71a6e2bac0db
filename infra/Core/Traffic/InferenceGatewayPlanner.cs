using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Traffic;

/// <summary>
/// The objects of an inference gateway, as Kubernetes JSON: the Gateway, per deployment an HTTPRoute (and a GRPCRoute),
/// per tenant a SecurityPolicy and a BackendTrafficPolicy. Fields checked against kubernetes-sigs Gateway API v1 as bundled
/// by envoyproxy/gateway v1.9.0 and its api/v1alpha1 (securitypolicy_types.go <c>apiKeyAuth</c>:
/// <c>credentialRefs</c>, <c>extractFrom[].headers</c>, <c>forwardClientIDHeader</c>; backendtrafficpolicy_types.go
/// <c>rateLimit.local.rules[].limit.{requests,unit}</c>, <c>shared</c>; policy_helpers.go <c>targetRefs</c>).
/// </summary>
/// <param name="Gateway">The Gateway.</param>
/// <param name="Routes">HTTPRoutes and GRPCRoutes, in their tenant namespaces.</param>
/// <param name="Policies">SecurityPolicies and BackendTrafficPolicies, in their tenant namespaces.</param>
/// <param name="ProxyPodLabels">Labels of the Envoy pods that carry the traffic (in <see cref="EnvoyGatewayChart.Namespace"/>).</param>
public sealed record InferenceGatewayPlan(JsonObject Gateway, ImmutableArray<JsonObject> Routes, ImmutableArray<JsonObject> Policies, ImmutableSortedDictionary<string, string> ProxyPodLabels)
{
    /// <summary>The GatewayClass name the Gateway uses (created with the chart's controller name).</summary>
    public const string GatewayClassName = "envoy-gateway";
}

/// <summary>Validates and plans an <see cref="InferenceGatewaySpec"/>.</summary>
public static partial class InferenceGatewayPlanner
{
    /// <summary>Every problem, with its property path.</summary>
    public static ImmutableArray<SpecProblem> Validate(InferenceGatewaySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.Require(KubernetesNames.IsDnsLabel(spec.GatewayName), "GatewayName", $"\"{spec.GatewayName}\" is not {KubernetesNames.DnsLabelRule}");
        problems.Require(KubernetesNames.IsDnsLabel(spec.Namespace), "Namespace", $"\"{spec.Namespace}\" is not {KubernetesNames.DnsLabelRule}");
        problems.Require(KubernetesNames.IsDnsLabel(spec.TlsSecretName), "TlsSecretName", $"\"{spec.TlsSecretName}\" is not {KubernetesNames.DnsLabelRule}");
        problems.Require(Hostname().IsMatch(spec.Hostname ?? string.Empty), "Hostname", $"\"{spec.Hostname}\" is not a DNS name (a leading \"*.\" allowed)");
        var tenants = spec.Tenants.IsDefault ? [] : spec.Tenants;
        var routes = spec.Routes.IsDefault ? [] : spec.Routes;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < routes.Length; i++)
        {
            var r = routes[i];
            problems.Require(KubernetesNames.IsDnsLabel(r.Name), $"Routes[{i}].Name", $"\"{r.Name}\" is not {KubernetesNames.DnsLabelRule}");
            problems.Require(names.Add($"{r.Tenant}/{r.Name}"), $"Routes[{i}].Name", $"duplicate route \"{r.Tenant}/{r.Name}\"");
            problems.Require(tenants.Any(t => t.Tenant == r.Tenant), $"Routes[{i}].Tenant", $"tenant \"{r.Tenant}\" has no entry in Tenants (its API key and rate limit)");
            problems.Require(Hostname().IsMatch(r.Hostname ?? string.Empty) && !r.Hostname!.StartsWith('*'), $"Routes[{i}].Hostname", $"\"{r.Hostname}\" is not a DNS name");
            problems.Require(r.HttpPort is >= 1 and <= 65535, $"Routes[{i}].HttpPort", $"{r.HttpPort} is not a port between 1 and 65535");
            problems.Require(r.GrpcPort is null or (>= 1 and <= 65535), $"Routes[{i}].GrpcPort", $"{r.GrpcPort} is not a port between 1 and 65535");
        }

        for (var i = 0; i < tenants.Length; i++)
        {
            var t = tenants[i];
            problems.Require(KubernetesNames.IsDnsLabel(t.Tenant), $"Tenants[{i}].Tenant", $"\"{t.Tenant}\" is not {KubernetesNames.DnsLabelRule}");
            problems.Require(KubernetesNames.IsDnsLabel(t.ApiKeySecret), $"Tenants[{i}].ApiKeySecret", $"\"{t.ApiKeySecret}\" is not {KubernetesNames.DnsLabelRule}");
            problems.Require(t.Requests > 0, $"Tenants[{i}].Requests", $"{t.Requests} is not a positive number of requests");
            problems.Require(EnvoyGatewayChart.RateLimitUnits.Contains(t.Unit), $"Tenants[{i}].Unit", $"\"{t.Unit}\" is not allowed; allowed: {string.Join(", ", EnvoyGatewayChart.RateLimitUnits)}");
        }

        return problems.ToImmutable();
    }

    /// <summary>The objects of a valid spec.</summary>
    public static InferenceGatewayPlan Plan(InferenceGatewaySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var gateway = new JsonObject
        {
            ["apiVersion"] = EnvoyGatewayChart.GatewayApiVersion,
            ["kind"] = "Gateway",
            ["metadata"] = new JsonObject { ["name"] = spec.GatewayName, ["namespace"] = spec.Namespace },
            ["spec"] = new JsonObject
            {
                ["gatewayClassName"] = InferenceGatewayPlan.GatewayClassName,
                ["listeners"] = new JsonArray(new JsonObject
                {
                    ["name"] = "https",
                    ["protocol"] = "HTTPS",
                    ["port"] = 443,
                    ["hostname"] = spec.Hostname,
                    ["tls"] = new JsonObject
                    {
                        ["mode"] = "Terminate",
                        ["certificateRefs"] = new JsonArray(new JsonObject { ["kind"] = "Secret", ["name"] = spec.TlsSecretName }),
                    },
                    // Routes attach only from tenant namespaces (every tenant namespace carries neocloud.io/tenant).
                    ["allowedRoutes"] = new JsonObject
                    {
                        ["namespaces"] = new JsonObject
                        {
                            ["from"] = "Selector",
                            ["selector"] = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = ResourceLabels.Tenant, ["operator"] = "Exists" }) },
                        },
                    },
                }),
            },
        };

        var routes = ImmutableArray.CreateBuilder<JsonObject>();
        foreach (var r in spec.Routes)
        {
            routes.Add(Route("HTTPRoute", r, r.HttpPort, spec));
            if (r.GrpcPort is { } grpc)
            {
                routes.Add(Route("GRPCRoute", r, grpc, spec));
            }
        }

        var policies = ImmutableArray.CreateBuilder<JsonObject>();
        foreach (var t in spec.Tenants)
        {
            var targets = new JsonArray([.. spec.Routes.Where(r => r.Tenant == t.Tenant).SelectMany(r => (r.GrpcPort is null ? ["HTTPRoute"] : new[] { "HTTPRoute", "GRPCRoute" })
                .Select(kind => (JsonNode)new JsonObject { ["group"] = "gateway.networking.k8s.io", ["kind"] = kind, ["name"] = RouteName(kind, r) }))]);
            policies.Add(new JsonObject
            {
                ["apiVersion"] = EnvoyGatewayChart.PolicyApiVersion,
                ["kind"] = "SecurityPolicy",
                ["metadata"] = new JsonObject { ["name"] = $"{t.Tenant}-api-keys", ["namespace"] = t.Tenant },
                ["spec"] = new JsonObject
                {
                    ["targetRefs"] = targets.DeepClone(),
                    ["apiKeyAuth"] = new JsonObject
                    {
                        ["credentialRefs"] = new JsonArray(new JsonObject { ["kind"] = "Secret", ["name"] = t.ApiKeySecret }),
                        ["extractFrom"] = new JsonArray(new JsonObject { ["headers"] = new JsonArray(EnvoyGatewayChart.ApiKeyHeader) }),
                        ["forwardClientIDHeader"] = EnvoyGatewayChart.ClientIdHeader,
                    },
                },
            });
            policies.Add(new JsonObject
            {
                ["apiVersion"] = EnvoyGatewayChart.PolicyApiVersion,
                ["kind"] = "BackendTrafficPolicy",
                ["metadata"] = new JsonObject { ["name"] = $"{t.Tenant}-rate-limit", ["namespace"] = t.Tenant },
                ["spec"] = new JsonObject
                {
                    ["targetRefs"] = targets.DeepClone(),
                    ["rateLimit"] = new JsonObject
                    {
                        ["local"] = new JsonObject
                        {
                            // shared: one bucket across the tenant's routes (per Envoy replica), not one per route.
                            ["rules"] = new JsonArray(new JsonObject { ["limit"] = new JsonObject { ["requests"] = t.Requests, ["unit"] = t.Unit }, ["shared"] = true }),
                        },
                    },
                },
            });
        }

        return new InferenceGatewayPlan(gateway, routes.ToImmutable(), policies.ToImmutable(), EnvoyGatewayChart.ProxyPodLabels(spec.GatewayName, spec.Namespace));
    }

    /// <summary>The name of a deployment's route of <paramref name="kind"/>.</summary>
    public static string RouteName(string kind, GatewayRouteSpec route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return kind == "GRPCRoute" ? route.Name + "-grpc" : route.Name;
    }

    /// <summary>The NetworkPolicy peer a tenant admits so the gateway's Envoy pods reach its Services.</summary>
    public static PolicyPeer TenantIngressPeer(InferenceGatewayPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PolicyPeer(
            ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal).Add(TenantPlan.NamespaceNameLabel, EnvoyGatewayChart.Namespace),
            plan.ProxyPodLabels,
            null);
    }

    private static JsonObject Route(string kind, GatewayRouteSpec r, int port, InferenceGatewaySpec spec) => new()
    {
        ["apiVersion"] = EnvoyGatewayChart.GatewayApiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = RouteName(kind, r), ["namespace"] = r.Tenant },
        ["spec"] = new JsonObject
        {
            ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = spec.GatewayName, ["namespace"] = spec.Namespace, ["sectionName"] = "https" }),
            ["hostnames"] = new JsonArray(r.Hostname),
            ["rules"] = new JsonArray(kind == "HTTPRoute"
                // Every path to the one Service: Triton's /v2/models/... and, for vLLM-backed models, the OpenAI-compatible /v1/....
                ? new JsonObject
                {
                    ["matches"] = new JsonArray(new JsonObject { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/" } }),
                    ["backendRefs"] = new JsonArray(new JsonObject { ["name"] = r.Name, ["port"] = port }),
                }
                : new JsonObject { ["backendRefs"] = new JsonArray(new JsonObject { ["name"] = r.Name, ["port"] = port }) }),
        },
    };

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hostname();
}
