using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>One deployment's claim on a pool: up to <paramref name="MaxReplicas"/> units of <paramref name="Resource"/>.</summary>
/// <param name="Deployment">Deployment name.</param>
/// <param name="Resource">The extended resource one replica requests (one unit), e.g. <c>nvidia.com/mig-1g.10gb</c>.</param>
/// <param name="MinReplicas">Minimum (prewarmed) replicas.</param>
/// <param name="MaxReplicas">Maximum replicas the autoscaler may reach.</param>
/// <param name="Path">Where the maximum was set (an Args or config key path), used in error messages.</param>
/// <param name="UnitsPerReplica">Units of <paramref name="Resource"/> one replica requests (<c>gpu: N</c>; 1 for a MIG slice).</param>
public sealed record ReplicaClaim(string Deployment, string Resource, int MinReplicas, int MaxReplicas, string Path, int UnitsPerReplica = 1);

/// <summary>
/// The outcome of checking claims against one pool: the per-deployment fits and per-resource reservations (Core's
/// <see cref="ServingFit"/> and <see cref="PoolReservation"/>, the same records <see cref="CapacityPlanner"/> reports),
/// and the errors when the claims do not fit.
/// </summary>
/// <param name="Pool">The pool's capacity.</param>
/// <param name="Fits">Each claim against the pool at its maximum size.</param>
/// <param name="Reservations">Per resource: what all claims reserve together.</param>
/// <param name="Errors">Why the claims do not fit (empty when they do).</param>
public sealed record ReplicaBudgetResult(
    PoolCapacity Pool,
    ImmutableArray<ServingFit> Fits,
    ImmutableArray<PoolReservation> Reservations,
    ImmutableArray<ConfigError> Errors)
{
    /// <summary>True when no error was found.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>True when the claims together exceed the pool but over-commit was allowed.</summary>
    public bool Overcommitted => Reservations.Any(r => r.Overcommitted);
}

/// <summary>
/// Bounds autoscaling by capacity: a deployment's maximum replicas can never exceed what its pool hosts at its
/// maximum size, and the maximums of all deployments sharing a pool must fit together unless over-commit is allowed.
/// The rules are <see cref="ServingFit.Fits"/> and <see cref="PoolReservation.Overcommitted"/>, the ones
/// <see cref="CapacityPlanner.Validate"/> applies to a whole environment (binder and plan tool) through this check.
/// A single <c>TritonService</c> sees only its own pool placement, not the other deployments sharing it, so the
/// cross-deployment budget is enforced here, for the environment, and not by the component.
/// </summary>
public static class ReplicaBudget
{
    /// <summary>Checks <paramref name="claims"/> against <paramref name="pool"/>.</summary>
    /// <param name="pool">The pool's capacity (e.g. <see cref="CapacityPlanner.ForPool"/>).</param>
    /// <param name="claims">Every deployment that schedules onto the pool.</param>
    /// <param name="allowOvercommit">Whether the claims may together exceed the pool (each must still fit alone).</param>
    /// <param name="poolPath">Path of the pool in the caller's inputs, for the shared-pool error.</param>
    public static ReplicaBudgetResult Check(PoolCapacity pool, IReadOnlyList<ReplicaClaim> claims, bool allowOvercommit, string poolPath)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentException.ThrowIfNullOrEmpty(poolPath);
        var errors = ImmutableArray.CreateBuilder<ConfigError>();

        foreach (var group in claims.GroupBy(c => c.Deployment, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ConfigError(group.Last().Path, $"deployment \"{group.Key}\" is claimed {group.Count()} times on pool \"{pool.Pool}\"; each deployment claims once"));
        }

        var fits = claims
            .Select(c => new ServingFit(c.Deployment, pool.Pool, c.Resource, c.MinReplicas, c.MaxReplicas, pool.AtMin.GetValueOrDefault(c.Resource), pool.AtMax.GetValueOrDefault(c.Resource), Burst: false, c.UnitsPerReplica))
            .ToImmutableArray();

        foreach (var (claim, fit) in claims.Zip(fits))
        {
            if (!pool.PerNode.ContainsKey(claim.Resource))
            {
                errors.Add(new ConfigError(claim.Path, $"deployment \"{claim.Deployment}\" requests {claim.Resource}, but pool \"{pool.Pool}\" does not offer it; it offers {Offered(pool)}"));
            }
            else if (!fit.Fits)
            {
                errors.Add(new ConfigError(claim.Path, fit.UnitsPerReplica == 1
                    ? $"deployment \"{claim.Deployment}\" asks for up to {N(fit.MaxReplicas)} × {fit.Resource}, but pool \"{pool.Pool}\" holds {N(fit.CapacityAtMax)} at its maximum size; lower the maximum to {N(fit.CapacityAtMax)} or grow the pool"
                    : $"deployment \"{claim.Deployment}\" asks for up to {N(fit.MaxReplicas)} replicas × {N(fit.UnitsPerReplica)} {fit.Resource} = {N(fit.UnitsAtMax)}, but pool \"{pool.Pool}\" holds {N(fit.CapacityAtMax)} at its maximum size; lower the maximum to {N(fit.ReplicasAtMax)} or grow the pool"));
            }
        }

        var reservations = fits
            .Where(f => f.CapacityAtMax > 0)
            .GroupBy(f => f.Resource, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PoolReservation(pool.Pool, g.Key, g.First().CapacityAtMax, g.Sum(f => f.UnitsAtMax), [.. g.Select(f => f.Deployment).Distinct()], allowOvercommit))
            .ToImmutableArray();

        foreach (var r in reservations.Where(r => r.Overcommitted && !r.OvercommitAllowed && r.Deployments.Length > 1))
        {
            errors.Add(new ConfigError(
                poolPath,
                $"deployments {string.Join(", ", r.Deployments.Select(d => $"\"{d}\""))} together ask for up to {N(r.Reserved)} × {r.Resource}, but pool \"{r.Pool}\" holds {N(r.Capacity)} at its maximum size; lower their maximum replicas, grow the pool, or allow over-commit"));
        }

        return new ReplicaBudgetResult(pool, fits, reservations, errors.ToImmutable());
    }

    private static string Offered(PoolCapacity pool) =>
        pool.PerNode.IsEmpty ? "no GPU resources" : string.Join(", ", pool.PerNode.Keys);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
