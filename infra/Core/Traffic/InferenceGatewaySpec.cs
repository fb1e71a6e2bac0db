using System.Collections.Immutable;
using NeoCloud.Infra.Core.Charts;

namespace NeoCloud.Infra.Core.Traffic;

/// <summary>
/// Envoy Gateway, the Gateway API implementation the inference gateway uses: its official chart (OCI, pinned) and the
/// upstream facts the plan relies on, each checked against envoyproxy/gateway at tag v1.9.0.
/// </summary>
public static class EnvoyGatewayChart
{
    /// <summary>
    /// The chart: <c>oci://docker.io/envoyproxy/gateway-helm</c>, version <c>v1.9.0</c> (the install command of
    /// site/content/en/v1.9 docs; the chart bundles the Gateway API and Envoy Gateway CRDs as its <c>crds</c> subchart,
    /// charts/gateway-helm/charts/crds, enabled by <c>crds.enabled</c>).
    /// </summary>
    public static HelmChartPin Pin { get; } = new("oci://docker.io/envoyproxy", "gateway-helm", "v1.9.0");

    /// <summary>The controller's namespace (the chart's documented install namespace); Envoy proxies run here by default.</summary>
    public const string Namespace = "envoy-gateway-system";

    /// <summary>The GatewayClass controller name Envoy Gateway reconciles.</summary>
    public const string ControllerName = "gateway.envoyproxy.io/gatewayclass-controller";

    /// <summary>
    /// Labels of the Envoy proxy pods (internal/infrastructure/kubernetes/proxy/resource.go: <c>app.kubernetes.io/name: envoy</c>,
    /// <c>component: proxy</c>, <c>managed-by: envoy-gateway</c>; internal/gatewayapi/translator.go: the owning gateway's
    /// name and namespace labels). Tenant NetworkPolicies admit these pods.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> ProxyPodLabels(string gatewayName, string gatewayNamespace) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        [
            new KeyValuePair<string, string>("app.kubernetes.io/name", "envoy"),
            new("app.kubernetes.io/component", "proxy"),
            new("app.kubernetes.io/managed-by", "envoy-gateway"),
            new("gateway.envoyproxy.io/owning-gateway-name", gatewayName),
            new("gateway.envoyproxy.io/owning-gateway-namespace", gatewayNamespace),
        ]);

    /// <summary>API version of SecurityPolicy and BackendTrafficPolicy (api/v1alpha1).</summary>
    public const string PolicyApiVersion = "gateway.envoyproxy.io/v1alpha1";

    /// <summary>API version of Gateway, HTTPRoute and GRPCRoute (Gateway API standard channel, v1).</summary>
    public const string GatewayApiVersion = "gateway.networking.k8s.io/v1";

    /// <summary>
    /// The header the gateway forwards the authenticated client id in (<c>apiKeyAuth.forwardClientIDHeader</c>). Each key of the
    /// Opaque API-key Secret is a client id (api/v1alpha1/api_key_auth_types.go); ours is the tenant name.
    /// </summary>
    public const string ClientIdHeader = "x-neocloud-tenant";

    /// <summary>The header clients send their API key in.</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>Rate-limit units (api/v1alpha1/ratelimit_types.go, <c>RateLimitUnit</c> enum).</summary>
    public static readonly ImmutableArray<string> RateLimitUnits = ["Second", "Minute", "Hour", "Day", "Week", "Month", "Year"];
}

/// <summary>Which protocol a deployment speaks behind the gateway.</summary>
public enum InferenceProtocol
{
    /// <summary>Triton's HTTP (KServe v2, <c>/v2/models/…</c>) and, for vLLM-backed models, the OpenAI-compatible <c>/v1/…</c> paths: an HTTPRoute.</summary>
    Http,

    /// <summary>Triton's gRPC (KServe v2 <c>inference.GRPCInferenceService</c>): a GRPCRoute.</summary>
    Grpc,
}

/// <summary>One deployment behind the gateway: its Service in its tenant namespace and the hostname clients call.</summary>
/// <param name="Name">Deployment (and Service) name.</param>
/// <param name="Tenant">Tenant = namespace of the Service and of its routes.</param>
/// <param name="Hostname">Hostname the routes match, e.g. <c>llama-8b-chat.inference.example.com</c>.</param>
/// <param name="HttpPort">The Service's HTTP port (Triton 8000).</param>
/// <param name="GrpcPort">The Service's gRPC port (Triton 8001), or null for no GRPCRoute.</param>
public sealed record GatewayRouteSpec(string Name, string Tenant, string Hostname, int HttpPort, int? GrpcPort);

/// <summary>A tenant's access through the gateway: its API-key Secret and its rate limit over all its routes.</summary>
/// <param name="Tenant">Tenant name.</param>
/// <param name="ApiKeySecret">Name of the Secret in the tenant namespace holding the tenant's API key under the key <see cref="Tenant"/> (the client id).</param>
/// <param name="Requests">Requests allowed per <paramref name="Unit"/> across the tenant's routes (one shared bucket per Envoy replica: a local rate limit).</param>
/// <param name="Unit">One of <see cref="EnvoyGatewayChart.RateLimitUnits"/>.</param>
public sealed record GatewayTenantSpec(string Tenant, string ApiKeySecret, int Requests, string Unit);

/// <summary>
/// The inference gateway of one serving cluster: one Gateway (HTTPS on 443, TLS from a Secret such as cert-manager
/// writes), a route per deployment, and per tenant a SecurityPolicy (API keys) and a BackendTrafficPolicy (rate limit).
/// </summary>
/// <param name="GatewayName">Gateway name.</param>
/// <param name="Namespace">Namespace of the Gateway (its TLS Secret lives here).</param>
/// <param name="TlsSecretName">The kubernetes.io/tls Secret the HTTPS listener serves (provided, or cert-manager's).</param>
/// <param name="Hostname">The listener hostname, e.g. <c>*.inference.example.com</c>.</param>
/// <param name="Routes">One entry per deployment.</param>
/// <param name="Tenants">One entry per tenant with routes.</param>
public sealed record InferenceGatewaySpec(
    string GatewayName,
    string Namespace,
    string TlsSecretName,
    string Hostname,
    ImmutableArray<GatewayRouteSpec> Routes,
    ImmutableArray<GatewayTenantSpec> Tenants);
