using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;

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
    private static readonly Dictionary<string, Substrate> Substrates = new() { ["onprem"] = Substrate.OnPrem, ["eks"] = Substrate.Eks };
    private static readonly Dictionary<string, CapacityType> CapacityTypes = new() { ["ON_DEMAND"] = CapacityType.OnDemand, ["SPOT"] = CapacityType.Spot };
    private static readonly Dictionary<string, PoolPurpose> Purposes = new() { ["training"] = PoolPurpose.Training, ["inference"] = PoolPurpose.Inference, ["cpu"] = PoolPurpose.Cpu };
    private static readonly Dictionary<string, MigStrategy> Strategies = new() { ["none"] = MigStrategy.None, ["single"] = MigStrategy.Single, ["mixed"] = MigStrategy.Mixed };
    private static readonly Dictionary<string, PolicyEnforcement> Enforcements = new() { ["advisory"] = PolicyEnforcement.Advisory, ["strict"] = PolicyEnforcement.Strict };

    /// <summary>Upper bound of <c>throughputTokensPerSecond</c> per replica: far above any GPU (about 10⁴–10⁵ today), low enough for exact cost arithmetic.</summary>
    private const double MaxTokensPerSecond = 10_000_000;

    private const string DnsLabelHint = "a DNS label: lowercase letters, digits and '-', starting with a letter, at most 40 characters";

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

    [GeneratedRegex(@"^1\.[0-9]{2}$")]
    private static partial Regex K8sVersion();

    [GeneratedRegex(@"^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$")]
    private static partial Regex Cidr();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$")]
    private static partial Regex Quantity();


    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{0,252}$")]
    private static partial Regex NodeName();

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

        // Clusters whose migStrategy was set explicitly, with the key path to report against.
        private readonly Dictionary<string, (MigStrategy Strategy, string Path)> _explicitStrategies = new(StringComparer.Ordinal);

        // Driver of each resolved EKS AMI release (compatibility matrix).
        private readonly Dictionary<string, string?> _amiDrivers = new(StringComparer.Ordinal);

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
            var storage = BindStorage(topology, clusters, production);
            var monitoring = BindMonitoring();
            var vectorDbErrors = errors.Count;
            var vectorDb = BindVectorDb(clusters, production, monitoring);
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

        private ImmutableArray<ClusterSpec> BindClusters(Topology? topology)
        {
            var list = TopList("clusters", required: true);
            if (list.IsEmpty && config.Values.ContainsKey("clusters"))
            {
                errors.Add(ConfigDocument.KeyPath("clusters"), "must list at least one cluster");
            }

            var result = ImmutableArray.CreateBuilder<ClusterSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in list)
            {
                var before = errors.Count;
                var name = c.String("name", required: true, DnsLabel(), DnsLabelHint);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(c.At("name"), $"duplicate cluster name \"{name}\"; cluster names must be unique");
                }

                var substrate = c.Enum("kind", Substrates, required: true);
                string? region = null, version = null;
                ExistingEksCluster? existing = null;
                NetworkSpec? network = null;
                KubeconfigSpec? kubeconfig = null;
                string? renderDirectory = null;
                var strategy = c.Enum("migStrategy", Strategies);
                var burst = c.Bool("burst") ?? false;
                var driver = c.Enum("driver", GpuDrivers.ByName);
                if (substrate == Substrate.Eks && driver == GpuDriver.Operator)
                {
                    errors.Add(c.At("driver"), "is operator, but EKS GPU AMIs ship the NVIDIA driver and toolkit; allowed on eks clusters: preinstalled (the default)");
                }
                if (substrate == Substrate.Eks)
                {
                    region = c.String("region", required: true, AwsRegion(), "an AWS region such as us-east-1");
                    version = c.String("version", pattern: K8sVersion(), patternHint: "a Kubernetes minor version such as \"1.33\" (quote it in YAML)") ?? "1.33";
                    if (CompatibilityChecks.KubernetesProblem(Matrix, version) is { } k8sProblem)
                    {
                        errors.Add(c.At("version"), k8sProblem);
                    }
                    var ex = c.Object("existing");
                    var net = c.Object("network");
                    if (ex is not null && net is not null)
                    {
                        errors.Add(c.At("existing"), "cannot be combined with network: an existing cluster brings its own VPC");
                    }

                    if (ex is not null)
                    {
                        var clusterName = ex.String("clusterName", required: true, secret: SecretUse.Allowed);
                        var subnets = ex.Strings("nodeSubnetIds", required: true, secret: SecretUse.Allowed);
                        if (subnets is { IsEmpty: true })
                        {
                            errors.Add(ex.At("nodeSubnetIds"), "must list at least one subnet");
                        }

                        ex.RejectUnknownKeys();
                        if (clusterName is not null && subnets is not null)
                        {
                            existing = new ExistingEksCluster(clusterName, subnets.Value);
                        }
                    }
                    else if (net is not null)
                    {
                        var cidr = net.String("vpcCidr", required: true, Cidr(), "an IPv4 CIDR such as 10.40.0.0/16");
                        var zones = net.Strings("availabilityZones", required: true);
                        if (zones is { } z)
                        {
                            if (z.Length < 2)
                            {
                                errors.Add(net.At("availabilityZones"), $"lists {z.Length} zone(s); EKS needs subnets in at least 2 availability zones");
                            }

                            if (z.Distinct().Count() != z.Length)
                            {
                                errors.Add(net.At("availabilityZones"), "lists a zone twice");
                            }

                            foreach (var zone in z.Where(zone => region is not null && !zone.StartsWith(region, StringComparison.Ordinal)))
                            {
                                errors.Add(net.At("availabilityZones"), $"\"{zone}\" is not a zone of {region}");
                            }
                        }

                        net.RejectUnknownKeys();
                        if (cidr is not null && zones is not null)
                        {
                            network = new NetworkSpec(cidr, zones.Value);
                        }
                    }
                    else
                    {
                        errors.Add(c.Path, "an EKS cluster needs either existing: {clusterName, nodeSubnetIds} or network: {vpcCidr, availabilityZones}");
                    }

                    if (c.Has("kubeconfig"))
                    {
                        errors.Add(c.At("kubeconfig"), "is only for onprem clusters; the EKS cluster's kubeconfig is built from the cluster");
                        c.Object("kubeconfig");
                    }
                }
                else if (substrate == Substrate.OnPrem)
                {
                    renderDirectory = c.String("renderDirectory");
                    if (renderDirectory is not null && c.Has("kubeconfig"))
                    {
                        errors.Add(c.At("renderDirectory"), "cannot be combined with kubeconfig: a cluster either renders manifests to a directory or is reached through a kubeconfig");
                    }

                    var k = c.Object("kubeconfig", required: renderDirectory is null);
                    if (k is not null)
                    {
                        var secretKey = k.String("secretKey", pattern: ConfigKeyName(), patternHint: "a neocloud: config key name such as onpremKubeconfig");
                        var path = k.String("path", secret: SecretUse.Allowed);
                        var context = k.String("context", secret: SecretUse.Allowed);
                        if ((secretKey is null) == (path is null) && !k.Has("secretKey") && !k.Has("path"))
                        {
                            errors.Add(k.Path, "needs exactly one of secretKey (a secret neocloud: config key holding the kubeconfig) or path (a kubeconfig file)");
                        }
                        else if (secretKey is not null && path is not null)
                        {
                            errors.Add(k.Path, "has both secretKey and path; give exactly one");
                        }

                        if (secretKey is not null && !config.SecretKeys.Contains(secretKey))
                        {
                            errors.Add(k.At("secretKey"), config.Values.ContainsKey(secretKey)
                                ? $"neocloud:{secretKey} must be a secret: set it with `pulumi config set --secret neocloud:{secretKey} < kubeconfig`"
                                : $"neocloud:{secretKey} is not set; set it with `pulumi config set --secret neocloud:{secretKey} < kubeconfig`");
                        }

                        k.RejectUnknownKeys();
                        kubeconfig = new KubeconfigSpec(secretKey, path, context);
                    }

                    foreach (var eksOnly in new[] { "region", "existing", "network" })
                    {
                        if (c.Has(eksOnly))
                        {
                            errors.Add(c.At(eksOnly), "is only for eks clusters");
                        }
                    }

                    c.String("region");
                    c.Object("existing");
                    c.Object("network");
                }

                c.String("version");
                if (substrate == Substrate.Eks && c.Has("renderDirectory"))
                {
                    errors.Add(c.At("renderDirectory"), "is only for onprem clusters");
                }

                c.String("renderDirectory");
                c.RejectUnknownKeys();
                if (errors.Count > before && name is not null)
                {
                    _brokenClusters.Add(name);
                }

                if (name is not null && substrate is not null)
                {
                    _clusterPaths.TryAdd(name, c.Path);
                    result.Add(new ClusterSpec(name, substrate.Value, region, version, existing, network, kubeconfig, renderDirectory, strategy ?? MigStrategy.None, burst)
                    {
                        Driver = driver ?? (substrate == Substrate.Eks ? GpuDriver.Preinstalled : GpuDriver.Operator),
                    });
                    if (strategy is not null)
                    {
                        _explicitStrategies[name] = (strategy.Value, c.At("migStrategy"));
                    }
                }
            }

            var clusters = result.ToImmutable();
            if (topology is { } topo && clusters.Length == list.Length)
            {
                var onprem = clusters.Count(c => c.Substrate == Substrate.OnPrem);
                var eks = clusters.Count(c => c.Substrate == Substrate.Eks);
                var path = ConfigDocument.KeyPath("clusters");
                var before = errors.Count;
                switch (topo)
                {
                    case Topology.OnPrem when eks > 0:
                        errors.Add(path, "topology onprem allows only clusters of kind onprem; use topology hybrid to add an eks cluster");
                        break;
                    case Topology.Cloud when onprem > 0:
                        errors.Add(path, "topology cloud allows only clusters of kind eks; use topology hybrid to add an onprem cluster");
                        break;
                    case Topology.Hybrid when onprem == 0 || eks == 0:
                        errors.Add(path, $"topology hybrid needs at least one onprem and one eks cluster (found {onprem} onprem, {eks} eks)");
                        break;
                }

                if (errors.Count > before)
                {
                    _topologyMismatch = true;
                }

                if (topo == Topology.Hybrid)
                {
                    // The EKS cluster of a hybrid environment is its burst cluster.
                    clusters = [.. clusters.Select(c => c.Substrate == Substrate.Eks ? c with { Burst = true } : c)];
                }
                else if (clusters.Any(c => c.Burst))
                {
                    errors.Add(path, "burst: true is only meaningful in topology hybrid");
                }
            }

            return clusters;
        }

        private ImmutableSortedDictionary<string, MigConfigDefinition> BindMigConfigs()
        {
            var result = ImmutableSortedDictionary.CreateBuilder<string, MigConfigDefinition>(StringComparer.Ordinal);
            foreach (var m in TopList("migConfigs", required: false))
            {
                var name = m.String("name", required: true, DnsLabel(), DnsLabelHint);
                if (name is not null && (name.StartsWith("all-", StringComparison.Ordinal)))
                {
                    errors.Add(m.At("name"), $"\"{name}\" is reserved: names starting with all- are NVIDIA's built-in configs");
                    name = null;
                }

                if (name is not null && result.ContainsKey(name))
                {
                    errors.Add(m.At("name"), $"duplicate MIG config name \"{name}\"");
                    name = null;
                }

                var entries = ImmutableArray.CreateBuilder<MigDeviceLayout>();
                foreach (var e in m.Objects("devices", required: true) ?? [])
                {
                    ImmutableArray<int>? devices = null;
                    var ok = true;
                    if (e.Has("gpus"))
                    {
                        devices = e.Ints("gpus", min: 0, max: 15);
                        ok = devices is not null;
                    }
                    else
                    {
                        e.Ints("gpus");
                    }

                    var layout = e.IntMap("layout", required: true, min: 1, max: 7);
                    e.RejectUnknownKeys();
                    if (ok && layout is not null)
                    {
                        entries.Add(new MigDeviceLayout(devices, layout));
                    }
                }

                m.RejectUnknownKeys();
                if (name is not null)
                {
                    result[name] = new MigConfigDefinition(name, entries.ToImmutable());
                }
            }

            return result.ToImmutable();
        }

        private ImmutableArray<GpuPoolSpec> BindPools(ImmutableArray<ClusterSpec> clusters, ImmutableSortedDictionary<string, MigConfigDefinition> migConfigs)
        {
            var list = TopList("gpuPools", required: true);
            var result = ImmutableArray.CreateBuilder<GpuPoolSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var nodeOwners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in list)
            {
                var before = errors.Count;
                var name = p.String("name", required: true, DnsLabel(), DnsLabelHint);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(p.At("name"), $"duplicate pool name \"{name}\"; pool names must be unique");
                }

                var clusterName = p.String("cluster", required: true);
                var cluster = clusters.FirstOrDefault(c => c.Name == clusterName);
                if (clusterName is not null && cluster is null && !_brokenClusters.Contains(clusterName))
                {
                    errors.Add(p.At("cluster"), $"\"{clusterName}\" is not a cluster of this stack; clusters: {string.Join(", ", clusters.Select(c => c.Name))}");
                }

                var substrate = p.Enum("substrate", Substrates, required: true);
                if (substrate is not null && cluster is not null && substrate != cluster.Substrate)
                {
                    errors.Add(p.At("substrate"), $"is {Name(substrate.Value)} but cluster \"{cluster.Name}\" is {Name(cluster.Substrate)}");
                }

                var purpose = p.Enum("purpose", Purposes, required: true);
                var capacityType = p.Enum("capacityType", CapacityTypes);
                var poolDriver = p.Enum("driver", GpuDrivers.ByName);
                if (substrate == Substrate.Eks && poolDriver == GpuDriver.Operator)
                {
                    errors.Add(p.At("driver"), "is operator, but EKS GPU AMIs ship the NVIDIA driver and toolkit; allowed on eks pools: preinstalled (the default)");
                }
                var interruptible = p.Bool("interruptible");
                var allowOvercommit = p.Bool("allowOvercommit") ?? false;
                var system = p.Bool("system") ?? false;
                if (system && purpose is not null && purpose != PoolPurpose.Cpu)
                {
                    errors.Add(p.At("system"), $"is only for purpose: cpu pools; a {purpose.Value.ToString().ToLowerInvariant()} pool carries the GPU taint, so system add-ons cannot run on it");
                }

                string? instanceTypeName = null;
                string? amiRelease = null;
                GpuModel? gpu = null;
                var gpusPerNode = 0;
                int? min = null, desired = null, max = null;
                var nodes = ImmutableArray<string>.Empty;
                if (substrate == Substrate.Eks)
                {
                    instanceTypeName = p.String("instanceType", required: true);
                    if (instanceTypeName is not null && purpose == PoolPurpose.Cpu)
                    {
                        if (catalog.FindCpuInstanceType(instanceTypeName) is null)
                        {
                            errors.Add(p.At("instanceType"), $"\"{instanceTypeName}\" is not a CPU instance type of the hardware catalog; known CPU instance types: {string.Join(", ", catalog.CpuInstanceTypes.Select(i => i.Name))}");
                        }
                    }
                    else if (instanceTypeName is not null)
                    {
                        var it = catalog.FindInstanceType(instanceTypeName);
                        if (it is null)
                        {
                            errors.Add(p.At("instanceType"), $"\"{instanceTypeName}\" is not in the hardware catalog; known GPU instance types: {string.Join(", ", catalog.InstanceTypes.Select(i => i.Name))}");
                        }
                        else
                        {
                            gpu = catalog.GpuOf(it);
                            gpusPerNode = it.Gpus;
                        }
                    }

                    amiRelease = p.String("amiReleaseVersion");
                    min = p.Int("minSize", required: true, min: 0, max: 1000);
                    max = p.Int("maxSize", required: true, min: 1, max: 1000);
                    desired = p.Int("desiredSize", min: 0, max: 1000) ?? min;
                    if (min is not null && max is not null && min > max)
                    {
                        errors.Add(p.At("minSize"), $"{min} is greater than maxSize {max}; need minSize <= desiredSize <= maxSize");
                    }
                    else if (min is not null && max is not null && desired is not null && (desired < min || desired > max))
                    {
                        errors.Add(p.At("desiredSize"), $"{desired} is outside minSize..maxSize ({min}..{max})");
                    }

                    foreach (var onpremOnly in new[] { "nodes", "gpuModel", "gpusPerNode" })
                    {
                        if (p.Has(onpremOnly))
                        {
                            errors.Add(p.At(onpremOnly), "is only for onprem pools; an eks pool takes its GPUs from instanceType");
                        }
                    }

                    p.Strings("nodes");
                    p.String("gpuModel");
                    p.Int("gpusPerNode");
                    if (gpu is not null && cluster?.KubernetesVersion is { } k8s)
                    {
                        var (ami, amiProblem) = CompatibilityChecks.ResolveAmi(Matrix, EksAmiTypes.For(gpu), k8s, amiRelease);
                        if (amiProblem is not null)
                        {
                            // An unsupported cluster version is reported once, at the cluster's version.
                            if (amiRelease is not null || CompatibilityChecks.KubernetesProblem(Matrix, k8s) is null)
                            {
                                errors.Add(p.At("amiReleaseVersion"), amiProblem);
                            }
                        }
                        else if (CompatibilityChecks.DriverProblem(Matrix, Serving.TritonImage.Reference, ami!.Driver, $"AMI release {ami.ReleaseVersion}") is { } driverProblem)
                        {
                            errors.Add(p.At("amiReleaseVersion"), driverProblem);
                        }

                        amiRelease = ami?.ReleaseVersion;
                        _amiDrivers[amiRelease ?? ""] = ami?.Driver;
                    }
                }
                else if (substrate == Substrate.OnPrem)
                {
                    nodes = p.Strings("nodes", required: true, NodeName(), "a Kubernetes node name") ?? [];
                    if (p.Has("nodes") && nodes.IsEmpty)
                    {
                        errors.Add(p.At("nodes"), "must list at least one node");
                    }

                    foreach (var node in nodes)
                    {
                        if (nodeOwners.TryGetValue(node, out var owner))
                        {
                            errors.Add(p.At("nodes"), $"node \"{node}\" is already in pool \"{owner}\"; a node belongs to one pool");
                        }
                        else
                        {
                            nodeOwners[node] = name ?? "?";
                        }
                    }

                    if (purpose != PoolPurpose.Cpu)
                    {
                        var model = p.String("gpuModel", required: true);
                        if (model is not null)
                        {
                            gpu = catalog.FindGpu(model);
                            if (gpu is null)
                            {
                                errors.Add(p.At("gpuModel"), $"\"{model}\" is not in the hardware catalog; known GPU models: {string.Join(", ", catalog.Gpus.Select(g => g.Id))}");
                            }
                        }

                        gpusPerNode = p.Int("gpusPerNode", required: true, min: 1, max: 16) ?? 0;
                    }

                    min = desired = max = nodes.Length;
                    foreach (var eksOnly in new[] { "instanceType", "minSize", "maxSize", "desiredSize", "capacityType" })
                    {
                        if (p.Has(eksOnly))
                        {
                            errors.Add(p.At(eksOnly), "is only for eks pools; an onprem pool's size is its node list");
                        }
                    }

                    if (p.Has("amiReleaseVersion"))
                    {
                        errors.Add(p.At("amiReleaseVersion"), "is only for eks pools; on-prem the driver comes from the GPU Operator or the host (driver)");
                    }

                    p.String("amiReleaseVersion");
                    p.String("instanceType");
                    p.Int("minSize");
                    p.Int("maxSize");
                    p.Int("desiredSize");
                }

                if (purpose == PoolPurpose.Cpu && gpu is not null)
                {
                    errors.Add(p.At("purpose"), $"is cpu but the pool has GPUs ({gpu.Id}); use training or inference");
                }

                if (purpose is PoolPurpose.Training or PoolPurpose.Inference && substrate == Substrate.Eks && gpu is null && instanceTypeName is not null && errors.All.All(e => e.Path != p.At("instanceType")))
                {
                    errors.Add(p.At("instanceType"), $"\"{instanceTypeName}\" has no GPU");
                }

                var isInterruptible = interruptible ?? purpose != PoolPurpose.Inference;
                if (capacityType == CapacityType.Spot && !isInterruptible)
                {
                    errors.Add(p.At("capacityType"), interruptible is null
                        ? "SPOT needs an interruptible pool; inference pools are not interruptible by default: set interruptible: true to accept spot interruptions, or use ON_DEMAND"
                        : "SPOT is not allowed for a pool marked interruptible: false; use ON_DEMAND");
                }

                PoolMig? mig = null;
                var migNode = p.Object("mig");
                var timeSlicing = 1;
                var ts = p.Object("timeSlicing");
                if (ts is not null)
                {
                    timeSlicing = ts.Int("replicas", required: true, min: 2, max: 64) ?? 1;
                    ts.RejectUnknownKeys();
                }

                if (migNode is not null)
                {
                    var configName = migNode.String("config", required: true);
                    migNode.RejectUnknownKeys();
                    if (ts is not null)
                    {
                        errors.Add(migNode.Path, "cannot be combined with timeSlicing: a pool shares its GPUs either by MIG or by time-slicing");
                    }
                    else if (configName is not null && gpu is not null)
                    {
                        if (!gpu.MigSupported)
                        {
                            errors.Add(migNode.At("config"), $"MIG is not supported on {gpu.Id}; remove mig, or use a MIG-capable GPU ({string.Join(", ", catalog.Gpus.Where(g => g.MigSupported).Select(g => g.Id))})");
                        }
                        else
                        {
                            var resolution = MigConfigs.Resolve(configName, gpu, gpusPerNode, migConfigs);
                            if (!resolution.Errors.IsDefaultOrEmpty)
                            {
                                foreach (var e in resolution.Errors)
                                {
                                    errors.Add(migNode.At("config"), e);
                                }
                            }
                            else
                            {
                                mig = new PoolMig(configName, resolution.PerDevice);
                            }
                        }
                    }
                }

                p.RejectUnknownKeys();
                if (errors.Count > before || cluster is null)
                {
                    if (name is not null)
                    {
                        _brokenPools.Add(name);
                    }

                    if (clusterName is not null)
                    {
                        _clustersWithBrokenPools.Add(clusterName);
                    }

                    continue;
                }

                if (name is not null && clusterName is not null && substrate is not null && purpose is not null && min is not null && max is not null)
                {
                    result.Add(new GpuPoolSpec(
                        name, clusterName, substrate.Value, purpose.Value, instanceTypeName, nodes, gpu, gpusPerNode,
                        min.Value, desired ?? min.Value, max.Value, capacityType ?? CapacityType.OnDemand, isInterruptible, mig, timeSlicing, allowOvercommit)
                    {
                        Driver = poolDriver ?? cluster.Driver,
                        AmiReleaseVersion = substrate == Substrate.Eks && gpu is not null ? amiRelease : null,
                        System = system,
                        DriverVersion = substrate == Substrate.Eks ? _amiDrivers.GetValueOrDefault(amiRelease ?? "")
                            : (poolDriver ?? cluster.Driver) == GpuDriver.Operator ? GpuOperatorChart.DriverVersion : null,
                    });
                }
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// Every EKS cluster the stack creates needs a <c>system: true</c> cpu pool: its GPU pools carry the GPU taint, so
        /// CoreDNS, the GPU Operator's controller, KEDA, Prometheus and the vector DB would not schedule anywhere.
        /// </summary>
        private void RequireSystemPools(ImmutableArray<ClusterSpec> clusters, ImmutableArray<GpuPoolSpec> pools)
        {
            foreach (var cluster in clusters)
            {
                if (cluster.Substrate != Substrate.Eks || cluster.Existing is not null
                    || pools.Any(p => p.Cluster == cluster.Name && p.System)
                    || _brokenClusters.Contains(cluster.Name) || _clustersWithBrokenPools.Contains(cluster.Name))
                {
                    continue;
                }

                errors.Add(_clusterPaths[cluster.Name], $"EKS cluster \"{cluster.Name}\" has no pool that admits system add-ons (CoreDNS, GPU Operator, KEDA, Prometheus): add a gpuPools entry with cluster: {cluster.Name}, purpose: cpu, system: true and a CPU instanceType ({string.Join(", ", catalog.CpuInstanceTypes.Take(3).Select(t => t.Name))}, ...)");
            }
        }

        private ImmutableArray<ClusterSpec> ResolveStrategies(ImmutableArray<ClusterSpec> clusters, ImmutableArray<GpuPoolSpec> pools)
        {
            var result = ImmutableArray.CreateBuilder<ClusterSpec>();
            foreach (var cluster in clusters)
            {
                var clusterPools = pools.Where(p => p.Cluster == cluster.Name && p.Gpu is not null).ToList();
                var migPools = clusterPools.Where(p => p.Mig is { Enabled: true }).ToList();
                var strategy = migPools.Count > 0 ? MigStrategy.Mixed : MigStrategy.None;
                if (_explicitStrategies.TryGetValue(cluster.Name, out var chosen))
                {
                    switch (chosen.Strategy)
                    {
                        case MigStrategy.None when migPools.Count > 0:
                            errors.Add(chosen.Path, $"is none but pools {string.Join(", ", migPools.Select(p => p.Name))} use MIG; use mixed (or single when every MIG GPU has one profile)");
                            strategy = MigStrategy.Mixed; // keep binding the rest of the config under the strategy that can express it
                            break;
                        case MigStrategy.Single:
                            var profiles = migPools.SelectMany(p => p.Mig!.Profiles).Distinct().ToList();
                            var partial = migPools.Where(p => p.Mig!.PerDevice.Any(l => l.Count == 0) || p.Mig.PerDevice.Any(l => l.Count > 1)).Select(p => p.Name).ToList();
                            var whole = clusterPools.Where(p => p.Mig is not { Enabled: true }).Select(p => p.Name).ToList();
                            if (profiles.Count > 1 || partial.Count > 0 || whole.Count > 0)
                            {
                                var why = profiles.Count > 1 ? $"the cluster's MIG pools use several profiles ({string.Join(", ", profiles)})"
                                    : partial.Count > 0 ? $"pools {string.Join(", ", partial)} mix profiles or MIG-disabled GPUs on a node"
                                    : $"pools {string.Join(", ", whole)} have whole GPUs, which single would advertise under the same nvidia.com/gpu name as MIG instances";
                                errors.Add(chosen.Path, $"single is not possible: {why}; use mixed");
                                strategy = MigStrategy.Mixed; // keep binding the rest of the config under the strategy that can express it
                            }
                            else
                            {
                                strategy = migPools.Count > 0 ? MigStrategy.Single : MigStrategy.None;
                            }

                            break;
                        default:
                            strategy = chosen.Strategy;
                            break;
                    }
                }

                result.Add(cluster with { MigStrategy = strategy });
            }

            return result.ToImmutable();
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

        private static string Name(Substrate s) => s == Substrate.Eks ? "eks" : "onprem";
    }
}
