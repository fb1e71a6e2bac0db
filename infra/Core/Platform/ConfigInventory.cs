using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Storage;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>The inventory of a stack as its bound configuration decides it, and what config decides that has no object at all.</summary>
/// <param name="Inventory">The inventory.</param>
/// <param name="Findings">Findings about config that composes nothing (e.g. a <c>purpose: cpu</c> pool the stack drops).</param>
public sealed record ConfigInventoryResult(PlatformInventory Inventory, ImmutableArray<PlatformFinding> Findings);

/// <summary>
/// Builds the <see cref="PlatformInventory"/> of a stack from its <see cref="EnvironmentModel"/> with the same Core
/// planners the program composes (<see cref="GpuPoolPlanner"/>, <see cref="GpuOperatorPlanner"/>, <see cref="TenantPlan"/>,
/// <see cref="ScaledObjectSpec"/>, the chart workload classes), mirroring what <c>EnvironmentStack</c> registers.
/// </summary>
public static partial class ConfigInventory
{
    /// <summary>Root disk of an EKS GPU node (GpuNodePool's <c>DiskSizeGiB</c> default).</summary>
    public const int EksRootDiskGiB = GpuPoolPlanner.DefaultDiskSizeGiB;

    /// <summary>The namespace of the in-cluster client the "client → serving" flows start from (no gateway exists).</summary>
    public const string ClientNamespace = "default";

    /// <summary>Builds the inventory.</summary>
    /// <param name="env">The bound environment.</param>
    /// <param name="catalog">The hardware catalog (default: <see cref="HardwareCatalog.Default"/>).</param>
    /// <param name="tokensPerRequest">Tokens per request, for the serving rate of a replica.</param>
    public static ConfigInventoryResult Build(EnvironmentModel env, HardwareCatalog? catalog = null, double tokensPerRequest = 500)
    {
        ArgumentNullException.ThrowIfNull(env);
        var cat = catalog ?? HardwareCatalog.Default;
        var findings = ImmutableArray.CreateBuilder<PlatformFinding>();
        var clusters = ImmutableArray.CreateBuilder<PlatformCluster>();
        var pools = ImmutableArray.CreateBuilder<PlatformPool>();
        var workloads = ImmutableArray.CreateBuilder<PlatformWorkload>();
        var claims = ImmutableArray.CreateBuilder<PlatformClaim>();
        var classes = ImmutableArray.CreateBuilder<PlatformStorageClass>();
        var namespaces = ImmutableArray.CreateBuilder<PlatformNamespace>();
        var policies = ImmutableArray.CreateBuilder<PlatformNetworkPolicy>();
        var bindings = ImmutableArray.CreateBuilder<PlatformRoleBinding>();
        var flows = ImmutableArray.CreateBuilder<PlatformFlow>();
        var scalers = ImmutableArray.CreateBuilder<PlatformScaler>();
        var fits = ImmutableArray.CreateBuilder<Serving.ModelFit>();
        var accesses = ImmutableArray.CreateBuilder<PlatformAccess>();
        var poolPlans = new Dictionary<string, GpuPoolPlan>(StringComparer.Ordinal);
        var release = env.Monitoring.ReleaseLabel;
        var prometheus = KubePrometheusStackWorkloads.PrometheusPodLabels(release);

        foreach (var cluster in env.Clusters)
        {
            var c = cluster.Name;
            var eks = cluster.Substrate == Substrate.Eks;
            // Every EKS cluster the stack creates runs cluster-autoscaler over its pools (issue 14; ClusterAutoscalerPlanner).
            var autoscaler = ClusterAutoscalerSpec.ForCluster(env, cluster, StackLayout.ComponentName(c, "node-autoscaler")) is { } autoscalerSpec
                ? ClusterAutoscalerPlanner.Plan(autoscalerSpec)
                : null;
            clusters.Add(new PlatformCluster(c, Managed: eks, NodeAutoscaler: autoscaler is not null));
            if (autoscaler is not null)
            {
                workloads.Add(ClusterAutoscalerPlanner.Workload(autoscaler).On(c));
            }

            // The MIG scale-down lock next to it where the cluster has MIG pools (MigScaleDownLockPlanner, MigScaleDownRule).
            if (MigScaleDownLockSpec.ForCluster(env, cluster, StackLayout.ComponentName(c, MigScaleDownLockPlanner.AppName)) is { } lockSpec)
            {
                workloads.Add(MigScaleDownLockPlanner.Workload(MigScaleDownLockPlanner.Plan(lockSpec)).On(c));
            }

            // The cluster's add-ons run on its system pools (their charts' nodeSelector), where it has one: the GPU
            // Operator, KEDA, the autoscaler, CoreDNS, kube-prometheus-stack (PrometheusSettings.NodeSelector) and Qdrant
            // (VectorDatabaseSpec.SystemNodeSelector).
            var addons = SystemAddonPlacement.NodeSelector(env, c);
            classes.AddRange(StorageClassesOf(cluster));
            foreach (var ns in new[] { "kube-system", ClientNamespace, StackLayout.MonitoringNamespace, StackLayout.KedaNamespace })
            {
                namespaces.Add(PlatformNamespace.Of(c, ns));
            }

            var plans = new List<GpuPoolPlan>();
            foreach (var pool in env.PoolsOf(c))
            {
                if (pool.Gpu is null)
                {
                    pools.Add(CpuPool(env, pool, cat));
                    continue;
                }

                var plan = GpuPoolPlanner.Plan(GpuNodePoolSpec.ForPool(Ownership(env), pool, MigConfigOf(env, pool), cluster.MigStrategy, TenantPools.DedicatedTo(env, pool.Name)), cat);
                poolPlans[pool.Name] = plan;
                plans.Add(plan);
                var labels = plan.NodeLabels.SetItem(GpuOperatorWorkloads.NvidiaPciLabel, "true");
                if (pool.Gpu.MigSupported)
                {
                    labels = labels.SetItem(GpuOperatorWorkloads.MigCapableLabel, "true");
                }

                ImmutableSortedDictionary<string, long> allocatable;
                string shape;
                var known = true;
                if (eks && cat.FindInstanceType(pool.InstanceType!) is { } type)
                {
                    allocatable = NodeAllocatable.For(type.Vcpus, type.MemoryGiB, EksRootDiskGiB, plan.Capacity.PerNode);
                    shape = string.Create(CultureInfo.InvariantCulture, $"{type.Name}: {type.Vcpus} vCPU, {type.MemoryGiB} GiB, {type.Gpus} × {pool.Gpu.Id} (catalog)");
                }
                else
                {
                    allocatable = NodeAllocatable.ExtendedOnly(plan.Capacity.PerNode);
                    shape = string.Create(CultureInfo.InvariantCulture, $"{pool.GpusPerNode} × {pool.Gpu.Id} (on-prem; CPU and memory not in config)");
                    known = false;
                }

                pools.Add(new PlatformPool(c, pool.Name, pool.MinSize, pool.DesiredSize, pool.MaxSize, labels, plan.Taints, allocatable, shape, known));
            }

            if (eks)
            {
                workloads.AddRange(EksSystemWorkloads.For(addons).Select(w => w.On(c)));
            }

            if (plans.Count > 0)
            {
                namespaces.Add(PlatformNamespace.Of(c, StackLayout.GpuOperatorNamespace));
                var op = GpuOperatorPlanner.Plan(new GpuOperatorSpec
                {
                    Ownership = Ownership(env),
                    Substrate = PoolValues.NameOf(PoolValues.Substrates, cluster.Substrate),
                    Pools = [.. env.PoolsOf(c).Where(p => p.Gpu is not null).Select(p => GpuOperatorPoolSpec.ForPool(p, MigConfigOf(env, p)))],
                    MigStrategy = cluster.MigStrategy.ToChartValue(),
                    Namespace = StackLayout.GpuOperatorNamespace,
                    PrometheusReleaseLabel = release,
                    ServiceMonitor = false,
                    SystemNodeSelector = addons,
                }, cat);
                workloads.AddRange(GpuOperatorWorkloads.For(StackLayout.GpuOperatorNamespace, op).Select(w => w.On(c)));
                flows.Add(new PlatformFlow($"{c}: Prometheus → DCGM exporter", Pod(c, StackLayout.MonitoringNamespace, prometheus, "Prometheus"), Pod(c, StackLayout.GpuOperatorNamespace, WorkloadShape.Labels(("app", "nvidia-dcgm-exporter")), "DCGM exporter"), GpuOperatorWorkloads.DcgmExporterPort, "TCP", true));
            }

            var monitoringSettings = new PrometheusSettings(release, StackLayout.MonitoringNamespace, env.Monitoring.Retention, env.Monitoring.StorageSize, env.Monitoring.StorageClass) { NodeSelector = addons };
            workloads.AddRange(KubePrometheusStackWorkloads.For(monitoringSettings).Select(w => w.On(c)));
            workloads.AddRange(KedaWorkloads.For(StackLayout.KedaNamespace, KedaChart.Values(null, ImmutableSortedDictionary<string, string>.Empty, addons)).Select(w => w.On(c)));
            flows.Add(new PlatformFlow($"{c}: KEDA → Prometheus", Pod(c, StackLayout.KedaNamespace, KedaWorkloads.OperatorPodLabels, "KEDA operator"), Pod(c, StackLayout.MonitoringNamespace, prometheus, "Prometheus"), KubePrometheusStackChart.PrometheusPort, "TCP", true));
            flows.Add(new PlatformFlow($"{c}: Prometheus → KEDA metrics", Pod(c, StackLayout.MonitoringNamespace, prometheus, "Prometheus"), Pod(c, StackLayout.KedaNamespace, KedaWorkloads.OperatorPodLabels, "KEDA operator"), KedaWorkloads.OperatorMetricsPort, "TCP", true));
        }

        // Storage: the on-prem object store, its bucket StorageClass and its backing class (declared pre-existing).
        var storeCluster = env.Storage.OnPrem?.Cluster;
        if (env.Storage.OnPrem is { } store)
        {
            var storeSelector = SystemAddonPlacement.NodeSelector(env, store.Cluster);
            var storePlan = new OnPremObjectStorePlan(StackLayout.ModelPrefix, StackLayout.RookNamespace, StackLayout.ModelStoreNamespace, store.BucketName, env.IsProduction ? 3 : 1, env.IsProduction ? 2 : 1, env.IsProduction, null) { SystemNodeSelector = storeSelector };
            namespaces.Add(PlatformNamespace.Of(store.Cluster, StackLayout.RookNamespace));
            namespaces.Add(PlatformNamespace.Of(store.Cluster, StackLayout.ModelStoreNamespace));
            workloads.Add(RookGatewayWorkloads.For(storePlan).On(store.Cluster));
            workloads.Add((Stack("Job", StackLayout.ModelStoreNamespace, "model-store-versioning") with { NodeSelector = storeSelector }).On(store.Cluster));
            if (store.SyncToS3 && env.Storage.ModelBucket is not null)
            {
                workloads.Add((Stack("CronJob", StackLayout.ModelStoreNamespace, "model-store-s3-sync") with { NodeSelector = storeSelector }).On(store.Cluster));
            }

            classes.Add(new PlatformStorageClass(store.Cluster, "model-store-bucket", false, StorageClassOrigin.Created, StoragePins.BucketProvisioner));
            if (!classes.Any(k => k.Cluster == store.Cluster && k.Name == store.StorageClass))
            {
                classes.Add(new PlatformStorageClass(store.Cluster, store.StorageClass, false, StorageClassOrigin.Declared));
            }
            claims.Add(new PlatformClaim(store.Cluster, StackLayout.ModelStoreNamespace, "model bucket claim", "model-store-bucket"));
        }

        // Vector DB.
        if (env.VectorDb is { } vdb)
        {
            namespaces.Add(PlatformNamespace.Of(vdb.Cluster, StackLayout.VectorDbNamespace));
            var qdrant = VectorDatabasePlanner.Plan(vdb.ToSpec(new OwnershipSpec(env.Environment, env.CostCenter), env.IsProduction, env.Cluster(vdb.Cluster).Substrate == Substrate.Eks, release, TenantPaths.VectorDbUsers(env)) with { SystemNodeSelector = SystemAddonPlacement.NodeSelector(env, vdb.Cluster) });
            workloads.Add(QdrantWorkloads.For(StackLayout.VectorDbNamespace, "qdrant", qdrant).On(vdb.Cluster));
            policies.Add(Policy(vdb.Cluster, StackLayout.VectorDbNamespace, qdrant.Ingress!));
            flows.Add(new PlatformFlow($"{vdb.Cluster}: Prometheus → Qdrant metrics", Pod(vdb.Cluster, StackLayout.MonitoringNamespace, prometheus, "Prometheus"), Pod(vdb.Cluster, StackLayout.VectorDbNamespace, QdrantWorkloads.PodLabels("qdrant"), "Qdrant"), QdrantChart.HttpPort, "TCP", true));
        }

        // Tenants: namespaces, NetworkPolicies, RoleBindings; model-bucket egress where a cluster reads S3.
        foreach (var tenant in env.Tenants)
        {
            foreach (var c in tenant.Clusters)
            {
                var plan = new TenantPlan(tenant.Name, tenant.Group, env.Environment, env.CostCenter, PodSecurityLevel.Baseline,
                    new TenantQuotaSettings(tenant.Quota.GpuResources, tenant.Quota.Cpu, null, tenant.Quota.Memory, null, tenant.Quota.PersistentVolumeClaims, 0),
                    null, [StackLayout.MonitoringNamespace],
                    storeCluster == c ? new ModelStoreService(StackLayout.RookNamespace, StackLayout.RgwPodLabels(StackLayout.ModelPrefix), StackLayout.RgwPodPort) : null,
                    [], [])
                { Paths = TenantPaths.For(env, tenant, c), Gateway = Traffic.GatewayLayout.TenantIngress(env, tenant.Name, c) };
                namespaces.Add(new PlatformNamespace(c, tenant.Name, plan.NamespaceLabels().SetItem(TenantPlan.NamespaceNameLabel, tenant.Name)));
                policies.AddRange(plan.NetworkPolicies().Select(p => Policy(c, tenant.Name, p)));
                bindings.Add(new PlatformRoleBinding(c, tenant.Name, "tenant-member", [tenant.Group], TenantPlan.RoleRules()));
                if (ReadsFromS3(env, c) && env.Storage.ModelBucket is { } bucket)
                {
                    policies.Add(new PlatformNetworkPolicy(c, tenant.Name, "allow-model-bucket-egress", LabelSelector.All, false, true, [],
                        [new NetworkPolicyRule([new NetworkPeer(null, null, new IpBlockPeer(S3Range(bucket.Region), []))], [new NetworkPolicyPort("TCP", 443)])]));
                }
            }
        }

        foreach (var a in env.Tenants)
        {
            foreach (var b in env.Tenants.Where(b => b.Name != a.Name))
            {
                foreach (var c in a.Clusters.Intersect(b.Clusters))
                {
                    accesses.Add(new PlatformAccess($"{c}: {a.Name} → {b.Name} Secrets", c, a.Group, "get", "secrets", b.Name, false));
                }
            }

            foreach (var c in a.Clusters)
            {
                accesses.Add(new PlatformAccess($"{c}: {a.Name} → own Secrets", c, a.Group, "get", "secrets", a.Name, true));
                if (env.VectorDb is { } v && v.Cluster == c)
                {
                    // Intended only where the tenant declares uses: [vectorDb]; every other tenant must stay out.
                    flows.Add(new PlatformFlow($"{c}: {a.Name} → vector DB", Pod(c, a.Name, WorkloadShape.Labels(("app", "tenant-app")), $"{a.Name} pod"), Pod(c, StackLayout.VectorDbNamespace, QdrantWorkloads.PodLabels(StackLayout.VectorDbRelease), "Qdrant"), QdrantChart.HttpPort, "TCP", a.UsesVectorDb));
                }
            }
        }

        // Serving: Triton Deployments (and burst parts), their flows, scalers and model fit.
        foreach (var s in env.Serving)
        {
            AddServing(env, s, s.Name, env.Pool(s.Pool), s.Gpu, s.MinReplicas, s.MaxReplicas, ScalingOf(s), burstGate: s.Burst is null ? null : s.MaxReplicas, burstOf: null);
            if (s.Burst is { } burst)
            {
                AddServing(env, s, s.Name + StackLayout.BurstSuffix, env.Pool(burst.Pool), burst.Gpu, 0, burst.MaxReplicas, BurstScaling.Scaling(s, env.Pool(s.Pool).Cluster), burstGate: null, burstOf: s.Name);
                var onPrem = env.Pool(s.Pool).Cluster;
                var burstCluster = env.Pool(burst.Pool).Cluster;
                var lb = Pod(onPrem, StackLayout.MonitoringNamespace, prometheus, "on-prem Prometheus (LoadBalancer prometheus-federation)");
                lb = lb with { Address = new NetworkAddress("loadbalancer:monitoring/prometheus-federation") };
                var scraper = Pod(burstCluster, StackLayout.MonitoringNamespace, prometheus, "burst Prometheus");
                scraper = scraper with { Address = new NetworkAddress(env.Cluster(burstCluster).Network?.VpcCidr.Split('/')[0] ?? "0.0.0.0") };
                if (!flows.Any(f => f.Name == $"{burstCluster} → {onPrem}: federated metrics"))
                {
                    flows.Add(new PlatformFlow($"{burstCluster} → {onPrem}: federated metrics", scraper, lb, BurstScaling.FederationPort, "TCP", true));
                }
            }
        }

        void AddServing(EnvironmentModel e, ServingSpec s, string name, GpuPoolSpec pool, GpuRequest gpu, int min, int max, QueueTimeScaling scaling, int? burstGate, string? burstOf)
        {
            var c = pool.Cluster;
            var plan = poolPlans[pool.Name];
            // The replica's CPU, memory and model-cache requests: the runtime's defaults, as the stack registers them.
            var container = ServingContainer.Plan(s.Runtime, s.Image, gpu.Count, name, new ModelRepository(null, "bucket", StackLayout.ModelRepositoryPrefix(s.Name)), s.Size, null, null,
                TritonServiceSpec.DefaultModelLoadTimeoutSeconds, migComputeSlices: gpu.Profile is { } profile ? profile[0] - '0' : null);
            var labels = ServingPodLabels(e, s, name);
            workloads.Add(new PlatformWorkload(c, "Deployment", s.Tenant, name, "stack", labels, plan.NodeSelector, [],
                [.. plan.Tolerations.Select(PlatformToleration.From)],
                Quantities.Requests((gpu.ResourceName, gpu.Count.ToString(CultureInfo.InvariantCulture)), (Quantities.Cpu, container.Cpu), (Quantities.Memory, container.Memory), (Quantities.EphemeralStorage, container.CacheSize)),
                min, max, []));
            var ports = container.Ports.ToImmutableSortedDictionary(p => p.Name, p => p.Number, StringComparer.Ordinal);
            var metricsPort = container.Ports.Single(p => p.Name == container.MetricsPort); // vLLM: 8000 "http"; Triton: 8002 "metrics"
            var triton = Pod(c, s.Tenant, labels, $"{s.Tenant}/{name}", ports);
            flows.AddRange(ClientFlows(c, e.Tenants.First(t => t.Name == s.Tenant), $"{s.Tenant}/{name}", triton));
            flows.Add(new PlatformFlow($"{c}: Prometheus → {s.Tenant}/{name} metrics", Pod(c, StackLayout.MonitoringNamespace, prometheus, "Prometheus"), triton, metricsPort.Number, "TCP", true, metricsPort.Name));
            flows.Add(new PlatformFlow($"{c}: {s.Tenant}/{name} → DNS", triton, Pod(c, "kube-system", EksSystemWorkloads.CoreDnsPodLabels, "CoreDNS"), 53, "UDP", true));
            var store = ReadsFromS3(e, c) || e.Storage.OnPrem is null
                ? FlowEndpoint.External(c, S3Range(e.Storage.ModelBucket?.Region ?? "us-east-1"), "S3 (prefix list)")
                : Pod(c, StackLayout.RookNamespace, StackLayout.RgwPodLabels(StackLayout.ModelPrefix), "Rook RGW");
            flows.Add(new PlatformFlow($"{c}: {s.Tenant}/{name} → model store", triton, store, store.Namespace is null ? 443 : StackLayout.RgwPodPort, "TCP", true));
            foreach (var other in e.Tenants.Where(t => t.Name != s.Tenant && t.Clusters.Contains(c)))
            {
                // Tenant A → tenant B is open only where B names A in allowFrom (then it is one of ClientFlows).
                if (!e.Tenants.First(t => t.Name == s.Tenant).AllowFromNamespaces.Contains(other.Name))
                {
                    flows.Add(new PlatformFlow($"{c}: {other.Name} → {s.Tenant}/{name}", Pod(c, other.Name, WorkloadShape.Labels(("app", "tenant-app")), $"{other.Name} pod"), triton, TritonServer.Http.Number, "TCP", false, TritonServer.Http.Name));
                }
            }

            var rendered = ScaledObjectSpec.Render(name, s.Tenant, KubePrometheusStackChart.PrometheusAddress(release, StackLayout.MonitoringNamespace), scaling, min, max, s.Runtime);
            var trigger = (IReadOnlyDictionary<string, object>)((ImmutableArray<object>)rendered["triggers"])[0];
            var meta = (IReadOnlyDictionary<string, object>)trigger["metadata"];
            var fallback = (IReadOnlyDictionary<string, object>)rendered["fallback"];
            double Num(object o) => double.Parse((string)o, CultureInfo.InvariantCulture);
            scalers.Add(new PlatformScaler(c, s.Tenant, name, (string)trigger["metricType"], Num(meta["threshold"]), Num(meta["activationThreshold"]),
                min, max, (int)fallback["replicas"], s.ThroughputTokensPerSecond / tokensPerRequest, s.LatencySlo.P95Ms, 0, pool.DesiredSize, pool.MaxSize, false, burstGate)
            {
                AveragedMetric = AveragedQuery((string)meta["query"]),
                Metric = MetricOf((string)meta["query"]),
                BurstOf = burstOf,
                SlotsPerReplica = ServingContainer.ConcurrentSequences(s.Runtime, s.Size),
            });

            if (s.Size is { } size && Serving.ModelFit.Validate(size).IsEmpty)
            {
                fits.Add(Serving.ModelFit.For(name, s.Model, size, Serving.ModelFit.DeviceMemoryGiB(pool.Gpu!, gpu.Profile, pool.TimeSlicingReplicas), gpu.Count, gpu.Profile ?? pool.Gpu!.Id));
            }
            else
            {
                findings.Add(new PlatformFinding(PlatformRule.ModelFit, name, $"{s.Model}: the model's size is not stated (parametersBillions + precision or weightsGiB, and maxContextTokens), so its fit in one replica's GPU memory is unchecked"));
            }
        }

        AddGateways(env, namespaces, workloads, flows);

        return new ConfigInventoryResult(
            new PlatformInventory(clusters.ToImmutable(), pools.ToImmutable(), workloads.ToImmutable(), claims.ToImmutable(), classes.ToImmutable(), namespaces.ToImmutable(),
                policies.ToImmutable(), bindings.ToImmutable(), flows.ToImmutable(), scalers.ToImmutable(), fits.ToImmutable(), accesses.ToImmutable())
            {
                // Each tenant namespace's admission policy, as EnvironmentStack registers it (TenantPools.Admission).
                Admissions = [.. env.Tenants.SelectMany(t => t.Clusters.Select(c => new PlatformAdmission(c, TenantPools.Admission(env, t, c))))],
            },
            findings.ToImmutable());
    }

    /// <summary>True when a PromQL query divides a rate by a rate (a mean per request, not a quantity that adds up over pods).</summary>
    public static bool AveragedQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RateOverRate().IsMatch(query);
    }

    /// <summary>What a trigger's query measures, for the simulator: requests in flight (Little's law on <c>nv_inference_request_duration_us</c>) or, otherwise, the mean queue time.</summary>
    public static ScalerMetric MetricOf(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var inFlight = query.Contains("rate(nv_inference_request_duration_us", StringComparison.Ordinal) || query.Contains("vllm:num_requests_waiting", StringComparison.Ordinal);
        return inFlight && !AveragedQuery(query) ? ScalerMetric.InFlight : ScalerMetric.MeanQueueMs;
    }

    private static QueueTimeScaling ScalingOf(ServingSpec s) => s.Autoscaling.Scaling();

    private static OwnershipSpec Ownership(EnvironmentModel env) => new(env.Environment, env.CostCenter);

    private static MigConfigDefinition? MigConfigOf(EnvironmentModel env, GpuPoolSpec pool) =>
        pool.Mig is { } mig ? env.MigConfigs.GetValueOrDefault(mig.ConfigName) : null;

    private static PlatformPool CpuPool(EnvironmentModel env, GpuPoolSpec pool, HardwareCatalog catalog)
    {
        var plan = CpuPoolPlanner.Plan(CpuNodePoolSpec.ForPool(Ownership(env), pool), catalog);
        var none = ImmutableSortedDictionary<string, int>.Empty;
        return plan.InstanceType is { } type
            ? new PlatformPool(pool.Cluster, pool.Name, pool.MinSize, pool.DesiredSize, pool.MaxSize, plan.NodeLabels, [],
                NodeAllocatable.For(type.Vcpus, type.MemoryGiB, CpuPoolPlanner.DiskSizeGiB, none),
                string.Create(CultureInfo.InvariantCulture, $"{type.Name}: {type.Vcpus} vCPU, {type.MemoryGiB} GiB (catalog)"))
            : new PlatformPool(pool.Cluster, pool.Name, pool.MinSize, pool.DesiredSize, pool.MaxSize, plan.NodeLabels, [],
                NodeAllocatable.ExtendedOnly(none), "cpu nodes (on-prem; CPU and memory not in config)", CpuMemoryKnown: false);
    }

    /// <summary>An address no <c>allowFrom</c> of the checked-in stacks names (TEST-NET-3, RFC 5737): its flow must be closed.</summary>
    public const string UndeclaredClientAddress = "203.0.113.10";

    /// <summary>
    /// The client flows to one serving endpoint: from each namespace and CIDR the tenant's <c>allowFrom</c> declares
    /// (intended), and from an undeclared address outside the cluster (unintended). A tenant that declares no client
    /// keeps the flow from an in-cluster client in <see cref="ClientNamespace"/>: nothing declared can reach it.
    /// </summary>
    private static IEnumerable<PlatformFlow> ClientFlows(string c, Environments.TenantSpec tenant, string target, FlowEndpoint triton)
    {
        if (tenant.AllowFromNamespaces.IsEmpty && tenant.AllowFromCidrs.IsEmpty)
        {
            yield return new PlatformFlow($"{c}: client → {target}", Pod(c, ClientNamespace, WorkloadShape.Labels(("app", "client")), "in-cluster client (no allowFrom declared)"), triton, TritonServer.Http.Number, "TCP", true, TritonServer.Http.Name);
            yield break;
        }

        foreach (var ns in tenant.AllowFromNamespaces)
        {
            yield return new PlatformFlow($"{c}: {ns} → {target}", Pod(c, ns, WorkloadShape.Labels(("app", "client")), $"{ns} pod (allowFrom)"), triton, TritonServer.Http.Number, "TCP", true, TritonServer.Http.Name);
        }

        foreach (var cidr in tenant.AllowFromCidrs)
        {
            yield return new PlatformFlow($"{c}: {cidr} → {target}", FlowEndpoint.External(c, cidr.Split('/')[0], $"client in {cidr} (allowFrom)"), triton, TritonServer.Http.Number, "TCP", true, TritonServer.Http.Name);
        }

        yield return new PlatformFlow($"{c}: {UndeclaredClientAddress} → {target}", FlowEndpoint.External(c, UndeclaredClientAddress, "undeclared external client"), triton, TritonServer.Http.Number, "TCP", false, TritonServer.Http.Name);
    }

    private static PlatformNetworkPolicy Policy(string cluster, string ns, NetworkPolicyShape shape)
    {
        static NetworkPeer Peer(PolicyPeer p) => p.Cidr is { } cidr
            ? new NetworkPeer(null, null, new IpBlockPeer(cidr, []))
            : new NetworkPeer(p.PodLabels is null ? null : LabelSelector.Of(p.PodLabels), p.NamespaceLabels is null ? null : LabelSelector.Of(p.NamespaceLabels), null);
        static NetworkPolicyRule Rule(PolicyRule r) => new([.. r.Peers.Select(Peer)], [.. r.Ports.Select(p => new NetworkPolicyPort(p.Protocol, p.Port))]);
        return new PlatformNetworkPolicy(cluster, ns, shape.Name, LabelSelector.All,
            shape.PolicyTypes.Contains(PolicyDirection.Ingress), shape.PolicyTypes.Contains(PolicyDirection.Egress),
            [.. shape.Ingress.Select(Rule)], [.. shape.Egress.Select(Rule)]);
    }

    private static bool ReadsFromS3(EnvironmentModel env, string cluster) =>
        env.Cluster(cluster).Substrate == Substrate.Eks || env.Storage.OnPrem is not { } store || store.Cluster != cluster;

    private static string S3Range(string region) => $"prefix-list:com.amazonaws.{region}.s3";

    private static FlowEndpoint Pod(string cluster, string ns, IReadOnlyDictionary<string, string> labels, string description, IReadOnlyDictionary<string, int>? ports = null) =>
        FlowEndpoint.Pod(cluster, ns, labels, description, ports);

    private static WorkloadShape Stack(string kind, string ns, string name) =>
        new(kind, ns, name, "stack", WorkloadShape.Labels(("app.kubernetes.io/instance", name)), [], WorkloadShape.NoRequests);

    [GeneratedRegex(@"rate\([^)]*\)\)\s*/\s*(clamp_min\()?\s*sum\(rate\(")]
    private static partial Regex RateOverRate();
}
