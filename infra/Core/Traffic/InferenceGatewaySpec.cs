using System.Collections.Immutable;
using NeoCloud.Infra.Core.Charts;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;

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

    /// <summary>The Helm release name of the controller (the name of the docs' <c>helm install eg ...</c>).</summary>
    public const string ReleaseName = "eg";

    /// <summary>The GatewayClass controller name Envoy Gateway reconciles (values.tmpl.yaml <c>config.envoyGateway.gateway.controllerName</c>).</summary>
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

    /// <summary>Labels of the controller pod (templates/envoy-gateway-deployment.yaml: <c>control-plane: envoy-gateway</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, string> ControllerPodLabels =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("control-plane", "envoy-gateway")]);

    /// <summary>API version of SecurityPolicy, BackendTrafficPolicy, Backend and EnvoyProxy (api/v1alpha1).</summary>
    public const string PolicyApiVersion = "gateway.envoyproxy.io/v1alpha1";

    /// <summary>API version of GatewayClass, Gateway, HTTPRoute and GRPCRoute (Gateway API standard channel, v1).</summary>
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

    /// <summary>The cluster DNS domain Services resolve under (the chart's <c>kubernetesClusterDomain</c> default).</summary>
    public const string ClusterDomain = "cluster.local";

    /// <summary>
    /// The chart's values: the controller (<c>deployment.pod.nodeSelector</c>) and the certgen Job
    /// (<c>certgen.job.nodeSelector</c>) on the system pool, and the <c>Backend</c> API switched on
    /// (<c>config.envoyGateway.extensionApis.enableBackend</c>, api/v1alpha1/envoygateway_types.go <c>ExtensionAPISettings</c>;
    /// off by default: values.tmpl.yaml <c>extensionApis: {}</c>), which the hybrid split's FQDN backends need.
    /// </summary>
    /// <param name="systemNodeSelector">The cluster's system-pool selector, or empty (the chart's placement).</param>
    public static ImmutableSortedDictionary<string, object> Values(IReadOnlyDictionary<string, string> systemNodeSelector)
    {
        ArgumentNullException.ThrowIfNull(systemNodeSelector);
        var values = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        values["config"] = Map(("envoyGateway", Map(("extensionApis", Map(("enableBackend", true))))));
        if (SystemAddonPlacement.ChartValue(systemNodeSelector) is { } selector)
        {
            values["deployment"] = Map(("pod", Map(("nodeSelector", selector))));
            values["certgen"] = Map(("job", Map(("nodeSelector", selector))));
        }

        return values.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, object> Map(params (string Key, object Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}

/// <summary>One deployment behind the gateway: its Service in its tenant namespace and the hostname clients call.</summary>
/// <param name="Name">Deployment (and Service) name.</param>
/// <param name="Tenant">Tenant = namespace of the Service and of its routes.</param>
/// <param name="Hostname">Hostname the HTTPRoute matches, e.g. <c>llama-8b-chat.inference.example.com</c>; the GRPCRoute matches <c>&lt;name&gt;-grpc.&lt;domain&gt;</c> (<see cref="InferenceGatewayPlanner.GrpcHostname"/>).</param>
/// <param name="HttpPort">The Service's HTTP port (Triton and vLLM 8000).</param>
/// <param name="GrpcPort">The Service's gRPC port (Triton 8001), or null for no GRPCRoute (vLLM has none).</param>
public sealed record GatewayRouteSpec(string Name, string Tenant, string Hostname, int HttpPort, int? GrpcPort)
{
    /// <summary>The hybrid overflow of this route to a burst deployment, or null (the Service only).</summary>
    public GatewayBurstSpec? Burst { get; init; }
}

/// <summary>
/// The burst side of a hybrid route: the burst deployment's internal endpoint (an internal NLB over the private link,
/// whose address another resource produces) as a second weighted backend of the HTTPRoute's rule. It takes traffic
/// only while healthy: see the Traffic README ("Hybrid traffic split").
/// </summary>
/// <param name="Name">The burst deployment's name (<c>&lt;deployment&gt;-burst</c>): the Backend is <c>&lt;Name&gt;</c>.</param>
/// <param name="Port">The internal endpoint's HTTP port.</param>
/// <param name="Weight">The burst backend's weight (its maximum replicas).</param>
/// <param name="PrimaryWeight">The on-prem backend's weight (its maximum replicas).</param>
public sealed record GatewayBurstSpec(string Name, int Port, int Weight, int PrimaryWeight)
{
    /// <summary>True when the internal endpoint's address (a DNS name, another resource's output) is given.</summary>
    public bool AddressSet { get; init; }
}

/// <summary>A tenant's access through the gateway: its API-key Secret and its rate limit over all its routes.</summary>
/// <param name="Tenant">Tenant name.</param>
/// <param name="ApiKeySecret">Name of the Secret in the tenant namespace holding the tenant's API key under the key <see cref="Tenant"/> (the client id).</param>
/// <param name="Requests">Requests allowed per <paramref name="Unit"/> across the tenant's routes (one shared bucket per Envoy replica: a local rate limit).</param>
/// <param name="Unit">One of <see cref="EnvoyGatewayChart.RateLimitUnits"/>.</param>
public sealed record GatewayTenantSpec(string Tenant, string ApiKeySecret, int Requests, string Unit)
{
    /// <summary>The Secret name a tenant's API key is kept in when nothing else is said.</summary>
    public static string DefaultApiKeySecret(string tenant) => $"{tenant}-gateway-api-key";
}

/// <summary>
/// The inference gateway of one serving cluster: one Gateway (HTTPS on 443, TLS from a Secret such as cert-manager
/// writes), a route per deployment, and per tenant a SecurityPolicy (API keys) and a BackendTrafficPolicy (rate limit).
/// </summary>
/// <param name="Ownership">Environment, cost center and extra tags (labels of every object).</param>
/// <param name="GatewayName">Gateway name.</param>
/// <param name="Namespace">Namespace of the Gateway (its TLS Secret lives here).</param>
/// <param name="TlsSecretName">The kubernetes.io/tls Secret the HTTPS listener serves (provided, or cert-manager's).</param>
/// <param name="Hostname">The listener hostname, e.g. <c>*.inference.example.com</c>.</param>
/// <param name="Routes">One entry per deployment.</param>
/// <param name="Tenants">One entry per tenant with routes.</param>
public sealed record InferenceGatewaySpec(
    OwnershipSpec Ownership,
    string GatewayName,
    string Namespace,
    string TlsSecretName,
    string Hostname,
    ImmutableArray<GatewayRouteSpec> Routes,
    ImmutableArray<GatewayTenantSpec> Tenants)
{
    /// <summary>Node selector of the controller and the Envoy proxies (the system pool); empty: the chart's placement.</summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Envoy proxy replicas (the EnvoyProxy's <c>envoyDeployment.replicas</c>). Defaults to 2.</summary>
    public int ProxyReplicas { get; init; } = 2;
}
