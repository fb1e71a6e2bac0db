using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Serving;
using Pulumi;

namespace NeoCloud.Infra.Components.Serving;

/// <summary>
/// Inputs of a <see cref="TritonService"/>. Plain values decide which resources exist and are validated by Core's
/// <see cref="TritonServicePlanner"/> before anything is registered; <c>Input&lt;T&gt;</c> values come from other
/// resources (the pool's placement, the bucket's name, the Prometheus address, the credentials Secret's name).
/// </summary>
public sealed class TritonServiceArgs : NeoCloudArgs
{
    /// <summary>Namespace of every object (usually the tenant's namespace): a DNS label. Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>Served model id: label <c>neocloud.io/model</c> (a label value). Required.</summary>
    [Input("model", required: true)]
    public string Model { get; set; } = null!;

    /// <summary>Tenant: label <c>neocloud.io/tenant</c> (a label value). Required.</summary>
    [Input("tenant", required: true)]
    public string Tenant { get; set; } = null!;

    /// <summary>
    /// The one extended resource each replica requests (limit = request = 1): <c>nvidia.com/gpu</c> or
    /// <c>nvidia.com/mig-&lt;profile&gt;</c>. Must be offered by <see cref="Placement"/>'s pool. Required.
    /// </summary>
    [Input("gpuResource", required: true)]
    public string GpuResource { get; set; } = null!;

    /// <summary>
    /// Where the replicas run: a <c>GpuNodePool</c>'s <c>placement</c> output (node selector, tolerations, allocatable
    /// resources). The pods take its node selector and tolerations; once its values are known, <see cref="GpuResource"/>
    /// must be offered by the pool and <see cref="MaxReplicas"/> must fit what the pool holds at its maximum size.
    /// Required.
    /// </summary>
    [Input("placement", required: true)]
    public Input<NodePlacement> Placement { get; set; } = null!;

    /// <summary>The model repository in an S3-compatible bucket. Required.</summary>
    [Input("modelRepository", required: true)]
    public ModelRepositoryArgs ModelRepository { get; set; } = null!;

    /// <summary>
    /// The model bucket's name when another resource produces it (e.g. a ReplicatedBucket's <c>BucketName</c>, whose
    /// random suffix is known only once created); replaces <see cref="ModelRepositoryArgs.Bucket"/> in the server's
    /// arguments, so the Deployment is declared (and previewed) before the name is known. Defaults to null: the
    /// repository's own bucket.
    /// </summary>
    [Input("modelBucket")]
    public Input<string>? ModelBucket { get; set; }

    /// <summary>
    /// Name of the Secret (in <see cref="Namespace"/>) with keys <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>
    /// and <c>AWS_DEFAULT_REGION</c>; read through <c>secretKeyRef</c>, never placed in arguments. Required.
    /// </summary>
    [Input("credentialsSecretName", required: true)]
    public Input<string> CredentialsSecretName { get; set; } = null!;

    /// <summary>
    /// The ServiceAccount the pods run as, e.g. the one <c>ModelBucketAccess</c> (Identity <c>podIdentity</c>) binds to an IAM
    /// role through EKS Pod Identity: the pods then get their AWS credentials from the Pod Identity agent, and read only
    /// <c>AWS_DEFAULT_REGION</c> from <see cref="CredentialsSecretName"/> (no key). Defaults to the namespace's default
    /// ServiceAccount and the key from the Secret. (Added by issue 14, workload identity.)
    /// </summary>
    [Input("serviceAccountName")]
    public Input<string>? ServiceAccountName { get; set; }

    /// <summary>Triton's model control mode: <c>none</c>, <c>poll</c> or <c>explicit</c>. Defaults to <c>none</c>.</summary>
    [Input("controlMode")]
    public string? ControlMode { get; set; }

    /// <summary>Models loaded at start; required (non-empty) with <c>explicit</c> control mode, ignored otherwise. Defaults to none.</summary>
    [Input("models")]
    public List<string>? Models { get; set; }

    /// <summary>Prewarmed replicas (KEDA's <c>minReplicaCount</c>). Defaults to 1; 0 only with <see cref="QueueTimeScalingArgs.QueryOverride"/>.</summary>
    [Input("minReplicas")]
    public int? MinReplicas { get; set; }

    /// <summary>Maximum replicas (at least 1 and at least <see cref="MinReplicas"/>); checked against <see cref="Placement"/>'s allocatable at maximum size. Required.</summary>
    [Input("maxReplicas", required: true)]
    public int? MaxReplicas { get; set; }

    /// <summary>Latency objectives; alerts fire over them. Defaults to p95 500 ms, p99 1000 ms.</summary>
    [Input("slo")]
    public LatencySloArgs? Slo { get; set; }

    /// <summary>
    /// Autoscaling settings. Defaults to threshold 50 ms, activation 5 ms, fallback 1 replica, 0.8 requests in flight
    /// per replica. Ignored when <see cref="EnableAutoscaling"/> is false.
    /// </summary>
    [Input("autoscaling")]
    public QueueTimeScalingArgs? Autoscaling { get; set; }

    /// <summary>
    /// Whether a KEDA ScaledObject owns the replica count (then the program never sets <c>spec.replicas</c>).
    /// Defaults to true; false runs exactly <see cref="MinReplicas"/> replicas. Requires <see cref="PrometheusAddress"/>.
    /// </summary>
    [Input("enableAutoscaling")]
    public bool? EnableAutoscaling { get; set; }

    /// <summary>
    /// Prometheus address KEDA queries, e.g. a <c>PrometheusStack</c>'s <c>Address</c> output. Required when
    /// autoscaling; defaults to null. The ScaledObject waits for the KEDA CRDs when the component's options depend on
    /// the <c>KedaOperator</c> (<c>DependsOn</c>).
    /// </summary>
    [Input("prometheusAddress")]
    public Input<string>? PrometheusAddress { get; set; }

    /// <summary>
    /// The kube-prometheus-stack release label: when set, a ServiceMonitor (with <c>release: &lt;label&gt;</c>) and a
    /// PrometheusRule with the latency and queue-time alerts are created (depend on the PrometheusStack through the
    /// options for its CRDs). Defaults to null (no monitoring objects).
    /// </summary>
    [Input("monitoringRelease")]
    public string? MonitoringRelease { get; set; }

    /// <summary>CPU request and limit of a replica (a Kubernetes quantity). Defaults to the runtime's: "4" for triton; 8 per GPU (a MIG slice: 8 × its compute slices ÷ 7, at least 4) for the LLM runtimes.</summary>
    [Input("cpu")]
    public string? Cpu { get; set; }

    /// <summary>Memory request and limit of a replica (a Kubernetes quantity; the /dev/shm emptyDir counts in it). Defaults to "16Gi", plus the weights for the LLM runtimes when <see cref="ModelSize"/> is given.</summary>
    [Input("memory")]
    public string? Memory { get; set; }

    /// <summary>Seconds a replica may take to load its models before it is restarted (startup probe), 10..7200. Defaults to 900.</summary>
    [Input("modelLoadTimeoutSeconds")]
    public int? ModelLoadTimeoutSeconds { get; set; }

    /// <summary>
    /// The server: <c>triton</c> (Triton's plain image), <c>triton-vllm</c> (Triton with the vLLM backend; a generated
    /// model repository streams the weights from <see cref="ModelRepository"/>), <c>triton-trtllm</c> (Triton with the
    /// TensorRT-LLM backend; the repository holds the engines) or <c>vllm</c> (vLLM's OpenAI-compatible server).
    /// Defaults to "triton". Each runtime's image is pinned in Core's <c>ServingImages</c>.
    /// </summary>
    [Input("runtime")]
    public string? Runtime { get; set; }

    /// <summary>Image override: a reference with a tag (not <c>latest</c>) or a digest. Defaults to the runtime's pinned image.</summary>
    [Input("image")]
    public string? Image { get; set; }

    /// <summary>
    /// Units of <see cref="GpuResource"/> per replica: N whole GPUs (<c>nvidia.com/gpu</c>) sharded by tensor
    /// parallelism (vllm, triton-vllm). Defaults to 1; a MIG slice is always 1.
    /// </summary>
    [Input("gpuCount")]
    public int? GpuCount { get; set; }

    /// <summary>The model's size and context: the memory fit, vLLM's limits, the startup budget, the cache and memory defaults. Optional.</summary>
    [Input("modelSize")]
    public ModelSizeArgs? ModelSize { get; set; }

    /// <summary>
    /// Triton's dynamic batching for the model named as the component (its directory in <see cref="ModelRepository"/>);
    /// runtime <c>triton</c> only. The server then runs in explicit model control and loads that model through the load
    /// API with a generated configuration (Core <c>TritonModelConfig</c>), which replaces the repository's
    /// <c>config.pbtxt</c>; conflicts with <see cref="ControlMode"/> none/poll and with <see cref="Models"/>. Defaults to
    /// null: the repository's configuration.
    /// </summary>
    [Input("batching")]
    public TritonBatchingArgs? Batching { get; set; }

    /// <summary>Triton's model instances for that model (runtime <c>triton</c> only; same loading as <see cref="Batching"/>). Defaults to null.</summary>
    [Input("instances")]
    public TritonInstancesArgs? Instances { get; set; }

    /// <summary>PriorityClass of the pods (e.g. a <c>ServingPriorityClasses</c> output); optional.</summary>
    [Input("priorityClassName")]
    public Input<string>? PriorityClassName { get; set; }

    /// <summary>The spec Core validates and plans.</summary>
    /// <param name="name">The component's resource name.</param>
    internal TritonServiceSpec ToSpec(string name)
    {
        var scaling = Autoscaling?.ToScaling() ?? TritonServiceSpec.DefaultAutoscaling;
        return new TritonServiceSpec(
            name,
            ToOwnership(),
            Namespace,
            Model,
            Tenant,
            GpuResource,
            Placement is not null,
            ModelRepository is null ? null : new ModelRepositorySpec(ModelRepository.Endpoint, ModelRepository.Bucket, ModelRepository.Prefix),
            ModelBucket is not null,
            CredentialsSecretName is not null,
            ControlMode,
            Models is null ? [] : [.. Models],
            MinReplicas ?? TritonServiceSpec.DefaultMinReplicas,
            MaxReplicas,
            Slo is null ? TritonServiceSpec.DefaultSlo : new LatencySlo(Slo.P95Ms, Slo.P99Ms),
            scaling,
            EnableAutoscaling ?? true,
            PrometheusAddress is not null,
            MonitoringRelease,
            Cpu,
            Memory,
            ModelLoadTimeoutSeconds ?? TritonServiceSpec.DefaultModelLoadTimeoutSeconds,
            Runtime,
            Image,
            GpuCount ?? 1,
            ModelSize?.ToSize(),
            Batching?.ToSpec(),
            Instances?.ToSpec());
    }
}

/// <summary>Triton's dynamic batcher (nested in <see cref="TritonServiceArgs"/>; model_config.proto <c>max_batch_size</c>, <c>dynamic_batching</c>).</summary>
public sealed class TritonBatchingArgs : ResourceArgs
{
    /// <summary>Largest batch (<c>max_batch_size</c>), 1..65536. Required.</summary>
    [Input("maxBatchSize", required: true)]
    public int? MaxBatchSize { get; set; }

    /// <summary>Batch sizes run as soon as they can be formed (<c>preferred_batch_size</c>), each 1..<see cref="MaxBatchSize"/>. Defaults to Triton's choice (<see cref="MaxBatchSize"/>).</summary>
    [Input("preferredBatchSizes")]
    public List<int>? PreferredBatchSizes { get; set; }

    /// <summary>Longest a request waits for a batch to fill (<c>max_queue_delay_microseconds</c>), below the p95 SLO. Defaults to 0.</summary>
    [Input("maxQueueDelayMicroseconds")]
    public int? MaxQueueDelayMicroseconds { get; set; }

    /// <summary>The Args of a Core spec, or null.</summary>
    /// <param name="spec">The spec, or null.</param>
    public static TritonBatchingArgs? From(TritonBatchingSpec? spec) => spec is null ? null : new TritonBatchingArgs
    {
        MaxBatchSize = spec.MaxBatchSize,
        PreferredBatchSizes = spec.PreferredBatchSizes.IsDefaultOrEmpty ? null : [.. spec.PreferredBatchSizes],
        MaxQueueDelayMicroseconds = spec.MaxQueueDelayMicroseconds,
    };

    internal TritonBatchingSpec ToSpec() => new(MaxBatchSize, PreferredBatchSizes is null ? [] : [.. PreferredBatchSizes], MaxQueueDelayMicroseconds ?? 0);
}

/// <summary>Triton's model instances (nested in <see cref="TritonServiceArgs"/>; one model_config.proto <c>instance_group</c>).</summary>
public sealed class TritonInstancesArgs : ResourceArgs
{
    /// <summary>Instances (per GPU for KIND_GPU), 1..64. Defaults to 1.</summary>
    [Input("count")]
    public int? Count { get; set; }

    /// <summary>KIND_GPU, KIND_CPU, KIND_AUTO or KIND_MODEL. Defaults to "KIND_GPU".</summary>
    [Input("kind")]
    public string? Kind { get; set; }

    /// <summary>The Args of a Core spec, or null.</summary>
    /// <param name="spec">The spec, or null.</param>
    public static TritonInstancesArgs? From(TritonInstancesSpec? spec) => spec is null ? null : new TritonInstancesArgs { Count = spec.Count, Kind = spec.Kind };

    internal TritonInstancesSpec ToSpec() => new(Count ?? 1, Kind);
}

/// <summary>A model's size and context (nested in <see cref="TritonServiceArgs"/>): parameters with precision, or the weights' size.</summary>
public sealed class ModelSizeArgs : ResourceArgs
{
    /// <summary>Parameters in billions (e.g. 70.6); conflicts with <see cref="WeightsGiB"/>.</summary>
    [Input("parametersBillions")]
    public double? ParametersBillions { get; set; }

    /// <summary>Weight precision: bf16, fp16, fp8, int8 or int4. Defaults to "bf16".</summary>
    [Input("precision")]
    public string? Precision { get; set; }

    /// <summary>Weights as loaded (GiB); conflicts with <see cref="ParametersBillions"/>.</summary>
    [Input("weightsGiB")]
    public double? WeightsGiB { get; set; }

    /// <summary>The longest sequence (prompt + output tokens) a replica serves; required with a size.</summary>
    [Input("maxContextTokens")]
    public int? MaxContextTokens { get; set; }

    /// <summary>Sequences of <see cref="MaxContextTokens"/> the KV cache holds at once. Defaults to 1.</summary>
    [Input("maxConcurrentSequences")]
    public int? MaxConcurrentSequences { get; set; }

    /// <summary>KV-cache bytes per token (2 × layers × KV heads × head dim × bytes per element). Defaults to Core's conservative estimate.</summary>
    [Input("kvCacheBytesPerToken")]
    public double? KvCacheBytesPerToken { get; set; }

    // An unknown precision keeps the spelling out of the record: the planner reports it (ModelSize.Precision).
    internal ModelSize ToSize() => new(ParametersBillions, Precision is null ? null : ModelFit.ParsePrecision(Precision) ?? (ModelPrecision)(-1), WeightsGiB, MaxContextTokens, MaxConcurrentSequences, KvCacheBytesPerToken);
}

/// <summary>A Triton model repository in an S3-compatible bucket (nested in <see cref="TritonServiceArgs"/>).</summary>
public sealed class ModelRepositoryArgs : ResourceArgs
{
    /// <summary>
    /// The S3-compatible endpoint, <c>http(s)://host[:port]</c> without a path (e.g. a Rook-Ceph RGW Service). Defaults
    /// to null: AWS S3 itself (the region then comes from the credentials Secret's <c>AWS_DEFAULT_REGION</c>).
    /// </summary>
    [Input("endpoint")]
    public string? Endpoint { get; set; }

    /// <summary>Bucket name (no '/'). Required unless <see cref="TritonServiceArgs.ModelBucket"/> gives it; defaults to null.</summary>
    [Input("bucket")]
    public string? Bucket { get; set; }

    /// <summary>Key prefix of the repository inside the bucket, no leading or trailing '/'. Defaults to "" (the bucket root).</summary>
    [Input("prefix")]
    public string? Prefix { get; set; }
}

/// <summary>Latency objectives in milliseconds (nested in <see cref="TritonServiceArgs"/>): 0 &lt; p95 ≤ p99.</summary>
public sealed class LatencySloArgs : ResourceArgs
{
    /// <summary>95th-percentile latency objective (ms). Defaults to 500.</summary>
    [Input("p95Ms")]
    public double P95Ms { get; set; } = 500;

    /// <summary>99th-percentile latency objective (ms). Defaults to 1000.</summary>
    [Input("p99Ms")]
    public double P99Ms { get; set; } = 1000;
}

/// <summary>KEDA scaling of a Triton deployment (nested in <see cref="TritonServiceArgs"/>; Core <see cref="QueueTimeScaling"/>).</summary>
public sealed class QueueTimeScalingArgs : ResourceArgs
{
    /// <summary>Mean queue time per request (ms) the deployment should stay under (alerts; burst gate), &gt; 0. Defaults to 50.</summary>
    [Input("thresholdMs")]
    public double ThresholdMs { get; set; } = 50;

    /// <summary>Queue time (ms) that counts as queueing for alerts, ≥ 0. Defaults to 5.</summary>
    [Input("activationThresholdMs")]
    public double ActivationThresholdMs { get; set; } = 5;

    /// <summary>Replicas KEDA keeps after 3 failed metric reads, 1..MaxReplicas. Defaults to 1.</summary>
    [Input("fallbackReplicas")]
    public int FallbackReplicas { get; set; } = 1;

    /// <summary>
    /// A PromQL query to scale on instead of the deployment's own in-flight requests (e.g. the on-prem deployment's
    /// excess for a burst deployment); required for <c>MinReplicas = 0</c>. Defaults to null.
    /// </summary>
    [Input("queryOverride")]
    public string? QueryOverride { get; set; }

    /// <summary>Requests in the system (queued plus executing) one replica should hold (KEDA <c>threshold</c>), &gt; 0. Defaults to 0.8.</summary>
    [Input("targetInFlightPerReplica")]
    public double TargetInFlightPerReplica { get; set; } = QueueTimeScaling.DefaultTargetInFlightPerReplica;

    /// <summary>Requests in the system above which the deployment is active (KEDA <c>activationThreshold</c>), ≥ 0. Defaults to 0.</summary>
    [Input("activationInFlight")]
    public double ActivationInFlight { get; set; }

    /// <summary>The Core settings.</summary>
    internal QueueTimeScaling ToScaling() =>
        new(ThresholdMs, ActivationThresholdMs, FallbackReplicas, QueryOverride, TargetInFlightPerReplica, ActivationInFlight);
}
