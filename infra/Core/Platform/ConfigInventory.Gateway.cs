using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Traffic;

namespace NeoCloud.Infra.Core.Platform;

// The inference gateway (issue 16): its namespace and pods on each gateway cluster, the intended flows gateway → each
// deployment's serving ports (and the unintended one to Triton's metrics port), and in a hybrid stack the on-prem gateway
// → the burst deployment's internal endpoint over the private link.
public static partial class ConfigInventory
{
    /// <summary>The Envoy Gateway controller's requests (values.tmpl.yaml <c>deployment.envoyGateway.resources.requests</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, string> GatewayControllerRequests = WorkloadShape.CpuMemory("100m", "256Mi");

    /// <summary>An Envoy proxy's requests (api/v1alpha1/shared_types.go <c>DefaultDeploymentCPUResourceRequests</c>, <c>...MemoryResourceRequests</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, string> GatewayProxyRequests = WorkloadShape.CpuMemory("100m", "512Mi");

    /// <summary>The gateway's namespace, pods and flows of every cluster with a gateway, added to the inventory's builders.</summary>
    private static void AddGateways(
        EnvironmentModel env,
        ImmutableArray<PlatformNamespace>.Builder namespaces,
        ImmutableArray<PlatformWorkload>.Builder workloads,
        ImmutableArray<PlatformFlow>.Builder flows)
    {
        if (env.Gateway is not { } section)
        {
            return;
        }

        foreach (var gateway in section.Clusters)
        {
            var c = gateway.Cluster;
            var spec = GatewayLayout.For(env, gateway);
            var source = "envoy-gateway " + EnvoyGatewayChart.Pin.Version;
            namespaces.Add(PlatformNamespace.Of(c, EnvoyGatewayChart.Namespace));
            workloads.Add(new WorkloadShape("Deployment", EnvoyGatewayChart.Namespace, "envoy-gateway", source, EnvoyGatewayChart.ControllerPodLabels, [], GatewayControllerRequests)
            { NodeSelector = spec.SystemNodeSelector }.On(c));
            var proxyLabels = EnvoyGatewayChart.ProxyPodLabels(spec.GatewayName, spec.Namespace);
            workloads.Add(new WorkloadShape("Deployment", EnvoyGatewayChart.Namespace, $"envoy-{spec.GatewayName}", source, proxyLabels, [], GatewayProxyRequests, spec.ProxyReplicas)
            { NodeSelector = spec.SystemNodeSelector }.On(c));
            var envoy = Pod(c, EnvoyGatewayChart.Namespace, proxyLabels, $"gateway {spec.GatewayName} (Envoy)");

            foreach (var s in GatewayLayout.DeploymentsOn(env, c))
            {
                var target = TritonPod(env, c, s, s.Name);
                foreach (var port in GatewayLayout.ServingPorts(s.Runtime))
                {
                    var name = port == TritonServer.Grpc.Number ? TritonServer.Grpc.Name : TritonServer.Http.Name;
                    flows.Add(new PlatformFlow($"{c}: gateway → {s.Tenant}/{s.Name} {name}", envoy, target, port, "TCP", true, name));
                }

                if (s.Runtime != ServingRuntime.Vllm)
                {
                    // The metrics port is Prometheus' only: the gateway admits serving ports and nothing else.
                    flows.Add(new PlatformFlow($"{c}: gateway → {s.Tenant}/{s.Name} metrics", envoy, target, TritonServer.Metrics.Number, "TCP", false, TritonServer.Metrics.Name));
                }

                if (s.Burst is { } burst && spec.Routes.Single(r => r.Name == s.Name).Burst is not null)
                {
                    // Overflow: the on-prem Envoy's traffic leaves with an on-prem address of the private link and reaches
                    // the burst replicas through the internal NLB, which keeps the client address (externalTrafficPolicy: Local).
                    var burstCluster = env.Pool(burst.Pool).Cluster;
                    var link = env.Cluster(burstCluster).PrivateLink!;
                    var from = envoy with { Address = new NetworkAddress(FirstHost(link.OnPremCidrs[0])), Description = $"gateway {spec.GatewayName} on {c} (over the {link.Kind} link)" };
                    var burstName = s.Name + StackLayout.BurstSuffix;
                    flows.Add(new PlatformFlow($"{c} → {burstCluster}: gateway overflow → {s.Tenant}/{burstName}-internal", from, TritonPod(env, burstCluster, s, burstName), TritonServer.Http.Number, "TCP", true, TritonServer.Http.Name));
                }
            }
        }
    }

    /// <summary>A deployment's pod as a flow endpoint: the labels and container ports AddServing registers.</summary>
    private static FlowEndpoint TritonPod(EnvironmentModel env, string cluster, ServingSpec s, string name) =>
        Pod(cluster, s.Tenant, ServingPodLabels(env, s, name), $"{s.Tenant}/{name}", ServingPodPorts(s.Runtime));

    /// <summary>The pod labels of deployment <paramref name="name"/> of <paramref name="s"/> (TritonDeployment's, with the model label).</summary>
    private static ImmutableSortedDictionary<string, string> ServingPodLabels(EnvironmentModel env, ServingSpec s, string name) =>
        ResourceLabels.For(TritonDeployment.AppName, name, TritonDeployment.ComponentName, env.Environment, env.CostCenter, s.Tenant)
            .SetItem(ResourceLabels.Model, StackLayout.ModelLabel(s.Model));

    /// <summary>The named container ports of a <paramref name="runtime"/> pod (<see cref="ServingContainer.PortsOf"/>).</summary>
    private static ImmutableSortedDictionary<string, int> ServingPodPorts(ServingRuntime runtime) =>
        ServingContainer.PortsOf(runtime).ToImmutableSortedDictionary(p => p.Name, p => p.Number, StringComparer.Ordinal);

    /// <summary>The first host address of an IPv4 CIDR (<c>10.10.0.0/16</c> → <c>10.10.0.1</c>).</summary>
    private static string FirstHost(string cidr)
    {
        var b = System.Net.IPAddress.Parse(cidr.Split('/')[0]).GetAddressBytes();
        b[3]++;
        return new System.Net.IPAddress(b).ToString();
    }
}
