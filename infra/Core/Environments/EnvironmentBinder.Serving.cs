using System.Collections.Immutable;
using System.Globalization;
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
            ["Runtime"] = "runtime",
            ["Image"] = "image",
            ["GpuCount"] = "gpu",
            ["ModelSize.ParametersBillions"] = "parametersBillions",
            ["ModelSize.WeightsGiB"] = "weightsGiB",
            ["ModelSize.MaxContextTokens"] = "maxContextTokens",
            ["ModelSize.MaxConcurrentSequences"] = "maxConcurrentSequences",
            ["ModelSize.KvCacheBytesPerToken"] = "kvCacheBytesPerToken",
            ["Batching"] = "batching",
            ["Batching.MaxBatchSize"] = "batching.maxBatchSize",
            ["Batching.MaxQueueDelayMicroseconds"] = "batching.maxQueueDelayMicroseconds",
            ["Instances"] = "instances",
            ["Instances.Count"] = "instances.count",
            ["Instances.Kind"] = "instances.kind",
        }.ToImmutableDictionary(StringComparer.Ordinal);

        /// <summary>The key of a serving property path: the table's, or an element of <c>batching.preferredBatchSizes</c>.</summary>
        private static string? ServingKey(ImmutableDictionary<string, string> keys, string path) =>
            keys.TryGetValue(path, out var key) ? key
            : path.StartsWith("Batching.PreferredBatchSizes[", StringComparison.Ordinal) ? "batching.preferredBatchSizes" + path["Batching.PreferredBatchSizes".Length..]
            : null;

        /// <summary>The table for the burst deployment of an entry (<c>&lt;name&gt;-burst</c>, scaling set by the stack).</summary>
        private static readonly ImmutableDictionary<string, string> BurstKeys = ServingKeys
            .SetItem("MaxReplicas", "burst.maxReplicas")
            .SetItem("GpuCount", "burst.gpu");

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
            Cpu: null, // the runtime's defaults (ServingContainer), as EnvironmentStack passes them
            Memory: null,
            ModelLoadTimeoutSeconds: TritonServiceSpec.DefaultModelLoadTimeoutSeconds,
            Runtime: ServingImages.NameOf(s.Runtime),
            Image: s.Image,
            GpuCount: gpu.Count,
            ModelSize: s.Size,
            Batching: s.Batching,
            Instances: s.Instances);

        /// <summary>
        /// Reports the planner's problems of one deployment part. <paramref name="burstPart"/>: the burst part's spec, whose
        /// runtime, image and model size are the entry's own keys, reported once by the on-prem part.
        /// </summary>
        private void ReportServingProblems(ConfigObject entry, TritonServiceSpec spec, ImmutableDictionary<string, string> keys, bool burstPart = false)
        {
            bool Shared(string path) => burstPart && (path is "Runtime" or "Image" || path.StartsWith("ModelSize.", StringComparison.Ordinal) || path.StartsWith("Batching", StringComparison.Ordinal) || path.StartsWith("Instances", StringComparison.Ordinal));
            foreach (var p in Check(entry.Path, spec, TritonServicePlanner.Validate(spec), path => Shared(path) ? SpecCheck.NotThisSection : ServingKey(keys, path) is { } key ? entry.At(key) : null))
            {
                if (p.PropertyPath is "Environment" or "CostCenter" || p.PropertyPath.StartsWith("Tags[", StringComparison.Ordinal) || Shared(p.PropertyPath))
                {
                    continue;
                }

                if (ServingKey(keys, p.PropertyPath) is { } key)
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

                // The model id is a label (neocloud.io/model), a metric label and the model-repository path: never secret.
                string? model;
                if (errors.Secrets.IsSecret(s.At("model")) || errors.Secrets.IsUnreadable(s.At("model")))
                {
                    _ = s.String("model", secret: SecretUse.Allowed); // read (so the key is known), never used
                    errors.Add(s.At("model"), "is a secret (secure:), but a model id cannot be secret: it becomes the neocloud.io/model label, a metric label and the model-repository path; give the plain id (e.g. meta-llama/Llama-3.1-8B-Instruct)");
                    model = null;
                }
                else
                {
                    model = s.String("model", required: true);
                }

                var runtimeName = s.String("runtime");
                var runtime = ServingImages.Parse(runtimeName);
                if (runtime is null)
                {
                    errors.Add(s.At("runtime"), $"\"{runtimeName}\" is not a serving runtime; allowed: {string.Join(", ", ServingImages.RuntimeNames)}");
                }

                var image = s.String("image");
                var size = BindModelSize(s);
                var (batching, instances) = BindModelConfig(s);
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
                            ? InFlightTarget.FromQueueTime(autoscaling.QueueTimeThresholdMs, tps / InFlightTarget.TokensPerRequest, Math.Max(min ?? 1, 1), latency.P95Ms, ServingContainer.ConcurrentSequences(runtime ?? ServingRuntime.Triton, size))
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
                    if (runtime == ServingRuntime.Vllm)
                    {
                        errors.Add(s.At("runtime"), "a burst deployment needs a Triton runtime (triton, triton-vllm or triton-trtllm): the burst gate and its scale-from-zero query read Triton's nv_inference_request_duration_us from both clusters; use runtime triton-vllm to serve vLLM behind Triton");
                    }

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
                    var spec = new ServingSpec(name, model, tenantName, pool.Name, gpu, min.Value, max.Value, latency, autoscaling, throughput, burst, size, runtime ?? ServingRuntime.Triton, image)
                    {
                        Batching = batching,
                        Instances = instances,
                    };

                    // Every other rule is the TritonService component's (one rule set): validate what the stack will pass it.
                    if (tenant is not null)
                    {
                        ReportServingProblems(s, TritonSpec(spec, spec.Name, spec.Gpu, spec.MinReplicas, spec.MaxReplicas, spec.Autoscaling.Scaling()), ServingKeys);
                        if (burst is not null && b is not null)
                        {
                            var burstScaling = BurstScaling.Scaling(spec, pool.Cluster);
                            // Runtime, image and model size are the entry's own keys: reported once, by the on-prem part.
                            ReportServingProblems(s, TritonSpec(spec, spec.Name + StackLayout.BurstSuffix, burst.Gpu, 0, burst.MaxReplicas, burstScaling), BurstKeys, burstPart: true);
                        }
                    }

                    // The model must fit the memory of one replica, on-prem and burst (one rule: ModelFit).
                    if (runtime is not null && size is not null && ModelFit.Validate(size).IsEmpty)
                    {
                        CheckFit(s, spec, pool, gpu, spec.Name, gpu.Kind == GpuRequestKind.Mig ? "mig" : "gpu");
                        if (burst is not null && b is not null)
                        {
                            CheckFit(b, spec, pools.First(p => p.Name == burst.Pool), burst.Gpu, spec.Name + StackLayout.BurstSuffix, burst.Gpu.Kind == GpuRequestKind.Mig ? "mig" : "gpu");
                        }
                    }

                    result.Add(spec);
                }
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// Reads <c>batching: {maxBatchSize, preferredBatchSizes, maxQueueDelayMicroseconds}</c> and <c>instances: {count,
        /// kind}</c> (model_config.proto's names; Core <see cref="TritonModelConfig"/>). Only the YAML shape is checked
        /// here; ranges, the runtime and the SLO bound are the component's rules.
        /// </summary>
        private (TritonBatchingSpec? Batching, TritonInstancesSpec? Instances) BindModelConfig(ConfigObject s)
        {
            TritonBatchingSpec? batching = null;
            var b = s.Object("batching");
            if (b is not null)
            {
                var max = b.Int("maxBatchSize");
                var preferred = b.Ints("preferredBatchSizes");
                var delay = b.Int("maxQueueDelayMicroseconds");
                b.RejectUnknownKeys();
                var broken = (b.Has("maxBatchSize") && max is null) || (b.Has("preferredBatchSizes") && preferred is null) || (b.Has("maxQueueDelayMicroseconds") && delay is null);
                batching = broken ? null : new TritonBatchingSpec(max, preferred ?? [], delay ?? 0);
            }

            TritonInstancesSpec? instances = null;
            var i = s.Object("instances");
            if (i is not null)
            {
                var count = i.Int("count");
                var kind = i.String("kind");
                i.RejectUnknownKeys();
                instances = (i.Has("count") && count is null) || (i.Has("kind") && kind is null) ? null : new TritonInstancesSpec(count ?? 1, kind);
            }

            return (batching, instances);
        }

        /// <summary>Reads the model's size keys; null when none is given (the fit is then unchecked).</summary>
        private ModelSize? BindModelSize(ConfigObject s)
        {
            var billions = s.Number("parametersBillions", min: 0.001, max: 100_000);
            var precisionName = s.String("precision");
            var weights = s.Number("weightsGiB", min: 0.001, max: 1_000_000);
            var context = s.Int("maxContextTokens", min: 1, max: 100_000_000);
            var sequences = s.Int("maxConcurrentSequences", min: 1, max: 1_000_000);
            var kv = s.Number("kvCacheBytesPerToken", min: 1, max: 1e9);
            var precision = ModelFit.ParsePrecision(precisionName);
            if (precisionName is not null && precision is null)
            {
                errors.Add(s.At("precision"), $"\"{precisionName}\" is not a precision; allowed: {string.Join(", ", ModelFit.PrecisionNames)}");
                return null;
            }

            if (precisionName is not null && s.Has("weightsGiB") && !s.Has("parametersBillions"))
            {
                errors.Add(s.At("precision"), "applies to parametersBillions; weightsGiB is already the size as loaded (drop precision or give parametersBillions instead)");
            }

            var any = s.Has("parametersBillions") || s.Has("weightsGiB") || s.Has("maxContextTokens") || s.Has("maxConcurrentSequences") || s.Has("kvCacheBytesPerToken") || s.Has("precision");
            if (!any || (s.Has("parametersBillions") && billions is null) || (s.Has("weightsGiB") && weights is null) || (s.Has("maxContextTokens") && context is null))
            {
                return null; // not stated, or a range error was reported at its key
            }

            return new ModelSize(billions, precision, weights, context, sequences, kv);
        }

        /// <summary>Reports a model that does not fit one replica's GPU memory at the key that chose the GPU (<c>gpu</c> or <c>mig</c>).</summary>
        private void CheckFit(ConfigObject o, ServingSpec spec, GpuPoolSpec pool, GpuRequest gpu, string deployment, string key)
        {
            if (pool.Gpu is null || spec.Size is null)
            {
                return;
            }

            if (ServingImages.ResourceProblem(spec.Runtime, spec.Size.Precision, pool.Gpu) is { } problem)
            {
                errors.Add(o.At(key), $"pool \"{pool.Name}\": {problem}");
            }

            var fit = ModelFit.For(deployment, spec.Model, spec.Size, ModelFit.DeviceMemoryGiB(pool.Gpu, gpu.Profile, pool.TimeSlicingReplicas), gpu.Count, gpu.Profile ?? pool.Gpu.Id);
            if (!fit.Fits)
            {
                errors.Add(o.At(key), string.Create(CultureInfo.InvariantCulture,
                    $"model {spec.Model} does not fit: it needs {fit.NeededGiB:0.0} GiB per replica but {gpu.Count} × {fit.Device} on pool \"{pool.Name}\" has {fit.AvailableGiB:0.0} GiB ({fit.Describe()}); use a larger MIG profile or more whole GPUs (gpu: N, tensor parallel), a lower precision, or fewer maxContextTokens / maxConcurrentSequences"));
            }
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
            var gpuCount = o.Int("gpu", min: 1, max: TritonServicePlanner.MaxGpusPerReplica);
            var profile = o.String("mig");
            if (o.Has("gpu") == o.Has("mig"))
            {
                errors.Add(o.Path, "needs exactly one of gpu: 1 (or gpu: N, N whole GPUs per replica for tensor parallelism) or mig: <profile> (one MIG instance per replica)");
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

            // A replica's GPUs must sit on one node: tensor parallelism runs over NVLink/PCIe inside the pod.
            var wholePerNode = offered.GetValueOrDefault(GpuResources.Gpu);
            if (gpuCount > 1 && pool.TimeSliced)
            {
                errors.Add(o.At("gpu"), $"pool \"{pool.Name}\" time-slices its GPUs ({pool.TimeSlicingReplicas} replicas each): a tensor-parallel replica needs {gpuCount} GPUs of its own; use gpu: 1 or a pool without timeSlicing");
                return null;
            }

            if (gpuCount > wholePerNode)
            {
                errors.Add(o.At("gpu"), $"{gpuCount} GPUs per replica, but a node of pool \"{pool.Name}\" has {wholePerNode} whole {pool.Gpu!.Id} GPUs; a replica's GPUs must be on one node: use gpu: {Math.Max(wholePerNode, 1)} or fewer, or a pool with larger nodes");
                return null;
            }

            return new GpuRequest(GpuRequestKind.Gpu, null, "nvidia.com/gpu", gpuCount ?? 1);
        }
    }
}
