using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>
/// What one tenant namespace on one cluster is asked to be: the plain values of <c>TenantArgs</c> (same property
/// names). Validated by <see cref="TenantPlanner.Validate"/>, which the stack configuration binder calls for
/// <c>neocloud:tenants[i]</c> too. Not to be confused with <see cref="Environments.TenantSpec"/>, the environment
/// model's tenant (one per stack, across clusters), from which the stack derives one of these per cluster.
/// </summary>
/// <param name="TenantName">Tenant name = namespace name.</param>
/// <param name="Group">Identity-provider group bound to the tenant's Role.</param>
/// <param name="CpuRequests">CPU requests quota (Kubernetes quantity).</param>
/// <param name="MemoryRequests">Memory requests quota (Kubernetes quantity).</param>
/// <param name="Ownership">Environment, cost center and extra labels.</param>
public sealed record TenantSpec(string TenantName, string Group, string CpuRequests, string MemoryRequests, OwnershipSpec Ownership)
{
    /// <summary>Pod Security Standards level enforced: <c>baseline</c> (default) or <c>restricted</c>.</summary>
    public string PodSecurity { get; init; } = "baseline";

    /// <summary>GPU quota by resource name; empty: no GPUs.</summary>
    public ImmutableSortedDictionary<string, int> GpuQuota { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>CPU limits quota, or null.</summary>
    public string? CpuLimits { get; init; }

    /// <summary>Memory limits quota, or null.</summary>
    public string? MemoryLimits { get; init; }

    /// <summary>Maximum PVCs (default 10).</summary>
    public int PersistentVolumeClaims { get; init; } = 10;

    /// <summary>Maximum LoadBalancer Services (default 0).</summary>
    public int LoadBalancers { get; init; }

    /// <summary>The cluster's GPU resources, or null: no capacity check.</summary>
    public ImmutableSortedDictionary<string, int>? ClusterGpuCapacity { get; init; }

    /// <summary>Namespaces whose pods may connect to the tenant.</summary>
    public ImmutableArray<string> IngressNamespaces { get; init; } = [];

    /// <summary>The on-cluster model store the tenant may reach, or null.</summary>
    public ModelStoreService? ModelStore { get; init; }

    /// <summary>CIDRs of an off-cluster model store, reached on TCP 443.</summary>
    public ImmutableArray<string> ModelStoreCidrs { get; init; } = [];

    /// <summary>The paths config declares.</summary>
    public TenantPaths Paths { get; init; } = TenantPaths.None;

    /// <summary>CIDRs of the Kubernetes API endpoints the tenant's pods may call.</summary>
    public ImmutableArray<string> KubeApiCidrs { get; init; } = [];

    /// <summary>Whether <c>TenantArgs.ModelBucketEgressCidrs</c> was given (the ranges themselves are deploy-time data).</summary>
    public bool ModelBucketEgress { get; init; }

    /// <summary>
    /// The pools the tenant's pods may use, enforced at admission (<see cref="TenantAdmissionPlanner"/>), or null: no
    /// admission policy. Its <see cref="TenantAdmissionSpec.TenantName"/> is this spec's <see cref="TenantName"/>.
    /// </summary>
    public ImmutableArray<AdmissionPool>? AdmissionPools { get; init; }

    /// <summary>The inference gateway's peers admitted on the serving ports (<see cref="TenantGatewayIngress"/>), or null: no gateway.</summary>
    public TenantGatewayIngress? Gateway { get; init; }
}

/// <summary>Validation and plan of a <see cref="TenantSpec"/> (architecture.md, component contract 1).</summary>
public static partial class TenantPlanner
{
    /// <summary>The Pod Security levels <see cref="TenantSpec.PodSecurity"/> accepts.</summary>
    public static readonly ImmutableArray<string> PodSecurityLevels = ["baseline", "restricted"];

    /// <summary>The quantity rule, for messages.</summary>
    public const string QuantityRule = "a Kubernetes quantity, e.g. 64, 500m or 256Gi";

    /// <summary>The CIDR rule, for messages.</summary>
    public const string CidrRule = "an IPv4 CIDR with its network address, e.g. 10.20.0.0/16";

    /// <summary>Namespaces a tenant may not be named after.</summary>
    public static readonly ImmutableArray<string> SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>
    /// True for an IPv4 CIDR whose address is the network address (<see cref="CidrRule"/>): a base address with host
    /// bits set (10.20.0.1/16) is refused, because Kubernetes would silently widen it.
    /// </summary>
    public static bool IsCidr(string? value)
    {
        var slash = value?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0
            && Cidr().IsMatch(value!)
            && System.Net.IPNetwork.TryParse(value, out var network)
            && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && network.BaseAddress.Equals(System.Net.IPAddress.Parse(value![..slash]));
    }

    /// <summary>True for a non-negative Kubernetes quantity (<see cref="QuantityRule"/>).</summary>
    public static bool IsQuantity(string? value) => value is not null && Quantity().IsMatch(value);

    /// <summary>
    /// Every problem of <paramref name="spec"/>, paths relative to the spec (= <c>TenantArgs</c> property names):
    /// <c>TenantName</c>, <c>Group</c>, <c>PodSecurity</c>, <c>GpuQuota["…"]</c>, the quantities, counts,
    /// namespace lists, CIDR lists, <c>Paths.*</c>, <c>ModelStore</c> and the ownership.
    /// </summary>
    public static ImmutableArray<SpecProblem> Validate(TenantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        if (spec.TenantName is null)
        {
            problems.Add("TenantName", "is required");
        }
        else if (!KubernetesNames.IsDnsLabel(spec.TenantName))
        {
            problems.Add("TenantName", $"\"{spec.TenantName}\" is not {KubernetesNames.DnsLabelRule}");
        }
        else
        {
            problems.Require(!SystemNamespaces.Contains(spec.TenantName), "TenantName", $"\"{spec.TenantName}\" is a Kubernetes system namespace; choose another tenant name");
        }

        problems.Require(!string.IsNullOrWhiteSpace(spec.Group), "Group", "is required (the identity-provider group bound to the tenant's Role)");
        problems.Require(
            spec.PodSecurity is not null && PodSecurityLevels.Contains(spec.PodSecurity),
            "PodSecurity",
            $"{(spec.PodSecurity is null ? "a missing value" : $"\"{spec.PodSecurity}\"")} is not allowed; allowed: {string.Join(", ", PodSecurityLevels)}");
        foreach (var (resource, count) in spec.GpuQuota ?? ImmutableSortedDictionary<string, int>.Empty)
        {
            var at = $"GpuQuota[\"{resource}\"]";
            if (!TenantPlan.KnownGpuResources.Contains(resource))
            {
                problems.Add(at, $"\"{resource}\" is not a GPU resource; valid: {string.Join(", ", TenantPlan.KnownGpuResources)}");
            }
            else if (count < 0)
            {
                problems.Add(at, $"{count} is negative; use 0 to forbid the resource");
            }
            else if (spec.ClusterGpuCapacity is { } capacity)
            {
                var available = capacity.GetValueOrDefault(resource);
                problems.Require(count <= available, at, $"{count} exceeds the cluster's capacity of {available} {resource} (at the pools' maximum size)");
            }
        }

        CheckQuantity(problems, "CpuRequests", spec.CpuRequests, required: true);
        CheckQuantity(problems, "CpuLimits", spec.CpuLimits, required: false);
        CheckQuantity(problems, "MemoryRequests", spec.MemoryRequests, required: true);
        CheckQuantity(problems, "MemoryLimits", spec.MemoryLimits, required: false);
        problems.Require(spec.PersistentVolumeClaims >= 0, "PersistentVolumeClaims", $"{spec.PersistentVolumeClaims} is negative");
        problems.Require(spec.LoadBalancers >= 0, "LoadBalancers", $"{spec.LoadBalancers} is negative");
        CheckNamespaces(problems, "IngressNamespaces", spec.IngressNamespaces);
        var paths = spec.Paths ?? TenantPaths.None;
        CheckNamespaces(problems, "Paths.AllowFromNamespaces", paths.AllowFromNamespaces);
        CheckCidrs(problems, "Paths.AllowFromCidrs", paths.AllowFromCidrs);
        CheckNamespaces(problems, "Paths.AllowToNamespaces", paths.AllowToNamespaces);
        for (var i = 0; i < paths.Uses.Length; i++)
        {
            var use = paths.Uses[i];
            problems.Require(
                use is not null && KubernetesNames.IsDnsLabel(use.Name) && KubernetesNames.IsDnsLabel(use.Namespace) && !use.Ports.IsDefaultOrEmpty && use.Ports.All(p => p is >= 1 and <= 65535),
                $"Paths.Uses[{i}]",
                "needs a name and a namespace (" + KubernetesNames.DnsLabelRule + ") and ports between 1 and 65535");
        }

        CheckCidrs(problems, "ModelStoreCidrs", spec.ModelStoreCidrs);
        CheckCidrs(problems, "KubeApiCidrs", spec.KubeApiCidrs);
        if (spec.ModelStore is { } store)
        {
            problems.Require(KubernetesNames.IsDnsLabel(store.Namespace), "ModelStore.Namespace", $"\"{store.Namespace}\" is not {KubernetesNames.DnsLabelRule}");
            problems.Require(store.Port is >= 1 and <= 65535, "ModelStore.Port", $"{store.Port} is not a port between 1 and 65535");
        }

        if (spec.Gateway is { } gateway)
        {
            problems.AddRange(TenantGatewayIngress.Validate(gateway));
        }

        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));
        if (spec.AdmissionPools is { } pools)
        {
            // The tenant name is checked above; the admission planner's own path for it would repeat that problem.
            problems.AddNested("Admission", TenantAdmissionPlanner.Validate(new TenantAdmissionSpec(spec.TenantName ?? string.Empty, pools)).Where(p => p.PropertyPath != "TenantName"));
        }

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid spec (call <see cref="Validate"/> first).</summary>
    public static TenantPlan Plan(TenantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TenantPlan(
            spec.TenantName,
            spec.Group,
            spec.Ownership.Environment,
            spec.Ownership.CostCenter,
            spec.PodSecurity == "restricted" ? PodSecurityLevel.Restricted : PodSecurityLevel.Baseline,
            new TenantQuotaSettings(spec.GpuQuota, spec.CpuRequests, spec.CpuLimits, spec.MemoryRequests, spec.MemoryLimits, spec.PersistentVolumeClaims, spec.LoadBalancers),
            spec.ClusterGpuCapacity,
            spec.IngressNamespaces,
            spec.ModelStore,
            spec.ModelStoreCidrs,
            spec.KubeApiCidrs)
        {
            Paths = spec.Paths,
            Gateway = spec.Gateway,
            ModelBucketEgress = spec.ModelBucketEgress,
            Tags = spec.Ownership.Tags,
            Admission = spec.AdmissionPools is { } pools ? TenantAdmissionPlanner.Plan(new TenantAdmissionSpec(spec.TenantName, pools)) : null,
        };
    }

    private static void CheckQuantity(SpecProblems problems, string path, string? value, bool required)
    {
        if (value is null)
        {
            problems.Require(!required, path, "is required (" + QuantityRule + ")");
        }
        else if (value.StartsWith('-'))
        {
            problems.Add(path, $"\"{value}\" is negative");
        }
        else
        {
            problems.Require(IsQuantity(value), path, $"\"{value}\" is not {QuantityRule}");
        }
    }

    private static void CheckNamespaces(SpecProblems problems, string path, ImmutableArray<string> namespaces)
    {
        for (var i = 0; i < (namespaces.IsDefault ? 0 : namespaces.Length); i++)
        {
            problems.Require(KubernetesNames.IsDnsLabel(namespaces[i]), $"{path}[{i}]", $"\"{namespaces[i]}\" is not a namespace name ({KubernetesNames.DnsLabelRule})");
        }
    }

    private static void CheckCidrs(SpecProblems problems, string path, ImmutableArray<string> cidrs)
    {
        for (var i = 0; i < (cidrs.IsDefault ? 0 : cidrs.Length); i++)
        {
            problems.Require(IsCidr(cidrs[i]), $"{path}[{i}]", $"\"{cidrs[i]}\" is not {CidrRule}");
        }
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$", RegexOptions.CultureInvariant)]
    private static partial Regex Cidr();
}
