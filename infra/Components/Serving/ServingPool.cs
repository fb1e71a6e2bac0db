using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;

namespace NeoCloud.Infra.Components.Serving;

/// <summary>
/// The replica budget of one GPU pool, shared by every <see cref="TritonService"/> that schedules onto it. Declare
/// all deployments of the pool up front: the constructor checks, before any resource exists, that each deployment's
/// maximum fits the pool at its maximum size and that the maximums fit together (unless over-commit is allowed).
/// A <see cref="TritonService"/> then checks that it matches its declared claim.
/// </summary>
public sealed class ServingPool
{
    /// <summary>Creates and checks the budget.</summary>
    /// <param name="capacity">The pool's capacity (Core <see cref="CapacityPlanner.ForPool"/>, or built from the GPU pool's outputs).</param>
    /// <param name="claims">Every deployment of the pool: name, resource, min and max replicas. Empty for a pool with one standalone TritonService (it then claims for itself).</param>
    /// <param name="allowOvercommit">Whether the deployments may together ask for more than the pool holds; <see cref="Overcommitted"/> says when they do.</param>
    /// <exception cref="ComponentArgsException">A claim does not fit, or the claims together exceed the pool without over-commit.</exception>
    public ServingPool(PoolCapacity capacity, IReadOnlyList<ReplicaClaim>? claims = null, bool allowOvercommit = false)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        Capacity = capacity;
        Claims = claims is null ? [] : [.. claims];
        AllowOvercommit = allowOvercommit;
        var result = Check([]);
        ComponentArgsException.ThrowIfAny("ServingPool", capacity.Pool, result.Errors);
        Overcommitted = result.Overcommitted;
    }

    /// <summary>The pool's capacity.</summary>
    public PoolCapacity Capacity { get; }

    /// <summary>The declared claims.</summary>
    public ImmutableArray<ReplicaClaim> Claims { get; }

    /// <summary>Whether over-commit is allowed.</summary>
    public bool AllowOvercommit { get; }

    /// <summary>True when the declared claims together exceed the pool (only possible with over-commit allowed).</summary>
    public bool Overcommitted { get; }

    /// <summary>A claim with the path a TritonService reports: <c>ServingPool.Claims[deployment].MaxReplicas</c>.</summary>
    /// <param name="deployment">Deployment (TritonService) name.</param>
    /// <param name="resource">Resource per replica.</param>
    /// <param name="minReplicas">Minimum replicas.</param>
    /// <param name="maxReplicas">Maximum replicas.</param>
    public static ReplicaClaim Claim(string deployment, string resource, int minReplicas, int maxReplicas) =>
        new(deployment, resource, minReplicas, maxReplicas, $"ServingPool.Claims[{deployment}].MaxReplicas");

    /// <summary>Checks the declared claims plus <paramref name="extra"/> (a deployment not declared).</summary>
    /// <param name="extra">Claims to add.</param>
    internal ReplicaBudgetResult Check(IReadOnlyList<ReplicaClaim> extra) =>
        ReplicaBudget.Check(Capacity, [.. Claims, .. extra], AllowOvercommit, $"ServingPool(\"{Capacity.Pool}\")");
}
