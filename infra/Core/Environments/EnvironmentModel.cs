using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>Where the environment's clusters run.</summary>
public enum Topology
{
    /// <summary>Existing on-prem clusters only.</summary>
    OnPrem,

    /// <summary>AWS (EKS) clusters only.</summary>
    Cloud,

    /// <summary>An on-prem baseline cluster plus an EKS burst cluster.</summary>
    Hybrid,
}

/// <summary>What runs a cluster's nodes.</summary>
public enum Substrate
{
    /// <summary>Existing on-prem nodes reached through a kubeconfig; nodes are never created or deleted.</summary>
    OnPrem,

    /// <summary>Amazon EKS managed node groups.</summary>
    Eks,
}

/// <summary>EC2 capacity type of an EKS node group.</summary>
public enum CapacityType
{
    /// <summary>On-demand instances (<c>ON_DEMAND</c>).</summary>
    OnDemand,

    /// <summary>Spot instances (<c>SPOT</c>): cheaper, may be interrupted with two minutes' notice.</summary>
    Spot,
}

/// <summary>What a pool is for; decides defaults such as interruptibility and cost attribution.</summary>
public enum PoolPurpose
{
    /// <summary>Training and fine-tuning jobs: interruptible by default.</summary>
    Training,

    /// <summary>Model serving: not interruptible by default.</summary>
    Inference,

    /// <summary>CPU-only nodes (system workloads, gateways).</summary>
    Cpu,
}

/// <summary>The kind of GPU a serving replica requests.</summary>
public enum GpuRequestKind
{
    /// <summary>One whole GPU (or one time-sliced share of one).</summary>
    Gpu,

    /// <summary>One MIG instance of a given profile.</summary>
    Mig,
}

/// <summary>The validated, immutable environment of one stack.</summary>
public sealed record EnvironmentModel(
    string Environment,
    string CostCenter,
    Topology Topology,
    ImmutableArray<ClusterSpec> Clusters,
    ImmutableArray<GpuPoolSpec> GpuPools,
    ImmutableSortedDictionary<string, MigConfigDefinition> MigConfigs,
    ImmutableArray<ServingSpec> Serving,
    ImmutableArray<TenantSpec> Tenants,
    StorageSpec Storage,
    MonitoringSpec Monitoring,
    VectorDbSpec? VectorDb,
    PolicySpec Policy,
    CostSpec Cost)
{
    /// <summary>
    /// Plaintext values of secret configuration bound into this model (the engine hands secrets decrypted): every output
    /// and message must show <see cref="StackConfig.SecretPlaceholder"/> instead. A stack file's secrets are ciphertext and
    /// bind as the placeholder itself, so this is empty for the offline plan.
    /// </summary>
    public ImmutableSortedSet<string> SecretValues { get; init; } = ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    /// <summary>The inference gateways (<c>neocloud:gateway</c>), or null: none (nothing outside a tenant's <c>allowFrom</c> reaches the models).</summary>
    public GatewaySettings? Gateway { get; init; }

    /// <summary>True for a production stack, where production rules apply (≥ 3 vector DB peers, replicated buckets).</summary>
    public bool IsProduction => IsProductionEnvironment(Environment, Policy.Enforcement);

    /// <summary>The one rule for "production": environment <c>prod</c> or <c>production</c>, or strict policy enforcement.</summary>
    public static bool IsProductionEnvironment(string environment, PolicyEnforcement enforcement) =>
        environment is "prod" or "production" || enforcement == PolicyEnforcement.Strict;

    /// <summary>The cluster with the given name.</summary>
    public ClusterSpec Cluster(string name) => Clusters.Single(c => c.Name == name);

    /// <summary>The pool with the given name.</summary>
    public GpuPoolSpec Pool(string name) => GpuPools.Single(p => p.Name == name);

    /// <summary>The pools of one cluster.</summary>
    public IEnumerable<GpuPoolSpec> PoolsOf(string cluster) => GpuPools.Where(p => p.Cluster == cluster);
}

/// <summary>A Kubernetes cluster of the environment.</summary>
/// <param name="Name">Cluster name (also used to name its resources).</param>
/// <param name="Substrate">On-prem or EKS.</param>
/// <param name="Region">AWS region (EKS only).</param>
/// <param name="KubernetesVersion">EKS control-plane version (EKS only), e.g. "1.33".</param>
/// <param name="Existing">An existing EKS cluster to attach to instead of creating one (EKS only).</param>
/// <param name="Network">The VPC the library creates for a new EKS cluster (EKS only, when not <paramref name="Existing"/>).</param>
/// <param name="Kubeconfig">How to reach an on-prem cluster, or null when it renders manifests to a directory.</param>
/// <param name="RenderDirectory">On-prem only: render manifests to this directory instead of applying them (no cluster needed).</param>
/// <param name="MigStrategy">The GPU Operator's cluster-wide <c>mig.strategy</c>, decided from the cluster's pools.</param>
/// <param name="Burst">True for the EKS burst cluster of a hybrid environment.</param>
public sealed record ClusterSpec(
    string Name,
    Substrate Substrate,
    string? Region,
    string? KubernetesVersion,
    ExistingEksCluster? Existing,
    NetworkSpec? Network,
    KubeconfigSpec? Kubeconfig,
    string? RenderDirectory,
    MigStrategy MigStrategy,
    bool Burst)
{
    /// <summary>
    /// Who provides the nodes' driver and toolkit by default (<c>clusters[].driver</c>; a pool's own <c>driver</c> wins):
    /// the operator on-prem, preinstalled (the AMI's) on EKS.
    /// </summary>
    public NeoCloud.Infra.Core.Gpu.GpuDriver Driver { get; init; } = Substrate == Substrate.Eks ? NeoCloud.Infra.Core.Gpu.GpuDriver.Preinstalled : NeoCloud.Infra.Core.Gpu.GpuDriver.Operator;

    /// <summary>
    /// The node autoscaler's settings (<c>clusters[].nodeAutoscaler</c>, EKS only): every EKS cluster the stack creates
    /// runs cluster-autoscaler (<see cref="NeoCloud.Infra.Core.Autoscaling.ClusterAutoscalerPlanner"/>); these only
    /// override its defaults.
    /// </summary>
    public NeoCloud.Infra.Core.Autoscaling.NodeAutoscalerSettings NodeAutoscaler { get; init; } = NeoCloud.Infra.Core.Autoscaling.NodeAutoscalerSettings.Default;

    /// <summary>StorageClasses config names for this cluster (<c>clusters[].storageClasses</c>): created (EKS) or declared pre-existing.</summary>
    public ImmutableArray<NeoCloud.Infra.Core.Storage.StorageClassSpec> StorageClasses { get; init; } = [];

    /// <summary>EKS: who may use the cluster's API (<c>clusters[].access</c>, access entries).</summary>
    public ImmutableArray<NeoCloud.Infra.Core.Networking.EksAccessEntry> Access { get; init; } = [];

    /// <summary>EKS: the CIDRs that may reach the public API endpoint (<c>clusters[].publicAccessCidrs</c>); empty: no public endpoint; null: not set (non-production: open).</summary>
    public ImmutableArray<string>? PublicAccessCidrs { get; init; }

    /// <summary>EKS: control-plane log types sent to CloudWatch Logs (<c>clusters[].controlPlaneLogs</c>).</summary>
    public ImmutableArray<string> ControlPlaneLogs { get; init; } = NeoCloud.Infra.Core.Networking.EksControlPlaneLogs.Default;

    /// <summary>On-prem: what gives LoadBalancer Services an address (<c>clusters[].loadBalancer</c>), or null when nothing is declared.</summary>
    public NeoCloud.Infra.Core.Networking.LoadBalancerImplementation? LoadBalancer { get; init; }

    /// <summary>EKS: the private network path to on-prem (<c>clusters[].privateLink</c>), or null.</summary>
    public NeoCloud.Infra.Core.Networking.PrivateLinkSpec? PrivateLink { get; init; }
}

/// <summary>An EKS cluster that already exists.</summary>
/// <param name="ClusterName">The EKS cluster name.</param>
/// <param name="NodeSubnetIds">Subnets node groups launch into.</param>
public sealed record ExistingEksCluster(string ClusterName, ImmutableArray<string> NodeSubnetIds);

/// <summary>The VPC of a new EKS cluster.</summary>
/// <param name="VpcCidr">The VPC's IPv4 CIDR, e.g. 10.40.0.0/16.</param>
/// <param name="AvailabilityZones">Zones to spread subnets over (at least two: EKS requires it).</param>
public sealed record NetworkSpec(string VpcCidr, ImmutableArray<string> AvailabilityZones);

/// <summary>How the program reaches an existing cluster.</summary>
/// <param name="SecretKey">A <c>neocloud:</c> secret config key holding the kubeconfig text, or null.</param>
/// <param name="Path">A kubeconfig file path, or null.</param>
/// <param name="Context">The kubeconfig context to use, or null for the current one.</param>
public sealed record KubeconfigSpec(string? SecretKey, string? Path, string? Context);

/// <summary>A pool of GPU (or CPU) nodes.</summary>
/// <param name="Name">Pool name; nodes carry it as label <c>neocloud.io/pool</c>.</param>
/// <param name="Cluster">Name of the cluster the pool belongs to.</param>
/// <param name="Substrate">EKS node group or labelled on-prem nodes.</param>
/// <param name="Purpose">Training, inference or CPU.</param>
/// <param name="InstanceType">EC2 instance type (EKS), or null.</param>
/// <param name="NodeNames">Existing node names (on-prem), empty on EKS.</param>
/// <param name="Gpu">The GPU model (from the instance type on EKS, stated on-prem); null for CPU pools.</param>
/// <param name="GpusPerNode">GPUs per node (0 for CPU pools).</param>
/// <param name="MinSize">Minimum nodes (on-prem: the node count).</param>
/// <param name="DesiredSize">Desired nodes at creation (on-prem: the node count).</param>
/// <param name="MaxSize">Maximum nodes (on-prem: the node count).</param>
/// <param name="CapacityType">On-demand or spot (EKS).</param>
/// <param name="Interruptible">Whether the pool's workloads tolerate node interruption (spot needs it).</param>
/// <param name="Mig">MIG configuration, or null when MIG is not used.</param>
/// <param name="TimeSlicingReplicas">Time-slicing replicas per GPU (1 = not shared).</param>
/// <param name="AllowOvercommit">Whether serving deployments may together ask for more than the pool holds at max size.</param>
public sealed record GpuPoolSpec(
    string Name,
    string Cluster,
    Substrate Substrate,
    PoolPurpose Purpose,
    string? InstanceType,
    ImmutableArray<string> NodeNames,
    GpuModel? Gpu,
    int GpusPerNode,
    int MinSize,
    int DesiredSize,
    int MaxSize,
    CapacityType CapacityType,
    bool Interruptible,
    PoolMig? Mig,
    int TimeSlicingReplicas,
    bool AllowOvercommit)
{
    /// <summary>True when the pool's GPUs are shared by time-slicing.</summary>
    public bool TimeSliced => TimeSlicingReplicas > 1;

    /// <summary>Who provides the nodes' driver and toolkit (<c>driver</c>); EKS pools are always preinstalled (the AMI's). Defaults to the operator on-prem.</summary>
    public NeoCloud.Infra.Core.Gpu.GpuDriver Driver { get; init; } = Substrate == Substrate.Eks ? NeoCloud.Infra.Core.Gpu.GpuDriver.Preinstalled : NeoCloud.Infra.Core.Gpu.GpuDriver.Operator;

    /// <summary>
    /// A cpu pool for the cluster's system add-ons (<c>gpuPools[].system</c>): its nodes carry the
    /// <see cref="NeoCloud.Infra.Core.Gpu.CpuPoolPlanner.SystemLabel"/> label the add-ons' chart values select.
    /// </summary>
    public bool System { get; init; }

    /// <summary>EKS: the pinned GPU AMI release (<c>gpuPools[].amiReleaseVersion</c>, default: the compatibility matrix's release for the cluster's Kubernetes version); null on-prem.</summary>
    public string? AmiReleaseVersion { get; init; }

    /// <summary>The NVIDIA driver the nodes run, from the compatibility matrix (EKS: the AMI's; on-prem with the operator: the operator's pinned driver); null when preinstalled on-prem (not known to this library).</summary>
    public string? DriverVersion { get; init; }
}

/// <summary>The MIG configuration of a pool, resolved by Core's MIG geometry.</summary>
/// <param name="ConfigName">The mig-parted config name (node label <c>nvidia.com/mig.config</c>).</param>
/// <param name="PerDevice">The layout of each GPU index of a node (empty layout = MIG disabled on that GPU).</param>
public sealed record PoolMig(string ConfigName, ImmutableArray<ImmutableSortedDictionary<string, int>> PerDevice)
{
    /// <summary>True when any GPU of the node has MIG enabled.</summary>
    public bool Enabled => PerDevice.Any(l => l.Count > 0);

    /// <summary>Every MIG profile the node offers.</summary>
    public IEnumerable<string> Profiles => PerDevice.SelectMany(l => l.Keys).Distinct().Order(StringComparer.Ordinal);
}

/// <summary>The GPU a serving replica requests: exactly one GPU or one MIG instance.</summary>
/// <param name="Kind">Whole GPU or MIG instance.</param>
/// <param name="Profile">The MIG profile (e.g. 1g.10gb) when <paramref name="Kind"/> is Mig.</param>
/// <param name="ResourceName">The Kubernetes extended resource requested, as advertised under the cluster's MIG strategy.</param>
/// <param name="Count">Units of <paramref name="ResourceName"/> one replica requests: <c>gpu: N</c> whole GPUs (the tensor-parallel size); always 1 for a MIG instance.</param>
public sealed record GpuRequest(GpuRequestKind Kind, string? Profile, string ResourceName, int Count = 1);

/// <summary>A model served by Triton.</summary>
/// <param name="Name">Deployment name.</param>
/// <param name="Model">Model identifier (for labels and the model repository prefix).</param>
/// <param name="Tenant">Tenant (namespace) the deployment runs in.</param>
/// <param name="Pool">Target GPU pool.</param>
/// <param name="Gpu">The GPU resource of one replica.</param>
/// <param name="MinReplicas">Minimum (prewarmed) replicas; 0 only with a scale-from-zero trigger.</param>
/// <param name="MaxReplicas">Maximum replicas.</param>
/// <param name="LatencySlo">Latency objectives.</param>
/// <param name="Autoscaling">KEDA trigger settings.</param>
/// <param name="ThroughputTokensPerSecond">Tokens per second one replica serves, for cost per 1M tokens; null when not stated.</param>
/// <param name="Burst">Hybrid burst deployment on the EKS cluster, or null.</param>
/// <param name="Size">The model's size and context (<c>parametersBillions</c>/<c>precision</c> or <c>weightsGiB</c>, <c>maxContextTokens</c>, …), or null when not stated (the memory fit is then unchecked).</param>
/// <param name="Runtime">The server (<c>runtime</c>, default triton).</param>
/// <param name="Image">The <c>image</c> override (tag or digest), or null for the runtime's pinned image.</param>
public sealed record ServingSpec(
    string Name,
    string Model,
    string Tenant,
    string Pool,
    GpuRequest Gpu,
    int MinReplicas,
    int MaxReplicas,
    LatencySlo LatencySlo,
    AutoscalingSpec Autoscaling,
    double? ThroughputTokensPerSecond,
    BurstSpec? Burst,
    Serving.ModelSize? Size = null,
    Serving.ServingRuntime Runtime = Serving.ServingRuntime.Triton,
    string? Image = null)
{
    /// <summary>Triton's dynamic batching for the model (<c>batching</c>; runtime triton only), or null: the repository's own configuration.</summary>
    public Serving.TritonBatchingSpec? Batching { get; init; }

    /// <summary>Triton's model instances (<c>instances</c>; runtime triton only), or null.</summary>
    public Serving.TritonInstancesSpec? Instances { get; init; }
}

/// <summary>Latency objectives of a deployment, in milliseconds.</summary>
public sealed record LatencySlo(double P95Ms, double P99Ms);

/// <summary>KEDA Prometheus trigger on average queue time per request.</summary>
/// <param name="QueueTimeThresholdMs">Target average queue time per request (ms) per replica.</param>
/// <param name="ActivationQueueTimeMs">Queue time (ms) above which the deployment is active (0→1 decision).</param>
/// <param name="FallbackReplicas">Replicas KEDA keeps while Prometheus is unreachable.</param>
/// <param name="TargetInFlightPerReplica">Requests in the system (queued plus executing) per replica the trigger aims at (<c>autoscaling.targetInFlightPerReplica</c>).</param>
public sealed record AutoscalingSpec(double QueueTimeThresholdMs, double ActivationQueueTimeMs, int FallbackReplicas, double TargetInFlightPerReplica = QueueTimeScaling.DefaultTargetInFlightPerReplica)
{
    /// <summary>The KEDA trigger settings of the on-prem (or only) deployment.</summary>
    public QueueTimeScaling Scaling() => new(QueueTimeThresholdMs, ActivationQueueTimeMs, FallbackReplicas, TargetInFlightPerReplica: TargetInFlightPerReplica);
}

/// <summary>A burst deployment on the EKS cluster that scales from zero when on-prem serving saturates.</summary>
/// <param name="Pool">Burst pool (on the burst cluster).</param>
/// <param name="Gpu">The GPU resource of one burst replica.</param>
/// <param name="MaxReplicas">Maximum burst replicas.</param>
public sealed record BurstSpec(string Pool, GpuRequest Gpu, int MaxReplicas);

/// <summary>A tenant: a namespace per cluster with quotas, network isolation and RBAC.</summary>
/// <param name="Name">Tenant (namespace) name.</param>
/// <param name="Group">Identity-provider group bound to the tenant's Role.</param>
/// <param name="Clusters">Clusters where the tenant has a namespace.</param>
/// <param name="Quota">Resource quota.</param>
public sealed record TenantSpec(string Name, string Group, ImmutableArray<string> Clusters, TenantQuota Quota)
{
    /// <summary>Namespaces (tenants or platform namespaces of the stack) whose pods may open connections to this tenant (<c>tenants[].allowFrom</c>).</summary>
    public ImmutableArray<string> AllowFromNamespaces { get; init; } = [];

    /// <summary>CIDRs of clients outside the pod network that may open connections to this tenant (<c>tenants[].allowFrom</c>).</summary>
    public ImmutableArray<string> AllowFromCidrs { get; init; } = [];

    /// <summary>True when the tenant declares <c>uses: [vectorDb]</c>: its pods may reach the vector DB, which admits it.</summary>
    public bool UsesVectorDb { get; init; }

    /// <summary>
    /// The GPU pools the tenant's pods may use (<c>tenants[].pools</c>), or null (not declared): every GPU pool of its
    /// clusters that offers a resource of its quota and is not dedicated to another tenant (<see cref="Tenancy.TenantPools"/>).
    /// </summary>
    public ImmutableArray<string>? Pools { get; init; }

    /// <summary>The pools dedicated to this tenant (<c>gpuPools[].dedicatedTo</c> naming it): tainted, usable by it alone.</summary>
    public ImmutableArray<string> DedicatedPools { get; init; } = [];
}

/// <summary>A tenant's quota; GPU resources by Kubernetes resource name (nvidia.com/gpu, nvidia.com/mig-1g.10gb).</summary>
/// <param name="GpuResources">Extended GPU resources → count.</param>
/// <param name="Cpu">CPU request quota (Kubernetes quantity), e.g. "64".</param>
/// <param name="Memory">Memory request quota (Kubernetes quantity), e.g. "256Gi".</param>
/// <param name="PersistentVolumeClaims">Maximum PVCs.</param>
public sealed record TenantQuota(ImmutableSortedDictionary<string, int> GpuResources, string Cpu, string Memory, int PersistentVolumeClaims);

/// <summary>Model and checkpoint storage.</summary>
/// <param name="ModelBucket">The AWS model bucket and its replica, or null (on-prem only).</param>
/// <param name="OnPrem">The on-cluster S3-compatible store, or null (cloud only).</param>
public sealed record StorageSpec(BucketSpec? ModelBucket, OnPremStoreSpec? OnPrem);

/// <summary>A replicated S3 bucket.</summary>
/// <param name="Name">Name prefix (a random suffix makes it globally unique).</param>
/// <param name="Region">Primary region.</param>
/// <param name="ReplicaRegion">Replica region (must differ from <paramref name="Region"/>).</param>
/// <param name="NoncurrentVersionDays">Days after which noncurrent versions expire.</param>
/// <param name="AbortIncompleteMultipartDays">Days after which incomplete multipart uploads are aborted.</param>
/// <param name="CheckpointPrefix">Prefix of old checkpoints to expire, or null.</param>
/// <param name="CheckpointExpiryDays">Days after which objects under the checkpoint prefix expire, or null.</param>
/// <param name="ReplicationTimeControl">Whether S3 Replication Time Control (15 min, with metrics) is on.</param>
public sealed record BucketSpec(
    string Name,
    string Region,
    string ReplicaRegion,
    int NoncurrentVersionDays,
    int AbortIncompleteMultipartDays,
    string? CheckpointPrefix,
    int? CheckpointExpiryDays,
    bool ReplicationTimeControl);

/// <summary>The on-cluster S3-compatible object store (Rook-Ceph RGW).</summary>
/// <param name="Cluster">The on-prem cluster hosting it.</param>
/// <param name="BucketName">The model bucket's name in the store.</param>
/// <param name="StorageClass">Storage class of the Ceph pools' backing volumes.</param>
/// <param name="SyncToS3">Hybrid: replicate the model bucket to the AWS model bucket.</param>
/// <param name="SyncSchedule">Cron schedule of the sync job (its recovery point objective).</param>
public sealed record OnPremStoreSpec(string Cluster, string BucketName, string StorageClass, bool SyncToS3, string SyncSchedule);

/// <summary>
/// kube-prometheus-stack settings (<c>neocloud:monitoring</c>): the <c>PrometheusStack</c> component's spec as the binder
/// validated it, wrapped with what only the environment has (the secret keys of the Grafana password and of the
/// receivers). The values that differ per cluster (the GPU Operator namespace, federation) are the stack's: the
/// wrapped spec has none (<c>with</c> them per cluster).
/// </summary>
/// <param name="Stack">The component's spec: ownership = the stack's environment and cost center, namespace = <c>monitoring</c>.</param>
public sealed record MonitoringSpec(NeoCloud.Infra.Core.Monitoring.PrometheusStackSpec Stack)
{
    /// <summary>Prometheus retention, e.g. 15d (<c>monitoring.retention</c>).</summary>
    public string Retention => Stack.Retention!;

    /// <summary>Prometheus volume size, e.g. 100Gi (<c>monitoring.storageSize</c>).</summary>
    public string StorageSize => Stack.StorageSize!;

    /// <summary>Storage class of the Prometheus volume, or null for the cluster default (<c>monitoring.storageClass</c>).</summary>
    public string? StorageClass => Stack.StorageClass;

    /// <summary>Value of the <c>release</c> label ServiceMonitors must carry (<c>monitoring.releaseLabel</c>; the chart's release name).</summary>
    public string ReleaseLabel => Stack.ReleaseName!;

    /// <summary>Grafana's admin user (<c>monitoring.grafana.adminUser</c>). Defaults to <c>admin</c>.</summary>
    public string GrafanaAdminUser => Stack.GrafanaAdminUser ?? "admin";

    /// <summary>
    /// The secret <c>neocloud:</c> key holding Grafana's admin password (<c>monitoring.grafana.adminPasswordSecretKey</c>),
    /// or null: a password is generated (Pulumi.Random). Either way it reaches Grafana through a Secret, never the chart default.
    /// </summary>
    public string? GrafanaAdminPasswordSecretKey { get; init; }

    /// <summary>Alertmanager receivers (<c>monitoring.receivers</c>); empty: alerts fire but notify no one (the plan says so).</summary>
    public ImmutableArray<NeoCloud.Infra.Core.Monitoring.AlertReceiverSpec> Receivers { get; init; } = [];
}

/// <summary>Vector database (Qdrant) settings.</summary>
/// <param name="Cluster">Cluster hosting it.</param>
/// <param name="Replicas">Qdrant pods (peers).</param>
/// <param name="ReplicationFactor">Copies of each shard (collections' replication_factor default).</param>
/// <param name="Shards">Shards per collection.</param>
/// <param name="StorageClass">Storage class of each peer's volume.</param>
/// <param name="StorageSize">Volume size per peer, e.g. 200Gi.</param>
public sealed record VectorDbSpec(string Cluster, int Replicas, int ReplicationFactor, int Shards, string StorageClass, string StorageSize)
{
    /// <summary>Default shards per peer of new collections: <see cref="Shards"/> spread over the peers, at least 1.</summary>
    public int ShardsPerNode => Math.Max(1, (Shards + Math.Max(Replicas, 1) - 1) / Math.Max(Replicas, 1));

    /// <summary>
    /// The component spec of this section (the one mapping the binder, the stack and the platform check use): namespace
    /// <see cref="Stacks.StackLayout.VectorDbNamespace"/>, write consistency 1, peers spread across zones on EKS.
    /// </summary>
    /// <param name="ownership">Environment, cost center, tags.</param>
    /// <param name="production">Whether production rules apply (<see cref="EnvironmentModel.IsProduction"/>).</param>
    /// <param name="spreadAcrossZones">Whether the cluster's nodes carry zones (EKS).</param>
    /// <param name="releaseLabel">The monitoring release label.</param>
    /// <param name="clientNamespaces">The tenants that use the vector DB (<see cref="Tenancy.TenantPaths.VectorDbUsers"/>); the namespace's ingress is the component's.</param>
    public VectorDb.VectorDatabaseSpec ToSpec(Naming.OwnershipSpec ownership, bool production, bool spreadAcrossZones, string releaseLabel, ImmutableArray<string> clientNamespaces) =>
        new(ownership, Stacks.StackLayout.VectorDbNamespace, production, Replicas, ReplicationFactor, 1, ShardsPerNode, StorageClass, StorageSize, spreadAcrossZones, releaseLabel)
        {
            RestrictIngress = true,
            ClientNamespaces = clientNamespaces,
            MonitoringNamespace = Stacks.StackLayout.MonitoringNamespace,
        };
}

/// <summary>Which policy enforcement the stack runs with.</summary>
/// <param name="Enforcement">advisory (dev) or strict (prod).</param>
/// <param name="PackConfig">The <c>--policy-pack-config</c> file for this stack.</param>
public sealed record PolicySpec(PolicyEnforcement Enforcement, string PackConfig);

/// <summary>Policy enforcement profile.</summary>
public enum PolicyEnforcement
{
    /// <summary>Violations are reported, nothing is blocked (development).</summary>
    Advisory,

    /// <summary>Violations block preview and update (production).</summary>
    Strict,
}

/// <summary>Cost assumptions for the plan.</summary>
/// <param name="SpotDiscount">Spot price as a discount off on-demand (0.6 = 60 % cheaper).</param>
/// <param name="OnPremGpuHourUsd">Amortised cost of one on-prem GPU hour by GPU model id; missing models cost 0 in the plan.</param>
/// <param name="HoursPerMonth">Hours in a billing month (730).</param>
public sealed record CostSpec(double SpotDiscount, ImmutableSortedDictionary<string, double> OnPremGpuHourUsd, double HoursPerMonth);

/// <summary>
/// The <c>neocloud:gateway</c> section: an inference gateway (Envoy Gateway) on each listed serving cluster, and the
/// per-tenant rate limits of its routes.
/// </summary>
/// <param name="Clusters">The clusters that run a gateway (entries with <c>enabled: false</c> are left out).</param>
/// <param name="DefaultRateLimit">The rate limit of a tenant without its own entry (<c>rateLimit</c>).</param>
/// <param name="TenantRateLimits">Per-tenant rate limits (<c>tenants[].rateLimit</c>), by tenant name.</param>
public sealed record GatewaySettings(ImmutableArray<GatewayClusterSpec> Clusters, GatewayRateLimit DefaultRateLimit, ImmutableSortedDictionary<string, GatewayRateLimit> TenantRateLimits)
{
    /// <summary>The gateway of <paramref name="cluster"/>, or null.</summary>
    public GatewayClusterSpec? Of(string cluster) => Clusters.FirstOrDefault(c => c.Cluster == cluster);

    /// <summary>The rate limit of <paramref name="tenant"/>.</summary>
    public GatewayRateLimit RateLimitOf(string tenant) => TenantRateLimits.GetValueOrDefault(tenant, DefaultRateLimit);
}

/// <summary>A serving cluster's gateway.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Domain">The DNS domain: the listener serves <c>*.&lt;Domain&gt;</c>, each deployment <c>&lt;deployment&gt;.&lt;Domain&gt;</c>.</param>
/// <param name="TlsSecretName">The kubernetes.io/tls Secret in <c>envoy-gateway-system</c> the listener serves (provided by the operator or cert-manager).</param>
public sealed record GatewayClusterSpec(string Cluster, string Domain, string TlsSecretName);

/// <summary>A rate limit: <paramref name="Requests"/> per <paramref name="Unit"/> (Second, Minute, Hour, ...).</summary>
/// <param name="Requests">Requests per unit.</param>
/// <param name="Unit">The unit as written (the planner checks it against Envoy Gateway's units).</param>
public sealed record GatewayRateLimit(int Requests, string Unit);
