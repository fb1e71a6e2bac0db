using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;

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

    [GeneratedRegex(@"^1\.[0-9]{2}$")]
    private static partial Regex K8sVersion();

    private sealed partial class Binding
    {
        // Clusters whose migStrategy was set explicitly, with the key path to report against.
        private readonly Dictionary<string, (MigStrategy Strategy, string Path)> _explicitStrategies = new(StringComparer.Ordinal);

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
                        // Shape here; the network rules (zones, CIDR) are EksCluster's, through its planner.
                        var cidr = net.String("vpcCidr", required: true);
                        var zones = net.Strings("availabilityZones", required: true);
                        if (cidr is not null && zones is { } z)
                        {
                            var spec = new EksClusterSpec { Ownership = BoundOwnership, VpcCidr = cidr, AvailabilityZones = z };
                            foreach (var problem in Check(net.Path, spec, EksClusterPlanner.Validate(spec), path => NetworkKeys.TryGetValue(path, out var k) ? net.At(k) : SpecCheck.NotThisSection).Where(p => NetworkKeys.ContainsKey(p.PropertyPath)))
                            {
                                errors.Add(net.At(NetworkKeys[problem.PropertyPath]), problem.Reason);
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
