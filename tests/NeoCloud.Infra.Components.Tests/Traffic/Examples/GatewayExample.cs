using NeoCloud.Infra.Components.Traffic;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Traffic.Examples;

/// <summary>The README's usage example, compiled and run under the mock engine.</summary>
public static class GatewayExample
{
    public static InferenceGateway Run(ProviderResource cluster)
    {
        // <readme>
        var gateway = new InferenceGateway("dc1-gateway", new InferenceGatewayArgs
        {
            Environment = "prod",
            CostCenter = "inference-platform",
            TlsSecretName = "inference-tls",
            Hostname = "*.inference.example.com",
            Routes =
            [
                new GatewayRouteArgs { Name = "llama-8b-chat", Tenant = "chat", Hostname = "llama-8b-chat.inference.example.com", GrpcPort = 8001 },
            ],
            Tenants = [new GatewayTenantArgs { Tenant = "chat", Requests = 600, Unit = "Second" }],
            SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system" },
        }, new ComponentResourceOptions { Provider = cluster });
        // </readme>
        return gateway;
    }
}
