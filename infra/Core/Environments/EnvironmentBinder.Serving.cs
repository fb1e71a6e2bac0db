using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>The <c>neocloud:serving</c> section: YAML shapes, references and secrets here; every other rule is <see cref="TritonServicePlanner"/>'s.</summary>
public static partial class EnvironmentBinder
{
    private sealed partial class Binding
    {
        /// <summary>
        /// The one key-path table of the section: <see cref="TritonServiceSpec"/> property paths → keys of a
        /// <c>neocloud:serving[i]</c> entry. Paths of values the stack sets itself (placement, GPU resource name from the
        /// pool, repository, credentials, Prometheus address, resources) are not here: a problem there is the
        /// library's, reported on the entry with its property path.
        /// Ownership paths (<c>Environment</c>, <c>CostCenter</c>, <c>Tags</c>) are reported by the top-level keys.
        /// </summary>
        private static readonly ImmutableDictionary<string, string> ServingKeys = new Dictionary<string, string>
        {
            ["(name)"] = "name",
            ["Model"] = "model",
            ["Tenant"] = "tenant",
            ["Namespace"] = "tenant",
            ["MinReplicas"] = "replicas.min",
            ["MaxReplicas"] = "replicas.max",
            ["Slo.P95Ms"] = "slo.p95Ms",
            ["Slo.P99Ms"] = "slo.p99Ms",
            ["Autoscaling.ThresholdMs"] = "autoscaling.queueTimeThresholdMs",
            ["Autoscaling.ActivationThresholdMs"] = "autoscaling.activationQueueTimeMs",
            ["Autoscaling.FallbackReplicas"] = "autoscaling.fallbackReplicas",
            ["Autoscaling.TargetInFlightPerReplica"] = "autoscaling.targetInFlightPerReplica",
        }.ToImmutableDictionary(StringComparer.Ordinal);

        /// <summary>The table for the burst deployment of an entry (<c>&lt;name&gt;-burst</c>, scaling set by the stack).</summary>
        private static readonly ImmutableDictionary<string, string> BurstKeys = ServingKeys
            .SetItem("MaxReplicas", "burst.maxReplicas");

        /// <summary>
        /// The spec of the TritonService the stack creates for a deployment (or its burst part): what EnvironmentStack
        /// passes, with the values only the stack knows (placement, repository, credentials, Prometheus address) marked given.
        /// </summary>
        private TritonServiceSpec TritonSpec(ServingSpec s, string name, GpuRequest gpu, int min, int max, QueueTimeScaling scaling) => new(
            name,
            new OwnershipSpec(_environment, _environment), // ownership problems are the top-level keys' (filtered below)
            s.Tenant,
            StackLayout.ModelLabel(s.Model),
            s.Tenant,
            gpu.ResourceName,
            PlacementSet: true,
            new ModelRepositorySpec(null, null, StackLayout.ModelRepositoryPrefix(s.Name)),
            ModelBucketSet: true,
            CredentialsSecretNameSet: true,
            ControlMode: null,
            Models: [],
            min,
            max,
            s.LatencySlo,
            scaling,
            EnableAutoscaling: true,
            PrometheusAddressSet: true,
            MonitoringRelease: null,
            Cpu: TritonReplicaResources.Cpu,
            Memory: TritonReplicaResources.Memory,
            ModelLoadTimeoutSeconds: TritonServiceSpec.DefaultModelLoadTimeoutSeconds);

        private void ReportServingProblems(ConfigObject entry, TritonServiceSpec spec, ImmutableDictionary<string, string> keys)
        {
            foreach (var p in Check(entry.Path, spec, TritonServicePlanner.Validate(spec), path => keys.TryGetValue(path, out var key) ? entry.At(key) : null))
            {
                if (p.PropertyPath is "Environment" or "CostCenter" || p.PropertyPath.StartsWith("Tags[", StringComparison.Ordinal))
                {
                    continue;
                }

                if (keys.TryGetValue(p.PropertyPath, out var key))
                {
                    errors.Add(entry.At(key), p.Reason);
                }
                else
                {
                    errors.Add(entry.Path, $"{p.PropertyPath}: {p.Reason}");
                }
            }
        }

        private ImmutableArray<ServingSpec> BindServing(ImmutableArray<ClusterSpec> clusters, ImmutableArray<GpuPoolSpec> pools, ImmutableArray<TenantSpec> tenants, Topology? topology)
        {
            var result = ImmutableArray.CreateBuilder<ServingSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in TopList("serving", required: false))
            {
                var name = s.String("name", required: true);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(s.At("name"), $"duplicate serving deployment name \"{name}\"");
                }

                var model = s.String("model", required: true, secret: SecretUse.Allowed);
                var tenantName = s.String("tenant", required: true);
                var tenant = tenants.FirstOrDefault(t => t.Name == tenantName);
                if (tenantName is not null && tenant is null && !_brokenTenants.Contains(tenantName))
                {
                    errors.Add(s.At("tenant"), tenants.IsEmpty
                        ? $"\"{tenantName}\" is not a tenant: neocloud:tenants defines none"
                        : $"\"{tenantName}\" is not a tenant of this stack; tenants: {string.Join(", ", tenants.Select(t => t.Name))}");
                }

                var poolName = s.String("pool", required: true);
                var pool = ResolvePool(s, "pool", poolName, pools);
                var gpu = BindGpuRequest(s, pool, clusters);
                var replicas = s.Object("replicas", required: true);
                int? min = null, max = null;
                if (replicas is not null)
                {
                    min = replicas.Int("min", required: true, min: 0, max: 10_000);
                    max = replicas.Int("max", required: true, min: 1, max: 10_000);
                    replicas.RejectUnknownKeys();
                }

                var slo = s.Object("slo", required: true);
                LatencySlo? latency = null;
                if (slo is not null)
                {
                    var p95 = slo.Number("p95Ms", required: true, min: 1, max: 600_000);
                    var p99 = slo.Number("p99Ms", required: true, min: 1, max: 600_000);
                    slo.RejectUnknownKeys();
                    if (p95 is not null && p99 is not null)
                    {
                        latency = new LatencySlo(p95.Value, p99.Value);
                    }
                }

                var a = s.Object("autoscaling");
                // The default fallback keeps the prewarmed replicas (never above max, so an invalid min is reported once, on replicas.max).
                var autoscaling = new AutoscalingSpec(50, 10, Math.Max(Math.Min(min ?? 1, max ?? int.MaxValue), 1), 0);
                if (a is not null)
                {
                    var threshold = a.Number("queueTimeThresholdMs", min: 0.001, max: 600_000) ?? autoscaling.QueueTimeThresholdMs;
                    var activation = a.Number("activationQueueTimeMs", min: 0, max: 600_000) ?? Math.Min(autoscaling.ActivationQueueTimeMs, threshold);
                    var fallback = a.Int("fallbackReplicas", min: 1, max: 10_000) ?? autoscaling.FallbackReplicas;
                    var inFlight = a.Number("targetInFlightPerReplica", min: InFlightTarget.Minimum, max: 100_000);
                    a.RejectUnknownKeys();
                    autoscaling = new AutoscalingSpec(threshold, activation, fallback, inFlight ?? 0);
                }

                var throughput = s.Number("throughputTokensPerSecond", min: 0.001, max: MaxTokensPerSecond);
                if (!(autoscaling.TargetInFlightPerReplica > 0))
                {
                    // Not given: from the queue-time threshold at min replicas when the throughput is known, else the default.
                    autoscaling = autoscaling with
                    {
                        TargetInFlightPerReplica = throughput is { } tps && latency is not null
                            ? InFlightTarget.FromQueueTime(autoscaling.QueueTimeThresholdMs, tps / InFlightTarget.TokensPerRequest, Math.Max(min ?? 1, 1), latency.P95Ms)
                            : QueueTimeScaling.DefaultTargetInFlightPerReplica,
                    };
                }
                BurstSpec? burst = null;
                var b = s.Object("burst");
                if (b is not null)
                {
                    if (topology is not null && topology != Topology.Hybrid)
                    {
                        errors.Add(b.Path, "burst deployments need topology hybrid (an on-prem baseline and an eks burst cluster)");
                    }

                    var burstPoolName = b.String("pool", required: true);
                    var burstPool = ResolvePool(b, "pool", burstPoolName, pools);
                    if (burstPool is not null && topology == Topology.Hybrid && clusters.FirstOrDefault(c => c.Name == burstPool.Cluster) is { Burst: false } notBurst)
                    {
                        errors.Add(b.At("pool"), $"\"{burstPool.Name}\" is in cluster \"{notBurst.Name}\", not in the eks burst cluster");
                    }

                    if (burstPool is not null && tenant is not null && !tenant.Clusters.Contains(burstPool.Cluster))
                    {
                        errors.Add(b.At("pool"), $"tenant \"{tenant.Name}\" has no namespace in cluster \"{burstPool.Cluster}\" of burst pool \"{burstPool.Name}\"");
                    }

                    var burstGpu = BindGpuRequest(b, burstPool, clusters);
                    var burstMax = b.Int("maxReplicas", required: true, min: 1, max: 10_000);
                    b.RejectUnknownKeys();
                    if (burstPool is not null && burstGpu is not null && burstMax is not null)
                    {
                        burst = new BurstSpec(burstPool.Name, burstGpu, burstMax.Value);
                    }
                }

                s.RejectUnknownKeys();
                if (pool is not null && tenant is not null && !tenant.Clusters.Contains(pool.Cluster))
                {
                    errors.Add(s.At("tenant"), $"tenant \"{tenant.Name}\" has no namespace in cluster \"{pool.Cluster}\" of pool \"{pool.Name}\"");
                }

                if (name is not null && model is not null && tenantName is not null && pool is not null && gpu is not null && min is not null && max is not null && latency is not null)
                {
                    var spec = new ServingSpec(name, model, tenantName, pool.Name, gpu, min.Value, max.Value, latency, autoscaling, throughput, burst);

                    // Every other rule is the TritonService component's (one rule set): validate what the stack will pass it.
                    if (tenant is not null)
                    {
                        ReportServingProblems(s, TritonSpec(spec, spec.Name, spec.Gpu, spec.MinReplicas, spec.MaxReplicas, spec.Autoscaling.Scaling()), ServingKeys);
                        if (burst is not null && b is not null)
                        {
                            var burstScaling = BurstScaling.Scaling(spec, pool.Cluster);
                            ReportServingProblems(s, TritonSpec(spec, spec.Name + StackLayout.BurstSuffix, burst.Gpu, 0, burst.MaxReplicas, burstScaling), BurstKeys);
                        }
                    }

                    result.Add(spec);
                }
            }

            return result.ToImmutable();
        }

        private GpuPoolSpec? ResolvePool(ConfigObject o, string key, string? poolName, ImmutableArray<GpuPoolSpec> pools)
        {
            if (poolName is null)
            {
                return null;
            }

            var pool = pools.FirstOrDefault(p => p.Name == poolName);
            if (pool is null && _brokenPools.Contains(poolName))
            {
                return null;
            }

            if (pool is null)
            {
                errors.Add(o.At(key), $"\"{poolName}\" is not a GPU pool of this stack; pools: {string.Join(", ", pools.Select(p => p.Name))}");
                return null;
            }

            if (pool.Gpu is null)
            {
                errors.Add(o.At(key), $"\"{poolName}\" is a cpu pool; serving needs a pool with GPUs");
                return null;
            }

            return pool;
        }

        private GpuRequest? BindGpuRequest(ConfigObject o, GpuPoolSpec? pool, ImmutableArray<ClusterSpec> clusters)
        {
            var gpuCount = o.Int("gpu", min: 1, max: 1);
            var profile = o.String("mig");
            if (o.Has("gpu") == o.Has("mig"))
            {
                errors.Add(o.Path, "needs exactly one of gpu: 1 (one whole GPU per replica) or mig: <profile> (one MIG instance per replica)");
                return null;
            }

            if (pool is null || (gpuCount is null && profile is null))
            {
                return null;
            }

            var strategy = clusters.FirstOrDefault(c => c.Name == pool.Cluster)?.MigStrategy ?? MigStrategy.None;
            var offered = CapacityPlanner.PerNode(pool, strategy);
            if (profile is not null)
            {
                var poolProfiles = pool.Mig?.Profiles.ToList() ?? [];
                if (!poolProfiles.Contains(profile))
                {
                    errors.Add(o.At("mig"), poolProfiles.Count == 0
                        ? $"pool \"{pool.Name}\" has no MIG instances ({pool.Gpu!.Id}, MIG off); request gpu: 1 or target a MIG pool"
                        : $"pool \"{pool.Name}\" does not offer {profile}; it offers {string.Join(", ", poolProfiles)} (config {pool.Mig!.ConfigName})");
                    return null;
                }

                var resource = strategy == MigStrategy.Single ? "nvidia.com/gpu" : "nvidia.com/mig-" + profile;
                return new GpuRequest(GpuRequestKind.Mig, profile, resource);
            }

            if (pool.Mig is { Enabled: true } && (strategy == MigStrategy.Single || !offered.ContainsKey("nvidia.com/gpu")))
            {
                errors.Add(o.At("gpu"), $"pool \"{pool.Name}\" offers MIG instances ({string.Join(", ", pool.Mig.Profiles)}), not whole GPUs; request mig: <profile>");
                return null;
            }

            return new GpuRequest(GpuRequestKind.Gpu, null, "nvidia.com/gpu");
        }
    }
}
