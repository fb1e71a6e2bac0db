using System.Collections.Immutable;
using NeoCloud.Infra.Core.Traffic;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>
/// The <c>neocloud:gateway</c> section (issue 16): YAML shapes, types and references here (which cluster, which tenant,
/// clusters that serve); every value rule is <see cref="InferenceGatewayPlanner.Validate"/> on the spec
/// <see cref="GatewayLayout.For"/> builds for each gateway cluster.
/// </summary>
public static partial class EnvironmentBinder
{
    /// <summary>
    /// The one table from <see cref="InferenceGatewaySpec"/> property paths to keys of <c>neocloud:gateway.clusters[i]</c>.
    /// The routes' hostnames come from <c>domain</c>; each tenant's rate limit (<c>Tenants[k].Requests</c>, <c>.Unit</c>) from
    /// the entry it was read from (<c>tenants[m].rateLimit</c> or <c>rateLimit</c>). Every other property (names, namespaces, ports, the
    /// burst backends, placement, ownership) is the stack's layout: no row, reported where it is set.
    /// </summary>
    internal static readonly ImmutableSortedDictionary<string, string> GatewayKeys = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create(nameof(InferenceGatewaySpec.Hostname), "domain"),
        KeyValuePair.Create(nameof(InferenceGatewaySpec.TlsSecretName), "tlsSecretName"),
        KeyValuePair.Create("Routes[].Hostname", "domain"),
        KeyValuePair.Create("Tenants[].Requests", "requests"),
        KeyValuePair.Create("Tenants[].Unit", "unit"),
    ]);

    /// <summary>The table's row of <paramref name="propertyPath"/> with its indexes removed (<c>Routes[3].Hostname</c> → <c>Routes[].Hostname</c>).</summary>
    internal static string? GatewayKey(string propertyPath)
    {
        var shape = System.Text.RegularExpressions.Regex.Replace(propertyPath, @"\[[0-9]+\]", "[]");
        return GatewayKeys.TryGetValue(shape, out var key) ? key : null;
    }

    private sealed partial class Binding
    {
        // Where each tenant's rate limit was read: neocloud:gateway.tenants[m].rateLimit, or the section's rateLimit.
        private readonly Dictionary<string, string> _rateLimitPaths = new(StringComparer.Ordinal);
        private string _defaultRateLimitPath = ConfigDocument.KeyPath("gateway") + ".rateLimit";

        private GatewaySettings? BindGateway(ImmutableArray<ClusterSpec> clusters, ImmutableArray<ServingSpec> serving, ImmutableArray<GpuPoolSpec> pools, ImmutableArray<Environments.TenantSpec> tenants)
        {
            var g = TopObject("gateway");
            if (g is null)
            {
                return null;
            }

            var before = errors.Count;

            // A deployment or pool that did not bind would make "serves no deployment" a second error for one mistake.
            var servingComplete = (config.Values.GetValueOrDefault("serving") is System.Text.Json.Nodes.JsonArray a ? a.Count : 0) == serving.Length
                && serving.All(s => pools.Any(p => p.Name == s.Pool) && (s.Burst is null || pools.Any(p => p.Name == s.Burst.Pool)));
            var entries = ImmutableArray.CreateBuilder<GatewayClusterSpec>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var list = g.Objects("clusters", required: true) ?? [];
            foreach (var c in list)
            {
                var cluster = c.String("cluster", required: true);
                var enabled = c.Bool("enabled") ?? true;
                var domain = c.String("domain", required: true);
                var tls = c.String("tlsSecretName", required: true);
                c.RejectUnknownKeys();
                if (cluster is null)
                {
                    continue;
                }

                if (!seen.Add(cluster))
                {
                    errors.Add(c.At("cluster"), $"cluster \"{cluster}\" already has a gateway entry; one entry per cluster");
                    continue;
                }

                if (!clusters.Any(k => k.Name == cluster))
                {
                    if (!_brokenClusters.Contains(cluster))
                    {
                        errors.Add(c.At("cluster"), $"\"{cluster}\" is not a cluster of this stack; clusters: {string.Join(", ", clusters.Select(k => k.Name))}");
                    }

                    continue;
                }

                var servesHere = serving.Any(s => pools.FirstOrDefault(p => p.Name == s.Pool)?.Cluster == cluster);
                var burstOnly = !servesHere && serving.Any(s => s.Burst is { } b && pools.FirstOrDefault(p => p.Name == b.Pool)?.Cluster == cluster);
                if (!servesHere && servingComplete)
                {
                    errors.Add(c.At("cluster"), burstOnly
                        ? $"cluster \"{cluster}\" runs only burst deployments, which the on-prem cluster's gateway reaches over the private link; list the on-prem cluster instead"
                        : $"cluster \"{cluster}\" serves no deployment (no serving[].pool is on it); a gateway routes to the deployments of its cluster; clusters that serve: {string.Join(", ", clusters.Where(k => serving.Any(s => pools.FirstOrDefault(p => p.Name == s.Pool)?.Cluster == k.Name)).Select(k => k.Name))}");
                    continue;
                }

                if (servesHere && enabled && domain is not null && tls is not null)
                {
                    entries.Add(new GatewayClusterSpec(cluster, domain, tls));
                }
            }

            _defaultRateLimitPath = g.At("rateLimit");
            var defaultLimit = RateLimit(g.Object("rateLimit", required: true));
            var perTenant = ImmutableSortedDictionary.CreateBuilder<string, GatewayRateLimit>(StringComparer.Ordinal);
            foreach (var t in g.Objects("tenants") ?? [])
            {
                var name = t.String("name", required: true);
                var limitObject = t.Object("rateLimit", required: true);
                var limit = RateLimit(limitObject);
                t.RejectUnknownKeys();
                if (name is null)
                {
                    continue;
                }

                if (!tenants.Any(x => x.Name == name))
                {
                    if (!_brokenTenants.Contains(name))
                    {
                        errors.Add(t.At("name"), $"\"{name}\" is not a tenant of this stack; tenants: {string.Join(", ", tenants.Select(x => x.Name))}");
                    }

                    continue;
                }

                if (perTenant.ContainsKey(name))
                {
                    errors.Add(t.At("name"), $"tenant \"{name}\" already has a rate limit entry");
                    continue;
                }

                if (limit is not null)
                {
                    perTenant[name] = limit;
                    _rateLimitPaths[name] = t.At("rateLimit");
                }
            }

            g.RejectUnknownKeys();
            return errors.Count > before || defaultLimit is null ? null : new GatewaySettings(entries.ToImmutable(), defaultLimit, perTenant.ToImmutable());
        }

        private static GatewayRateLimit? RateLimit(ConfigObject? o)
        {
            if (o is null)
            {
                return null;
            }

            var requests = o.Int("requests", required: true, min: 0, max: 1_000_000_000);
            var unit = o.String("unit", required: true);
            o.RejectUnknownKeys();
            return requests is null || unit is null ? null : new GatewayRateLimit(requests.Value, unit);
        }

        /// <summary>
        /// Each gateway's spec (<see cref="GatewayLayout.For"/>) validated with the component's planner; its problems at the
        /// keys of <see cref="GatewayKeys"/>, each (key, message) once although several gateways share the rate limits.
        /// </summary>
        private void CheckGateways(EnvironmentModel model)
        {
            if (model.Gateway is not { } section)
            {
                return;
            }

            var reported = new HashSet<(string, string)>();
            var entries = config.Values.GetValueOrDefault("gateway")?["clusters"]?.AsArray();
            foreach (var gateway in section.Clusters)
            {
                var index = entries?.Select((e, i) => (e, i)).First(x => (string?)x.e?["cluster"] == gateway.Cluster).i ?? 0;
                var objectPath = $"{ConfigDocument.KeyPath("gateway")}.clusters[{index}]";
                var spec = GatewayLayout.For(model, gateway, section);
                string? KeyOf(string path)
                {
                    if (GatewayKey(path) is not { } key)
                    {
                        return SpecCheck.NotThisSection;
                    }

                    if (path.StartsWith("Tenants[", StringComparison.Ordinal))
                    {
                        var tenant = spec.Tenants[int.Parse(path["Tenants[".Length..path.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)].Tenant;
                        return $"{_rateLimitPaths.GetValueOrDefault(tenant, _defaultRateLimitPath)}.{key}";
                    }

                    return $"{objectPath}.{key}";
                }

                foreach (var problem in Check(objectPath, spec, InferenceGatewayPlanner.Validate(spec), KeyOf))
                {
                    if (KeyOf(problem.PropertyPath) is { Length: > 0 } at && reported.Add((at, problem.Reason)))
                    {
                        errors.Add(at, problem.Reason);
                    }
                }
            }
        }
    }
}
