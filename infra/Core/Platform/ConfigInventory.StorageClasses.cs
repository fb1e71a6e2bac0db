using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Platform;

// The StorageClasses a cluster's config decides (issue 14): EKS clusters get the encrypted gp3 default and every class
// clusters[].storageClasses creates; classes declared existing: true are pre-existing.
public static partial class ConfigInventory
{
    /// <summary>The StorageClasses of <paramref name="cluster"/> that its own config decides (created or declared).</summary>
    public static IEnumerable<PlatformStorageClass> StorageClassesOf(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var declared = cluster.StorageClasses.IsDefault ? [] : cluster.StorageClasses;
        if (cluster.Substrate == Substrate.Eks)
        {
            foreach (var created in EbsStorageClasses.For(declared))
            {
                yield return new PlatformStorageClass(cluster.Name, created.Name, created.IsDefault, StorageClassOrigin.Created, created.Provisioner);
            }
        }

        foreach (var existing in declared.Where(s => s.Existing))
        {
            yield return new PlatformStorageClass(cluster.Name, existing.Name, existing.IsDefault, StorageClassOrigin.Declared);
        }
    }
}

// The hybrid path (issue 14 item 6): what the federation and the burst serving endpoint travel over.
public static partial class ConfigInventory
{
    /// <summary>
    /// Findings about the private hybrid path between on-prem cluster <paramref name="onPrem"/> and burst cluster
    /// <paramref name="burst"/>: the on-prem federation endpoint is a LoadBalancer Service, which gets an address only where
    /// config declares a load-balancer implementation (<c>clusters[].loadBalancer</c>); the federated metrics and the
    /// internal serving endpoint must travel a declared encrypted private link (<c>clusters[].privateLink</c>).
    /// </summary>
    public static IEnumerable<PlatformFinding> HybridPathFindings(EnvironmentModel env, string onPrem, string burst)
    {
        ArgumentNullException.ThrowIfNull(env);
        var onPremIndex = env.Clusters.IndexOf(env.Cluster(onPrem));
        var burstIndex = env.Clusters.IndexOf(env.Cluster(burst));
        if (env.Cluster(onPrem).LoadBalancer is null)
        {
            yield return new PlatformFinding(PlatformRule.Reachability, $"{onPrem}/{Stacks.StackLayout.MonitoringNamespace}/prometheus-federation",
                $"the LoadBalancer Service gets no address: neocloud:clusters[{onPremIndex}].loadBalancer declares no load-balancer implementation (metallb or existing)");
        }

        if (env.Cluster(burst).PrivateLink is null)
        {
            yield return new PlatformFinding(PlatformRule.Reachability, $"{burst} → {onPrem}: federated metrics",
                $"travels no declared private path: plain HTTP between networks; declare the VPN or Direct Connect (MACsec) at neocloud:clusters[{burstIndex}].privateLink");
        }
    }
}
