using System.Collections.Immutable;
using NeoCloud.Infra.Core.Traffic;
using Pulumi;

namespace NeoCloud.Infra.Components.Traffic;

/// <summary>Inputs of an <see cref="InferenceGateway"/>; validated by Core's <see cref="InferenceGatewayPlanner.Validate"/> before anything is registered.</summary>
public sealed class InferenceGatewayArgs : NeoCloudArgs
{
    /// <summary>The Gateway's name (a DNS label). Defaults to "inference".</summary>
    [Input("gatewayName")]
    public string GatewayName { get; set; } = InferenceGatewayPlan.DefaultGatewayName;

    /// <summary>
    /// Namespace of the Gateway and its TLS Secret (a DNS label). Defaults to "envoy-gateway-system", the controller's
    /// namespace, which the component creates (and this one too when it differs).
    /// </summary>
    [Input("namespace")]
    public string Namespace { get; set; } = EnvoyGatewayChart.Namespace;

    /// <summary>The kubernetes.io/tls Secret in <see cref="Namespace"/> the HTTPS listener serves (provided, or written by cert-manager). Required.</summary>
    [Input("tlsSecretName", required: true)]
    public string TlsSecretName { get; set; } = null!;

    /// <summary>The listener hostname, e.g. <c>*.inference.example.com</c>; every route's hostname must be under it. Required.</summary>
    [Input("hostname", required: true)]
    public string Hostname { get; set; } = null!;

    /// <summary>One entry per deployment (its Service in its tenant namespace). Defaults to none.</summary>
    [Input("routes")]
    public List<GatewayRouteArgs> Routes { get; set; } = [];

    /// <summary>One entry per tenant with routes: its API key (generated) and its rate limit. Defaults to none.</summary>
    [Input("tenants")]
    public List<GatewayTenantArgs> Tenants { get; set; } = [];

    /// <summary>Node selector of the controller, its certgen Job and the Envoy pods (a system pool). Defaults to none (the chart's placement).</summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>Envoy proxy replicas (1–20). Defaults to 2.</summary>
    [Input("proxyReplicas")]
    public int ProxyReplicas { get; set; } = 2;

    internal InferenceGatewaySpec ToSpec() => new(
        ToOwnership(),
        GatewayName,
        Namespace,
        TlsSecretName,
        Hostname,
        [.. (Routes ?? []).Select(r => r.ToSpec())],
        [.. (Tenants ?? []).Select(t => t.ToSpec())])
    {
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        ProxyReplicas = ProxyReplicas,
    };
}

/// <summary>One deployment behind the gateway (see <see cref="GatewayRouteSpec"/>).</summary>
public sealed class GatewayRouteArgs : ResourceArgs
{
    /// <summary>The deployment's (and its Service's) name. Required.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary>The tenant: namespace of the Service and of the route. Required.</summary>
    [Input("tenant", required: true)]
    public string Tenant { get; set; } = null!;

    /// <summary>The HTTPRoute's hostname, e.g. <c>llama-8b-chat.inference.example.com</c>; the GRPCRoute answers <c>&lt;name&gt;-grpc.&lt;domain&gt;</c>. Required.</summary>
    [Input("hostname", required: true)]
    public string Hostname { get; set; } = null!;

    /// <summary>The Service's HTTP port. Defaults to 8000 (Triton, vLLM).</summary>
    [Input("httpPort")]
    public int HttpPort { get; set; } = 8000;

    /// <summary>The Service's gRPC port, or null for no GRPCRoute (vLLM). Defaults to null.</summary>
    [Input("grpcPort")]
    public int? GrpcPort { get; set; }

    /// <summary>The hybrid overflow to a burst deployment's internal endpoint, or null. Defaults to null.</summary>
    [Input("burst")]
    public GatewayBurstArgs? Burst { get; set; }

    internal GatewayRouteSpec ToSpec() => new(Name, Tenant, Hostname, HttpPort, GrpcPort) { Burst = Burst?.ToSpec() };
}

/// <summary>The burst side of a hybrid route (see <see cref="GatewayBurstSpec"/> and the Traffic README).</summary>
public sealed class GatewayBurstArgs : ResourceArgs
{
    /// <summary>The burst deployment's name; the Backend is named so. Required.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary>The internal endpoint's DNS name (e.g. an <c>InternalServingEndpoint</c>'s address). Required.</summary>
    [Input("address", required: true)]
    public Input<string> Address { get; set; } = null!;

    /// <summary>The internal endpoint's HTTP port. Defaults to 8000.</summary>
    [Input("port")]
    public int Port { get; set; } = 8000;

    /// <summary>The burst backend's weight (e.g. its maximum replicas). Required.</summary>
    [Input("weight", required: true)]
    public int Weight { get; set; }

    /// <summary>The on-prem backend's weight (e.g. its maximum replicas). Required.</summary>
    [Input("primaryWeight", required: true)]
    public int PrimaryWeight { get; set; }

    internal GatewayBurstSpec ToSpec() => new(Name, Port, Weight, PrimaryWeight) { AddressSet = Address is not null };
}

/// <summary>A tenant's access through the gateway (see <see cref="GatewayTenantSpec"/>).</summary>
public sealed class GatewayTenantArgs : ResourceArgs
{
    /// <summary>The tenant (its namespace; the client id of its API key). Required.</summary>
    [Input("tenant", required: true)]
    public string Tenant { get; set; } = null!;

    /// <summary>The Secret in the tenant namespace the generated API key is written to. Defaults to <c>&lt;tenant&gt;-gateway-api-key</c>.</summary>
    [Input("apiKeySecret")]
    public string? ApiKeySecret { get; set; }

    /// <summary>Requests per <see cref="Unit"/> over all the tenant's routes (per Envoy replica). Required.</summary>
    [Input("requests", required: true)]
    public int Requests { get; set; }

    /// <summary>Second, Minute, Hour, Day, Week, Month or Year. Required.</summary>
    [Input("unit", required: true)]
    public string Unit { get; set; } = null!;

    internal GatewayTenantSpec ToSpec() => new(Tenant, ApiKeySecret ?? GatewayTenantSpec.DefaultApiKeySecret(Tenant ?? string.Empty), Requests, Unit);
}
