using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>Whether one claim can bind.</summary>
/// <param name="Claim">The claim.</param>
/// <param name="Binds">True when the StorageClass it names (or the cluster default) exists.</param>
/// <param name="Reason">Which class serves it, or why none does.</param>
public sealed record ClaimVerdict(PlatformClaim Claim, bool Binds, string Reason);

/// <summary>
/// Storage: every PVC, volumeClaimTemplate and bucket claim names a StorageClass the cluster has (created by the stack, or
/// declared pre-existing); a claim without a class needs a default StorageClass.
/// </summary>
public static class StorageBinding
{
    /// <summary>Every claim of <paramref name="inventory"/>, including the volumeClaimTemplates of its workloads.</summary>
    public static ImmutableArray<ClaimVerdict> Evaluate(PlatformInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var claims = inventory.Claims.Concat(inventory.Workloads.SelectMany(w =>
            (w.ClaimTemplates.IsDefault ? [] : w.ClaimTemplates).Select(c => new PlatformClaim(w.Cluster, w.Namespace, w.Name, c))));
        return [.. claims.Select(c => Evaluate(inventory, c))];
    }

    private static ClaimVerdict Evaluate(PlatformInventory inventory, PlatformClaim claim)
    {
        var classes = inventory.StorageClasses.Where(s => s.Cluster == claim.Cluster).ToList();
        if (claim.StorageClass is null or "")
        {
            var defaults = classes.Where(s => s.IsDefault).ToList();
            return defaults.Count > 0
                ? new ClaimVerdict(claim, true, $"default StorageClass {defaults[0].Name} ({Origin(defaults[0])})")
                : new ClaimVerdict(claim, false, $"names no StorageClass and cluster {claim.Cluster} has no default StorageClass the stack creates or config declares");
        }

        var match = classes.FirstOrDefault(s => s.Name == claim.StorageClass);
        return match is not null
            ? new ClaimVerdict(claim, true, $"StorageClass {match.Name} ({Origin(match)})")
            : new ClaimVerdict(claim, false, $"StorageClass \"{claim.StorageClass}\" does not exist on cluster {claim.Cluster}: nothing creates it and config does not declare it"
                + (classes.Count > 0 ? $" (known: {string.Join(", ", classes.Select(s => s.Name).Order(StringComparer.Ordinal))})" : string.Empty));
    }

    private static string Origin(PlatformStorageClass s) => s.Origin == StorageClassOrigin.Created ? "created by the stack" : "declared pre-existing";
}
