using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Environments;

// Sections clusters (cluster/clusters) and migConfigs.
public static partial class EnvironmentBinder
{
    /// <summary>
    /// Key-path table of <c>clusters[].network</c>: <see cref="EksClusterSpec"/> property → key under <c>network</c>.
    /// Ownership problems are not mapped: environment and cost center are bound (and reported) once, at their own keys.
    /// </summary>
    private static readonly ImmutableSortedDictionary<string, string> NetworkKeys = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("VpcCidr", "vpcCidr"),
        KeyValuePair.Create("AvailabilityZones", "availabilityZones"),
    ]);

    /// <summary>
    /// Key-path table of the control-plane keys of <c>clusters[]</c>: <see cref="EksClusterSpec"/> property (prefix) → key
    /// under the cluster (indexed properties keep their index: <c>AccessEntries[1].PrincipalArn</c> → <c>access[1].principalArn</c>).
    /// </summary>
    private static readonly ImmutableSortedDictionary<string, string> ControlPlaneKeys = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("KubernetesVersion", "version"),
        KeyValuePair.Create("AccessEntries", "access"),
        KeyValuePair.Create("PublicAccessCidrs", "publicAccessCidrs"),
        KeyValuePair.Create("ControlPlaneLogs", "controlPlaneLogs"),
    ]);

    private static readonly ImmutableSortedDictionary<string, LoadBalancerImplementation> LoadBalancers = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("metallb", LoadBalancerImplementation.MetalLb),
        KeyValuePair.Create("existing", LoadBalancerImplementation.Existing),
    ]);

    /// <summary>The cluster key of an <see cref="EksClusterSpec"/> control-plane property path, e.g. <c>access[0].principalArn</c>, or null.</summary>
    internal static string? ControlPlaneKey(string propertyPath)
    {
        foreach (var (property, key) in ControlPlaneKeys)
        {
            if (propertyPath == property)
            {
                return key;
            }

            if (propertyPath.StartsWith(property + "[", StringComparison.Ordinal))
            {
                var rest = propertyPath[property.Length..];
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                var member = rest[(close + 1)..];
                return key + rest[..(close + 1)] + (member.Length > 1 ? "." + char.ToLowerInvariant(member[1]) + member[2..] : string.Empty);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^1\.[0-9]{2}$")]
    private static partial Regex K8sVersion();

    private sealed partial class Binding
    {
        // Clusters whose migStrategy was set explicitly, with the key path to report against.
        private readonly Dictionary<string, (MigStrategy Strategy, string Path)> _explicitStrategies = new(StringComparer.Ordinal);

        private ImmutableArray<ClusterSpec> BindClusters(Topology? topology)
        {
            var production = ProductionForClusters();
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
                var name = c.String("name", required: true, KubernetesNames.ShortNamePattern, KubernetesNames.ShortNameRule);
                if (name is not null && !names.Add(name))
                {
                    errors.Add(c.At("name"), $"duplicate cluster name \"{name}\"; cluster names must be unique");
                }

                var substrate = c.Enum("kind", PoolValues.Substrates, required: true);
                string? region = null, version = null;
                ExistingEksCluster? existing = null;
                NetworkSpec? network = null;
                KubeconfigSpec? kubeconfig = null;
                string? renderDirectory = null;
                ImmutableArray<EksAccessEntry> access = [];
                ImmutableArray<string>? publicCidrs = null;
                var logs = EksControlPlaneLogs.Default;
                LoadBalancerImplementation? loadBalancer = null;
                PrivateLinkSpec? privateLink = null;
                var strategy = c.Enum("migStrategy", PoolValues.Strategies);
                var burst = c.Bool("burst") ?? false;
                var driver = c.Enum("driver", PoolValues.Drivers);
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
                    var controlPlane = BindControlPlane(c, production);
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
                        foreach (var key in new[] { "access", "publicAccessCidrs", "controlPlaneLogs" }.Where(c.Has))
                        {
                            errors.Add(c.At(key), "is only for EKS clusters the stack creates (network:); an existing cluster's access and control plane are managed where it was created");
                        }

                        if (clusterName is not null && subnets is not null)
                        {
                            existing = new ExistingEksCluster(clusterName, subnets.Value);
                        }
                    }
                    else if (net is not null)
                    {
                        // Shape here; the network and control-plane rules (zones, CIDR, access, endpoint, logs) are
                        // EksCluster's, through its planner.
                        var cidr = net.String("vpcCidr", required: true);
                        var zones = net.Strings("availabilityZones", required: true);
                        if (cidr is not null && zones is { } z)
                        {
                            var spec = new EksClusterSpec
                            {
                                Ownership = BoundOwnership,
                                VpcCidr = cidr,
                                AvailabilityZones = z,
                                KubernetesVersion = version,
                                AccessEntries = controlPlane.Access,
                                PublicAccessCidrs = controlPlane.PublicAccessCidrs,
                                ControlPlaneLogs = controlPlane.Logs,
                            };
                            var versionReported = CompatibilityChecks.KubernetesProblem(Matrix, version) is not null;
                            string? KeyOf(string path) =>
                                NetworkKeys.TryGetValue(path, out var networkKey) ? net.At(networkKey)
                                : ControlPlaneKey(path) is { } key && !(key == "version" && versionReported) && !controlPlane.Broken ? c.At(key)
                                : SpecCheck.NotThisSection;
                            var check = Check(c.Path, spec, EksClusterPlanner.Validate(spec), KeyOf);
                            foreach (var problem in check)
                            {
                                if (KeyOf(problem.PropertyPath) is { Length: > 0 } at)
                                {
                                    errors.Add(at, problem.Reason);
                                }
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

                    access = controlPlane.Access;
                    publicCidrs = controlPlane.PublicAccessCidrs;
                    logs = controlPlane.Logs ?? EksControlPlaneLogs.Default;
                    privateLink = BindPrivateLink(c);
                    if (c.Has("loadBalancer"))
                    {
                        errors.Add(c.At("loadBalancer"), "is only for onprem clusters; EKS gives LoadBalancer Services an address itself (the AWS cloud provider's service controller)");
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
                    foreach (var eksOnly in new[] { "access", "publicAccessCidrs", "controlPlaneLogs", "privateLink" }.Where(c.Has))
                    {
                        errors.Add(c.At(eksOnly), "is only for eks clusters");
                    }

                    // Not declaring it is the platform check's finding (the federation Service would get no address).
                    loadBalancer = c.Enum("loadBalancer", LoadBalancers);
                }

                c.String("version");
                if (substrate == Substrate.Eks && c.Has("renderDirectory"))
                {
                    errors.Add(c.At("renderDirectory"), "is only for onprem clusters");
                }

                c.String("renderDirectory");
                if (substrate == Substrate.Eks)
                {
                    c.String("loadBalancer");
                }
                else
                {
                    // Reported above as eks-only; read so that they are not also reported as unknown keys.
                    c.Objects("access");
                    c.Strings("publicAccessCidrs");
                    c.Strings("controlPlaneLogs");
                    c.Object("privateLink");
                }

                BindNodeAutoscaler(c, name, substrate);
                var storageClasses = substrate is null ? [] : BindStorageClasses(c, substrate == Substrate.Eks);
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
                        StorageClasses = storageClasses,
                        Access = access,
                        PublicAccessCidrs = publicCidrs,
                        ControlPlaneLogs = logs,
                        LoadBalancer = loadBalancer,
                        PrivateLink = privateLink,
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

        /// <summary>The control-plane keys of an EKS cluster, as written (the planner judges them; the binder reads their shape).</summary>
        private sealed record ControlPlaneKeys(ImmutableArray<EksAccessEntry> Access, ImmutableArray<string>? PublicAccessCidrs, ImmutableArray<string>? Logs, bool Broken);

        private ControlPlaneKeys BindControlPlane(ConfigObject c, bool production)
        {
            var before = errors.Count;
            var access = ImmutableArray.CreateBuilder<EksAccessEntry>();
            foreach (var a in c.Objects("access") ?? [])
            {
                var principal = a.String("principalArn", required: true);
                var policy = a.String("policy", required: true);
                a.RejectUnknownKeys();
                if (principal is not null && policy is not null)
                {
                    access.Add(new EksAccessEntry(principal, policy));
                }
            }

            // Production: the public endpoint is never open to the internet. Without the key it is off (private access
            // only, through the VPC or the private link); 0.0.0.0/0 is refused.
            ImmutableArray<string>? cidrs = c.Has("publicAccessCidrs") ? c.Strings("publicAccessCidrs") ?? [] : production ? [] : null;
            if (production && cidrs is { } given && given.Contains("0.0.0.0/0"))
            {
                errors.Add(c.At("publicAccessCidrs"), "contains 0.0.0.0/0, which opens the API endpoint to the internet; in production list the CIDRs of the deploy and preview runners and the operators' VPN, or [] for a private endpoint only");
            }

            ImmutableArray<string>? logs = c.Has("controlPlaneLogs") ? c.Strings("controlPlaneLogs") ?? [] : null;
            return new ControlPlaneKeys(access.ToImmutable(), cidrs, logs, errors.Count > before);
        }

        private PrivateLinkSpec? BindPrivateLink(ConfigObject c)
        {
            // Not declaring it in a hybrid topology is the platform check's finding (the federation path is not private).
            var link = c.Object("privateLink");
            if (link is null)
            {
                return null;
            }

            var kind = link.String("kind", required: true);
            if (kind is "direct-connect")
            {
                errors.Add(link.At("kind"), $"\"{kind}\": {HybridLinks.PlainDirectConnect}");
                kind = null;
            }
            else if (kind is not null && !HybridLinks.Kinds.Contains(kind))
            {
                errors.Add(link.At("kind"), $"\"{kind}\" is not allowed; allowed: {string.Join(", ", HybridLinks.Kinds)}");
                kind = null;
            }

            var cidrs = link.Strings("onPremCidrs", required: true);
            if (cidrs is { IsEmpty: true })
            {
                errors.Add(link.At("onPremCidrs"), "must list at least one on-prem CIDR routed over the link");
            }

            for (var i = 0; i < (cidrs?.Length ?? 0); i++)
            {
                if (!Tenancy.TenantPlanner.IsCidr(cidrs!.Value[i]))
                {
                    errors.Add($"{link.At("onPremCidrs")}[{i}]", $"\"{cidrs.Value[i]}\" is not an IPv4 CIDR such as 10.10.0.0/16 (no host bits)");
                }
            }

            link.RejectUnknownKeys();
            return kind is not null && cidrs is { IsEmpty: false } ranges ? new PrivateLinkSpec(kind, ranges) : null;
        }

        private ImmutableArray<StorageClassSpec> BindStorageClasses(ConfigObject c, bool eks)
        {
            var list = c.Objects("storageClasses") ?? [];
            var result = ImmutableArray.CreateBuilder<StorageClassSpec>();
            foreach (var o in list)
            {
                var name = o.String("name", required: true);
                var existing = o.Bool("existing") ?? false;
                var isDefault = o.Bool("default") ?? false;
                var type = o.String("volumeType") ?? EbsStorageClasses.Gp3;
                var iops = o.Int("iops");
                var throughput = o.Int("throughput");
                if (existing)
                {
                    foreach (var key in new[] { "volumeType", "iops", "throughput" }.Where(o.Has))
                    {
                        errors.Add(o.At(key), "is only for classes the stack creates; a pre-existing class (existing: true) keeps its own parameters");
                    }
                }

                o.RejectUnknownKeys();
                result.Add(new StorageClassSpec(name ?? string.Empty, existing, isDefault, type, iops, throughput));
            }

            var classes = result.ToImmutable();
            foreach (var (index, property, reason) in EbsStorageClasses.Problems(classes, eks))
            {
                if (!(property == "name" && classes[index].Name.Length == 0))
                {
                    errors.Add(list[index].At(property), reason);
                }
            }

            return classes;
        }

        /// <summary>Whether any <c>serving[]</c> entry declares a burst (the section itself is bound, and reported, by BindServing).</summary>
        internal bool HybridBursts() =>
            config.Values.TryGetValue("serving", out var node) && node is JsonArray serving && serving.Any(e => e is JsonObject o && o.ContainsKey("burst"));

        /// <summary>
        /// Production (<see cref="EnvironmentModel.IsProductionEnvironment"/>) as the clusters section needs it: the policy
        /// section is bound (and its errors reported) by BindPolicy; an unreadable enforcement counts as advisory.
        /// </summary>
        private bool ProductionForClusters()
        {
            var strict = config.Values.TryGetValue("policy", out var node) && node is JsonObject p
                && p["enforcement"] is JsonValue v && v.TryGetValue<string>(out var e) && e == "strict";
            return EnvironmentModel.IsProductionEnvironment(_environment, strict ? PolicyEnforcement.Strict : PolicyEnforcement.Advisory);
        }

        private ImmutableSortedDictionary<string, MigConfigDefinition> BindMigConfigs()
        {
            var result = ImmutableSortedDictionary.CreateBuilder<string, MigConfigDefinition>(StringComparer.Ordinal);
            foreach (var m in TopList("migConfigs", required: false))
            {
                var name = m.String("name", required: true, KubernetesNames.ShortNamePattern, KubernetesNames.ShortNameRule);
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
    }
}
