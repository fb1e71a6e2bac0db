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

    /// <summary>Whether the API endpoint is reachable from the internet. Defaults to true (false when <see cref="PublicAccessCidrs"/> is empty).</summary>
    public bool? EndpointPublicAccess { get; init; }

    /// <summary>The Kubernetes minor version; decides the pinned add-ons (<see cref="EksAddons"/>). Defaults to <see cref="EksClusterPlanner.DefaultKubernetesVersion"/>.</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>
    /// Principals that may use the API (access entries). Without a <c>cluster-admin</c> entry the identity that creates the
    /// cluster keeps cluster-admin through EKS's bootstrap entry (<see cref="EksClusterPlan.BootstrapCreatorAdmin"/>).
    /// </summary>
    public ImmutableArray<EksAccessEntry> AccessEntries { get; init; } = [];

    /// <summary>IPv4 CIDRs that may reach the public endpoint; null: every address (0.0.0.0/0); empty: no public endpoint.</summary>
    public ImmutableArray<string>? PublicAccessCidrs { get; init; }

    /// <summary>Control-plane log types (<see cref="EksControlPlaneLogs.All"/>). Defaults to <see cref="EksControlPlaneLogs.Default"/>.</summary>
    public ImmutableArray<string>? ControlPlaneLogs { get; init; }
}

/// <summary>What Core decided for a new EKS cluster.</summary>
/// <param name="VpcCidr">The VPC CIDR.</param>
/// <param name="Zones">The subnets of each zone.</param>
/// <param name="Tags">AWS tags of every resource (ownership and cost attribution); the component adds <c>Name</c>.</param>
/// <param name="EndpointPublicAccess">Whether the API endpoint is public.</param>
public sealed record EksClusterPlan(string VpcCidr, ImmutableArray<ZoneSubnets> Zones, ImmutableSortedDictionary<string, string> Tags, bool EndpointPublicAccess)
{
    /// <summary>The Kubernetes minor version.</summary>
    public string KubernetesVersion { get; init; } = EksClusterPlanner.DefaultKubernetesVersion;

    /// <summary>The add-ons created with the cluster (<see cref="EksAddons.BeforeCompute"/>) at their pinned versions.</summary>
    public ImmutableArray<EksAddonPin> Addons { get; init; } = [];

    /// <summary>The access entries, one access policy association each (cluster scope).</summary>
    public ImmutableArray<EksAccessEntry> AccessEntries { get; init; } = [];

    /// <summary>CIDRs of the public endpoint (empty when it is off).</summary>
    public ImmutableArray<string> PublicAccessCidrs { get; init; } = [];

    /// <summary>Control-plane log types.</summary>
    public ImmutableArray<string> ControlPlaneLogs { get; init; } = EksControlPlaneLogs.Default;

    /// <summary>
    /// Whether EKS gives the creating identity cluster-admin (<c>bootstrapClusterCreatorAdminPermissions</c>, read only at
    /// creation): only when no access entry is cluster-admin — otherwise the creator listed in the entries would collide
    /// with EKS's own entry for it (pulumi/pulumi-eks#2373), and nobody is admin by accident.
    /// </summary>
    public bool BootstrapCreatorAdmin => !AccessEntries.Any(e => e.Policy == EksAccessPolicies.ClusterAdmin);

    /// <summary>Authentication mode: access entries only.</summary>
    public string AuthenticationMode => EksAccessPolicies.AuthenticationMode;
}

/// <summary>Validates and plans an <see cref="EksClusterSpec"/> (subnet layout from <see cref="EksClusterLayout.Subnets"/>).</summary>
public static class EksClusterPlanner
{
    /// <summary>The VPC CIDR when none is given.</summary>
    public const string DefaultVpcCidr = "10.0.0.0/16";

    /// <summary>The Kubernetes version when none is given (the binder's default, the compatibility matrix's oldest).</summary>
    public const string DefaultKubernetesVersion = "1.33";

    /// <summary>
    /// Every problem of <paramref name="spec"/>: <c>Environment</c>, <c>CostCenter</c>, <c>Tags[...]</c>,
    /// <c>AvailabilityZones</c>, <c>VpcCidr</c>, <c>KubernetesVersion</c>, <c>AccessEntries[i].PrincipalArn</c> /
    /// <c>.Policy</c>, <c>AccessEntries</c>, <c>PublicAccessCidrs[i]</c>, <c>ControlPlaneLogs[i]</c>.
    /// </summary>
    public static ImmutableArray<SpecProblem> Validate(EksClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        GpuPoolPlanner.CheckOwnership(spec.Ownership, problems);
        _ = EksClusterLayout.Subnets(spec.VpcCidr ?? DefaultVpcCidr, spec.AvailabilityZones.IsDefault ? [] : spec.AvailabilityZones, problems);
        if (EksAddons.Problem(spec.KubernetesVersion ?? DefaultKubernetesVersion) is { } version)
        {
            problems.Add("KubernetesVersion", version);
        }

        var entries = spec.AccessEntries.IsDefault ? [] : spec.AccessEntries;
        foreach (var (path, reason) in EksAccessPolicies.Problems(entries))
        {
            problems.Add(path, reason);
        }

        var cidrs = spec.PublicAccessCidrs is { IsDefault: false } c ? c : [];
        for (var i = 0; i < cidrs.Length; i++)
        {
            problems.Require(Tenancy.TenantPlanner.IsCidr(cidrs[i]), $"PublicAccessCidrs[{i}]", $"\"{cidrs[i]}\" is not an IPv4 CIDR such as 203.0.113.0/24 (no host bits)");
        }

        problems.Require(!(spec.EndpointPublicAccess == false && cidrs.Length > 0), "PublicAccessCidrs", "lists CIDRs, but EndpointPublicAccess is false; give one of them");
        var logs = spec.ControlPlaneLogs is { IsDefault: false } l ? l : EksControlPlaneLogs.Default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < logs.Length; i++)
        {
            problems.Require(EksControlPlaneLogs.All.Contains(logs[i]), $"ControlPlaneLogs[{i}]", $"\"{logs[i]}\" is not allowed; allowed: {string.Join(", ", EksControlPlaneLogs.All)}");
            problems.Require(seen.Add(logs[i]), $"ControlPlaneLogs[{i}]", $"\"{logs[i]}\" is listed twice");
        }

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
        var version = spec.KubernetesVersion ?? DefaultKubernetesVersion;
        var cidrs = spec.PublicAccessCidrs switch
        {
            null => ["0.0.0.0/0"],
            { IsDefault: true } => ImmutableArray<string>.Empty,
            { } given => given,
        };
        var isPublic = (spec.EndpointPublicAccess ?? true) && cidrs.Length > 0;
        return new EksClusterPlan(cidr, zones, spec.Ownership.Labels(), isPublic)
        {
            KubernetesVersion = version,
            Addons = [.. EksAddons.For(version)!.Value.Where(p => EksAddons.BeforeCompute.Contains(p.Name))],
            AccessEntries = spec.AccessEntries.IsDefault ? [] : spec.AccessEntries,
            PublicAccessCidrs = isPublic ? cidrs : [],
            ControlPlaneLogs = spec.ControlPlaneLogs is { IsDefault: false } logs ? logs : EksControlPlaneLogs.Default,
        };
    }
}
