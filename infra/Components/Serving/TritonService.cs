using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
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
/// queue time per request bounded by the pool's capacity, plus a ServiceMonitor and latency alerts.
/// </summary>
public sealed class TritonService : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:serving:TritonService";

    /// <summary>Creates the service; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; also the Deployment, Service, PDB and ScaledObject name (DNS label, at most 47 characters).</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public TritonService(string name, TritonServiceArgs args, ComponentResourceOptions? options = null)
        : this(name, args, Plan(name, args), options)
    {
    }

    private TritonService(string name, TritonServiceArgs args, (TritonDeploymentRequest Request, ReplicaBudgetResult Budget) plan, ComponentResourceOptions? options)
        : base(TypeToken, name, options)
    {
        var request = plan.Request;
        var labels = TritonDeployment.Labels(request);
        var selector = TritonDeployment.Selector(name);
        var child = new CustomResourceOptions { Parent = this };
        ObjectMetaArgs Meta() => new() { Name = name, Namespace = args.Namespace, Labels = CoreData.ToLabels(labels) };

        var deployment = new K8s.Apps.V1.Deployment($"{name}-deployment", new DeploymentArgs
        {
            Metadata = Meta(),
            Spec = new DeploymentSpecArgs
            {
                // KEDA owns the replica count when autoscaling: the program leaves spec.replicas unset.
                Replicas = args.EnableAutoscaling ? null! : args.MinReplicas,
                Selector = new LabelSelectorArgs { MatchLabels = CoreData.ToLabels(selector) },
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = CoreData.ToLabels(labels) },
                    Spec = PodSpec(args, request, selector),
                },
            },
        }, child);

        var service = new K8s.Core.V1.Service($"{name}-service", new ServiceArgs
        {
            Metadata = Meta(),
            Spec = new ServiceSpecArgs
            {
                Type = "ClusterIP",
                Selector = CoreData.ToLabels(selector),
                Ports = TritonServer.Ports.Select(p => new ServicePortArgs { Name = p.Name, Port = p.Number, TargetPort = p.Name, AppProtocol = p.AppProtocol, Protocol = "TCP" }).ToList(),
            },
        }, child);

        _ = new K8s.Policy.V1.PodDisruptionBudget($"{name}-pdb", new PodDisruptionBudgetArgs
        {
            Metadata = Meta(),
            Spec = new PodDisruptionBudgetSpecArgs
            {
                MaxUnavailable = TritonDeployment.MaxUnavailable,
                Selector = new LabelSelectorArgs { MatchLabels = CoreData.ToLabels(selector) },
            },
        }, child);

        if (args.EnableAutoscaling)
        {
            var spec = ScaledObjectSpec.Render(name, args.Namespace, args.PrometheusAddress!, args.Autoscaling, args.MinReplicas, args.MaxReplicas);
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-scaledobject",
                new CustomObjectArgs(ScaledObjectSpec.ApiVersion, ScaledObjectSpec.Kind, Meta(), spec),
                new CustomResourceOptions { Parent = this, DependsOn = DependsOn(deployment, args.Keda) });
        }

        if (args.MonitoringRelease is { } release)
        {
            var monitorLabels = labels.SetItem(KubePrometheusStackChart.ReleaseLabel, release);
            ObjectMetaArgs MonitorMeta() => new() { Name = name, Namespace = args.Namespace, Labels = CoreData.ToLabels(monitorLabels) };
            var dependsOn = DependsOn(service, args.Monitoring);
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-servicemonitor",
                new CustomObjectArgs(ServiceMonitors.ApiVersion, "ServiceMonitor", MonitorMeta(), ServiceMonitors.Triton(selector)),
                new CustomResourceOptions { Parent = this, DependsOn = dependsOn });
            var group = ServingAlerts.Triton(new WatchedDeployment(name, args.Namespace, args.Slo, args.Autoscaling.ThresholdMs));
            _ = new K8s.ApiExtensions.CustomResource(
                $"{name}-rules",
                new CustomObjectArgs(ServiceMonitors.ApiVersion, "PrometheusRule", MonitorMeta(), ImmutableSortedDictionary<string, object>.Empty.Add("groups", ImmutableArray.Create<object>(ServingAlerts.ToSpec(group)))),
                new CustomResourceOptions { Parent = this, DependsOn = dependsOn });
        }

        var (http, grpc, metrics) = TritonDeployment.Endpoints(name, args.Namespace);
        DeploymentName = deployment.Metadata.Apply(m => m.Name);
        HttpEndpoint = Output.Create(http);
        GrpcEndpoint = Output.Create(grpc);
        MetricsEndpoint = Output.Create(metrics);
        PrometheusAddress = Output.Create(args.EnableAutoscaling ? args.PrometheusAddress : null);
        P95SloMs = Output.Create(args.Slo.P95Ms);
        P99SloMs = Output.Create(args.Slo.P99Ms);
        QueueTimeThresholdMs = Output.Create(args.Autoscaling.ThresholdMs);
        MaxReplicas = Output.Create(args.MaxReplicas);
        PoolOvercommitted = Output.Create(plan.Budget.Overcommitted);
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
            ["poolOvercommitted"] = PoolOvercommitted,
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

    /// <summary>The maximum replicas in force (checked against the pool's capacity).</summary>
    [Output("maxReplicas")]
    public Output<int> MaxReplicas { get; private set; }

    /// <summary>True when the pool's deployments together exceed its capacity (allowed only with over-commit).</summary>
    [Output("poolOvercommitted")]
    public Output<bool> PoolOvercommitted { get; private set; }

    private static (TritonDeploymentRequest, ReplicaBudgetResult) Plan(string name, TritonServiceArgs args)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(args.Pool);
        const string path = nameof(TritonServiceArgs);
        var request = new TritonDeploymentRequest(
            name, args.Namespace, args.Model, args.Environment, args.CostCenter, args.Tenant, args.GpuResource,
            args.ModelRepository, args.ControlMode, [.. args.Models], args.MinReplicas, args.MaxReplicas, args.Slo,
            args.Autoscaling, args.ModelLoadTimeoutSeconds);
        var errors = TritonDeployment.Validate(request, path).ToList();
        if (args.EnableAutoscaling && string.IsNullOrWhiteSpace(args.PrometheusAddress))
        {
            errors.Add(new ConfigError($"{path}.PrometheusAddress", "is required when EnableAutoscaling is true (KEDA reads queue time from it); use PrometheusStack.AddressOf(...) or disable autoscaling"));
        }

        var own = new ReplicaClaim(name, args.GpuResource, args.MinReplicas, args.MaxReplicas, $"{path}.MaxReplicas");
        var declared = args.Pool.Claims.FirstOrDefault(c => c.Deployment == name);
        if (declared is not null && (declared.Resource != own.Resource || declared.MaxReplicas != own.MaxReplicas))
        {
            errors.Add(new ConfigError($"{path}.MaxReplicas", $"deployment \"{name}\" is declared in ServingPool \"{args.Pool.Capacity.Pool}\" with up to {declared.MaxReplicas} × {declared.Resource}, but its Args ask for up to {own.MaxReplicas} × {own.Resource}; make them equal"));
        }

        var budget = args.Pool.Check(declared is null ? [own] : []);
        errors.AddRange(budget.Errors);
        ComponentArgsException.ThrowIfAny("TritonService", name, errors);
        return (request, budget);
    }

    private static PodSpecArgs PodSpec(TritonServiceArgs args, TritonDeploymentRequest request, IReadOnlyDictionary<string, string> selector)
    {
        static ProbeArgs Probe(HttpProbe p) => new()
        {
            HttpGet = new HTTPGetActionArgs { Path = p.Path, Port = p.Port },
            InitialDelaySeconds = p.InitialDelaySeconds,
            PeriodSeconds = p.PeriodSeconds,
            TimeoutSeconds = p.TimeoutSeconds,
            FailureThreshold = p.FailureThreshold,
        };

        var resources = new InputMap<string> { { request.GpuResource, "1" }, { "cpu", args.Cpu }, { "memory", args.Memory } };
        var container = new ContainerArgs
        {
            Name = "tritonserver",
            Image = TritonImage.Reference,
            Args = ServerArgs(args, request),
            Ports = TritonServer.Ports.Select(p => new ContainerPortArgs { Name = p.Name, ContainerPortValue = p.Number, Protocol = "TCP" }).ToList(),
            Env = TritonServer.CredentialVariables.Select(v => new EnvVarArgs
            {
                Name = v,
                ValueFrom = new EnvVarSourceArgs { SecretKeyRef = new SecretKeySelectorArgs { Name = args.CredentialsSecretName, Key = v } },
            }).ToList(),
            Resources = new ResourceRequirementsArgs { Limits = resources, Requests = resources },
            ReadinessProbe = Probe(TritonServer.Readiness),
            LivenessProbe = Probe(TritonServer.Liveness),
            StartupProbe = Probe(TritonServer.Startup(request.ModelLoadTimeoutSeconds)),
        };

        return new PodSpecArgs
        {
            Containers = container,
            NodeSelector = args.NodeSelector,
            Tolerations = args.Tolerations,
            TopologySpreadConstraints = new TopologySpreadConstraintArgs
            {
                MaxSkew = 1,
                TopologyKey = TritonDeployment.SpreadTopologyKey,
                WhenUnsatisfiable = TritonDeployment.SpreadWhenUnsatisfiable,
                LabelSelector = new LabelSelectorArgs { MatchLabels = CoreData.ToLabels(selector) },
            },
            TerminationGracePeriodSeconds = 60,
        };
    }

    // The server's arguments from Core; with ModelBucket set, the bucket comes from another resource's output.
    private static InputList<string> ServerArgs(TritonServiceArgs args, TritonDeploymentRequest request)
    {
        if (args.ModelBucket is null)
        {
            return TritonServer.Args(request.Repository, request.ControlMode, request.Models).ToList();
        }

        return args.ModelBucket.ToOutput().Apply(bucket =>
            TritonServer.Args(request.Repository with { Bucket = bucket }, request.ControlMode, request.Models));
    }

    private static InputList<Resource> DependsOn(Resource first, Resource? second)
    {
        var list = new InputList<Resource> { first };
        if (second is not null)
        {
            list.Add(second);
        }

        return list;
    }
}
