using System.Collections.Immutable;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Serving;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Policy.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Serving;

/// <summary>
/// A Triton Inference Server deployment on a GPU pool: one GPU or MIG slice per replica, S3 model repository,
/// probes, topology spread, PodDisruptionBudget, ClusterIP Service, and — unless disabled — a KEDA ScaledObject on
/// the requests in flight bounded by the pool's capacity, plus a ServiceMonitor and latency alerts. The pool comes in
/// as a placement input (a GpuNodePool's <c>placement</c> output); KEDA's and the monitoring stack's CRDs are waited
/// for through the component's options (<c>DependsOn</c> the KedaOperator and the PrometheusStack).
/// </summary>
public sealed class TritonService : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:TritonService";

    /// <summary>The token before <c>neocloud:index:*</c>, kept as an alias so existing stacks are updated in place.</summary>
    public const string PreviousTypeToken = "neocloud:serving:TritonService";

    /// <summary>
    /// Creates the service; throws <see cref="ComponentArgsException"/> before registering anything when the Args are
    /// invalid. The checks that need the placement's values (the pool offers <see cref="TritonServiceArgs.GpuResource"/>
    /// and holds <see cref="TritonServiceArgs.MaxReplicas"/> at its maximum size) run once the placement is known and
    /// fail the deployment with the same exception.
    /// </summary>
    /// <param name="name">Component name; also the Deployment, Service, PDB and ScaledObject name (DNS label, at most 47 characters).</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>, and the KedaOperator / PrometheusStack through <c>DependsOn</c>.</param>
    public TritonService(string name, TritonServiceArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(TritonServiceArgs), name, args?.ToSpec(name), TritonServicePlanner.Validate, TritonServicePlanner.Plan), options)
    {
    }

    private TritonService(string name, TritonServiceArgs args, TritonServicePlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var labels = CoreData.ToLabels(plan.Labels);
        var selector = CoreData.ToLabels(plan.Selector);
        var child = new CustomResourceOptions { Parent = this };
        ObjectMetaArgs Meta() => new() { Name = name, Namespace = plan.Namespace, Labels = CoreData.ToLabels(plan.Labels) };

        // The placement rules need its values: checked when the pool resolves, before the pods use it.
        var placement = args.Placement.ToOutput().Apply(p =>
        {
            ComponentArgsException.ThrowIfAny(nameof(TritonServiceArgs), name, TritonServicePlanner.CheckPlacement(plan, p.PoolName, p.AllocatableAtMax));
            return p;
        });

        // The generated model repository (triton-vllm: config.pbtxt + model.json) or load request (triton with batching or
        // instances: the model's configuration, posted to the load API), mounted into the server.
        K8s.Core.V1.ConfigMap? modelConfig = null;
        if (!plan.ModelConfig().IsEmpty)
        {
            var data = args.ModelBucket is null
                ? Output.Create(plan.ModelConfig().ToImmutableDictionary(f => f.Key, f => f.Content))
                : args.ModelBucket.ToOutput().Apply(b => plan.ModelConfig(b).ToImmutableDictionary(f => f.Key, f => f.Content));
            modelConfig = new K8s.Core.V1.ConfigMap($"{name}-model-config", new ConfigMapArgs
            {
                Metadata = new ObjectMetaArgs { Name = $"{name}-model-config", Namespace = plan.Namespace, Labels = CoreData.ToLabels(plan.Labels) },
                Data = data,
            }, child);
        }

        var deployment = new K8s.Apps.V1.Deployment($"{name}-deployment", new DeploymentArgs
        {
            Metadata = Meta(),
            Spec = new DeploymentSpecArgs
            {
                // KEDA owns the replica count when autoscaling: the program leaves spec.replicas unset.
                Replicas = plan.EnableAutoscaling ? null! : plan.MinReplicas,
                Selector = new LabelSelectorArgs { MatchLabels = selector },
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = labels },
                    Spec = PodSpec(args, plan, placement),
                },
            },
        }, modelConfig is null ? child : new CustomResourceOptions { Parent = this, DependsOn = { modelConfig } });

        var service = new K8s.Core.V1.Service($"{name}-service", new ServiceArgs
        {
            Metadata = Meta(),
            Spec = new ServiceSpecArgs
            {
                Type = "ClusterIP",
                Selector = CoreData.ToLabels(plan.Selector),
                Ports = plan.Container.Ports.Select(p => new ServicePortArgs { Name = p.Name, Port = p.Number, TargetPort = p.Name, AppProtocol = p.AppProtocol, Protocol = "TCP" }).ToList(),
            },
        }, child);

        _ = new K8s.Policy.V1.PodDisruptionBudget($"{name}-pdb", new PodDisruptionBudgetArgs
        {
            Metadata = Meta(),
            Spec = new PodDisruptionBudgetSpecArgs
            {
                MaxUnavailable = TritonDeployment.MaxUnavailable,
                Selector = new LabelSelectorArgs { MatchLabels = CoreData.ToLabels(plan.Selector) },
            },
        }, child);

        Output<string?> prometheusAddress = Output.Create((string?)null);
        if (plan.EnableAutoscaling)
        {
            var address = args.PrometheusAddress!.ToOutput();
            prometheusAddress = address.Apply(a => (string?)a);
            var spec = address.Apply(a => ScaledObjectSpec.Render(name, plan.Namespace, a, plan.Autoscaling, plan.MinReplicas, plan.MaxReplicas, plan.Container.Runtime));
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-scaledobject",
                new CustomObjectArgs(ScaledObjectSpec.ApiVersion, ScaledObjectSpec.Kind, Meta(), spec),
                new CustomResourceOptions { Parent = this, DependsOn = { deployment } });
        }

        if (plan.MonitoringRelease is not null)
        {
            ObjectMetaArgs MonitorMeta() => new() { Name = name, Namespace = plan.Namespace, Labels = CoreData.ToLabels(plan.MonitorLabels) };
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-servicemonitor",
                new CustomObjectArgs(ServiceMonitors.ApiVersion, "ServiceMonitor", MonitorMeta(), ServiceMonitors.Triton(plan.Selector).SetItem("endpoints", ImmutableArray.Create<object>(ImmutableSortedDictionary<string, object>.Empty.Add("port", plan.Container.MetricsPort).Add("path", plan.Container.MetricsPath).Add("interval", ServiceMonitors.Interval)))),
                new CustomResourceOptions { Parent = this, DependsOn = { service } });
            var group = ServingAlerts.For(plan.Container.Runtime, new WatchedDeployment(name, plan.Namespace, plan.Slo, plan.Autoscaling.ThresholdMs));
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-rules",
                new CustomObjectArgs(ServiceMonitors.ApiVersion, "PrometheusRule", MonitorMeta(), ImmutableSortedDictionary<string, object>.Empty.Add("groups", ImmutableArray.Create<object>(ServingAlerts.ToSpec(group)))),
                new CustomResourceOptions { Parent = this, DependsOn = { service } });
        }

        var (http, grpc, metrics) = plan.Endpoints;
        DeploymentName = deployment.Metadata.Apply(m => m.Name);
        HttpEndpoint = Output.Create(http);
        GrpcEndpoint = Output.Create(grpc);
        MetricsEndpoint = Output.Create(metrics);
        PrometheusAddress = prometheusAddress;
        P95SloMs = Output.Create(plan.Slo.P95Ms);
        P99SloMs = Output.Create(plan.Slo.P99Ms);
        QueueTimeThresholdMs = Output.Create(plan.Autoscaling.ThresholdMs);
        MaxReplicas = Output.Create(plan.MaxReplicas);
        PoolName = placement.Apply(p => p.PoolName);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["deploymentName"] = DeploymentName,
            ["httpEndpoint"] = HttpEndpoint,
            ["grpcEndpoint"] = GrpcEndpoint,
            ["metricsEndpoint"] = MetricsEndpoint,
            ["prometheusAddress"] = PrometheusAddress,
            ["p95SloMs"] = P95SloMs,
            ["p99SloMs"] = P99SloMs,
            ["queueTimeThresholdMs"] = QueueTimeThresholdMs,
            ["maxReplicas"] = MaxReplicas,
            ["poolName"] = PoolName,
        });
    }

    /// <summary>The Deployment's name (KEDA's scale target).</summary>
    [Output("deploymentName")]
    public Output<string> DeploymentName { get; private set; }

    /// <summary>In-cluster HTTP/REST endpoint, <c>http://&lt;name&gt;.&lt;ns&gt;.svc.cluster.local:8000</c>.</summary>
    [Output("httpEndpoint")]
    public Output<string> HttpEndpoint { get; private set; }

    /// <summary>In-cluster gRPC endpoint, <c>&lt;name&gt;.&lt;ns&gt;.svc.cluster.local:8001</c>.</summary>
    [Output("grpcEndpoint")]
    public Output<string> GrpcEndpoint { get; private set; }

    /// <summary>In-cluster metrics URL, <c>http://&lt;name&gt;.&lt;ns&gt;.svc.cluster.local:8002/metrics</c>.</summary>
    [Output("metricsEndpoint")]
    public Output<string> MetricsEndpoint { get; private set; }

    /// <summary>The Prometheus address KEDA queries; null when autoscaling is disabled.</summary>
    [Output("prometheusAddress")]
    public Output<string?> PrometheusAddress { get; private set; }

    /// <summary>The p95 latency SLO in force (ms).</summary>
    [Output("p95SloMs")]
    public Output<double> P95SloMs { get; private set; }

    /// <summary>The p99 latency SLO in force (ms).</summary>
    [Output("p99SloMs")]
    public Output<double> P99SloMs { get; private set; }

    /// <summary>The autoscaling target queue time per request (ms).</summary>
    [Output("queueTimeThresholdMs")]
    public Output<double> QueueTimeThresholdMs { get; private set; }

    /// <summary>The maximum replicas in force (checked against the placement's allocatable at maximum size).</summary>
    [Output("maxReplicas")]
    public Output<int> MaxReplicas { get; private set; }

    /// <summary>The pool the replicas run on (the placement's <c>poolName</c>).</summary>
    [Output("poolName")]
    public Output<string> PoolName { get; private set; }

    private static PodSpecArgs PodSpec(TritonServiceArgs args, TritonServicePlan plan, Output<NodePlacement> placement)
    {
        static ProbeArgs Probe(HttpProbe p) => new()
        {
            HttpGet = new HTTPGetActionArgs { Path = p.Path, Port = p.Port },
            InitialDelaySeconds = p.InitialDelaySeconds,
            PeriodSeconds = p.PeriodSeconds,
            TimeoutSeconds = p.TimeoutSeconds,
            FailureThreshold = p.FailureThreshold,
        };

        var c = plan.Container;
        var resources = new InputMap<string>
        {
            { plan.GpuResource, c.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            { "cpu", c.Cpu },
            { "memory", c.Memory },
            { "ephemeral-storage", c.CacheSize },
        };
        // With a workload identity (ServiceAccountName) the SDK's credential chain finds the Pod Identity agent; the
        // Secret gives only the region (issue 14).
        var env = TritonServer.CredentialVariables.Where(v => args.ServiceAccountName is null || v == "AWS_DEFAULT_REGION").Select(v => new EnvVarArgs
        {
            Name = v,
            ValueFrom = new EnvVarSourceArgs { SecretKeyRef = new SecretKeySelectorArgs { Name = args.CredentialsSecretName, Key = v } },
        }).ToList();
        env.AddRange(ServingContainer.CacheEnvironment(c.Runtime).Select(kv => new EnvVarArgs { Name = kv.Key, Value = kv.Value }));
        if (c.Runtime is ServingRuntime.Vllm or ServingRuntime.TritonVllm)
        {
            env.AddRange(ServingContainer.StreamerEnvironment(plan.Repository).Select(kv => new EnvVarArgs { Name = kv.Key, Value = kv.Value }));
        }

        var mounts = new List<VolumeMountArgs>
        {
            new() { Name = "dshm", MountPath = "/dev/shm" },
            new() { Name = "model-cache", MountPath = ServingContainerPlan.CacheMountPath },
        };
        var volumes = new List<VolumeArgs>
        {
            // Memory-backed /dev/shm: the container default is 64 MB (triton-inference-server/server#4869).
            new() { Name = "dshm", EmptyDir = new EmptyDirVolumeSourceArgs { Medium = "Memory", SizeLimit = c.ShmSize } },
            new() { Name = "model-cache", EmptyDir = new EmptyDirVolumeSourceArgs { SizeLimit = c.CacheSize } },
        };
        var files = plan.ModelConfig();
        if (!files.IsEmpty)
        {
            mounts.Add(new VolumeMountArgs { Name = "model-config", MountPath = c.ModelConfigMountPath, ReadOnly = true });
            volumes.Add(new VolumeArgs
            {
                Name = "model-config",
                ConfigMap = new ConfigMapVolumeSourceArgs
                {
                    Name = $"{plan.Name}-model-config",
                    Items = files.Select(f => new KeyToPathArgs { Key = f.Key, Path = f.Path }).ToList(),
                },
            });
        }

        var container = new ContainerArgs
        {
            Name = c.Runtime == ServingRuntime.Vllm ? "vllm" : "tritonserver",
            Image = c.Image,
            Args = ServerArgs(args, plan),
            Ports = c.Ports.Select(p => new ContainerPortArgs { Name = p.Name, ContainerPortValue = p.Number, Protocol = "TCP" }).ToList(),
            Env = env,
            Resources = new ResourceRequirementsArgs { Limits = resources, Requests = resources },
            ReadinessProbe = Probe(c.Readiness),
            LivenessProbe = Probe(c.Liveness),
            StartupProbe = Probe(c.Startup),
            VolumeMounts = mounts,
        };
        if (!c.Command.IsEmpty)
        {
            container.Command = c.Command.ToList();
        }

        return new PodSpecArgs
        {
            ServiceAccountName = args.ServiceAccountName!,
            Containers = container,
            Volumes = volumes,
            PriorityClassName = args.PriorityClassName!,
            NodeSelector = placement.Apply(p => p.NodeSelector),
            Tolerations = placement.Apply(p => p.Tolerations
                .Select(t => new TolerationArgs { Key = t.Key, Operator = t.Operator, Value = t.Value!, Effect = t.Effect })
                .ToImmutableArray()),
            TopologySpreadConstraints = new TopologySpreadConstraintArgs
            {
                MaxSkew = 1,
                TopologyKey = TritonDeployment.SpreadTopologyKey,
                WhenUnsatisfiable = TritonDeployment.SpreadWhenUnsatisfiable,
                LabelSelector = new LabelSelectorArgs { MatchLabels = CoreData.ToLabels(plan.Selector) },
            },
            TerminationGracePeriodSeconds = 60,
        };
    }

    // The server's arguments from Core; with ModelBucket set, the bucket comes from another resource's output.
    private static InputList<string> ServerArgs(TritonServiceArgs args, TritonServicePlan plan) =>
        args.ModelBucket is null ? plan.ServerArgs().ToList() : args.ModelBucket.ToOutput().Apply(bucket => plan.ServerArgs(bucket));
}
