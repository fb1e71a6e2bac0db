using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>
/// The network paths config declares for one tenant namespace on one cluster, beyond the fixed allowances (DNS, own
/// namespace, Prometheus, model store): who may connect to it, which tenants it may connect to (because they name it in
/// their <c>allowFrom</c>), and the shared services it uses. Nothing else is open: tenant A → tenant B stays denied
/// unless B names A.
/// </summary>
/// <param name="AllowFromNamespaces">Namespaces admitted on every port (<c>tenants[].allowFrom</c> entries that are names).</param>
/// <param name="AllowFromCidrs">Address ranges outside the pod network admitted on every port (<c>allowFrom</c> CIDRs).</param>
/// <param name="AllowToNamespaces">Tenant namespaces on the same cluster that admit this tenant: egress to them is opened.</param>
/// <param name="Uses">Shared services the tenant's pods may reach on their ports (<c>tenants[].uses</c>).</param>
public sealed record TenantPaths(
    ImmutableArray<string> AllowFromNamespaces,
    ImmutableArray<string> AllowFromCidrs,
    ImmutableArray<string> AllowToNamespaces,
    ImmutableArray<SharedServiceTarget> Uses)
{
    /// <summary>No declared path.</summary>
    public static TenantPaths None { get; } = new([], [], [], []);

    /// <summary>The vector DB as a shared service: the Qdrant pods of the stack's release, HTTP and gRPC.</summary>
    public static SharedServiceTarget VectorDb { get; } =
        new("vector-db", StackLayout.VectorDbNamespace, QdrantWorkloads.PodLabels(StackLayout.VectorDbRelease), [QdrantChart.HttpPort, QdrantChart.GrpcPort]);

    /// <summary>The declared paths of <paramref name="tenant"/>'s namespace on <paramref name="cluster"/>.</summary>
    public static TenantPaths For(EnvironmentModel env, Environments.TenantSpec tenant, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(tenant);
        var to = env.Tenants
            .Where(t => t.Name != tenant.Name && t.Clusters.Contains(cluster) && t.AllowFromNamespaces.Contains(tenant.Name))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);
        var usesVectorDb = tenant.UsesVectorDb && env.VectorDb is { } v && v.Cluster == cluster;
        return new(tenant.AllowFromNamespaces, tenant.AllowFromCidrs, [.. to], usesVectorDb ? [VectorDb] : []);
    }

    /// <summary>The tenants admitted by the vector DB's ingress policy: those that declare <c>uses: [vectorDb]</c>.</summary>
    public static ImmutableArray<string> VectorDbUsers(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.VectorDb is { } v
            ? [.. env.Tenants.Where(t => t.UsesVectorDb && t.Clusters.Contains(v.Cluster)).Select(t => t.Name).Order(StringComparer.Ordinal)]
            : [];
    }
}
