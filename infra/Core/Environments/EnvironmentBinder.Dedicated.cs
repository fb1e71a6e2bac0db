using System.Collections.Immutable;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Environments;

public static partial class EnvironmentBinder
{
    private sealed partial class Binding
    {
        // gpuPools[i].dedicatedTo as read by the pools section (key path, pool, tenant), checked once every tenant is known;
        // and each bound tenant's key path (tenants[i]) for the pool checks on the model.
        private readonly List<(string Path, string Pool, string Tenant)> _dedicatedTo = [];
        private readonly Dictionary<string, string> _tenantPaths = new(StringComparer.Ordinal);

        /// <summary>
        /// Reads <c>gpuPools[i].dedicatedTo</c> (a tenant name) before the pools section rejects unknown keys. The pool is
        /// tainted with <see cref="DedicatedPools.Taint"/> and only that tenant's pods may tolerate it (the tenant admission policy).
        /// </summary>
        private void ReadDedicatedTo(ConfigObject pool, string? poolName)
        {
            var tenant = pool.String("dedicatedTo");
            if (tenant is not null && poolName is not null)
            {
                _dedicatedTo.Add((pool.At("dedicatedTo"), poolName, tenant));
            }
        }

        /// <summary><c>dedicatedTo</c> must name a tenant of the stack; each tenant learns the pools dedicated to it.</summary>
        private ImmutableArray<Environments.TenantSpec> ApplyDedicatedPools(ImmutableArray<Environments.TenantSpec> tenants, IReadOnlySet<string> declared)
        {
            foreach (var (at, pool, tenant) in _dedicatedTo.Where(d => !declared.Contains(d.Tenant)))
            {
                errors.Add(at, $"pool \"{pool}\" is dedicated to \"{tenant}\", which is not a tenant of this stack; tenants: {(declared.Count == 0 ? "none" : string.Join(", ", declared.Order(StringComparer.Ordinal)))}");
            }

            return [.. tenants.Select(t => t with { DedicatedPools = [.. _dedicatedTo.Where(d => d.Tenant == t.Name).Select(d => d.Pool)] })];
        }

        /// <summary>
        /// <c>tenants[i].pools[j]</c> on the bound model (<see cref="TenantPools.Problems"/>): a GPU pool of the tenant's clusters,
        /// not dedicated to another tenant, whose resources its quota grants; and a pool dedicated to a tenant on a cluster
        /// where that tenant has no namespace.
        /// </summary>
        private void CheckTenantPools(EnvironmentModel model)
        {
            foreach (var tenant in model.Tenants)
            {
                var at = _tenantPaths.GetValueOrDefault(tenant.Name, "neocloud:tenants");
                foreach (var (j, reason) in TenantPools.Problems(model, tenant))
                {
                    errors.Add($"{at}.pools[{j}]", reason);
                }
            }

            foreach (var (at, pool, tenant) in _dedicatedTo)
            {
                var spec = model.GpuPools.FirstOrDefault(p => p.Name == pool);
                var owner = model.Tenants.FirstOrDefault(t => t.Name == tenant);
                if (spec is not null && owner is not null && !owner.Clusters.Contains(spec.Cluster))
                {
                    errors.Add(at, $"tenant \"{tenant}\" has no namespace in cluster \"{spec.Cluster}\" of pool \"{pool}\"; add the cluster to tenants[].clusters or dedicate a pool of its clusters");
                }
            }
        }
    }
}
