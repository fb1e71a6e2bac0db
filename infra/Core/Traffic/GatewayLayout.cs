using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Traffic;

/// <summary>
/// The inference gateway a stack's config decides for one serving cluster (<c>neocloud:gateway</c>): the one spec the
/// binder validates, the program composes (<c>InferenceGateway</c>) and the platform check inventories.
/// </summary>
public static class GatewayLayout
{
    /// <summary>
    /// The gateway spec of <paramref name="gateway"/>'s cluster: a route per deployment whose pool is on the cluster
    /// (HTTP 8000; gRPC 8001 for the Triton runtimes, vLLM has none), each tenant with routes with its API-key Secret and
    /// rate limit, the controller and Envoy pods on the cluster's system pool, two Envoy replicas in production (one
    /// otherwise). A deployment with a burst part on a cluster with a private link gets the burst backend; its address is
    /// the program's (<see cref="GatewayBurstSpec.AddressSet"/> true).
    /// </summary>
    /// <param name="env">The bound environment (its <see cref="EnvironmentModel.Gateway"/> gives the rate limits).</param>
    /// <param name="gateway">The cluster's gateway entry.</param>
    /// <param name="settings">The section (defaults to <paramref name="env"/>'s).</param>
    public static InferenceGatewaySpec For(EnvironmentModel env, GatewayClusterSpec gateway, GatewaySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(gateway);
        var section = settings ?? env.Gateway ?? throw new ArgumentException("the environment has no neocloud:gateway section", nameof(env));
        var routes = ImmutableArray.CreateBuilder<GatewayRouteSpec>();
        foreach (var s in DeploymentsOn(env, gateway.Cluster))
        {
            var route = new GatewayRouteSpec(s.Name, s.Tenant, $"{s.Name}.{gateway.Domain}", TritonServer.Http.Number,
                ServingPorts(s.Runtime).Contains(TritonServer.Grpc.Number) ? TritonServer.Grpc.Number : null);
            if (s.Burst is { } burst && env.Cluster(env.Pool(burst.Pool).Cluster).PrivateLink is not null)
            {
                // Weights: each side's maximum replicas (the split when both run at their maximum); health scales them (README).
                route = route with { Burst = new GatewayBurstSpec(s.Name + StackLayout.BurstSuffix, TritonServer.Http.Number, burst.MaxReplicas, s.MaxReplicas) { AddressSet = true } };
            }

            routes.Add(route);
        }

        var tenants = routes.Select(r => r.Tenant).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(t =>
            {
                var limit = section.RateLimitOf(t);
                return new GatewayTenantSpec(t, GatewayTenantSpec.DefaultApiKeySecret(t), limit.Requests, limit.Unit);
            });
        return new InferenceGatewaySpec(new OwnershipSpec(env.Environment, env.CostCenter), InferenceGatewayPlan.DefaultGatewayName, EnvoyGatewayChart.Namespace,
            gateway.TlsSecretName, "*." + gateway.Domain, routes.ToImmutable(), [.. tenants])
        {
            SystemNodeSelector = SystemAddonPlacement.NodeSelector(env, gateway.Cluster),
            ProxyReplicas = env.IsProduction ? 2 : 1,
        };
    }

    /// <summary>The deployments a gateway on <paramref name="cluster"/> routes to: those whose (on-prem or only) pool is there.</summary>
    public static IEnumerable<ServingSpec> DeploymentsOn(EnvironmentModel env, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.Serving.Where(s => env.Pool(s.Pool).Cluster == cluster);
    }

    /// <summary>The gateways' Envoy pod labels of <paramref name="cluster"/>, or null without a gateway there.</summary>
    public static ImmutableSortedDictionary<string, string>? ProxyPodLabels(EnvironmentModel env, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.Gateway?.Of(cluster) is null ? null : EnvoyGatewayChart.ProxyPodLabels(InferenceGatewayPlan.DefaultGatewayName, EnvoyGatewayChart.Namespace);
    }

    /// <summary>
    /// The on-prem gateways that send overflow to burst cluster <paramref name="burstCluster"/>'s deployments of
    /// <paramref name="tenant"/>: the clusters whose gateway routes a deployment of the tenant with a burst part there.
    /// </summary>
    public static ImmutableArray<string> OverflowSources(EnvironmentModel env, string burstCluster, string tenant)
    {
        ArgumentNullException.ThrowIfNull(env);
        return [.. env.Serving
            .Where(s => s.Tenant == tenant && s.Burst is { } b && env.Pool(b.Pool).Cluster == burstCluster && env.Gateway?.Of(env.Pool(s.Pool).Cluster) is not null
                && env.Cluster(burstCluster).PrivateLink is not null)
            .Select(s => env.Pool(s.Pool).Cluster)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// What admits inference traffic into <paramref name="tenant"/>'s namespace on <paramref name="cluster"/>: the cluster's
    /// gateway Envoy pods when its gateway routes a deployment of the tenant (on the serving ports of those deployments),
    /// and on a burst cluster the on-prem gateways' addresses (the private link's on-prem CIDRs) on the HTTP port when
    /// they send the tenant's overflow there. Null when no gateway reaches the tenant here.
    /// </summary>
    public static TenantGatewayIngress? TenantIngress(EnvironmentModel env, string tenant, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        var ports = new SortedSet<int>();
        string? ns = null;
        var labels = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        if (ProxyPodLabels(env, cluster) is { } proxy)
        {
            foreach (var s in DeploymentsOn(env, cluster).Where(s => s.Tenant == tenant))
            {
                ports.UnionWith(ServingPorts(s.Runtime));
            }

            if (ports.Count > 0)
            {
                (ns, labels) = (EnvoyGatewayChart.Namespace, proxy);
            }
        }

        ImmutableArray<string> cidrs = [];
        if (OverflowSources(env, cluster, tenant).Length > 0 && env.Cluster(cluster).PrivateLink is { } link)
        {
            cidrs = link.OnPremCidrs;
            ports.Add(TritonServer.Http.Number);
        }

        return ns is null && cidrs.IsEmpty ? null : new TenantGatewayIngress(ns, labels, cidrs, [.. ports]);
    }

    /// <summary>
    /// The serving ports the gateway reaches on a deployment of <paramref name="runtime"/>: the runtime's container ports
    /// (<see cref="ServingContainer.PortsOf"/>) except Triton's metrics port, i.e. HTTP, and gRPC for Triton.
    /// </summary>
    public static ImmutableArray<int> ServingPorts(ServingRuntime runtime) =>
        [.. ServingContainer.PortsOf(runtime).Where(p => p.Name != TritonServer.Metrics.Name).Select(p => p.Number)];
}
