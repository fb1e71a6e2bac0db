using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Traffic;

/// <summary>
/// The objects of an inference gateway, as Kubernetes JSON: the GatewayClass and its EnvoyProxy, the Gateway, per
/// deployment an HTTPRoute (and a GRPCRoute), the Backends of hybrid routes, per tenant a SecurityPolicy and a
/// BackendTrafficPolicy. Fields checked against kubernetes-sigs Gateway API v1 as bundled by envoyproxy/gateway v1.9.0
/// and its api/v1alpha1 (securitypolicy_types.go / api_key_auth_types.go <c>apiKeyAuth</c>: <c>credentialRefs</c>,
/// <c>extractFrom[].headers</c>, <c>forwardClientIDHeader</c>, <c>sanitize</c>; backendtrafficpolicy_types.go
/// <c>rateLimit.local.rules[].limit.{requests,unit}</c>, <c>shared</c>, and the inlined ClusterSettings
/// (shared_types.go) <c>healthCheck</c> (healthcheck_types.go); backend_types.go <c>endpoints[].fqdn.{hostname,port}</c>;
/// envoyproxy_types.go <c>provider.kubernetes.envoyDeployment</c>; policy_helpers.go <c>targetRefs</c>).
/// </summary>
/// <param name="GatewayClass">The GatewayClass (cluster-scoped), parameterised by <paramref name="Proxy"/>.</param>
/// <param name="Proxy">The EnvoyProxy: replicas and placement of the Envoy pods.</param>
/// <param name="Gateway">The Gateway.</param>
/// <param name="Routes">HTTPRoutes and GRPCRoutes, in their tenant namespaces.</param>
/// <param name="Backends">The on-prem (primary) Backends of hybrid routes; their burst Backends need the endpoint's address (<see cref="InferenceGatewayPlanner.BurstBackend"/>).</param>
/// <param name="Policies">SecurityPolicies and BackendTrafficPolicies, in their tenant namespaces.</param>
/// <param name="ProxyPodLabels">Labels of the Envoy pods that carry the traffic (in <see cref="EnvoyGatewayChart.Namespace"/>).</param>
/// <param name="ChartValues">The Envoy Gateway chart's values (<see cref="EnvoyGatewayChart.Values"/>).</param>
public sealed record InferenceGatewayPlan(
    JsonObject GatewayClass,
    JsonObject Proxy,
    JsonObject Gateway,
    ImmutableArray<JsonObject> Routes,
    ImmutableArray<JsonObject> Backends,
    ImmutableArray<JsonObject> Policies,
    ImmutableSortedDictionary<string, string> ProxyPodLabels,
    ImmutableSortedDictionary<string, object> ChartValues)
{
    /// <summary>The GatewayClass name the Gateway uses (created with the chart's controller name).</summary>
    public const string GatewayClassName = "envoy-gateway";

    /// <summary>The name of the Gateway every serving cluster gets.</summary>
    public const string DefaultGatewayName = "inference";

    /// <summary>Every object of the plan except the burst Backends, in creation order.</summary>
    public IEnumerable<JsonObject> Objects() => [GatewayClass, Proxy, Gateway, .. Routes, .. Backends, .. Policies];
}

/// <summary>Validates and plans an <see cref="InferenceGatewaySpec"/>.</summary>
public static partial class InferenceGatewayPlanner
{
    /// <summary>Largest backendRef weight accepted (Gateway API <c>BackendRef.weight</c> maximum 1000000).</summary>
    public const int MaxWeight = 1_000_000;

    /// <summary>
    /// The active health check of hybrid routes (healthcheck_types.go): a TCP connect every 5 s (1 s timeout), unhealthy
    /// after 2 failures, healthy after 1 success. A connect-only check suffices because both backends are Services behind
    /// which kube-proxy forwards only to Ready pods: it succeeds exactly when a Ready replica exists.
    /// </summary>
    public static readonly (string Interval, string Timeout, int Unhealthy, int Healthy) HealthCheck = ("5s", "1s", 2, 1);

    /// <summary>Every problem, with its property path.</summary>
    public static ImmutableArray<SpecProblem> Validate(InferenceGatewaySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership ?? new OwnershipSpec(string.Empty, string.Empty)));
        problems.Require(KubernetesNames.IsDnsLabel(spec.GatewayName), "GatewayName", $"\"{spec.GatewayName}\" is not {KubernetesNames.DnsLabelRule}");
        problems.Require(KubernetesNames.IsDnsLabel(spec.Namespace), "Namespace", $"\"{spec.Namespace}\" is not {KubernetesNames.DnsLabelRule}");
        problems.Require(KubernetesNames.IsDnsLabel(spec.TlsSecretName), "TlsSecretName", $"\"{spec.TlsSecretName}\" is not {KubernetesNames.DnsLabelRule}");
        var listenerOk = problems.Require(Hostname().IsMatch(spec.Hostname ?? string.Empty) && spec.Hostname!.Length <= 253, "Hostname", $"\"{spec.Hostname}\" is not a DNS name of at most 253 characters (lower-case labels, a leading \"*.\" allowed)");
        problems.AddRange(SystemAddonPlacement.SelectorProblems(spec.SystemNodeSelector));
        problems.Require(spec.ProxyReplicas is >= 1 and <= 20, "ProxyReplicas", $"{spec.ProxyReplicas} is not between 1 and 20");
        var tenants = spec.Tenants.IsDefault ? [] : spec.Tenants;
        var routes = spec.Routes.IsDefault ? [] : spec.Routes;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < routes.Length; i++)
        {
            var r = routes[i];
            problems.Require(KubernetesNames.IsDnsLabel(r.Name) && r.Name.Length <= 58, $"Routes[{i}].Name", $"\"{r.Name}\" is not {KubernetesNames.DnsLabelRule} of at most 58 characters (its GRPCRoute hostname label adds \"-grpc\")");
            problems.Require(names.Add($"{r.Tenant}/{r.Name}"), $"Routes[{i}].Name", $"duplicate route \"{r.Tenant}/{r.Name}\"");
            problems.Require(tenants.Any(t => t.Tenant == r.Tenant), $"Routes[{i}].Tenant", $"tenant \"{r.Tenant}\" has no entry in Tenants (its API key and rate limit)");
            // Against a valid listener hostname only: a broken listener is one mistake, not one per route.
            if (listenerOk && problems.Require(Hostname().IsMatch(r.Hostname ?? string.Empty) && !r.Hostname!.StartsWith('*') && r.Hostname.Length <= 253, $"Routes[{i}].Hostname", $"\"{r.Hostname}\" is not a DNS name of at most 253 characters"))
            {
                problems.Require(Matches(spec.Hostname!, r.Hostname!), $"Routes[{i}].Hostname", $"\"{r.Hostname}\" is not served by the listener hostname \"{spec.Hostname}\"");
            }

            problems.Require(r.HttpPort is >= 1 and <= 65535, $"Routes[{i}].HttpPort", $"{r.HttpPort} is not a port between 1 and 65535");
            problems.Require(r.GrpcPort is null or (>= 1 and <= 65535), $"Routes[{i}].GrpcPort", $"{r.GrpcPort} is not a port between 1 and 65535");
            if (r.Burst is { } b)
            {
                var at = $"Routes[{i}].Burst";
                problems.Require(KubernetesNames.IsDnsLabel(b.Name) && b.Name != r.Name, $"{at}.Name", $"\"{b.Name}\" is not {KubernetesNames.DnsLabelRule} other than the route's name");
                problems.Require(b.Port is >= 1 and <= 65535, $"{at}.Port", $"{b.Port} is not a port between 1 and 65535");
                problems.Require(b.Weight is >= 1 and <= MaxWeight, $"{at}.Weight", $"{b.Weight} is not a weight between 1 and {MaxWeight}");
                problems.Require(b.PrimaryWeight is >= 1 and <= MaxWeight, $"{at}.PrimaryWeight", $"{b.PrimaryWeight} is not a weight between 1 and {MaxWeight}");
                problems.Require(b.AddressSet, $"{at}.Address", "is required: the DNS name of the burst deployment's internal endpoint");
            }
        }

        var tenantNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tenants.Length; i++)
        {
            var t = tenants[i];
            problems.Require(KubernetesNames.IsDnsLabel(t.Tenant), $"Tenants[{i}].Tenant", $"\"{t.Tenant}\" is not {KubernetesNames.DnsLabelRule}");
            problems.Require(tenantNames.Add(t.Tenant ?? string.Empty), $"Tenants[{i}].Tenant", $"duplicate tenant \"{t.Tenant}\"");
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
        var gatewayLabels = Labels(spec, "gateway", null);
        var proxyName = $"{spec.GatewayName}-proxy";
        var gatewayClass = new JsonObject
        {
            ["apiVersion"] = EnvoyGatewayChart.GatewayApiVersion,
            ["kind"] = "GatewayClass",
            ["metadata"] = new JsonObject { ["name"] = InferenceGatewayPlan.GatewayClassName, ["labels"] = gatewayLabels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["controllerName"] = EnvoyGatewayChart.ControllerName,
                // The EnvoyProxy below sizes and places the Envoy pods of every Gateway of this class.
                ["parametersRef"] = new JsonObject { ["group"] = "gateway.envoyproxy.io", ["kind"] = "EnvoyProxy", ["name"] = proxyName, ["namespace"] = EnvoyGatewayChart.Namespace },
            },
        };
        var pod = new JsonObject();
        if (spec.SystemNodeSelector.Count > 0)
        {
            pod["nodeSelector"] = new JsonObject([.. spec.SystemNodeSelector.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        }

        var deployment = new JsonObject { ["replicas"] = spec.ProxyReplicas };
        if (pod.Count > 0)
        {
            deployment["pod"] = pod;
        }

        var proxy = new JsonObject
        {
            ["apiVersion"] = EnvoyGatewayChart.PolicyApiVersion,
            ["kind"] = "EnvoyProxy",
            ["metadata"] = new JsonObject { ["name"] = proxyName, ["namespace"] = EnvoyGatewayChart.Namespace, ["labels"] = gatewayLabels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["provider"] = new JsonObject { ["type"] = "Kubernetes", ["kubernetes"] = new JsonObject { ["envoyDeployment"] = deployment } },
            },
        };
        var gateway = new JsonObject
        {
            ["apiVersion"] = EnvoyGatewayChart.GatewayApiVersion,
            ["kind"] = "Gateway",
            ["metadata"] = new JsonObject { ["name"] = spec.GatewayName, ["namespace"] = spec.Namespace, ["labels"] = gatewayLabels.DeepClone() },
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
        var backends = ImmutableArray.CreateBuilder<JsonObject>();
        foreach (var r in spec.Routes)
        {
            routes.Add(Route("HTTPRoute", r, r.HttpPort, spec));
            if (r.GrpcPort is { } grpc)
            {
                routes.Add(Route("GRPCRoute", r, grpc, spec));
            }

            if (r.Burst is not null)
            {
                // The on-prem side of the split as an FQDN Backend too: a Service backendRef (IP endpoints) next to an FQDN
                // Backend is "mixed endpoints" (internal/ir/xds.go HasMixedEndpoints), which puts each backendRef in its own
                // cluster behind a route-level weighted_clusters split that ignores health. Two FQDN Backends stay one
                // cluster with one weighted locality each (internal/xds/translator/cluster.go buildWeightedLocalities).
                backends.Add(Backend(spec, r.Name + PrimarySuffix, r.Tenant, $"{r.Name}.{r.Tenant}.svc.{EnvoyGatewayChart.ClusterDomain}", r.HttpPort));
            }
        }

        var policies = ImmutableArray.CreateBuilder<JsonObject>();
        foreach (var t in spec.Tenants)
        {
            var tenantRoutes = spec.Routes.Where(r => r.Tenant == t.Tenant).ToList();
            var targets = new JsonArray([.. tenantRoutes.SelectMany(r => (r.GrpcPort is null ? ["HTTPRoute"] : new[] { "HTTPRoute", "GRPCRoute" })
                .Select(kind => (JsonNode)new JsonObject { ["group"] = "gateway.networking.k8s.io", ["kind"] = kind, ["name"] = RouteName(kind, r) }))]);
            var labels = Labels(spec, "policy", t.Tenant);
            policies.Add(new JsonObject
            {
                ["apiVersion"] = EnvoyGatewayChart.PolicyApiVersion,
                ["kind"] = "SecurityPolicy",
                ["metadata"] = new JsonObject { ["name"] = $"{t.Tenant}-api-keys", ["namespace"] = t.Tenant, ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject
                {
                    ["targetRefs"] = targets.DeepClone(),
                    ["apiKeyAuth"] = new JsonObject
                    {
                        ["credentialRefs"] = new JsonArray(new JsonObject { ["kind"] = "Secret", ["name"] = t.ApiKeySecret }),
                        ["extractFrom"] = new JsonArray(new JsonObject { ["headers"] = new JsonArray(EnvoyGatewayChart.ApiKeyHeader) }),
                        ["forwardClientIDHeader"] = EnvoyGatewayChart.ClientIdHeader,
                        // The key stops at the gateway: the model server never sees it.
                        ["sanitize"] = true,
                    },
                },
            });
            var traffic = new JsonObject
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
            };
            if (tenantRoutes.Any(r => r.Burst is not null))
            {
                // Hybrid: a backend takes traffic only while its health check passes; panic mode (balancing over unhealthy
                // hosts below 50 % healthy) is off, so an empty burst side never receives requests.
                traffic["healthCheck"] = new JsonObject
                {
                    ["active"] = new JsonObject
                    {
                        ["type"] = "TCP",
                        ["tcp"] = new JsonObject(),
                        ["interval"] = HealthCheck.Interval,
                        ["timeout"] = HealthCheck.Timeout,
                        ["unhealthyThreshold"] = HealthCheck.Unhealthy,
                        ["healthyThreshold"] = HealthCheck.Healthy,
                    },
                    ["panicThreshold"] = 0,
                };
            }

            policies.Add(new JsonObject
            {
                ["apiVersion"] = EnvoyGatewayChart.PolicyApiVersion,
                ["kind"] = "BackendTrafficPolicy",
                ["metadata"] = new JsonObject { ["name"] = $"{t.Tenant}-traffic", ["namespace"] = t.Tenant, ["labels"] = labels.DeepClone() },
                ["spec"] = traffic,
            });
        }

        return new InferenceGatewayPlan(gatewayClass, proxy, gateway, routes.ToImmutable(), backends.ToImmutable(), policies.ToImmutable(),
            EnvoyGatewayChart.ProxyPodLabels(spec.GatewayName, spec.Namespace), EnvoyGatewayChart.Values(spec.SystemNodeSelector));
    }

    /// <summary>The suffix of a hybrid route's on-prem Backend (<c>&lt;deployment&gt;-primary</c>).</summary>
    public const string PrimarySuffix = "-primary";

    /// <summary>
    /// The burst Backend of hybrid route <paramref name="route"/>: the internal endpoint's DNS name
    /// (<paramref name="hostname"/>, known once AWS created the load balancer) on the burst port.
    /// </summary>
    public static JsonObject BurstBackend(InferenceGatewaySpec spec, GatewayRouteSpec route, string hostname)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(route);
        var burst = route.Burst ?? throw new ArgumentException($"route \"{route.Name}\" has no burst backend", nameof(route));
        // The CRD's pattern of fqdn.hostname (backend_types.go FQDNEndpoint); an address literal resolves to itself.
        if (hostname is not { Length: > 0 and <= 253 } || !FqdnHostname().IsMatch(hostname))
        {
            throw new ArgumentException($"\"{hostname}\" is not the DNS name of route \"{route.Name}\"'s burst endpoint", nameof(hostname));
        }

        return Backend(spec, burst.Name, route.Tenant, hostname, burst.Port);
    }

    /// <summary>The name of a deployment's route of <paramref name="kind"/>.</summary>
    public static string RouteName(string kind, GatewayRouteSpec route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return kind == "GRPCRoute" ? route.Name + "-grpc" : route.Name;
    }

    /// <summary>
    /// The GRPCRoute's hostname: <c>&lt;name&gt;-grpc.&lt;domain&gt;</c>. An HTTPRoute and a GRPCRoute with one hostname on one
    /// listener conflict (Gateway API GEP-1016), so gRPC clients call their own name.
    /// </summary>
    public static string GrpcHostname(GatewayRouteSpec route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var dot = route.Hostname.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? route.Hostname + "-grpc" : route.Hostname[..dot] + "-grpc" + route.Hostname[dot..];
    }

    /// <summary>The NetworkPolicy peer a tenant admits so the gateway's Envoy pods reach its Services.</summary>
    public static PolicyPeer TenantIngressPeer(InferenceGatewayPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return TenantIngressPeer(plan.ProxyPodLabels);
    }

    /// <summary>The NetworkPolicy peer of the Envoy pods with <paramref name="proxyPodLabels"/> in <see cref="EnvoyGatewayChart.Namespace"/>.</summary>
    public static PolicyPeer TenantIngressPeer(ImmutableSortedDictionary<string, string> proxyPodLabels)
    {
        ArgumentNullException.ThrowIfNull(proxyPodLabels);
        return new PolicyPeer(
            ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal).Add(TenantPlan.NamespaceNameLabel, EnvoyGatewayChart.Namespace),
            proxyPodLabels,
            null);
    }

    /// <summary>Whether listener hostname <paramref name="listener"/> (exact, or <c>*.</c> suffix) serves <paramref name="host"/>.</summary>
    public static bool Matches(string listener, string host)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(host);
        return listener.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(listener[1..], StringComparison.Ordinal) && host.Length > listener.Length - 1
            : host == listener;
    }

    private static JsonObject Labels(InferenceGatewaySpec spec, string component, string? tenant)
    {
        var labels = spec.Ownership.Tags.SetItems(ResourceLabels.For("envoy-gateway", spec.GatewayName, component, spec.Ownership.Environment, spec.Ownership.CostCenter, tenant));
        return new JsonObject([.. labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
    }

    private static JsonObject Backend(InferenceGatewaySpec spec, string name, string tenant, string hostname, int port) => new()
    {
        ["apiVersion"] = EnvoyGatewayChart.PolicyApiVersion,
        ["kind"] = "Backend",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = tenant, ["labels"] = Labels(spec, "backend", tenant) },
        ["spec"] = new JsonObject
        {
            ["endpoints"] = new JsonArray(new JsonObject { ["fqdn"] = new JsonObject { ["hostname"] = hostname, ["port"] = port } }),
        },
    };

    private static JsonObject Route(string kind, GatewayRouteSpec r, int port, InferenceGatewaySpec spec)
    {
        JsonArray backendRefs = r.Burst is { } burst && kind == "HTTPRoute"
            // Hybrid: both sides weighted in one rule; each side's effective weight is scaled by its health (README).
            ? new JsonArray(
                new JsonObject { ["group"] = "gateway.envoyproxy.io", ["kind"] = "Backend", ["name"] = r.Name + PrimarySuffix, ["weight"] = burst.PrimaryWeight },
                new JsonObject { ["group"] = "gateway.envoyproxy.io", ["kind"] = "Backend", ["name"] = burst.Name, ["weight"] = burst.Weight })
            : new JsonArray(new JsonObject { ["name"] = r.Name, ["port"] = port });
        return new JsonObject
        {
            ["apiVersion"] = EnvoyGatewayChart.GatewayApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = RouteName(kind, r), ["namespace"] = r.Tenant, ["labels"] = Labels(spec, "route", r.Tenant) },
            ["spec"] = new JsonObject
            {
                ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = spec.GatewayName, ["namespace"] = spec.Namespace, ["sectionName"] = "https" }),
                ["hostnames"] = new JsonArray(kind == "HTTPRoute" ? r.Hostname : GrpcHostname(r)),
                ["rules"] = new JsonArray(kind == "HTTPRoute"
                    // Every path to the one Service: Triton's /v2/models/... and, for vLLM-backed models, the OpenAI-compatible /v1/....
                    ? new JsonObject
                    {
                        ["matches"] = new JsonArray(new JsonObject { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/" } }),
                        ["backendRefs"] = backendRefs,
                    }
                    : new JsonObject { ["backendRefs"] = backendRefs }),
            },
        };
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex FqdnHostname();

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hostname();
}
