using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>
/// The one set of rules of a Triton deployment (<see cref="TritonServiceSpec"/>), used by the <c>TritonService</c>
/// component before anything is registered and by the environment binder for <c>neocloud:serving</c>. Never throws
/// for user input.
/// </summary>
public static partial class TritonServicePlanner
{
    /// <summary>Longest deployment name: pod names (<c>&lt;name&gt;-&lt;replicaset hash&gt;-&lt;pod hash&gt;</c>) stay within 63 characters.</summary>
    public const int MaxNameLength = 47;

    /// <summary>The model control modes, as the Args spell them.</summary>
    public static readonly ImmutableArray<string> ControlModes = ["none", "poll", "explicit"];

    /// <summary>Every problem of <paramref name="spec"/>, with the Args' property paths.</summary>
    /// <param name="spec">The spec.</param>
    public static ImmutableArray<SpecProblem> Validate(TritonServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new SpecProblems();
        p.Require(spec.Name is { Length: > 0 and <= MaxNameLength } && KubernetesNames.IsDnsLabel(spec.Name), "(name)", $"{Show(spec.Name)} must be a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most {MaxNameLength} characters, so pod names stay under 63");
        p.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        if (Required(p, spec.Namespace, "Namespace"))
        {
            p.Require(KubernetesNames.IsDnsLabel(spec.Namespace), "Namespace", $"{Show(spec.Namespace)} must be {KubernetesNames.DnsLabelRule}");
        }

        if (Required(p, spec.Model, "Model"))
        {
            p.Require(KubernetesNames.IsLabelValue(spec.Model), "Model", $"{Show(spec.Model)} must be {KubernetesNames.LabelValueRule}");
        }

        if (Required(p, spec.Tenant, "Tenant"))
        {
            p.Require(KubernetesNames.IsLabelValue(spec.Tenant), "Tenant", $"{Show(spec.Tenant)} must be {KubernetesNames.LabelValueRule}");
        }

        if (Required(p, spec.GpuResource, "GpuResource"))
        {
            p.Require(
                spec.GpuResource == GpuResources.Gpu || MigResource().IsMatch(spec.GpuResource!),
                "GpuResource",
                $"{Show(spec.GpuResource)} must be {GpuResources.Gpu} or nvidia.com/mig-<profile> (e.g. nvidia.com/mig-1g.10gb): a replica uses exactly one GPU or one MIG slice");
        }

        p.Require(spec.PlacementSet, "Placement", "is required (a GpuNodePool's placement output, or a NodePlacement built from the pool)");
        p.Require(spec.CredentialsSecretNameSet, "CredentialsSecretName", "is required (the Secret with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION)");
        if (spec.ModelRepository is null)
        {
            p.Add("ModelRepository", "is required");
        }
        else
        {
            p.AddNested("ModelRepository", ValidateRepository(spec.ModelRepository, spec.ModelBucketSet));
        }

        var mode = ParseControlMode(spec.ControlMode);
        p.Require(mode is not null, "ControlMode", $"{Show(spec.ControlMode)} is not a model control mode; allowed: {string.Join(", ", ControlModes)}");
        var generatedConfig = spec.Batching is not null || spec.Instances is not null; // the model is then named by the deployment (below)
        p.Require(
            mode != ModelControlMode.Explicit || generatedConfig || (!spec.Models.IsDefaultOrEmpty && spec.Models.All(m => !string.IsNullOrWhiteSpace(m))),
            "Models",
            "explicit model control mode loads only the models named here; name at least one (no empty names)");
        p.Require(spec.MinReplicas >= 0, "MinReplicas", $"must be 0 or more, was {N(spec.MinReplicas)}");
        if (spec.MaxReplicas is not { } max)
        {
            p.Add("MaxReplicas", "is required");
        }
        else
        {
            p.Require(max >= 1 && max >= spec.MinReplicas, "MaxReplicas", $"must be at least 1 and at least MinReplicas ({N(spec.MinReplicas)}), was {N(max)}");
        }

        if (spec.Slo is null)
        {
            p.Add("Slo", "is required");
        }
        else
        {
            if (p.Require(spec.Slo.P95Ms > 0 && !double.IsInfinity(spec.Slo.P95Ms), "Slo.P95Ms", $"must be greater than 0 ms, was {D(spec.Slo.P95Ms)}"))
            {
                p.Require(spec.Slo.P99Ms >= spec.Slo.P95Ms, "Slo.P95Ms", $"{D(spec.Slo.P95Ms)} ms is above p99Ms {D(spec.Slo.P99Ms)} ms; a 95th percentile cannot exceed the 99th");
            }
        }

        if (spec.Autoscaling is null)
        {
            p.Add("Autoscaling", "is required");
        }
        else
        {
            p.AddNested("Autoscaling", ValidateScaling(spec.Autoscaling, spec.MaxReplicas is { } m ? Math.Max(1, m) : int.MaxValue));
            p.Require(
                spec.MinReplicas != 0 || spec.Autoscaling.QueryOverride is not null,
                "MinReplicas",
                "0 would never scale up again: the in-flight trigger's metric comes from this deployment's own replicas, so it does not exist while zero run (KEDA's 0→1 problem); keep at least 1 prewarmed replica, or scale on a metric that exists at zero (Autoscaling.QueryOverride, as the burst deployments do with the on-prem load)");
        }

        p.Require(
            !spec.EnableAutoscaling || spec.PrometheusAddressSet,
            "PrometheusAddress",
            "is required when EnableAutoscaling is true (KEDA reads the in-flight requests from it); pass a PrometheusStack's PrometheusAddress output or disable autoscaling");
        p.Require(
            spec.MonitoringRelease is null || (spec.MonitoringRelease.Length > 0 && KubernetesNames.IsLabelValue(spec.MonitoringRelease)),
            "MonitoringRelease",
            $"{Show(spec.MonitoringRelease)} must be a non-empty Kubernetes label value (the ServiceMonitor's `release` label), or null for no monitoring objects");
        p.Require(spec.Cpu is null || IsQuantity(spec.Cpu), "Cpu", $"{Show(spec.Cpu)} must be a positive Kubernetes quantity, e.g. \"4\" or \"3500m\" (or unset for the runtime's default)");
        p.Require(spec.Memory is null || IsQuantity(spec.Memory), "Memory", $"{Show(spec.Memory)} must be a positive Kubernetes quantity, e.g. \"16Gi\" (or unset for the runtime's default)");
        p.Require(spec.ModelLoadTimeoutSeconds is >= 10 and <= 7200, "ModelLoadTimeoutSeconds", $"must be between 10 and 7200, was {N(spec.ModelLoadTimeoutSeconds)}");
        p.AddRange(ValidateRuntime(spec));
        return p.ToImmutable();
    }

    /// <summary>Most GPUs one replica may request (<c>GpuCount</c>): the largest GPU node of the catalog has 8.</summary>
    public const int MaxGpusPerReplica = 8;

    // Runtime, image, GPUs per replica and model size: the rules of issue 15 (one place, used by the component and the binder).
    private static ImmutableArray<SpecProblem> ValidateRuntime(TritonServiceSpec spec)
    {
        var p = new SpecProblems();
        var runtime = ServingImages.Parse(spec.Runtime);
        p.Require(runtime is not null, "Runtime", $"{Show(spec.Runtime)} is not a serving runtime; allowed: {string.Join(", ", ServingImages.RuntimeNames)}");
        if (spec.Image is not null && ServingImages.ImageProblem(spec.Image) is { } imageProblem)
        {
            p.Add("Image", imageProblem);
        }

        if (p.Require(spec.GpuCount is >= 1 and <= MaxGpusPerReplica, "GpuCount", $"must be between 1 and {N(MaxGpusPerReplica)} GPUs per replica, was {N(spec.GpuCount)}") && spec.GpuCount > 1)
        {
            // CUDA enumerates a single MIG instance per process, so a replica cannot span MIG slices (NVIDIA MIG user guide, "CUDA Device Enumeration").
            p.Require(spec.GpuResource is null || spec.GpuResource == GpuResources.Gpu, "GpuCount", $"{N(spec.GpuCount)} devices per replica need whole GPUs ({GpuResources.Gpu}); a process sees only one MIG instance, so {Show(spec.GpuResource)} allows 1");
            p.Require(runtime is null || ServingImages.SupportsTensorParallel(runtime.Value), "GpuCount", $"{N(spec.GpuCount)} GPUs per replica need a tensor-parallel runtime (triton-vllm, triton-trtllm or vllm); runtime triton (the plain -py3 image) has no LLM backend that shards a model over GPUs");
            p.Require(runtime != ServingRuntime.TritonTrtLlm, "GpuCount", $"runtime triton-trtllm runs one GPU per replica here: a tensor-parallel TensorRT-LLM engine is started with one MPI rank per GPU (the backend's launch_triton_server.py --world_size), which this component does not do; use runtime vllm or triton-vllm for {N(spec.GpuCount)} GPUs, or gpu: 1");
        }

        if (spec.ModelSize is { } size)
        {
            p.AddRange(ModelFit.Validate(size));
        }

        p.AddRange(TritonModelConfig.Validate(spec.Batching, spec.Instances, runtime, spec.Slo is { P95Ms: > 0 } slo ? slo.P95Ms : null));
        if (runtime == ServingRuntime.Triton && (spec.Batching is not null || spec.Instances is not null))
        {
            // The generated configuration is applied through the load API, which needs explicit model control.
            p.Require(spec.ControlMode is null or "explicit", "ControlMode", $"{Show(spec.ControlMode)} cannot be used with Batching or Instances: the generated model configuration is applied through the load API under explicit model control; leave ControlMode unset (or explicit)");
            p.Require(spec.Models.IsDefaultOrEmpty, "Models", $"must be empty with Batching or Instances: the server loads exactly the model \"{spec.Name}\" (the deployment's name, its directory in the repository) with the generated configuration");
        }

        // Every sequence of every batch is in GPU memory at once: the memory fit must count them.
        if (runtime == ServingRuntime.Triton && spec.Batching is { MaxBatchSize: { } batch and >= 1 } && spec.ModelSize is { } fitted && ModelFit.Validate(fitted).IsEmpty
            && spec.Instances?.Kind is null or "KIND_GPU" or "KIND_AUTO")
        {
            var instances = spec.Instances?.Count is { } n and >= 1 ? n : 1;
            var inFlight = (long)batch * instances;
            var held = fitted.MaxConcurrentSequences ?? 1;
            p.Require(
                inFlight <= held,
                "Batching.MaxBatchSize",
                $"{N(batch)} × Instances.Count ({N(instances)}) = {inFlight.ToString(CultureInfo.InvariantCulture)} sequences run on the GPU at once, but the memory fit counts ModelSize.MaxConcurrentSequences ({N(held)}); raise ModelSize.MaxConcurrentSequences to {inFlight.ToString(CultureInfo.InvariantCulture)} so the fit holds them, or lower Batching.MaxBatchSize");
        }

        return p.ToImmutable();
    }

    /// <summary>The decisions of a valid spec (call <see cref="Validate"/> first: an invalid spec throws <see cref="ArgumentException"/>).</summary>
    /// <param name="spec">A spec without problems.</param>
    public static TritonServicePlan Plan(TritonServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Validate(spec).IsEmpty)
        {
            throw new ArgumentException("the spec has problems; call TritonServicePlanner.Validate first", nameof(spec));
        }

        var repo = spec.ModelRepository!;
        var repository = new ModelRepository(
            string.IsNullOrEmpty(repo.Endpoint) ? null : new Uri(repo.Endpoint, UriKind.Absolute),
            repo.Bucket ?? string.Empty,
            repo.Prefix ?? string.Empty);
        var name = spec.Name!;
        var labels = spec.Ownership.Tags
            .SetItems(ResourceLabels.For(TritonDeployment.AppName, name, TritonDeployment.ComponentName, spec.Ownership.Environment, spec.Ownership.CostCenter, spec.Tenant))
            .SetItem(ResourceLabels.Model, spec.Model!);
        var runtime = ServingImages.Parse(spec.Runtime)!.Value;
        var migSlices = MigResource().IsMatch(spec.GpuResource!) ? (int?)(spec.GpuResource!["nvidia.com/mig-".Length] - '0') : null;
        var container = ServingContainer.Plan(runtime, spec.Image, spec.GpuCount, name, repository, spec.ModelSize, spec.Cpu, spec.Memory, spec.ModelLoadTimeoutSeconds, migComputeSlices: migSlices, batching: spec.Batching, instances: spec.Instances);
        return new TritonServicePlan(
            name,
            spec.Namespace!,
            spec.GpuResource!,
            repository,
            container.LoadsGeneratedConfig ? ModelControlMode.Explicit : ParseControlMode(spec.ControlMode)!.Value,
            spec.Models.IsDefault ? [] : spec.Models,
            spec.MinReplicas,
            spec.MaxReplicas!.Value,
            spec.Slo,
            spec.Autoscaling,
            spec.EnableAutoscaling,
            spec.MonitoringRelease,
            container.Cpu,
            container.Memory,
            labels,
            TritonDeployment.Selector(name),
            container.Startup,
            container)
        { Size = spec.ModelSize };
    }

    /// <summary>
    /// The rules that need the pool (the <c>Placement</c> input's values, known only once the pool resource resolves):
    /// the pool offers <see cref="TritonServicePlan.GpuResource"/>, and <see cref="TritonServicePlan.MaxReplicas"/> fits
    /// what the pool holds at its maximum size. The budget of several deployments sharing a pool is not checked here:
    /// one component does not see the others (the binder, the plan tool and the policy pack check it).
    /// </summary>
    /// <param name="plan">The deployment's plan.</param>
    /// <param name="pool">The pool's name.</param>
    /// <param name="allocatableAtMax">Extended resources the whole pool offers at its maximum size.</param>
    public static ImmutableArray<SpecProblem> CheckPlacement(TritonServicePlan plan, string pool, IReadOnlyDictionary<string, int> allocatableAtMax)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(allocatableAtMax);
        var p = new SpecProblems();
        if (!allocatableAtMax.TryGetValue(plan.GpuResource, out var capacity) || capacity <= 0)
        {
            var offered = allocatableAtMax.Where(kv => kv.Value > 0).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
            p.Add("GpuResource", $"deployment \"{plan.Name}\" requests {plan.GpuResource}, but pool \"{pool}\" does not offer it; it offers {(offered.Count == 0 ? "no GPU resources" : string.Join(", ", offered))}");
        }
        else
        {
            p.Require(
                plan.MaxReplicas <= capacity,
                "MaxReplicas",
                $"deployment \"{plan.Name}\" asks for up to {N(plan.MaxReplicas)} × {plan.GpuResource}, but pool \"{pool}\" holds {N(capacity)} at its maximum size; lower the maximum to {N(capacity)} or grow the pool");
        }

        return p.ToImmutable();
    }

    /// <summary>The control mode for its Args spelling (null = <c>none</c>), or null when unknown.</summary>
    /// <param name="value">The spelling.</param>
    public static ModelControlMode? ParseControlMode(string? value) => value switch
    {
        null or "none" => ModelControlMode.None,
        "poll" => ModelControlMode.Poll,
        "explicit" => ModelControlMode.Explicit,
        _ => null,
    };

    private static ImmutableArray<SpecProblem> ValidateRepository(ModelRepositorySpec repo, bool bucketFromInput)
    {
        var p = new SpecProblems();
        if (!string.IsNullOrEmpty(repo.Endpoint))
        {
            var ok = Uri.TryCreate(repo.Endpoint, UriKind.Absolute, out var e)
                && (e.Scheme == Uri.UriSchemeHttp || e.Scheme == Uri.UriSchemeHttps)
                && e.AbsolutePath.Trim('/').Length == 0 && e.Query.Length == 0;
            p.Require(ok, "Endpoint", $"\"{repo.Endpoint}\" must be an http:// or https:// URL with host and optional port only (no path), or null for AWS S3");
        }

        if (string.IsNullOrEmpty(repo.Bucket))
        {
            p.Require(bucketFromInput, "Bucket", "is required unless ModelBucket gives the bucket's name");
        }
        else
        {
            p.Require(!repo.Bucket.Contains('/', StringComparison.Ordinal) && repo.Bucket.Trim().Length == repo.Bucket.Length, "Bucket", $"\"{repo.Bucket}\" must be a bucket name without '/' or surrounding spaces");
        }

        p.Require(repo.Prefix is null || (!repo.Prefix.StartsWith('/') && !repo.Prefix.EndsWith('/')), "Prefix", $"{Show(repo.Prefix)} must not start or end with '/' (use \"\" for the bucket root)");
        return p.ToImmutable();
    }

    private static ImmutableArray<SpecProblem> ValidateScaling(QueueTimeScaling scaling, int maxReplicas)
    {
        var p = new SpecProblems();
        p.Require(scaling.TargetInFlightPerReplica > 0 && !double.IsInfinity(scaling.TargetInFlightPerReplica), "TargetInFlightPerReplica", $"must be a number of requests greater than 0, was {D(scaling.TargetInFlightPerReplica)}");
        p.Require(scaling.ActivationInFlight >= 0 && !double.IsInfinity(scaling.ActivationInFlight), "ActivationInFlight", $"must be 0 or more requests, was {D(scaling.ActivationInFlight)}");
        p.Require(scaling.ThresholdMs > 0 && !double.IsInfinity(scaling.ThresholdMs), "ThresholdMs", $"must be greater than 0 ms, was {D(scaling.ThresholdMs)}");
        p.Require(scaling.ActivationThresholdMs >= 0 && !double.IsInfinity(scaling.ActivationThresholdMs), "ActivationThresholdMs", $"must be 0 or more ms, was {D(scaling.ActivationThresholdMs)}");
        p.Require(
            scaling.FallbackReplicas >= 1 && scaling.FallbackReplicas <= maxReplicas,
            "FallbackReplicas",
            maxReplicas == int.MaxValue ? $"must be 1 or more, was {N(scaling.FallbackReplicas)}" : $"must be between 1 and MaxReplicas ({N(maxReplicas)}), was {N(scaling.FallbackReplicas)}");
        p.Require(scaling.QueryOverride is null || !string.IsNullOrWhiteSpace(scaling.QueryOverride), "QueryOverride", "must be a PromQL query or null");
        return p.ToImmutable();
    }

    private static bool Required(SpecProblems p, string? value, string path) =>
        p.Require(!string.IsNullOrEmpty(value), path, "is required");

    // Kubernetes quantities (kubernetes/apimachinery pkg/api/resource/quantity.go: <signedNumber><suffix>, suffixes
    // Ki Mi Gi Ti Pi Ei | m "" k M G T P E | e<n>): the positive forms a container request takes.
    private static bool IsQuantity(string? value) =>
        value is { Length: > 0 and <= 32 } && Quantity().IsMatch(value) && !Zero().IsMatch(value);

    private static string Show(string? value) => value is null ? "a missing value" : $"\"{value}\"";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^nvidia\.com/mig-[1-7]g\.[0-9]+gb(\+me)?$")]
    private static partial Regex MigResource();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][0-9]+)?$")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^[0.]+([A-Za-z].*)?$")]
    private static partial Regex Zero();
}
