using System.Collections.Immutable;
using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Monitoring;
using NeoCloud.Infra.Components.Networking;
using NeoCloud.Infra.Components.Serving;
using NeoCloud.Infra.Components.Storage;
using NeoCloud.Infra.Components.Tenancy;
using NeoCloud.Infra.Components.Traffic;
using NeoCloud.Infra.Components.VectorDb;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Storage;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Core.Traffic;
using NeoCloud.Infra.Core.VectorDb;
using Pulumi;
using Aws = Pulumi.Aws;

namespace NeoCloud.Infra.Stacks;

/// <summary>
/// The program of one stack: composes the components for a bound, validated <see cref="EnvironmentModel"/> —
/// clusters and their providers, GPU pools, GPU Operator, monitoring, KEDA, model storage, tenants, vector database,
/// Triton deployments (and hybrid burst deployments) — and exposes the stack outputs.
/// </summary>
public sealed class EnvironmentStack
{
    private readonly EnvironmentModel _env;
    private readonly CapacityReport _capacity;
    private readonly Dictionary<string, ClusterAccess> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClusterPlatform> _platforms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GpuNodePool> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Cluster, string Tenant), Tenant> _tenants = [];
    private readonly Dictionary<(string Cluster, string Tenant), Resource> _modelCredentials = [];
    private readonly Dictionary<string, object?> _servingEndpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServingPriorityClasses> _priorityClasses = new(StringComparer.Ordinal);
    private ReplicatedBucket? _bucket;
    private readonly Dictionary<string, Output<ImmutableArray<string>>> _s3Ranges = new(StringComparer.Ordinal);
    private OnPremObjectStore? _store;
    private VectorDatabase? _vectorDb;
    private readonly Dictionary<string, InternalServingEndpoint> _internalEndpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InferenceGateway> _gateways = new(StringComparer.Ordinal);

    /// <summary>Composes the stack. Call inside <c>Deployment.RunAsync</c> (or a mock-engine test) with a validated model.</summary>
    /// <param name="env">The bound environment (Core <see cref="EnvironmentBinder"/>).</param>
    public EnvironmentStack(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        _env = env;
        _capacity = CapacityPlanner.Compute(env);

        foreach (var cluster in env.Clusters)
        {
            _clusters[cluster.Name] = ClusterAccess.Connect(cluster, env);
        }

        _bucket = ModelBucket();
        foreach (var access in _clusters.Values)
        {
            _platforms[access.Spec.Name] = Platform(access);
        }

        _store = OnPremStore();
        Tenants();
        ModelCredentials();
        _vectorDb = VectorDb();
        Serving();
        Gateways();
        Outputs = StackOutputs();
    }

    /// <summary>The stack outputs: endpoints, capacity per pool, bucket names, the policy pack to use.</summary>
    public IDictionary<string, object?> Outputs { get; }

    /// <summary>The monitoring and autoscaling components of one cluster.</summary>
    private sealed record ClusterPlatform(PrometheusStack Monitoring, KedaOperator Keda, GpuOperator? GpuOperator);

    private ReplicatedBucket? ModelBucket()
    {
        if (_env.Storage.ModelBucket is not { } b)
        {
            return null;
        }

        return new ReplicatedBucket("model-bucket", new ReplicatedBucketArgs
        {
            NamePrefix = b.Name,
            Region = b.Region,
            ReplicaRegion = b.ReplicaRegion,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
            NoncurrentVersionDays = b.NoncurrentVersionDays,
            AbortIncompleteMultipartDays = b.AbortIncompleteMultipartDays,
            CheckpointPrefix = b.CheckpointPrefix,
            CheckpointExpiryDays = b.CheckpointExpiryDays,
            ReplicationTimeControl = b.ReplicationTimeControl,
            ModelPrefix = StackLayout.ModelPrefix,
        });
    }

    private ClusterPlatform Platform(ClusterAccess access)
    {
        var cluster = access.Spec;
        var release = _env.Monitoring.ReleaseLabel;
        var pools = new List<GpuNodePool>();
        foreach (var pool in _env.PoolsOf(cluster.Name).Where(p => p.Gpu is not null))
        {
            var gpuPool = new GpuNodePool(pool.Name, PoolArgs(pool, access), access.Options());
            _pools[pool.Name] = gpuPool;
            pools.Add(gpuPool);
        }

        // Cpu pools: the system pool the add-ons below are placed on (their Helm releases wait for Ready pods).
        var cpuPools = _env.PoolsOf(cluster.Name).Where(p => p.Gpu is null).Select(pool => (Resource)new CpuNodePool(pool.Name, CpuPoolArgs(pool, access), access.Options())).ToArray();
        var addonSelector = SystemAddonPlacement.NodeSelector(_env, cluster.Name).ToDictionary(StringComparer.Ordinal);

        // Node autoscaling: every EKS cluster the stack creates runs cluster-autoscaler over its pools (issue 14).
        if (ClusterAutoscalerSpec.ForCluster(_env, cluster, StackLayout.ComponentName(cluster.Name, "node-autoscaler")) is { } autoscaler)
        {
            _ = new ClusterAutoscaler(autoscaler.Name!, new ClusterAutoscalerArgs
            {
                ClusterName = access.EksClusterName!,
                Region = autoscaler.Region!,
                KubernetesVersion = autoscaler.KubernetesVersion!,
                Pools = [.. autoscaler.Pools.Select(p => new AutoscaledPoolArgs { PoolName = p.PoolName!, MinSize = p.MinSize, MaxSize = p.MaxSize, CapacityType = p.CapacityType })],
                MaxNodesTotal = autoscaler.MaxNodesTotal,
                SystemNodeSelector = addonSelector,
                Environment = _env.Environment,
                CostCenter = _env.CostCenter,
            }, access.Options(cpuPools));
        }

        // ... and, where it resizes MIG pools, the lock that keeps it off a node while its MIG layout is applied (issue 14).
        if (MigScaleDownLockSpec.ForCluster(_env, cluster, StackLayout.ComponentName(cluster.Name, MigScaleDownLockPlanner.AppName)) is { } migLock)
        {
            _ = new MigScaleDownLock(migLock.Name!, new MigScaleDownLockArgs
            {
                KubernetesVersion = migLock.KubernetesVersion!,
                SystemNodeSelector = addonSelector,
                Environment = _env.Environment,
                CostCenter = _env.CostCenter,
            }, access.Options(cpuPools));
        }

        // EKS: CoreDNS and the EBS CSI driver once the system pool exists, and the StorageClasses claims name (issue 14).
        var eksAddons = ClusterAddons(access, cpuPools);
        if (eksAddons is not null)
        {
            cpuPools = [.. cpuPools, eksAddons];
        }

        var monitoring = new PrometheusStack(StackLayout.ComponentName(cluster.Name, "monitoring"), new PrometheusStackArgs
        {
            ReleaseName = release,
            Namespace = StackLayout.MonitoringNamespace,
            Retention = _env.Monitoring.Retention,
            StorageSize = _env.Monitoring.StorageSize,
            StorageClass = _env.Monitoring.StorageClass,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
            GpuOperatorNamespace = pools.Count > 0 ? StackLayout.GpuOperatorNamespace : null,
            GrafanaAdminUser = _env.Monitoring.GrafanaAdminUser,
            SystemNodeSelector = addonSelector,
            GrafanaAdminPassword = _env.Monitoring.GrafanaAdminPasswordSecretKey is { } passwordKey ? (Input<string>)new Config(StackConfig.Namespace).RequireSecret(passwordKey) : null,
            AlertReceivers = [.. _env.Monitoring.Receivers.Select(r => new AlertReceiverArgs
            {
                Name = r.Name,
                Kind = AlertmanagerConfig.KindName(r.Kind),
                Secret = new Config(StackConfig.Namespace).RequireSecret(r.SecretKey),
                Channel = r.Channel,
            })],
            // Hybrid: the on-prem Prometheus is exposed to its burst clusters' VPCs, whose PrometheusFederation scrapes it.
            ExposeFederation = FederationBursts(cluster.Name).Count > 0,
            FederationSourceRanges = [.. FederationBursts(cluster.Name).Select(b => _env.Cluster(b).Network?.VpcCidr).OfType<string>().Distinct(StringComparer.Ordinal)],
        }, ChildWasAtRoot(access.Options(cpuPools), $"{StackLayout.ComponentName(cluster.Name, "monitoring")}-federation", StackLayout.ComponentName(cluster.Name, "prometheus-federation")));

        // The DCGM ServiceMonitor comes from PrometheusStack (it relabels the node name the GPU alerts group by).
        var gpuOperator = pools.Count == 0 ? null : new GpuOperator(StackLayout.ComponentName(cluster.Name, "gpu-operator"), new GpuOperatorArgs
        {
            Substrate = PoolValues.NameOf(PoolValues.Substrates, cluster.Substrate),
            Pools = [.. _env.PoolsOf(cluster.Name).Where(p => p.Gpu is not null).Select(OperatorPoolArgs)],
            MigStrategy = cluster.MigStrategy.ToChartValue(),
            Namespace = StackLayout.GpuOperatorNamespace,
            PrometheusReleaseLabel = release,
            ServiceMonitor = false,
            SystemNodeSelector = addonSelector,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
        }, access.Options([.. pools, .. cpuPools]));

        var keda = new KedaOperator(StackLayout.ComponentName(cluster.Name, "keda"), new KedaOperatorArgs
        {
            Namespace = StackLayout.KedaNamespace,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
            MonitoringRelease = release,
            SystemNodeSelector = addonSelector,
        }, access.Options(monitoring));
        return new ClusterPlatform(monitoring, keda, gpuOperator);
    }

    /// <summary>
    /// The node-dependent add-ons and the StorageClasses of an EKS cluster (<see cref="EksClusterAddons"/>): on a cluster
    /// the stack creates, CoreDNS and the EBS CSI driver at Core's pins; on every EKS cluster the encrypted gp3 default and
    /// the classes <c>clusters[].storageClasses</c> creates. Null on-prem.
    /// </summary>
    private EksClusterAddons? ClusterAddons(ClusterAccess access, Resource[] pools)
    {
        var cluster = access.Spec;
        if (cluster.Substrate != Substrate.Eks)
        {
            return null;
        }

        return new EksClusterAddons(StackLayout.ComponentName(cluster.Name, "addons"), new EksClusterAddonsArgs
        {
            ClusterName = access.EksClusterName!,
            KubernetesVersion = cluster.KubernetesVersion,
            ManageAddons = access.Eks is not null,
            // CoreDNS on the system pools (SystemAddonPlacement; null without a system pool: the add-on's default placement).
            CoreDnsConfiguration = SystemAddonPlacement.CoreDnsConfigurationValues(SystemAddonPlacement.NodeSelector(_env, cluster.Name)) is { } coreDns ? (Input<string>)coreDns : null,
            StorageClasses = [.. cluster.StorageClasses.Where(c => !c.Existing).Select(c => new EbsStorageClassArgs
            {
                Name = c.Name,
                Default = c.IsDefault,
                VolumeType = c.VolumeType,
                Iops = c.Iops,
                Throughput = c.Throughput,
            })],
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
        }, access.Options(pools));
    }

    // The Args of the pool components: the same specs the binder validated (GpuNodePoolSpec/CpuNodePoolSpec.ForPool).
    private GpuNodePoolArgs PoolArgs(GpuPoolSpec pool, ClusterAccess access)
    {
        var spec = GpuNodePoolSpec.ForPool(new OwnershipSpec(_env.Environment, _env.CostCenter), pool, MigConfigOf(pool), access.Spec.MigStrategy, TenantPools.DedicatedTo(_env, pool.Name));
        return NodeArgs(new GpuNodePoolArgs
        {
            Purpose = spec.Purpose,
            Interruptible = spec.Interruptible,
            TimeSlicingReplicas = spec.TimeSlicingReplicas,
            Driver = spec.Driver,
            MigConfig = spec.MigConfig,
            CustomMigConfig = spec.CustomMigConfig is { } custom ? MigConfigArgsOf(custom) : null,
            MigStrategy = spec.MigStrategy,
            AmiReleaseVersion = spec.AmiReleaseVersion,
            GpuModel = spec.GpuModel,
            GpusPerNode = spec.GpusPerNode,
            DedicatedTo = spec.DedicatedTo,
        }, access, spec.Substrate!, spec.PoolName, spec.InstanceType, (spec.MinSize, spec.DesiredSize, spec.MaxSize), spec.CapacityType, spec.NodeNames);
    }

    private CpuNodePoolArgs CpuPoolArgs(GpuPoolSpec pool, ClusterAccess access)
    {
        var spec = CpuNodePoolSpec.ForPool(new OwnershipSpec(_env.Environment, _env.CostCenter), pool);
        return NodeArgs(new CpuNodePoolArgs { System = spec.System }, access, spec.Substrate!, spec.PoolName, spec.InstanceType, (spec.MinSize, spec.DesiredSize, spec.MaxSize), spec.CapacityType, spec.NodeNames);
    }

    private T NodeArgs<T>(T args, ClusterAccess access, string substrate, string? poolName, string? instanceType, (int? Min, int? Desired, int? Max) size, string? capacityType, ImmutableArray<string> nodes)
        where T : NodePoolArgs
    {
        var eks = access.Spec.Substrate == Substrate.Eks;
        args.Environment = _env.Environment;
        args.CostCenter = _env.CostCenter;
        args.Substrate = substrate;
        args.PoolName = poolName;
        args.ClusterName = eks ? access.EksClusterName! : null;
        args.NodeSubnetIds = eks ? access.NodeSubnetIds! : null;
        args.KubernetesVersion = eks ? (Input<string>)access.Spec.KubernetesVersion! : null;
        args.InstanceType = instanceType;
        (args.MinSize, args.DesiredSize, args.MaxSize) = size;
        args.CapacityType = capacityType;
        args.NodeNames = eks ? null : [.. nodes];
        return args;
    }

    private GpuOperatorPoolArgs OperatorPoolArgs(GpuPoolSpec pool)
    {
        var spec = GpuOperatorPoolSpec.ForPool(pool, MigConfigOf(pool));
        return new GpuOperatorPoolArgs
        {
            PoolName = spec.PoolName!,
            GpuModel = spec.GpuModel!,
            GpusPerNode = spec.GpusPerNode ?? 0,
            MigConfig = spec.MigConfig,
            CustomMigConfig = spec.CustomMigConfig is { } custom ? MigConfigArgsOf(custom) : null,
            TimeSlicingReplicas = spec.TimeSlicingReplicas,
            Driver = spec.Driver,
        };
    }

    private MigConfigDefinition? MigConfigOf(GpuPoolSpec pool) => pool.Mig is { } mig ? _env.MigConfigs.GetValueOrDefault(mig.ConfigName) : null;

    private static MigConfigArgs MigConfigArgsOf(MigConfigDefinition custom) => new()
    {
        Name = custom.Name,
        Devices = [.. custom.Entries.Select(e => new MigDeviceArgs { Gpus = e.Devices is { } gpus ? [.. gpus] : null, Layout = new Dictionary<string, int>(e.Layout, StringComparer.Ordinal) })],
    };

    private OnPremObjectStore? OnPremStore()
    {
        if (_env.Storage.OnPrem is not { } spec)
        {
            return null;
        }

        var access = _clusters[spec.Cluster];
        var ns = Namespace(access, StackLayout.ModelStoreNamespace, "model-store");
        S3SyncArgs? sync = null;
        if (spec.SyncToS3 && _bucket is not null && _env.Storage.ModelBucket is { } target)
        {
            // A dedicated IAM user whose only right is writing the model bucket; its key reaches the CronJob as a Secret.
            var writer = new ModelBucketAccess("model-sync", new ModelBucketAccessArgs
            {
                Access = ModelBucketAccessPlanner.Write,
                BucketArn = _bucket.BucketArn,
                KmsKeyArn = _bucket.KmsKeyArn,
                Region = target.Region,
                Environment = _env.Environment,
                CostCenter = _env.CostCenter,
            }, new ComponentResourceOptions { ResourceTransformations = { LegacyRoot.Aliases(n => n) } });
            sync = new S3SyncArgs
            {
                BucketName = _bucket.BucketName,
                Region = target.Region,
                KmsKeyArn = _bucket.KmsKeyArn,
                Schedule = spec.SyncSchedule,
                AccessKeyId = writer.AccessKeyId.Apply(k => k!),
                SecretAccessKey = writer.SecretAccessKey.Apply(k => k!),
            };
        }

        return new OnPremObjectStore("model-store", new OnPremObjectStoreArgs
        {
            StoreName = StackLayout.ModelPrefix,
            RookNamespace = StackLayout.RookNamespace,
            Namespace = StackLayout.ModelStoreNamespace,
            BucketName = spec.BucketName,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
            Production = _env.IsProduction,
            PoolReplicas = _env.IsProduction ? 3 : 1,
            GatewayInstances = _env.IsProduction ? 2 : 1,
            ModelPrefix = StackLayout.ModelPrefix,
            SyncToS3 = sync,
            SystemNodeSelector = SystemAddonPlacement.NodeSelector(_env, spec.Cluster).ToDictionary(StringComparer.Ordinal),
        }, access.Options(ns));
    }

    private void Tenants()
    {
        foreach (var tenant in _env.Tenants)
        {
            foreach (var clusterName in tenant.Clusters)
            {
                var access = _clusters[clusterName];
                var capacity = StackLayout.ClusterCapacity(_capacity, clusterName);

                // A quota for a GPU resource no pool of this cluster offers is 0 here: the tenant's namespace cannot ask for it.
                var quota = tenant.Quota.GpuResources.ToDictionary(kv => kv.Key, kv => capacity.ContainsKey(kv.Key) ? kv.Value : 0, StringComparer.Ordinal);
                var storeHere = _env.Storage.OnPrem is { } store && store.Cluster == clusterName;
                _tenants[(clusterName, tenant.Name)] = new Tenant(StackLayout.ComponentName(clusterName, tenant.Name), new TenantArgs
                {
                    TenantName = tenant.Name,
                    Group = tenant.Group,
                    Environment = _env.Environment,
                    CostCenter = _env.CostCenter,
                    GpuQuota = quota,
                    CpuRequests = tenant.Quota.Cpu,
                    MemoryRequests = tenant.Quota.Memory,
                    PersistentVolumeClaims = tenant.Quota.PersistentVolumeClaims,
                    ClusterGpuCapacity = capacity.ToDictionary(StringComparer.Ordinal),
                    IngressNamespaces = [StackLayout.MonitoringNamespace],
                    ModelStore = storeHere ? ModelStoreArgs.From(new ModelStoreService(StackLayout.RookNamespace, StackLayout.RgwPodLabels(StackLayout.ModelPrefix), StackLayout.RgwPodPort)) : null,
                    Paths = TenantPathsArgs.From(TenantPaths.For(_env, tenant, clusterName)),
                    // Where Triton reads the AWS model bucket: egress to S3's address ranges in its region (Tenant's allow-model-bucket-egress).
                    ModelBucketEgressCidrs = ReadsFromS3(access) && _env.Storage.ModelBucket is { } bucket ? (InputList<string>)S3Ranges(bucket.Region) : null,
                    // The tenant rules in the API server: GPU/MIG only on the pools it may use (tenants[].pools, dedicated pools).
                    Admission = TenantAdmissionArgs.From(TenantPools.Admission(_env, tenant, clusterName)),
                    // The inference gateway's Envoy pods (and, on a burst cluster, the on-prem gateway over the link), serving ports only.
                    Gateway = GatewayLayout.TenantIngress(_env, tenant.Name, clusterName) is { } gateway ? TenantGatewayArgs.From(gateway) : null,
                }, TenantOptions(access));
            }
        }
    }

    /// <summary>
    /// Tenants are default-deny and a NetworkPolicy cannot name a bucket: where Triton reads the AWS model bucket, the
    /// tenant namespace may reach S3's address ranges in the bucket's region (the AWS-managed prefix list
    /// <c>com.amazonaws.&lt;region&gt;.s3</c>, read at deploy time, once per region) on 443 — and nothing else outside the cluster.
    /// </summary>
    private Output<ImmutableArray<string>> S3Ranges(string region) =>
        _s3Ranges.TryGetValue(region, out var known) ? known : _s3Ranges[region] = Aws.Ec2.GetPrefixList.Invoke(
            new Aws.Ec2.GetPrefixListInvokeArgs { Name = $"com.amazonaws.{region}.s3" },
            new InvokeOptions { Provider = _clusters.Values.FirstOrDefault(c => c.Aws is not null && c.Spec.Region == region)?.Aws }).Apply(r => r.CidrBlocks);

    /// <summary>
    /// Credentials Triton reads the AWS model bucket with, on each cluster that serves from S3: one read-only identity
    /// (<see cref="ModelBucketAccess"/>) per cluster and its key in a Secret per serving tenant namespace. On-prem clusters
    /// read the RGW store: the Secret <see cref="StackLayout.ModelCredentialsSecret"/> in each serving namespace is
    /// provisioned by the operator (README).
    /// </summary>
    private void ModelCredentials()
    {
        if (_bucket is null || _env.Storage.ModelBucket is not { } spec)
        {
            return;
        }

        foreach (var access in _clusters.Values.Where(ReadsFromS3))
        {
            var cluster = access.Spec.Name;
            var tenants = StackLayout.ServingTenants(_env, cluster);
            if (tenants.IsEmpty)
            {
                continue;
            }

            // EKS: a role through EKS Pod Identity (the cluster's region provider: associations are regional), no user and
            // no key (issue 14). Other clusters keep an IAM user's key on the default aws provider, as before.
            var eks = access.Spec.Substrate == Substrate.Eks;
            var options = access.Options([.. tenants.Select(t => _tenants.GetValueOrDefault((cluster, t)))]);
            options.Providers = eks && access.Aws is not null ? [access.Kubernetes, access.Aws] : [access.Kubernetes];
            options.ResourceTransformations.Add(LegacyRoot.Aliases(n => LegacyRoot.FormerModelReaderName(cluster, n)));
            var credentials = new ModelBucketAccess(LegacyRoot.ModelReaderName(cluster), new ModelBucketAccessArgs
            {
                BucketArn = _bucket.BucketArn,
                KmsKeyArn = _bucket.KmsKeyArn,
                Region = spec.Region,
                Namespaces = [.. tenants],
                Identity = eks ? ModelBucketAccessPlanner.PodIdentity : ModelBucketAccessPlanner.AccessKey,
                ClusterName = eks ? access.EksClusterName : null,
                Environment = _env.Environment,
                CostCenter = _env.CostCenter,
            }, options);
            foreach (var tenant in tenants)
            {
                _modelCredentials[(cluster, tenant)] = credentials;
            }
        }
    }

    private VectorDatabase? VectorDb()
    {
        if (_env.VectorDb is not { } spec)
        {
            return null;
        }

        var access = _clusters[spec.Cluster];
        var ns = Namespace(access, StackLayout.VectorDbNamespace, "vector-db");
        return new VectorDatabase(StackLayout.VectorDbRelease, new VectorDatabaseArgs
        {
            Namespace = StackLayout.VectorDbNamespace,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
            Production = _env.IsProduction,
            Replicas = spec.Replicas,
            ReplicationFactor = spec.ReplicationFactor,
            ShardsPerNode = spec.ShardsPerNode,
            StorageClass = spec.StorageClass,
            StorageSize = spec.StorageSize,
            SpreadAcrossZones = access.Spec.Substrate == Substrate.Eks,
            PrometheusReleaseLabel = _env.Monitoring.ReleaseLabel,
            // Only the tenants that declare uses: [vectorDb] (plus the peers and Prometheus) reach Qdrant.
            RestrictIngress = true,
            ClientNamespaces = [.. TenantPaths.VectorDbUsers(_env)],
            MonitoringNamespace = StackLayout.MonitoringNamespace,
            SystemNodeSelector = SystemAddonPlacement.NodeSelector(_env, spec.Cluster).ToDictionary(StringComparer.Ordinal),
        }, ChildWasAtRoot(access.Options(ns, _platforms[spec.Cluster].Monitoring), $"{StackLayout.VectorDbRelease}-{VectorDatabasePlan.IngressPolicyName}", $"{StackLayout.VectorDbRelease}-{VectorDatabasePlan.IngressPolicyName}"));
    }

    private void Serving()
    {
        // The replica budget of shared pools is the binder's (CapacityPlanner.Validate): each TritonService checks
        // only its own maximum against its pool's placement.
        var federated = FederationTargets();
        foreach (var s in _env.Serving)
        {
            var pool = _env.Pool(s.Pool);
            var scaling = s.Autoscaling.Scaling();
            var main = Deploy(s.Name, s, pool, s.Gpu, s.MinReplicas, s.MaxReplicas, scaling);
            if (s.Burst is { } b)
            {
                var burstPool = _env.Pool(b.Pool);
                var burstScaling = BurstScaling.Scaling(s, pool.Cluster);
                var burstEndpoints = Deploy(s.Name + StackLayout.BurstSuffix, s, burstPool, b.Gpu, 0, b.MaxReplicas, burstScaling, federated.GetValueOrDefault(burstPool.Cluster));
                var internalEndpoint = InternalEndpoint(s.Name + StackLayout.BurstSuffix, s.Tenant, _clusters[burstPool.Cluster]);
                burstEndpoints["internal"] = internalEndpoint?.Address;
                if (internalEndpoint is not null)
                {
                    _internalEndpoints[s.Name] = internalEndpoint;
                }

                main["burst"] = burstEndpoints;
            }

            _servingEndpoints[s.Name] = main;
        }
    }

    private Dictionary<string, object?> Deploy(string name, ServingSpec s, GpuPoolSpec pool, GpuRequest gpu, int min, int max, QueueTimeScaling scaling, Resource? waitFor = null)
    {
        var access = _clusters[pool.Cluster];
        var platform = _platforms[pool.Cluster];
        var placement = _pools[pool.Name].Placement;
        if (!_priorityClasses.TryGetValue(pool.Cluster, out var priorities))
        {
            // Serving above training above batch, once per cluster that serves (issue 15).
            priorities = new ServingPriorityClasses($"{pool.Cluster}-priorities", new ServingPriorityClassesArgs { Environment = _env.Environment, CostCenter = _env.CostCenter }, access.Options());
            _priorityClasses[pool.Cluster] = priorities;
        }

        TritonService Create(ModelRepositoryArgs repository, Input<string>? bucket = null) => new(name, new TritonServiceArgs
        {
            Namespace = s.Tenant,
            Tenant = s.Tenant,
            Model = StackLayout.ModelLabel(s.Model),
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
            GpuResource = gpu.ResourceName,
            Placement = placement,
            ModelRepository = repository,
            ModelBucket = bucket,
            CredentialsSecretName = StackLayout.ModelCredentialsSecret,
            ServiceAccountName = access.Spec.Substrate == Substrate.Eks && bucket is not null ? (Input<string>)ModelBucketAccessPlan.DefaultServiceAccountName : null,
            MinReplicas = min,
            MaxReplicas = max,
            Slo = new LatencySloArgs { P95Ms = s.LatencySlo.P95Ms, P99Ms = s.LatencySlo.P99Ms },
            Autoscaling = new QueueTimeScalingArgs
            {
                ThresholdMs = scaling.ThresholdMs,
                ActivationThresholdMs = scaling.ActivationThresholdMs,
                FallbackReplicas = scaling.FallbackReplicas,
                QueryOverride = scaling.QueryOverride,
                TargetInFlightPerReplica = scaling.TargetInFlightPerReplica,
                ActivationInFlight = scaling.ActivationInFlight,
            },
            PrometheusAddress = platform.Monitoring.Address,
            MonitoringRelease = _env.Monitoring.ReleaseLabel,
            Runtime = ServingImages.NameOf(s.Runtime),
            Image = s.Image,
            GpuCount = gpu.Count,
            ModelSize = s.Size is { } size ? new ModelSizeArgs
            {
                ParametersBillions = size.ParametersBillions,
                Precision = size.Precision is { } precision ? ModelFit.NameOf(precision) : null,
                WeightsGiB = size.WeightsGiB,
                MaxContextTokens = size.MaxContextTokens,
                MaxConcurrentSequences = size.MaxConcurrentSequences,
                KvCacheBytesPerToken = size.KvCacheBytesPerToken,
            } : null,
            Batching = TritonBatchingArgs.From(s.Batching),
            Instances = TritonInstancesArgs.From(s.Instances),
            PriorityClassName = priorities.ServingClassName,
        }, access.Options(_tenants.GetValueOrDefault((pool.Cluster, s.Tenant)), _modelCredentials.GetValueOrDefault((pool.Cluster, s.Tenant)), platform.GpuOperator, _store, waitFor, platform.Keda, platform.Monitoring));

        var prefix = StackLayout.ModelRepositoryPrefix(s.Name);
        string source;
        if (!ReadsFromS3(access) && _env.Storage.OnPrem is { } store)
        {
            source = "onprem-store";
            var endpoint = new OnPremObjectStorePlan(StackLayout.ModelPrefix, StackLayout.RookNamespace, StackLayout.ModelStoreNamespace, store.BucketName, 1, 1, false, null).Endpoint;
            Create(new ModelRepositoryArgs { Endpoint = endpoint, Bucket = store.BucketName, Prefix = prefix });
        }
        else
        {
            // The bucket's name carries a random suffix: the Deployment is declared now (previews show it) and its
            // --model-repository argument takes the name once the bucket exists.
            source = "s3";
            Create(new ModelRepositoryArgs { Bucket = _env.Storage.ModelBucket!.Name, Prefix = prefix }, _bucket!.BucketName);
        }

        var (http, grpc, metrics) = TritonDeployment.Endpoints(name, s.Tenant);
        return new Dictionary<string, object?>
        {
            ["cluster"] = pool.Cluster,
            ["pool"] = pool.Name,
            ["http"] = http,
            ["grpc"] = grpc,
            ["metrics"] = metrics,
            ["modelSource"] = source,
            ["replicas"] = new Dictionary<string, object?> { ["min"] = min, ["max"] = max },
        };
    }

    /// <summary>
    /// The inference gateway of each cluster <c>neocloud:gateway</c> lists (issue 16): the spec the binder validated
    /// (<see cref="GatewayLayout.For"/>), after the tenants and deployments it routes to; hybrid routes take the burst
    /// deployment's internal endpoint address.
    /// </summary>
    private void Gateways()
    {
        foreach (var gateway in _env.Gateway?.Clusters ?? [])
        {
            var spec = GatewayLayout.For(_env, gateway);
            var access = _clusters[gateway.Cluster];
            _gateways[gateway.Cluster] = new InferenceGateway(StackLayout.ComponentName(gateway.Cluster, "gateway"), new InferenceGatewayArgs
            {
                GatewayName = spec.GatewayName,
                Namespace = spec.Namespace,
                TlsSecretName = spec.TlsSecretName,
                Hostname = spec.Hostname,
                Routes = [.. spec.Routes.Select(r => new GatewayRouteArgs
                {
                    Name = r.Name,
                    Tenant = r.Tenant,
                    Hostname = r.Hostname,
                    HttpPort = r.HttpPort,
                    GrpcPort = r.GrpcPort,
                    Burst = r.Burst is { } b ? new GatewayBurstArgs
                    {
                        Name = b.Name,
                        Port = b.Port,
                        Weight = b.Weight,
                        PrimaryWeight = b.PrimaryWeight,
                        Address = _internalEndpoints[r.Name].Address.Apply(a => a ?? throw new InvalidOperationException($"the internal endpoint of \"{b.Name}\" has no address")),
                    } : null,
                })],
                Tenants = [.. spec.Tenants.Select(t => new GatewayTenantArgs { Tenant = t.Tenant, ApiKeySecret = t.ApiKeySecret, Requests = t.Requests, Unit = t.Unit })],
                SystemNodeSelector = spec.SystemNodeSelector.ToDictionary(StringComparer.Ordinal),
                ProxyReplicas = spec.ProxyReplicas,
                Environment = _env.Environment,
                CostCenter = _env.CostCenter,
            }, access.Options([.. spec.Tenants.Select(t => _tenants.GetValueOrDefault((gateway.Cluster, t.Tenant)))]));
        }
    }

    /// <summary>
    /// Hybrid (issue 14 item 6): the burst deployment's endpoint reachable from on-prem over the declared private link — an
    /// internal NLB admitting the link's on-prem CIDRs (<see cref="InternalServingEndpoint"/>). Null without a link.
    /// </summary>
    private InternalServingEndpoint? InternalEndpoint(string deployment, string tenant, ClusterAccess access)
    {
        if (access.Spec.PrivateLink is not { } link)
        {
            return null;
        }

        return new InternalServingEndpoint($"{deployment}-internal", new InternalServingEndpointArgs
        {
            ServiceName = $"{deployment}-internal",
            Namespace = tenant,
            Selector = new Dictionary<string, string>(TritonDeployment.Selector(deployment), StringComparer.Ordinal),
            Ports = new Dictionary<string, int>(StringComparer.Ordinal) { [TritonServer.Http.Name] = TritonServer.Http.Number, [TritonServer.Grpc.Name] = TritonServer.Grpc.Number },
            SourceRanges = [.. link.OnPremCidrs],
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
        }, access.Options(_tenants.GetValueOrDefault((access.Spec.Name, tenant))));
    }

    /// <summary>
    /// Hybrid: each burst cluster's Prometheus federates the on-prem serving series from the on-prem PrometheusStack's
    /// federation endpoint (<see cref="PrometheusFederation"/>), which burst ScaledObjects query.
    /// </summary>
    private Dictionary<string, Resource> FederationTargets()
    {
        var result = new Dictionary<string, Resource>(StringComparer.Ordinal);
        var bursts = _env.Serving.Where(s => s.Burst is not null).ToList();
        foreach (var group in bursts.GroupBy(s => (OnPrem: _env.Pool(s.Pool).Cluster, Burst: _env.Pool(s.Burst!.Pool).Cluster)))
        {
            var source = _platforms[group.Key.OnPrem].Monitoring;
            var local = _platforms[group.Key.Burst].Monitoring;
            var name = StackLayout.ComponentName(group.Key.Burst, "federate-" + group.Key.OnPrem);
            result[group.Key.Burst] = new PrometheusFederation(name, new PrometheusFederationArgs
            {
                SourceCluster = group.Key.OnPrem,
                Target = source.FederationTarget.Apply(t => t ?? throw new InvalidOperationException($"the PrometheusStack of cluster \"{group.Key.OnPrem}\" does not expose federation")),
                Namespaces = [.. group.Select(s => s.Tenant)],
                Namespace = StackLayout.MonitoringNamespace,
                ReleaseLabel = local.ReleaseLabel,
                Environment = _env.Environment,
                CostCenter = _env.CostCenter,
            }, ChildWasAtRoot(_clusters[group.Key.Burst].Options(local), $"{name}-scrape-config", name));
        }

        return result;
    }

    /// <summary>The burst clusters that federate the serving series of on-prem cluster <paramref name="onPrem"/>.</summary>
    private List<string> FederationBursts(string onPrem) =>
        [.. _env.Serving.Where(s => s.Burst is not null && _env.Pool(s.Pool).Cluster == onPrem).Select(s => _env.Pool(s.Burst!.Pool).Cluster).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Stacks deployed before issue 17 created the federation Service and ScrapeConfig at the stack's root, named
    /// <paramref name="previousName"/>; they are now the component's child <paramref name="childName"/>. The alias
    /// (same type, old name, no parent; <see cref="LegacyRoot.Aliases"/>) moves them in place instead of replacing the
    /// Kubernetes objects.
    /// </summary>
    private static ComponentResourceOptions ChildWasAtRoot(ComponentResourceOptions options, string childName, string previousName)
    {
        options.ResourceTransformations.Add(LegacyRoot.Aliases(n => n == childName ? previousName : null));
        return options;
    }

    /// <summary>
    /// A shared service's namespace (the <see cref="Components.Namespaces.Namespace"/> component). Stacks deployed before
    /// it created the Kubernetes Namespace at the root under the same name: the alias (no parent) keeps that object.
    /// </summary>
    private Components.Namespaces.Namespace Namespace(ClusterAccess access, string name, string app)
    {
        var options = access.Options();
        options.ResourceTransformations.Add(LegacyRoot.Aliases(n => n));
        return new(StackLayout.ComponentName(access.Spec.Name, name), new Components.Namespaces.NamespaceArgs
        {
            NamespaceName = name,
            App = app,
            Environment = _env.Environment,
            CostCenter = _env.CostCenter,
        }, options);
    }

    private bool ReadsFromS3(ClusterAccess access) =>
        access.Spec.Substrate == Substrate.Eks || _env.Storage.OnPrem is not { } store || store.Cluster != access.Spec.Name;

    private IDictionary<string, object?> StackOutputs()
    {
        var prometheus = _platforms.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.Monitoring.Address, StringComparer.Ordinal);
        var endpoints = new Dictionary<string, object?>
        {
            ["serving"] = _servingEndpoints,
            ["prometheus"] = prometheus,
            ["vectorDb"] = _vectorDb is null ? null : new Dictionary<string, object?> { ["http"] = _vectorDb.HttpEndpoint, ["grpc"] = _vectorDb.GrpcEndpoint },
            ["modelStore"] = _store?.Endpoint,
            ["gateway"] = _gateways.ToDictionary(kv => kv.Key, kv => (object?)new Dictionary<string, object?> { ["listener"] = kv.Value.ListenerHostname, ["routes"] = kv.Value.Endpoints }, StringComparer.Ordinal),
        };
        var buckets = new Dictionary<string, object?>
        {
            ["modelBucket"] = _bucket?.BucketName,
            ["modelBucketRegion"] = _bucket?.Region,
            ["replicaBucket"] = _bucket?.ReplicaBucketName,
            ["replicaRegion"] = _bucket?.ReplicaRegion,
            ["onPremBucket"] = _store?.BucketName,
            ["onPremSyncCronJob"] = _store?.SyncCronJobName,
        };
        var outputs = new Dictionary<string, object?>
        {
            ["environment"] = _env.Environment,
            ["topology"] = _env.Topology.ToString().ToLowerInvariant(),
            ["endpoints"] = endpoints,
            ["capacity"] = StackLayout.CapacitySummary(_capacity),
            ["buckets"] = buckets,
            ["policyPack"] = StackLayout.PolicyPack(_env.Policy),
            ["renderedTo"] = _clusters.Values.Where(c => c.Renders).ToDictionary(c => c.Spec.Name, c => (object?)c.Spec.RenderDirectory, StringComparer.Ordinal),
        };
        if (_gateways.Count > 0)
        {
            // The tenants' API keys, by cluster and tenant: a secret output (`pulumi stack output --show-secrets gatewayApiKeys`).
            outputs["gatewayApiKeys"] = _gateways.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.ApiKeys, StringComparer.Ordinal);
        }

        foreach (var access in _clusters.Values.Where(c => c.Kubeconfig is not null))
        {
            outputs[$"{access.Spec.Name}Kubeconfig"] = access.Kubeconfig;
        }

        return outputs;
    }

    private static void Add(Dictionary<string, List<ReplicaClaim>> claims, string pool, ReplicaClaim claim)
    {
        if (!claims.TryGetValue(pool, out var list))
        {
            claims[pool] = list = [];
        }

        list.Add(claim);
    }

    /// <summary>A tenant's options: the cluster's, and the S3 egress policy kept where the stack root had it before issue 17.</summary>
    private static ComponentResourceOptions TenantOptions(ClusterAccess access)
    {
        var options = access.Options();
        options.ResourceTransformations.Add(LegacyRoot.Aliases(LegacyRoot.FormerTenantName));
        return options;
    }
}
