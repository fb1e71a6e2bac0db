using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>
/// Everything Core decides one Triton deployment from: the plain values of <c>TritonServiceArgs</c> under the same
/// property names. The Args' <c>Input&lt;T&gt;</c> values (placement, credentials Secret name, Prometheus address,
/// model bucket) are produced by other resources and are not known before registration; the spec says only whether
/// each was given (<c>…Set</c>), which is all the rules before <c>base(...)</c> need.
/// </summary>
/// <param name="Name">The component's resource name (also the Deployment, Service, PDB and ScaledObject name); problem path <c>(name)</c>.</param>
/// <param name="Ownership">Environment, cost center and extra tags (paths <c>Environment</c>, <c>CostCenter</c>, <c>Tags["key"]</c>).</param>
/// <param name="Namespace">Namespace of every object (usually the tenant's).</param>
/// <param name="Model">Served model id (label <c>neocloud.io/model</c>).</param>
/// <param name="Tenant">Tenant (label <c>neocloud.io/tenant</c>).</param>
/// <param name="GpuResource">The one extended resource a replica requests: <c>nvidia.com/gpu</c> or <c>nvidia.com/mig-&lt;profile&gt;</c>.</param>
/// <param name="PlacementSet">Whether <c>Placement</c> was given (required).</param>
/// <param name="ModelRepository">The model repository, or null when not given.</param>
/// <param name="ModelBucketSet">Whether <c>ModelBucket</c> (the bucket name from another resource) was given; then <c>ModelRepository.Bucket</c> may be empty.</param>
/// <param name="CredentialsSecretNameSet">Whether <c>CredentialsSecretName</c> was given (required).</param>
/// <param name="ControlMode">Triton's model control mode: <c>none</c>, <c>poll</c> or <c>explicit</c>; null = <c>none</c>.</param>
/// <param name="Models">Models loaded at start under <c>explicit</c>.</param>
/// <param name="MinReplicas">Prewarmed replicas.</param>
/// <param name="MaxReplicas">Maximum replicas, or null when not given (required).</param>
/// <param name="Slo">Latency objectives.</param>
/// <param name="Autoscaling">Queue-time autoscaling settings.</param>
/// <param name="EnableAutoscaling">Whether a KEDA ScaledObject owns the replica count.</param>
/// <param name="PrometheusAddressSet">Whether <c>PrometheusAddress</c> was given (required when autoscaling).</param>
/// <param name="MonitoringRelease">kube-prometheus-stack release label (ServiceMonitor + PrometheusRule), or null.</param>
/// <param name="Cpu">CPU request and limit of a replica (Kubernetes quantity).</param>
/// <param name="Memory">Memory request and limit of a replica (Kubernetes quantity).</param>
/// <param name="ModelLoadTimeoutSeconds">Seconds a replica may take to load its models (startup probe budget).</param>
/// <param name="Runtime">The server: <c>triton</c>, <c>triton-vllm</c>, <c>triton-trtllm</c> or <c>vllm</c>; null = <c>triton</c>.</param>
/// <param name="Image">Image override (must carry a tag other than latest, or a digest), or null for the runtime's pinned image.</param>
/// <param name="GpuCount">Units of <paramref name="GpuResource"/> per replica: whole GPUs for tensor parallelism (1 for a MIG slice).</param>
/// <param name="ModelSize">The model's size and context for the memory fit, or null when not stated (the Args' <c>ModelSize</c>).</param>
/// <param name="Batching">Triton's dynamic batching for the model named <paramref name="Name"/> (runtime triton only), or null: the repository's configuration.</param>
/// <param name="Instances">Triton's model instances for that model (runtime triton only), or null.</param>
public sealed record TritonServiceSpec(
    string? Name,
    OwnershipSpec Ownership,
    string? Namespace,
    string? Model,
    string? Tenant,
    string? GpuResource,
    bool PlacementSet,
    ModelRepositorySpec? ModelRepository,
    bool ModelBucketSet,
    bool CredentialsSecretNameSet,
    string? ControlMode,
    ImmutableArray<string> Models,
    int MinReplicas,
    int? MaxReplicas,
    LatencySlo Slo,
    QueueTimeScaling Autoscaling,
    bool EnableAutoscaling,
    bool PrometheusAddressSet,
    string? MonitoringRelease,
    string? Cpu,
    string? Memory,
    int ModelLoadTimeoutSeconds,
    string? Runtime = null,
    string? Image = null,
    int GpuCount = 1,
    ModelSize? ModelSize = null,
    TritonBatchingSpec? Batching = null,
    TritonInstancesSpec? Instances = null)
{
    /// <summary>Default <see cref="MinReplicas"/>.</summary>
    public const int DefaultMinReplicas = 1;

    /// <summary>Default <see cref="ModelLoadTimeoutSeconds"/>.</summary>
    public const int DefaultModelLoadTimeoutSeconds = 900;

    /// <summary>Default <see cref="Slo"/>: p95 500 ms, p99 1000 ms.</summary>
    public static readonly LatencySlo DefaultSlo = new(500, 1000);

    /// <summary>Default <see cref="Autoscaling"/>: threshold 50 ms, activation 5 ms, fallback 1 replica, target 0.8 in flight, activation 0.</summary>
    public static readonly QueueTimeScaling DefaultAutoscaling = new(50, 5, 1);
}

/// <summary>A Triton model repository in an S3-compatible bucket, as given (validated by <see cref="TritonServicePlanner"/>).</summary>
/// <param name="Endpoint">The S3-compatible endpoint (<c>http(s)://host[:port]</c>), or null for AWS S3 itself.</param>
/// <param name="Bucket">Bucket name (may be null or empty when <c>ModelBucket</c> supplies it).</param>
/// <param name="Prefix">Key prefix inside the bucket (no leading or trailing slash); null or empty for the bucket root.</param>
public sealed record ModelRepositorySpec(string? Endpoint, string? Bucket, string? Prefix);

/// <summary>The decisions of one Triton deployment (<see cref="TritonServicePlanner.Plan"/>), which the component renders.</summary>
/// <param name="Name">Deployment (and Service, PDB, ScaledObject) name.</param>
/// <param name="Namespace">Namespace of every object.</param>
/// <param name="GpuResource">The extended resource one replica requests (limit = request = 1).</param>
/// <param name="Repository">The model repository (bucket replaced by <c>ModelBucket</c> when that is given).</param>
/// <param name="ControlMode">Model control mode.</param>
/// <param name="Models">Models loaded at start under explicit mode.</param>
/// <param name="MinReplicas">Prewarmed replicas.</param>
/// <param name="MaxReplicas">Maximum replicas.</param>
/// <param name="Slo">Latency objectives.</param>
/// <param name="Autoscaling">Autoscaling settings.</param>
/// <param name="EnableAutoscaling">Whether KEDA owns the replica count.</param>
/// <param name="MonitoringRelease">Release label of the ServiceMonitor/PrometheusRule, or null (none created).</param>
/// <param name="Cpu">CPU request and limit.</param>
/// <param name="Memory">Memory request and limit.</param>
/// <param name="Labels">Labels of every object: recommended, cost attribution with tenant, model, and the caller's tags.</param>
/// <param name="Selector">Pod selector labels (name and instance only).</param>
/// <param name="Startup">Startup probe (its budget covers <c>ModelLoadTimeoutSeconds</c> and the model's size).</param>
/// <param name="Container">The runtime's container decisions (image, command, arguments, ports, probes, shm, cache, resources, generated model configuration).</param>
public sealed record TritonServicePlan(
    string Name,
    string Namespace,
    string GpuResource,
    ModelRepository Repository,
    ModelControlMode ControlMode,
    ImmutableArray<string> Models,
    int MinReplicas,
    int MaxReplicas,
    LatencySlo Slo,
    QueueTimeScaling Autoscaling,
    bool EnableAutoscaling,
    string? MonitoringRelease,
    string Cpu,
    string Memory,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, string> Selector,
    HttpProbe Startup,
    ServingContainerPlan Container)
{
    /// <summary>The server's arguments for <paramref name="bucket"/> (the bucket name from another resource), or the repository's own bucket.</summary>
    /// <param name="bucket">The bucket name when <c>ModelBucket</c> was given, else null.</param>
    public ImmutableArray<string> ServerArgs(string? bucket = null)
    {
        var repository = bucket is null ? Repository : Repository with { Bucket = bucket };
        return Container.Runtime switch
        {
            ServingRuntime.Vllm => VllmArgs(repository),
            // Batching/instances from config: explicit mode, nothing loaded at start; the wrapper loads the model with the generated configuration.
            ServingRuntime.Triton when Container.LoadsGeneratedConfig => TritonModelConfig.LoaderArgs(Name, TritonServer.Args(repository, ModelControlMode.Explicit, [])),
            // The vLLM backend serves the generated repository (its model.json streams the weights from S3).
            ServingRuntime.TritonVllm => [.. TritonServer.Args(repository, ControlMode, Models).Select(a => a.StartsWith("--model-repository=", StringComparison.Ordinal) ? "--model-repository=" + ServingContainerPlan.GeneratedRepositoryPath : a)],
            _ => TritonServer.Args(repository, ControlMode, Models),
        };
    }

    /// <summary>The generated model repository files for <paramref name="bucket"/> (the bucket name from another resource), or the repository's own bucket.</summary>
    /// <param name="bucket">The bucket name when <c>ModelBucket</c> was given, else null.</param>
    public ImmutableArray<ModelConfigFile> ModelConfig(string? bucket = null) =>
        Container.Runtime == ServingRuntime.TritonVllm
            ? ServingContainer.VllmBackendRepository(Name, bucket is null ? Repository : Repository with { Bucket = bucket }, Container.Gpus, Size, GpuMemoryShare)
            : Container.ModelConfig;

    /// <summary>The model's size and context (for vLLM's limits), or null.</summary>
    public ModelSize? Size { get; init; }

    /// <summary>Share of a device's memory a replica may take (1 / time-slicing replicas).</summary>
    public double GpuMemoryShare { get; init; } = 1;

    private ImmutableArray<string> VllmArgs(ModelRepository repository) => ServingContainer.VllmArgs(Name, repository, Container.Gpus, Size, GpuMemoryShare);

    /// <summary>In-cluster URLs of the Service: http, grpc and metrics.</summary>
    public (string Http, string Grpc, string Metrics) Endpoints => TritonDeployment.Endpoints(Name, Namespace);

    /// <summary>Labels of the ServiceMonitor and PrometheusRule: <see cref="Labels"/> plus <c>release</c>.</summary>
    public ImmutableSortedDictionary<string, string> MonitorLabels =>
        MonitoringRelease is null ? Labels : Labels.SetItem(Monitoring.KubePrometheusStackChart.ReleaseLabel, MonitoringRelease);
}
