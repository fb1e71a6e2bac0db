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
