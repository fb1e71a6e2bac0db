using System.Collections.Immutable;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Environments;

public static partial class EnvironmentBinder
{
    /// <summary>The shared service <c>tenants[].uses</c> may name.</summary>
    private const string TenantUsesVectorDb = "vectorDb";

    private const string MigResourcePrefix = "nvidia.com/mig-";

    /// <summary>
    /// <c>neocloud:tenants[i]</c>: <see cref="Tenancy.TenantSpec"/> property → key (the one table of the section;
    /// <see cref="TenantPlanner.Validate"/> speaks for every value rule). Indexed and keyed paths
    /// (<c>GpuQuota["…"]</c>, <c>Paths.AllowFrom…[j]</c>) are mapped by <see cref="TenantKey"/>.
    /// </summary>
    internal static readonly ImmutableDictionary<string, string> TenantKeys = new Dictionary<string, string>
    {
        ["TenantName"] = "name",
        ["Group"] = "group",
        ["CpuRequests"] = "quota.cpu",
        ["MemoryRequests"] = "quota.memory",
        ["PersistentVolumeClaims"] = "quota.persistentVolumeClaims",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The key (relative to <c>tenants[i]</c>) of a <see cref="TenantPlanner"/> property path that is indexed or keyed,
    /// or null for the plain ones of <see cref="TenantKeys"/>.
    /// </summary>
    internal static string? TenantKey(string propertyPath, ImmutableArray<(int Index, string Value)> namespaces, ImmutableArray<(int Index, string Value)> cidrs)
    {
        const string quota = "GpuQuota[\"";
        if (propertyPath.StartsWith(quota, StringComparison.Ordinal))
        {
            var resource = propertyPath[quota.Length..^2];
            return resource == GpuResources.Gpu ? "quota.gpu"
                : resource.StartsWith(MigResourcePrefix, StringComparison.Ordinal) ? "quota.mig." + resource[MigResourcePrefix.Length..]
                : "quota";
        }

        return Indexed(propertyPath, "Paths.AllowFromNamespaces[", namespaces) ?? Indexed(propertyPath, "Paths.AllowFromCidrs[", cidrs);

        static string? Indexed(string path, string prefix, ImmutableArray<(int Index, string Value)> entries) =>
            path.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(path[prefix.Length..^1], out var j) && j < entries.Length
                ? $"allowFrom[{entries[j].Index}]"
                : null;
    }

    /// <summary>Splits <c>tenants[].allowFrom</c> into namespaces and CIDRs (an entry with a '/'), each with its index.</summary>
    internal static (ImmutableArray<(int Index, string Value)> Namespaces, ImmutableArray<(int Index, string Value)> Cidrs) TenantAllowFrom(ImmutableArray<string> entries)
    {
        var namespaces = ImmutableArray.CreateBuilder<(int, string)>();
        var cidrs = ImmutableArray.CreateBuilder<(int, string)>();
        for (var i = 0; i < entries.Length; i++)
        {
            (entries[i].Contains('/', StringComparison.Ordinal) ? cidrs : namespaces).Add((i, entries[i]));
        }

        return (namespaces.ToImmutable(), cidrs.ToImmutable());
    }

    private sealed partial class Binding
    {
        // Names that were declared but did not bind (references to them are not reported again), the allowFrom
        // namespaces with their key paths (checked once every tenant is known), and where each tenant says uses: [vectorDb].
        private readonly HashSet<string> _brokenTenants = new(StringComparer.Ordinal);
        private readonly List<(string Path, string Namespace)> _allowFromNamespacePaths = [];
        private readonly Dictionary<string, string> _tenantUsesPaths = new(StringComparer.Ordinal);

        private ImmutableArray<Environments.TenantSpec> BindTenants(ImmutableArray<ClusterSpec> clusters)
        {
            var result = ImmutableArray.CreateBuilder<Environments.TenantSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in TopList("tenants", required: false))
            {
                var before = errors.Count;
                var name = t.String("name", required: true);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(t.At("name"), $"duplicate tenant name \"{name}\"");
                }

                var group = t.String("group", required: true, secret: SecretUse.Allowed);
                var tenantClusters = t.Strings("clusters") ?? [.. clusters.Select(c => c.Name)];
                foreach (var c in tenantClusters.Where(c => clusters.All(x => x.Name != c) && !_brokenClusters.Contains(c)))
                {
                    errors.Add(t.At("clusters"), $"\"{c}\" is not a cluster of this stack; clusters: {string.Join(", ", clusters.Select(x => x.Name))}");
                }

                var q = t.Object("quota", required: true);
                TenantQuota? quota = null;
                if (q is not null)
                {
                    var gpuMap = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
                    if (q.Int("gpu") is { } g)
                    {
                        gpuMap[GpuResources.Gpu] = g;
                    }

                    foreach (var (profile, count) in q.IntMap("mig", min: int.MinValue) ?? ImmutableSortedDictionary<string, int>.Empty)
                    {
                        gpuMap[MigResourcePrefix + profile] = count;
                    }

                    var cpu = q.String("cpu", required: true);
                    var memory = q.String("memory", required: true);
                    var pvcs = q.Int("persistentVolumeClaims") ?? 10;
                    q.RejectUnknownKeys();
                    if (cpu is not null && memory is not null)
                    {
                        quota = new TenantQuota(gpuMap.ToImmutable(), cpu, memory, pvcs);
                    }
                }

                var allowFrom = t.Strings("allowFrom") ?? [];
                var uses = t.Strings("uses") ?? [];
                var pools = t.Strings("pools");
                t.RejectUnknownKeys();
                var (fromNamespaces, fromCidrs) = TenantAllowFrom(allowFrom);
                for (var i = 0; i < uses.Length; i++)
                {
                    if (uses[i] != TenantUsesVectorDb)
                    {
                        errors.Add($"{t.At("uses")}[{i}]", $"\"{uses[i]}\" is not a shared service a tenant can use; allowed: {TenantUsesVectorDb}");
                    }
                }

                if (name is not null && group is not null && quota is not null)
                {
                    // The component's own rules (TenantPlanner), on what this section gives every namespace of the tenant.
                    var spec = new Tenancy.TenantSpec(name, group, quota.Cpu, quota.Memory, SectionOwnership)
                    {
                        GpuQuota = quota.GpuResources,
                        PersistentVolumeClaims = quota.PersistentVolumeClaims,
                        Paths = new TenantPaths([.. fromNamespaces.Select(n => n.Value)], [.. fromCidrs.Select(c => c.Value)], [], []),
                    };
                    AddProblems(t.Path, path => TenantKeys.GetValueOrDefault(path) ?? TenantKey(path, fromNamespaces, fromCidrs), spec, TenantPlanner.Validate(spec));
                    foreach (var (index, ns) in fromNamespaces.Where(n => Naming.KubernetesNames.IsDnsLabel(n.Value)))
                    {
                        _allowFromNamespacePaths.Add(($"{t.At("allowFrom")}[{index}]", ns));
                    }
                }

                if (errors.Count > before && name is not null)
                {
                    _brokenTenants.Add(name);
                }

                if (name is not null && group is not null && quota is not null)
                {
                    var usesVectorDb = uses.Contains(TenantUsesVectorDb);
                    if (usesVectorDb)
                    {
                        _tenantUsesPaths[name] = t.At("uses");
                    }

                    _tenantPaths[name] = t.Path;

                    result.Add(new Environments.TenantSpec(name, group, tenantClusters, quota)
                    {
                        AllowFromNamespaces = [.. fromNamespaces.Select(n => n.Value)],
                        AllowFromCidrs = [.. fromCidrs.Select(c => c.Value)],
                        UsesVectorDb = usesVectorDb,
                        Pools = pools,
                    });
                }
            }

            // allowFrom may name any tenant of the stack (also one listed later) or a namespace the stack creates.
            var known = names.Concat(StackLayout.PlatformNamespaces).ToImmutableSortedSet(StringComparer.Ordinal);
            foreach (var (at, ns) in _allowFromNamespacePaths.Where(p => !known.Contains(p.Namespace)))
            {
                errors.Add(at, $"\"{ns}\" is not a namespace of this stack; allowFrom names a tenant ({string.Join(", ", names.Order(StringComparer.Ordinal))}), a platform namespace ({string.Join(", ", StackLayout.PlatformNamespaces)}) or a CIDR such as 10.20.0.0/16");
            }

            return ApplyDedicatedPools(result.ToImmutable(), names);
        }

        /// <summary><c>tenants[].uses: [vectorDb]</c> needs a vector DB on a cluster where the tenant has a namespace.</summary>
        private void CheckTenantUses(ImmutableArray<Environments.TenantSpec> tenants, VectorDbSpec? vectorDb, bool vectorDbBroken)
        {
            foreach (var tenant in tenants.Where(t => t.UsesVectorDb))
            {
                var at = _tenantUsesPaths[tenant.Name];
                if (vectorDb is null && !vectorDbBroken)
                {
                    errors.Add(at, "names vectorDb, but neocloud:vectorDb is not configured");
                }
                else if (vectorDb is not null && !tenant.Clusters.Contains(vectorDb.Cluster))
                {
                    errors.Add(at, $"names vectorDb, but tenant \"{tenant.Name}\" has no namespace in cluster \"{vectorDb.Cluster}\" of the vector DB");
                }
            }
        }
    }
}
