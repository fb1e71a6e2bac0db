using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>Everything Core needs to decide one Triton deployment (plain values; a component maps its Args to this).</summary>
/// <param name="Name">Deployment name (also the Service, PDB and ScaledObject name).</param>
/// <param name="Namespace">Namespace (usually the tenant's).</param>
/// <param name="Model">Served model id (label <c>neocloud.io/model</c>).</param>
/// <param name="Environment">Environment (label <c>neocloud.io/environment</c>).</param>
/// <param name="CostCenter">Cost center (label <c>neocloud.io/cost-center</c>).</param>
/// <param name="Tenant">Tenant (label <c>neocloud.io/tenant</c>).</param>
/// <param name="GpuResource">The one extended resource a replica requests: <c>nvidia.com/gpu</c> or <c>nvidia.com/mig-&lt;profile&gt;</c>.</param>
/// <param name="Repository">The model repository.</param>
/// <param name="ControlMode">Triton's model control mode.</param>
/// <param name="Models">Models loaded at start under explicit control mode.</param>
/// <param name="MinReplicas">Prewarmed replicas.</param>
/// <param name="MaxReplicas">Maximum replicas.</param>
/// <param name="Slo">Latency objectives.</param>
/// <param name="Scaling">Autoscaling settings.</param>
/// <param name="ModelLoadTimeoutSeconds">How long a replica may take to load its models (startup probe budget).</param>
public sealed record TritonDeploymentRequest(
    string Name,
    string Namespace,
    string Model,
    string Environment,
    string CostCenter,
    string Tenant,
    string GpuResource,
    ModelRepository Repository,
    ModelControlMode ControlMode,
    ImmutableArray<string> Models,
    int MinReplicas,
    int MaxReplicas,
    LatencySlo Slo,
    QueueTimeScaling Scaling,
    int ModelLoadTimeoutSeconds);

/// <summary>Validation and label decisions of a Triton deployment.</summary>
public static partial class TritonDeployment
{
    /// <summary>Application name in <c>app.kubernetes.io/name</c>.</summary>
    public const string AppName = "triton";

    /// <summary>Component name in <c>app.kubernetes.io/component</c>.</summary>
    public const string ComponentName = "inference-server";

    /// <summary>Topology key replicas spread over: one node.</summary>
    public const string SpreadTopologyKey = "kubernetes.io/hostname";

    /// <summary>
    /// <c>ScheduleAnyway</c>: spread is a preference. A GPU pool often hosts more replicas than nodes (7 MIG slices per
    /// GPU), and other deployments take slices unevenly, so a hard skew of 1 would leave pods Pending while GPUs are free.
    /// </summary>
    public const string SpreadWhenUnsatisfiable = "ScheduleAnyway";

    /// <summary>PDB: at most one replica voluntarily disrupted at a time, whatever replica count KEDA chose.</summary>
    public const int MaxUnavailable = 1;

    /// <summary>Validates a request; each error's path is <paramref name="argsPath"/>.Property.</summary>
    /// <param name="request">The request.</param>
    /// <param name="argsPath">Prefix of the paths, e.g. <c>TritonServiceArgs</c>.</param>
    public static IReadOnlyList<ConfigError> Validate(TritonDeploymentRequest request, string argsPath)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<ConfigError>();
        void Check(bool ok, string property, string message)
        {
            if (!ok)
            {
                errors.Add(new ConfigError($"{argsPath}.{property}", message));
            }
        }

        Check(IsDnsLabel(request.Name, 47), "Name", $"\"{request.Name}\" must be a DNS label of at most 47 characters (lowercase letters, digits, '-'), so pod names stay under 63");
        Check(IsDnsLabel(request.Namespace, 63), "Namespace", $"\"{request.Namespace}\" must be a DNS label");
        Check(IsLabelValue(request.Model), "Model", $"\"{request.Model}\" must be a Kubernetes label value (at most 63 of A-Z a-z 0-9 - _ .)");
        Check(IsLabelValue(request.Environment), "Environment", $"\"{request.Environment}\" must be a Kubernetes label value");
        Check(IsLabelValue(request.CostCenter), "CostCenter", $"\"{request.CostCenter}\" must be a Kubernetes label value");
        Check(IsLabelValue(request.Tenant), "Tenant", $"\"{request.Tenant}\" must be a Kubernetes label value");
        Check(
            request.GpuResource == GpuResources.Gpu || MigResource().IsMatch(request.GpuResource ?? string.Empty),
            "GpuResource",
            $"\"{request.GpuResource}\" must be {GpuResources.Gpu} or nvidia.com/mig-<profile> (e.g. nvidia.com/mig-1g.10gb): a replica uses exactly one GPU or one MIG slice");
        errors.AddRange(request.Repository.Validate($"{argsPath}.ModelRepository"));
        Check(
            request.ControlMode != ModelControlMode.Explicit || !request.Models.IsDefaultOrEmpty,
            "Models",
            "explicit model control mode loads only the models named here; name at least one");
        Check(request.MinReplicas >= 0, "MinReplicas", $"must be 0 or more, was {N(request.MinReplicas)}");
        Check(request.MaxReplicas >= 1 && request.MaxReplicas >= request.MinReplicas, "MaxReplicas", $"must be at least 1 and at least MinReplicas ({N(request.MinReplicas)}), was {N(request.MaxReplicas)}");
        Check(request.Slo.P95Ms > 0 && request.Slo.P99Ms >= request.Slo.P95Ms, "Slo", $"needs 0 < p95 ≤ p99, was p95 {request.Slo.P95Ms.ToString(CultureInfo.InvariantCulture)} ms, p99 {request.Slo.P99Ms.ToString(CultureInfo.InvariantCulture)} ms");
        Check(request.ModelLoadTimeoutSeconds is >= 10 and <= 7200, "ModelLoadTimeoutSeconds", $"must be between 10 and 7200, was {N(request.ModelLoadTimeoutSeconds)}");
        errors.AddRange(ScaledObjectSpec.Validate(request.Scaling, request.MinReplicas, Math.Max(1, request.MaxReplicas), $"{argsPath}.Autoscaling", $"{argsPath}.MinReplicas"));
        return errors;
    }

    /// <summary>Labels of every object of the deployment: recommended labels, cost attribution with tenant, and the model.</summary>
    /// <param name="request">The request.</param>
    public static ImmutableSortedDictionary<string, string> Labels(TritonDeploymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ResourceLabels.For(AppName, request.Name, ComponentName, request.Environment, request.CostCenter, request.Tenant)
            .SetItem(ResourceLabels.Model, request.Model);
    }

    /// <summary>Pod selector labels (stable: name and instance only).</summary>
    /// <param name="name">Deployment name.</param>
    public static ImmutableSortedDictionary<string, string> Selector(string name) => ResourceLabels.Selector(AppName, name);

    /// <summary>In-cluster URLs of the Service: http, grpc and metrics.</summary>
    /// <param name="name">Service name.</param>
    /// <param name="ns">Namespace.</param>
    public static (string Http, string Grpc, string Metrics) Endpoints(string name, string ns)
    {
        var host = $"{name}.{ns}.svc.cluster.local";
        return (
            string.Create(CultureInfo.InvariantCulture, $"http://{host}:{TritonServer.Http.Number}"),
            string.Create(CultureInfo.InvariantCulture, $"{host}:{TritonServer.Grpc.Number}"),
            string.Create(CultureInfo.InvariantCulture, $"http://{host}:{TritonServer.Metrics.Number}/metrics"));
    }

    private static bool IsDnsLabel(string? value, int max) =>
        !string.IsNullOrEmpty(value) && value.Length <= max && DnsLabel().IsMatch(value);

    private static bool IsLabelValue(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 63 && LabelValue().IsMatch(value);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^nvidia\.com/mig-[1-7]g\.[0-9]+gb(\+me)?$")]
    private static partial Regex MigResource();
}
