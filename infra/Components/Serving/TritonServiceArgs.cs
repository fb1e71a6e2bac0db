using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Serving;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace NeoCloud.Infra.Components.Serving;

/// <summary>Inputs of a <see cref="TritonService"/>. Plain values are decisions Core validates before anything is registered.</summary>
public sealed class TritonServiceArgs : ResourceArgs
{
    /// <summary>Namespace of every object (usually the tenant's namespace). Required.</summary>
    public required string Namespace { get; init; }

    /// <summary>Served model id: label <c>neocloud.io/model</c>. Required.</summary>
    public required string Model { get; init; }

    /// <summary>Tenant: label <c>neocloud.io/tenant</c>. Required.</summary>
    public required string Tenant { get; init; }

    /// <summary>Environment (stack): label <c>neocloud.io/environment</c>. Required.</summary>
    public required string Environment { get; init; }

    /// <summary>Cost center: label <c>neocloud.io/cost-center</c>. Required.</summary>
    public required string CostCenter { get; init; }

    /// <summary>
    /// The one extended resource each replica requests (limit = request = 1): <c>nvidia.com/gpu</c> or
    /// <c>nvidia.com/mig-&lt;profile&gt;</c>. Must be offered by <see cref="Pool"/>. Required.
    /// </summary>
    public required string GpuResource { get; init; }

    /// <summary>The pool's replica budget (capacity and the deployments sharing it). Required.</summary>
    public required ServingPool Pool { get; init; }

    /// <summary>The pool's node selector, e.g. a GpuNodePool's output. Required.</summary>
    [Input("nodeSelector", required: true)]
    public required InputMap<string> NodeSelector { get; init; }

    /// <summary>The pool's taints to tolerate, e.g. a GpuNodePool's output. Defaults to none.</summary>
    [Input("tolerations")]
    public InputList<TolerationArgs> Tolerations { get; init; } = new();

    /// <summary>The model repository in an S3-compatible bucket. Required.</summary>
    public required ModelRepository ModelRepository { get; init; }

    /// <summary>
    /// The model bucket's name when another resource produces it (e.g. a ReplicatedBucket's <c>BucketName</c>, whose
    /// random suffix is known only once created); replaces <see cref="ModelRepository"/>'s bucket in the server's
    /// arguments, so the Deployment is declared (and previewed) before the name is known. Defaults to null: use
    /// <see cref="ModelRepository"/> as it is.
    /// </summary>
    [Input("modelBucket")]
    public Input<string>? ModelBucket { get; init; }

    /// <summary>
    /// Name of the Secret (in <see cref="Namespace"/>) with keys <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>
    /// and <c>AWS_DEFAULT_REGION</c>; read through <c>secretKeyRef</c>, never placed in arguments. Required.
    /// </summary>
    [Input("credentialsSecretName", required: true)]
    public required Input<string> CredentialsSecretName { get; init; }

    /// <summary>Triton's model control mode. Defaults to <see cref="ModelControlMode.None"/>.</summary>
    public ModelControlMode ControlMode { get; init; } = ModelControlMode.None;

    /// <summary>Models loaded at start; required (non-empty) with <see cref="ModelControlMode.Explicit"/>, ignored otherwise. Defaults to none.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Prewarmed replicas (KEDA's <c>minReplicaCount</c>). Defaults to 1; 0 only with <see cref="QueueTimeScaling.QueryOverride"/>.</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Maximum replicas; checked against <see cref="Pool"/>'s capacity. Required.</summary>
    public required int MaxReplicas { get; init; }

    /// <summary>Latency objectives; alerts fire over them. Defaults to p95 500 ms, p99 1000 ms.</summary>
    public LatencySlo Slo { get; init; } = new(500, 1000);

    /// <summary>
    /// Queue-time autoscaling. Defaults to threshold 50 ms, activation 5 ms, fallback 1 replica. Ignored when
    /// <see cref="EnableAutoscaling"/> is false.
    /// </summary>
    public QueueTimeScaling Autoscaling { get; init; } = new(50, 5, 1);

    /// <summary>
    /// Whether a KEDA ScaledObject owns the replica count (then the program never sets <c>spec.replicas</c>).
    /// Defaults to true; false runs exactly <see cref="MinReplicas"/> replicas. Requires <see cref="PrometheusAddress"/>.
    /// </summary>
    public bool EnableAutoscaling { get; init; } = true;

    /// <summary>Prometheus address KEDA queries, e.g. <see cref="Monitoring.PrometheusStack.Address"/>'s value. Required when autoscaling.</summary>
    public string? PrometheusAddress { get; init; }

    /// <summary>The KEDA operator (its CRDs) the ScaledObject waits for, or null. Conflicts with nothing.</summary>
    public Resource? Keda { get; init; }

    /// <summary>
    /// The kube-prometheus-stack release label: when set, a ServiceMonitor (with <c>release: &lt;label&gt;</c>) and a
    /// PrometheusRule with the latency and queue-time alerts are created. Defaults to null (no monitoring objects).
    /// </summary>
    public string? MonitoringRelease { get; init; }

    /// <summary>The monitoring stack (its CRDs) the ServiceMonitor and PrometheusRule wait for, or null.</summary>
    public Resource? Monitoring { get; init; }

    /// <summary>CPU request and limit of a replica. Defaults to "4".</summary>
    public string Cpu { get; init; } = TritonReplicaResources.Cpu;

    /// <summary>Memory request and limit of a replica. Defaults to "16Gi".</summary>
    public string Memory { get; init; } = TritonReplicaResources.Memory;

    /// <summary>Seconds a replica may take to load its models before it is restarted (startup probe). Defaults to 900.</summary>
    public int ModelLoadTimeoutSeconds { get; init; } = 900;
}
