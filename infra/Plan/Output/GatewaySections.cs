using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Traffic;
using NeoCloud.Infra.Plan.Planning;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>
/// The inference gateways of a plan (<c>neocloud:gateway</c>): per gateway cluster, each route the program registers,
/// from the same <see cref="GatewayLayout.For"/> spec the stack and the platform check use.
/// </summary>
internal static class GatewaySections
{
    /// <summary>One route of a gateway, as the text and JSON outputs show it.</summary>
    private sealed record RouteRow(string Cluster, string Listener, string Hostname, string Protocol, string Tenant, string Deployment, int Port, string RateLimit, string? Burst);

    /// <summary>The gateway routes table (an empty table, with a note, when the stack has no gateway).</summary>
    public static ReportSection Section(StackPlan plan)
    {
        var rows = Rows(plan).Select(r => ImmutableArray.Create(r.Cluster, r.Hostname, r.Protocol, $"{r.Tenant}/{r.Deployment}:{r.Port.ToString(CultureInfo.InvariantCulture)}", r.RateLimit, r.Burst ?? "-"));
        return new ReportSection("Gateways", ["CLUSTER", "HOSTNAME", "PROTOCOL", "ROUTES TO", "TENANT RATE LIMIT", "HYBRID SPLIT (WEIGHT, HEALTH-GATED)"], [.. rows],
            plan.Model.Gateway is null
                ? ["no neocloud:gateway section: nothing outside a tenant namespace reaches its deployments except declared allowFrom paths"]
                : ["Envoy Gateway (gateway-helm " + EnvoyGatewayChart.Pin.Version + "): HTTPS listener per cluster with the tenant's API key (header " + EnvoyGatewayChart.ApiKeyHeader + ") and a local rate limit per Envoy replica; a burst weight takes traffic only while its TCP health check passes (infra/Components/Traffic/README.md)"]);
    }

    /// <summary>The same routes as JSON.</summary>
    public static JsonArray Json(StackPlan plan) => [.. Rows(plan).Select(r => (JsonNode)new JsonObject
    {
        ["cluster"] = r.Cluster,
        ["listener"] = r.Listener,
        ["hostname"] = r.Hostname,
        ["protocol"] = r.Protocol,
        ["tenant"] = r.Tenant,
        ["deployment"] = r.Deployment,
        ["port"] = r.Port,
        ["rateLimit"] = r.RateLimit,
        ["burst"] = r.Burst,
    })];

    private static IEnumerable<RouteRow> Rows(StackPlan plan)
    {
        if (plan.Model.Gateway is not { } section)
        {
            yield break;
        }

        foreach (var gateway in section.Clusters)
        {
            var spec = GatewayLayout.For(plan.Model, gateway, section);
            foreach (var route in spec.Routes)
            {
                var tenant = spec.Tenants.Single(t => t.Tenant == route.Tenant);
                var limit = $"{tenant.Requests.ToString(CultureInfo.InvariantCulture)}/{tenant.Unit}";
                var burst = route.Burst is { } b ? $"{route.Name} {b.PrimaryWeight.ToString(CultureInfo.InvariantCulture)} : {b.Name} {b.Weight.ToString(CultureInfo.InvariantCulture)}" : null;
                yield return new RouteRow(gateway.Cluster, spec.Hostname, route.Hostname, "HTTP", route.Tenant, route.Name, route.HttpPort, limit, burst);
                if (route.GrpcPort is { } grpc)
                {
                    yield return new RouteRow(gateway.Cluster, spec.Hostname, InferenceGatewayPlanner.GrpcHostname(route), "gRPC", route.Tenant, route.Name, grpc, limit, null);
                }
            }
        }
    }
}
