using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>The decisions of a new EKS cluster, as a user states them (the plain part of <c>EksClusterArgs</c>).</summary>
public sealed record EksClusterSpec
{
    /// <summary>Environment, cost center and extra tags of every AWS resource of the cluster.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Required. Two to eight distinct availability zones; each gets a public and a private subnet.</summary>
    public ImmutableArray<string> AvailabilityZones { get; init; } = [];

    /// <summary>The VPC's IPv4 CIDR (/16 to /20). Defaults to <see cref="EksClusterPlanner.DefaultVpcCidr"/>.</summary>
    public string? VpcCidr { get; init; }

    /// <summary>Whether the API endpoint is reachable from the internet. Defaults to true.</summary>
    public bool? EndpointPublicAccess { get; init; }
}

/// <summary>What Core decided for a new EKS cluster.</summary>
/// <param name="VpcCidr">The VPC CIDR.</param>
/// <param name="Zones">The subnets of each zone.</param>
/// <param name="Tags">AWS tags of every resource (ownership and cost attribution); the component adds <c>Name</c>.</param>
/// <param name="EndpointPublicAccess">Whether the API endpoint is public.</param>
public sealed record EksClusterPlan(string VpcCidr, ImmutableArray<ZoneSubnets> Zones, ImmutableSortedDictionary<string, string> Tags, bool EndpointPublicAccess);

/// <summary>Validates and plans an <see cref="EksClusterSpec"/> (subnet layout from <see cref="EksClusterLayout.Subnets"/>).</summary>
public static class EksClusterPlanner
{
    /// <summary>The VPC CIDR when none is given.</summary>
    public const string DefaultVpcCidr = "10.0.0.0/16";

    /// <summary>Every problem of <paramref name="spec"/>: <c>Environment</c>, <c>CostCenter</c>, <c>Tags[...]</c>, <c>AvailabilityZones</c>, <c>VpcCidr</c>.</summary>
    public static ImmutableArray<SpecProblem> Validate(EksClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        GpuPoolPlanner.CheckOwnership(spec.Ownership, problems);
        _ = EksClusterLayout.Subnets(spec.VpcCidr ?? DefaultVpcCidr, spec.AvailabilityZones.IsDefault ? [] : spec.AvailabilityZones, problems);
        return problems.ToImmutable();
    }

    /// <summary>Plans a valid cluster.</summary>
    /// <exception cref="ArgumentException">The spec is invalid (call <see cref="Validate"/> first).</exception>
    public static EksClusterPlan Plan(EksClusterSpec spec)
    {
        var problems = Validate(spec);
        if (!problems.IsEmpty)
        {
            throw new ArgumentException($"invalid EksClusterSpec: {string.Join("; ", problems)}", nameof(spec));
        }

        var cidr = spec.VpcCidr ?? DefaultVpcCidr;
        var zones = EksClusterLayout.Subnets(cidr, spec.AvailabilityZones, new SpecProblems());
        return new EksClusterPlan(cidr, zones, spec.Ownership.Labels(), spec.EndpointPublicAccess ?? true);
    }
}
