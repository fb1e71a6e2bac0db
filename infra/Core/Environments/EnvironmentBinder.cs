using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>The outcome of binding a stack's configuration: a model, or every problem found.</summary>
/// <param name="Model">The validated model, or null when there are errors.</param>
/// <param name="Errors">Every problem found (empty when <paramref name="Model"/> is set).</param>
public sealed record BindResult(EnvironmentModel? Model, ImmutableArray<ConfigError> Errors)
{
    /// <summary>True when the configuration is valid.</summary>
    public bool IsValid => Model is not null;

    /// <summary>The model, or an <see cref="EnvironmentConfigException"/> listing every problem.</summary>
    public EnvironmentModel ModelOrThrow() => Model ?? throw new EnvironmentConfigException(Errors);
}

/// <summary>
/// Binds a stack's <c>neocloud:</c> configuration into an immutable, validated <see cref="EnvironmentModel"/>.
/// One binder serves both readers (the Pulumi program and the offline plan); every violation is reported at
/// once with its key path, what was wrong and what is allowed.
/// </summary>
public static partial class EnvironmentBinder
{
    /// <summary>The top-level keys this library reads under <c>neocloud:</c> (secret keys may have any name).</summary>
    public static readonly ImmutableArray<string> Keys =
        ["environment", "costCenter", "topology", "clusters", "gpuPools", "migConfigs", "serving", "tenants", "storage", "monitoring", "vectorDb", "policy", "cost"];

    private static readonly Dictionary<string, Topology> Topologies = new() { ["onprem"] = Topology.OnPrem, ["cloud"] = Topology.Cloud, ["hybrid"] = Topology.Hybrid };
    private static readonly Dictionary<string, PolicyEnforcement> Enforcements = new() { ["advisory"] = PolicyEnforcement.Advisory, ["strict"] = PolicyEnforcement.Strict };

    /// <summary>Upper bound of <c>throughputTokensPerSecond</c> per replica: far above any GPU (about 10⁴–10⁵ today), low enough for exact cost arithmetic.</summary>
    private const double MaxTokensPerSecond = 10_000_000;

    private const string DnsLabelHint = "a DNS label: lowercase letters, digits and '-', starting with a letter, at most 40 characters";

    /// <summary>The shared service <c>tenants[].uses</c> may name.</summary>
    private const string TenantUsesVectorDb = "vectorDb";

    private const string QuantityHint = "a Kubernetes quantity such as 64, 500m, 256Gi";

    /// <summary>Binds and validates; never throws for bad configuration.</summary>
    /// <param name="config">The stack's configuration.</param>
    /// <param name="catalog">The hardware catalog; defaults to <see cref="HardwareCatalog.Default"/>.</param>
    /// <param name="matrix">The version-compatibility matrix; defaults to <see cref="CompatibilityMatrix.Default"/>.</param>
    public static BindResult Bind(StackConfig config, HardwareCatalog? catalog = null, CompatibilityMatrix? matrix = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        catalog ??= HardwareCatalog.Default;
        var errors = new ConfigErrors(new ConfigSecrets(config));
        var model = new Binding(config, catalog, errors) { Matrix = matrix ?? CompatibilityMatrix.Default }.Run();
        if (errors.Count == 0 && model is null)
        {
            // Every path that returns no model reports why; this would be a binder bug, never an input error.
            throw new InvalidOperationException("the binder returned no model and no error");
        }

        return errors.Count == 0 && model is not null
            ? new BindResult(model with { SecretValues = [.. errors.Secrets.Values] }, [])
            : new BindResult(null, [.. errors.All]);
    }

    /// <summary>Binds and validates, throwing <see cref="EnvironmentConfigException"/> with every problem.</summary>
    public static EnvironmentModel BindOrThrow(StackConfig config, HardwareCatalog? catalog = null) => Bind(config, catalog).ModelOrThrow();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex AwsRegion();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$")]
    private static partial Regex Quantity();

    [GeneratedRegex("^[0-9]+[smhdwy]$")]
    private static partial Regex PromDuration();

    [GeneratedRegex(@"^(\S+\s+){4}\S+$")]
    private static partial Regex Cron();

    [GeneratedRegex(@"^nvidia\.com/(gpu|mig-[0-9]g\.[0-9]+gb)$")]
    private static partial Regex GpuResourceName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,40}$")]
    private static partial Regex BucketPrefix();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]*$")]
    private static partial Regex ConfigKeyName();

    /// <summary>One binding run: reads every section, then checks cross-references and capacity.</summary>
    // Partial: each section's binding lives in its own file (EnvironmentBinder.<Section>.cs). The constructor's
    // values are fields because a primary constructor's parameters are visible in one partial declaration only.
    private sealed partial class Binding
    {
#pragma warning disable IDE1006 // kept the names of the former primary-constructor parameters
        private readonly StackConfig config;
        private readonly HardwareCatalog catalog;
        private readonly ConfigErrors errors;
#pragma warning restore IDE1006

        public Binding(StackConfig config, HardwareCatalog catalog, ConfigErrors errors)
        {
            this.config = config;
            this.catalog = catalog;
            this.errors = errors;
        }

        private string _environment = "dev";

        public required CompatibilityMatrix Matrix { get; init; }

        // Names that were declared but did not bind: references to them are not reported again, so one
        // mistake gives one error instead of a cascade.
        private readonly HashSet<string> _brokenClusters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _clusterPaths = new(StringComparer.Ordinal);
        private readonly HashSet<string> _clustersWithBrokenPools = new(StringComparer.Ordinal);
        private readonly HashSet<string> _brokenPools = new(StringComparer.Ordinal);
        private readonly HashSet<string> _brokenTenants = new(StringComparer.Ordinal);
        private readonly List<(string Path, string Namespace)> _allowFromNamespacePaths = [];
        private readonly Dictionary<string, string> _tenantUsesPaths = new(StringComparer.Ordinal);

        // The clusters do not fit the topology: topology-dependent checks would only repeat that error.
        private bool _topologyMismatch;

        public EnvironmentModel? Run()
        {
            foreach (var key in config.Values.Keys.Where(k => !config.SecretKeys.Contains(k) && !Keys.Contains(k)))
            {
                errors.Add(ConfigDocument.KeyPath(key), $"unknown key; allowed keys: {string.Join(", ", Keys)} (and secret keys referenced by them)");
            }

            var environment = TopString("environment", DnsLabel(), DnsLabelHint);
            _environment = environment ?? "dev";
            var costCenter = TopString("costCenter", DnsLabel(), DnsLabelHint);
            Topology? topology = null;
            var topologyText = TopString("topology");
            if (topologyText is not null)
            {
                if (Topologies.TryGetValue(topologyText, out var t))
                {
                    topology = t;
                }
                else
                {
                    errors.Add(ConfigDocument.KeyPath("topology"), $"\"{topologyText}\" is not allowed; allowed: {string.Join(", ", Topologies.Keys)}");
                }
            }

            var policy = BindPolicy();
            var production = EnvironmentModel.IsProductionEnvironment(environment ?? string.Empty, policy?.Enforcement ?? PolicyEnforcement.Advisory);

            var clustersRaw = BindClusters(topology);
            if (_topologyMismatch)
            {
                // Checks that depend on the topology would only repeat the clusters error.
                topology = null;
            }

            var migConfigs = BindMigConfigs();
            var pools = BindPools(clustersRaw, migConfigs);
            RequireSystemPools(clustersRaw, pools);
            var clusters = ResolveStrategies(clustersRaw, pools);
            var tenants = BindTenants(clusters);
            var serving = BindServing(clusters, pools, tenants, topology);
            var storage = BindStorage(topology, clusters);
            var monitoring = BindMonitoring();
            var vectorDbErrors = errors.Count;
            var vectorDb = BindVectorDb(clusters, production);
            CheckTenantUses(tenants, vectorDb, errors.Count > vectorDbErrors);
            var cost = BindCost();

            if (errors.Count > 0 || environment is null || costCenter is null || topology is null || policy is null || storage is null || monitoring is null || cost is null)
            {
                return null;
            }

            var model = new EnvironmentModel(
                environment, costCenter, topology.Value, clusters, pools, migConfigs, serving, tenants, storage, monitoring, vectorDb, policy, cost);

            // Capacity needs a structurally valid model; its violations are reported the same way.
            foreach (var error in CapacityPlanner.Validate(model))
            {
                errors.Add(error.Path, error.Message);
            }

            return errors.Count == 0 ? model : null;
        }

        private string? TopString(string key, Regex? pattern = null, string? hint = null)
        {
            var path = ConfigDocument.KeyPath(key);
            if (config.SecretKeys.Contains(key))
            {
                errors.Add(path, "must be a plain value, not a secret");
                return null;
            }

            if (!config.Values.TryGetValue(key, out var node) || node is null)
            {
                errors.Add(path, "is required");
                return null;
            }

            if (node is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length == 0)
            {
                errors.Add(path, $"expected a non-empty string, got {errors.Secrets.Show(path, node)}");
                return null;
            }

            if (pattern is not null && !pattern.IsMatch(s))
            {
                errors.Add(path, $"\"{s}\" is not allowed; expected {hint}");
                return null;
            }

            return s;
        }

        private ConfigObject? TopObject(string key)
        {
            var path = ConfigDocument.KeyPath(key);
            if (!config.Values.TryGetValue(key, out var node) || node is null)
            {
                WholeSecret(key);
                return null;
            }

            if (node is JsonObject o)
            {
                return new ConfigObject(path, o, errors);
            }

            errors.Add(path, $"expected a mapping (object), got {errors.Secrets.Show(path, node)}");
            return null;
        }

        private ImmutableArray<ConfigObject> TopList(string key, bool required)
        {
            var path = ConfigDocument.KeyPath(key);
            if (!config.Values.TryGetValue(key, out var node) || node is null)
            {
                if (!WholeSecret(key) && required)
                {
                    errors.Add(path, "is required");
                }

                return [];
            }

            return ConfigDocument.ObjectsOf(path, node, errors) ?? [];
        }

        /// <summary>Reports a section whose whole value is an unreadable secret; true when it did.</summary>
        private bool WholeSecret(string key)
        {
            if (!config.SecretKeys.Contains(key) || (config.SecretKeysReadable && config.Values.GetValueOrDefault(key) is not null))
            {
                return false;
            }

            errors.Add(ConfigDocument.KeyPath(key), $"is a secret as a whole (secure:); neocloud must read this section to check and plan it: keep it plain and make single values secret (`pulumi config set --secret --path 'neocloud:{key}...'`), which is allowed for {ConfigSecrets.AllowedKeys}");
            return true;
        }

        private PolicySpec? BindPolicy()
        {
            var o = TopObject("policy");
            if (o is null)
            {
                return new PolicySpec(PolicyEnforcement.Advisory, $"policy/config/{_environment}.json");
            }

            var enforcement = o.Enum("enforcement", Enforcements, required: true);
            var packConfig = o.String("packConfig", secret: SecretUse.Allowed) ?? $"policy/config/{_environment}.json";
            o.RejectUnknownKeys();
            return enforcement is null ? null : new PolicySpec(enforcement.Value, packConfig);
        }

        private ImmutableArray<TenantSpec> BindTenants(ImmutableArray<ClusterSpec> clusters)
        {
            var result = ImmutableArray.CreateBuilder<TenantSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in TopList("tenants", required: false))
            {
                var before = errors.Count;
                var name = t.String("name", required: true, DnsLabel(), DnsLabelHint);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(t.At("name"), $"duplicate tenant name \"{name}\"");
                }

                if (name is "default" or "kube-system" or "kube-public" or "kube-node-lease")
                {
                    errors.Add(t.At("name"), $"\"{name}\" is a Kubernetes system namespace; choose another tenant name");
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
                    var gpus = q.Int("gpu", min: 0, max: 100_000);
                    if (gpus is { } g)
                    {
                        gpuMap["nvidia.com/gpu"] = g;
                    }

                    foreach (var (profile, count) in q.IntMap("mig", min: 0, max: 100_000) ?? ImmutableSortedDictionary<string, int>.Empty)
                    {
                        var resource = "nvidia.com/mig-" + profile;
                        if (!GpuResourceName().IsMatch(resource))
                        {
                            errors.Add(q.At("mig") + "." + profile, $"\"{profile}\" is not a MIG profile name such as 1g.10gb");
                            continue;
                        }

                        gpuMap[resource] = count;
                    }

                    var cpu = q.String("cpu", required: true, Quantity(), QuantityHint);
                    var memory = q.String("memory", required: true, Quantity(), QuantityHint);
                    var pvcs = q.Int("persistentVolumeClaims", min: 0, max: 10_000) ?? 10;
                    q.RejectUnknownKeys();
                    if (cpu is not null && memory is not null)
                    {
                        quota = new TenantQuota(gpuMap.ToImmutable(), cpu, memory, pvcs);
                    }
                }

                var allowFrom = t.Strings("allowFrom") ?? [];
                var uses = t.Strings("uses") ?? [];
                t.RejectUnknownKeys();
                var (fromNamespaces, fromCidrs) = TenantAllowFrom(t.At("allowFrom"), allowFrom);
                for (var i = 0; i < uses.Length; i++)
                {
                    if (uses[i] != TenantUsesVectorDb)
                    {
                        errors.Add($"{t.At("uses")}[{i}]", $"\"{uses[i]}\" is not a shared service a tenant can use; allowed: {TenantUsesVectorDb}");
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

                    result.Add(new TenantSpec(name, group, tenantClusters, quota) { AllowFromNamespaces = fromNamespaces, AllowFromCidrs = fromCidrs, UsesVectorDb = usesVectorDb });
                }
            }

            // allowFrom may name any tenant of the stack (also one listed later) or a namespace the stack creates.
            var known = names.Concat(StackLayout.PlatformNamespaces).ToImmutableSortedSet(StringComparer.Ordinal);
            foreach (var (at, ns) in _allowFromNamespacePaths.Where(p => !known.Contains(p.Namespace)))
            {
                errors.Add(at, $"\"{ns}\" is not a namespace of this stack; allowFrom names a tenant ({string.Join(", ", names.Order(StringComparer.Ordinal))}), a platform namespace ({string.Join(", ", StackLayout.PlatformNamespaces)}) or a CIDR such as 10.20.0.0/16");
            }

            return result.ToImmutable();
        }

        /// <summary>Splits <c>tenants[].allowFrom</c> into namespaces and CIDRs; an entry with a '/' must be a CIDR.</summary>
        private (ImmutableArray<string> Namespaces, ImmutableArray<string> Cidrs) TenantAllowFrom(string path, ImmutableArray<string> entries)
        {
            var namespaces = ImmutableArray.CreateBuilder<string>();
            var cidrs = ImmutableArray.CreateBuilder<string>();
            for (var i = 0; i < entries.Length; i++)
            {
                var entry = entries[i];
                var at = $"{path}[{i}]";
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    // A base address with host bits set (10.20.0.1/16) is refused: Kubernetes would widen it silently.
                    if (!System.Net.IPNetwork.TryParse(entry, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
                        || !network.BaseAddress.Equals(System.Net.IPAddress.Parse(entry[..entry.IndexOf('/', StringComparison.Ordinal)])) || network.PrefixLength > 32)
                    {
                        errors.Add(at, $"\"{entry}\" is not an IPv4 CIDR with its network address, e.g. 10.20.0.0/16");
                        continue;
                    }

                    cidrs.Add(entry);
                }
                else if (!DnsLabel().IsMatch(entry))
                {
                    errors.Add(at, $"\"{entry}\" is neither a namespace name ({DnsLabelHint}) nor a CIDR such as 10.20.0.0/16");
                }
                else
                {
                    _allowFromNamespacePaths.Add((at, entry));
                    namespaces.Add(entry);
                }
            }

            return (namespaces.ToImmutable(), cidrs.ToImmutable());
        }

        /// <summary><c>tenants[].uses: [vectorDb]</c> needs a vector DB on a cluster where the tenant has a namespace.</summary>
        private void CheckTenantUses(ImmutableArray<TenantSpec> tenants, VectorDbSpec? vectorDb, bool vectorDbBroken)
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

        private ImmutableArray<ServingSpec> BindServing(ImmutableArray<ClusterSpec> clusters, ImmutableArray<GpuPoolSpec> pools, ImmutableArray<TenantSpec> tenants, Topology? topology)
        {
            var result = ImmutableArray.CreateBuilder<ServingSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in TopList("serving", required: false))
            {
                var name = s.String("name", required: true, DnsLabel(), DnsLabelHint);
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
                    if (min is not null && max is not null && min > max)
                    {
                        errors.Add(replicas.At("min"), $"{min} is greater than max {max}");
                    }

                    if (min == 0)
                    {
                        errors.Add(replicas.At("min"), "0 would never scale up again: the queue-time trigger's metric comes from Triton replicas, so it does not exist while zero run (KEDA's 0→1 problem); keep at least 1 prewarmed replica (burst deployments scale from zero on the on-prem metric instead)");
                    }
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
                        if (p95 > p99)
                        {
                            errors.Add(slo.At("p95Ms"), $"{p95} ms is above p99Ms {p99} ms; a 95th percentile cannot exceed the 99th");
                        }

                        latency = new LatencySlo(p95.Value, p99.Value);
                    }
                }

                var a = s.Object("autoscaling");
                var autoscaling = new AutoscalingSpec(50, 10, Math.Max(min ?? 1, 1), 0);
                if (a is not null)
                {
                    var threshold = a.Number("queueTimeThresholdMs", min: 0.001, max: 600_000) ?? autoscaling.QueueTimeThresholdMs;
                    var activation = a.Number("activationQueueTimeMs", min: 0, max: 600_000) ?? Math.Min(autoscaling.ActivationQueueTimeMs, threshold);
                    var fallback = a.Int("fallbackReplicas", min: 1, max: 10_000) ?? autoscaling.FallbackReplicas;
                    var inFlight = a.Number("targetInFlightPerReplica", min: InFlightTarget.Minimum, max: 100_000);
                    a.RejectUnknownKeys();
                    if (max is not null && fallback > max)
                    {
                        errors.Add(a.At("fallbackReplicas"), $"{fallback} is above replicas.max {max}");
                    }

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
                    result.Add(new ServingSpec(name, model, tenantName, pool.Name, gpu, min.Value, max.Value, latency, autoscaling, throughput, burst));
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

        private StorageSpec? BindStorage(Topology? topology, ImmutableArray<ClusterSpec> clusters)
        {
            var s = TopObject("storage");
            if (s is null)
            {
                if (!config.Values.ContainsKey("storage"))
                {
                    errors.Add(ConfigDocument.KeyPath("storage"), "is required");
                }

                return null;
            }

            BucketSpec? bucket = null;
            var b = s.Object("modelBucket", required: topology is Topology.Cloud or Topology.Hybrid);
            if (b is not null)
            {
                var name = b.String("name", required: true);
                if (name is not null && ReplicatedBucketPlan.NamePrefixProblem(name) is { } problem)
                {
                    errors.Add(b.At("name"), problem);
                    name = null;
                }

                var region = b.String("region", required: true, AwsRegion(), "an AWS region such as us-east-1");
                var replica = b.String("replicaRegion", required: true, AwsRegion(), "an AWS region such as us-west-2");
                if (region is not null && region == replica)
                {
                    errors.Add(b.At("replicaRegion"), $"\"{replica}\" equals region; cross-region replication needs a different region");
                }

                var noncurrent = b.Int("noncurrentVersionDays", min: 1, max: 3650) ?? 30;
                var abort = b.Int("abortIncompleteMultipartDays", min: 1, max: 365) ?? 7;
                var prefix = b.String("checkpointPrefix");
                var checkpointDays = b.Int("checkpointExpiryDays", min: 1, max: 3650);
                if ((prefix is null) != (checkpointDays is null) && (b.Has("checkpointPrefix") != b.Has("checkpointExpiryDays")))
                {
                    errors.Add(b.At(prefix is null ? "checkpointPrefix" : "checkpointExpiryDays"), "checkpointPrefix and checkpointExpiryDays go together: set both or neither");
                }

                var rtc = b.Bool("replicationTimeControl") ?? false;
                b.RejectUnknownKeys();
                if (name is not null && region is not null && replica is not null)
                {
                    bucket = new BucketSpec(name, region, replica, noncurrent, abort, prefix, checkpointDays, rtc);
                }
            }

            OnPremStoreSpec? onprem = null;
            var o = s.Object("onprem", required: topology is Topology.OnPrem or Topology.Hybrid);
            if (o is not null)
            {
                var clusterName = o.String("cluster", required: true);
                if (clusterName is not null && clusters.FirstOrDefault(c => c.Name == clusterName) is var cluster && (cluster is null || cluster.Substrate != Substrate.OnPrem))
                {
                    errors.Add(o.At("cluster"), $"\"{clusterName}\" is not an onprem cluster of this stack; onprem clusters: {string.Join(", ", clusters.Where(c => c.Substrate == Substrate.OnPrem).Select(c => c.Name))}");
                }

                var bucketName = o.String("bucket", pattern: BucketPrefix(), patternHint: "lowercase letters, digits and '-'") ?? "models";
                var storageClass = o.String("storageClass", required: true, secret: SecretUse.Allowed);
                var sync = o.Bool("syncToS3") ?? false;
                var schedule = o.String("syncSchedule", pattern: Cron(), patternHint: "a five-field cron schedule such as \"*/15 * * * *\"") ?? "*/15 * * * *";
                o.RejectUnknownKeys();
                if (sync && topology is not null && topology != Topology.Hybrid)
                {
                    errors.Add(o.At("syncToS3"), "replication of the on-prem store to S3 is for topology hybrid");
                }

                if (sync && bucket is null && !s.Has("modelBucket"))
                {
                    errors.Add(o.At("syncToS3"), "needs neocloud:storage.modelBucket as the S3 target");
                }

                if (clusterName is not null && storageClass is not null)
                {
                    onprem = new OnPremStoreSpec(clusterName, bucketName, storageClass, sync, schedule);
                }
            }

            s.RejectUnknownKeys();
            return new StorageSpec(bucket, onprem);
        }

        private MonitoringSpec? BindMonitoring()
        {
            var m = TopObject("monitoring");
            if (m is null)
            {
                return config.Values.ContainsKey("monitoring") ? null : new MonitoringSpec("15d", "50Gi", null, "kube-prometheus-stack");
            }

            var retention = m.String("retention", pattern: PromDuration(), patternHint: "a Prometheus duration such as 15d") ?? "15d";
            var size = m.String("storageSize", pattern: Quantity(), patternHint: QuantityHint) ?? "50Gi";
            var storageClass = m.String("storageClass", secret: SecretUse.Allowed);
            var release = m.String("releaseLabel", pattern: DnsLabel(), patternHint: DnsLabelHint) ?? "kube-prometheus-stack";
            var adminUser = "admin";
            string? adminPasswordKey = null;
            if (m.Object("grafana") is { } g)
            {
                adminUser = g.String("adminUser", pattern: DnsLabel(), patternHint: "a user name of lower-case letters, digits and '-'") ?? "admin";
                adminPasswordKey = SecretKey(g, "adminPasswordSecretKey", "the Grafana admin password");
                g.RejectUnknownKeys();
            }

            var receivers = ImmutableArray.CreateBuilder<Monitoring.AlertReceiverSpec>();
            var receiverNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in m.Objects("receivers") ?? [])
            {
                var name = r.String("name", required: true, DnsLabel(), DnsLabelHint);
                if (name is not null && !receiverNames.Add(name))
                {
                    errors.Add(r.At("name"), $"duplicate receiver name \"{name}\"");
                }

                var kind = r.Enum("kind", Monitoring.AlertmanagerConfig.Kinds, required: true);
                var key = SecretKey(r, "secretKey", kind == Monitoring.AlertReceiverKind.PagerDuty ? "the PagerDuty routing key" : "the webhook URL", required: true);
                var channel = r.String("channel");
                if (channel is not null && kind is not Monitoring.AlertReceiverKind.Slack)
                {
                    errors.Add(r.At("channel"), "is only for kind slack");
                }

                r.RejectUnknownKeys();
                if (name is not null && kind is not null && key is not null)
                {
                    receivers.Add(new Monitoring.AlertReceiverSpec(name, kind.Value, key, channel));
                }
            }

            m.RejectUnknownKeys();
            return new MonitoringSpec(retention, size, storageClass, release)
            {
                GrafanaAdminUser = adminUser,
                GrafanaAdminPasswordSecretKey = adminPasswordKey,
                Receivers = receivers.ToImmutable(),
            };
        }

        /// <summary>Reads <paramref name="key"/> of <paramref name="o"/>: the name of a <c>neocloud:</c> key that must be set as a Pulumi secret.</summary>
        private string? SecretKey(ConfigObject o, string key, string what, bool required = false)
        {
            var name = o.String(key, required, ConfigKeyName(), "a neocloud: config key name such as alertWebhookUrl");
            if (name is not null && !config.SecretKeys.Contains(name))
            {
                errors.Add(o.At(key), config.Values.ContainsKey(name)
                    ? $"neocloud:{name} must be a secret: set it with `pulumi config set --secret neocloud:{name} <{what}>`"
                    : $"neocloud:{name} is not set; set {what} with `pulumi config set --secret neocloud:{name} <value>`");
                return null;
            }

            return name;
        }

        private VectorDbSpec? BindVectorDb(ImmutableArray<ClusterSpec> clusters, bool production)
        {
            var v = TopObject("vectorDb");
            if (v is null)
            {
                return null;
            }

            var clusterName = v.String("cluster", required: true);
            if (clusterName is not null && clusters.All(c => c.Name != clusterName))
            {
                errors.Add(v.At("cluster"), $"\"{clusterName}\" is not a cluster of this stack; clusters: {string.Join(", ", clusters.Select(c => c.Name))}");
            }

            var replicas = v.Int("replicas", required: true, min: 1, max: 100);
            var factor = v.Int("replicationFactor", min: 1, max: 100) ?? Math.Min(replicas ?? 1, 2);
            var shards = v.Int("shards", min: 1, max: 1000) ?? Math.Max(replicas ?? 1, 1);
            var storageClass = v.String("storageClass", required: true, secret: SecretUse.Allowed);
            var size = v.String("storageSize", pattern: Quantity(), patternHint: QuantityHint) ?? "50Gi";
            v.RejectUnknownKeys();
            if (replicas is { } r)
            {
                if (production && r < 3)
                {
                    errors.Add(v.At("replicas"), $"{r} is below 3; production needs at least 3 Qdrant peers so that a node loss keeps a quorum");
                }

                if (factor > r)
                {
                    errors.Add(v.At("replicationFactor"), $"{factor} exceeds replicas {r}; each copy of a shard needs its own peer");
                }
                else if (production && factor < 2)
                {
                    errors.Add(v.At("replicationFactor"), $"{factor} keeps one copy of each shard; production needs at least 2 so data survives a peer loss");
                }
            }

            return clusterName is not null && replicas is not null && storageClass is not null
                ? new VectorDbSpec(clusterName, replicas.Value, factor, shards, storageClass, size)
                : null;
        }

        private CostSpec? BindCost()
        {
            var c = TopObject("cost");
            if (c is null)
            {
                return config.Values.ContainsKey("cost") ? null : new CostSpec(0.6, ImmutableSortedDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal), 730);
            }

            var discount = c.Number("spotDiscount", min: 0, max: 0.95) ?? 0.6;
            var hours = c.Number("hoursPerMonth", min: 1, max: 744) ?? 730;
            var onprem = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            var map = c.Object("onPremGpuHourUsd");
            if (map is not null)
            {
                foreach (var gpu in catalog.Gpus)
                {
                    if (map.Number(gpu.Id, min: 0, max: 1000) is { } price)
                    {
                        onprem[gpu.Id] = price;
                    }
                }

                map.RejectUnknownKeys();
            }

            c.RejectUnknownKeys();
            return new CostSpec(discount, onprem.ToImmutable(), hours);
        }
    }
}
