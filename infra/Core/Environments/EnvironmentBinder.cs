using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

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
        ["environment", "costCenter", "topology", "clusters", "gpuPools", "migConfigs", "serving", "tenants", "storage", "monitoring", "vectorDb", "gateway", "policy", "cost"];

    private static readonly Dictionary<string, Topology> Topologies = new() { ["onprem"] = Topology.OnPrem, ["cloud"] = Topology.Cloud, ["hybrid"] = Topology.Hybrid };
    private static readonly Dictionary<string, PolicyEnforcement> Enforcements = new() { ["advisory"] = PolicyEnforcement.Advisory, ["strict"] = PolicyEnforcement.Strict };

    /// <summary>Upper bound of <c>throughputTokensPerSecond</c> per replica: far above any GPU (about 10⁴–10⁵ today), low enough for exact cost arithmetic.</summary>
    private const double MaxTokensPerSecond = 10_000_000;


    private const string QuantityHint = "a Kubernetes quantity such as 64, 500m, 256Gi";

    /// <summary>Binds and validates; never throws for bad configuration.</summary>
    /// <param name="config">The stack's configuration.</param>
    /// <param name="catalog">The hardware catalog; defaults to <see cref="HardwareCatalog.Default"/>.</param>
    /// <param name="matrix">The version-compatibility matrix; defaults to <see cref="CompatibilityMatrix.Default"/>.</param>
    public static BindResult Bind(StackConfig config, HardwareCatalog? catalog = null, CompatibilityMatrix? matrix = null) =>
        Trace(config, catalog, matrix).Result;

    /// <summary>
    /// <see cref="Bind"/>, with where each problem comes from (<see cref="BindTrace.Errors"/>) and every spec the binder
    /// validated with a component's planner (<see cref="BindTrace.Checks"/>): what the parity tests compare against
    /// the components.
    /// </summary>
    /// <param name="config">The stack's configuration.</param>
    /// <param name="catalog">The hardware catalog; defaults to <see cref="HardwareCatalog.Default"/>.</param>
    /// <param name="matrix">The version-compatibility matrix; defaults to <see cref="CompatibilityMatrix.Default"/>.</param>
    public static BindTrace Trace(StackConfig config, HardwareCatalog? catalog = null, CompatibilityMatrix? matrix = null)
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

        var result = errors.Count == 0 && model is not null
            ? new BindResult(model with { SecretValues = [.. errors.Secrets.Values] }, [])
            : new BindResult(null, [.. errors.All]);
        return new BindTrace(result, errors.Traced, errors.Checks);
    }

    /// <summary>Binds and validates, throwing <see cref="EnvironmentConfigException"/> with every problem.</summary>
    public static EnvironmentModel BindOrThrow(StackConfig config, HardwareCatalog? catalog = null) => Bind(config, catalog).ModelOrThrow();


    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex AwsRegion();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$")]
    private static partial Regex Quantity();


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

        // The clusters do not fit the topology: topology-dependent checks would only repeat that error.
        private bool _topologyMismatch;

        public EnvironmentModel? Run()
        {
            foreach (var key in config.Values.Keys.Where(k => !config.SecretKeys.Contains(k) && !Keys.Contains(k)))
            {
                errors.Add(ConfigDocument.KeyPath(key), $"unknown key; allowed keys: {string.Join(", ", Keys)} (and secret keys referenced by them)", ConfigErrorSource.UnknownKey);
            }

            var environment = TopString("environment", KubernetesNames.ShortNamePattern, KubernetesNames.ShortNameRule);
            _environment = environment ?? "dev";
            var costCenter = TopString("costCenter", KubernetesNames.ShortNamePattern, KubernetesNames.ShortNameRule);
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
                    errors.Add(ConfigDocument.KeyPath("topology"), $"\"{topologyText}\" is not allowed; allowed: {string.Join(", ", Topologies.Keys)}", ConfigErrorSource.Shape);
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
            var gateway = BindGateway(clusters, serving, pools, tenants);
            var cost = BindCost();

            if (errors.Count > 0 || environment is null || costCenter is null || topology is null || policy is null || storage is null || monitoring is null || cost is null)
            {
                return null;
            }

            var model = new EnvironmentModel(
                environment, costCenter, topology.Value, clusters, pools, migConfigs, serving, tenants, storage, monitoring, vectorDb, policy, cost)
            { Gateway = gateway };

            // Capacity needs a structurally valid model; its violations are reported the same way.
            foreach (var error in CapacityPlanner.Validate(model))
            {
                errors.Add(error.Path, error.Message, ConfigErrorSource.Capacity);
            }

            // tenants[].pools and gpuPools[].dedicatedTo against the bound pools and quotas: the binder's references.
            CheckTenantPools(model);

            // A hybrid burst's private path: the on-prem load-balancer implementation and the burst cluster's private link.
            CheckHybridPaths(model);

            // neocloud:gateway: each gateway's spec through the InferenceGateway planner.
            CheckGateways(model);

            return errors.Count == 0 ? model : null;
        }

        private string? TopString(string key, Regex? pattern = null, string? hint = null)
        {
            var path = ConfigDocument.KeyPath(key);
            if (config.SecretKeys.Contains(key))
            {
                errors.Add(path, "must be a plain value, not a secret", ConfigErrorSource.Shape);
                return null;
            }

            if (!config.Values.TryGetValue(key, out var node) || node is null)
            {
                errors.Add(path, "is required", ConfigErrorSource.Shape);
                return null;
            }

            if (node is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length == 0)
            {
                errors.Add(path, $"expected a non-empty string, got {errors.Secrets.Show(path, node)}", ConfigErrorSource.Shape);
                return null;
            }

            if (pattern is not null && !pattern.IsMatch(s))
            {
                errors.Add(path, $"\"{s}\" is not allowed; expected {hint}", ConfigErrorSource.Shape);
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

            errors.Add(path, $"expected a mapping (object), got {errors.Secrets.Show(path, node)}", ConfigErrorSource.Shape);
            return null;
        }

        private ImmutableArray<ConfigObject> TopList(string key, bool required)
        {
            var path = ConfigDocument.KeyPath(key);
            if (!config.Values.TryGetValue(key, out var node) || node is null)
            {
                if (!WholeSecret(key) && required)
                {
                    errors.Add(path, "is required", ConfigErrorSource.Shape);
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

            errors.Add(ConfigDocument.KeyPath(key), $"is a secret as a whole (secure:); neocloud must read this section to check and plan it: keep it plain and make single values secret (`pulumi config set --secret --path 'neocloud:{key}...'`), which is allowed for {ConfigSecrets.AllowedKeys}", ConfigErrorSource.Shape);
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
    }
}
