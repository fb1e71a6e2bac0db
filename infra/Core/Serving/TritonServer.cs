using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>An HTTP probe of the Triton container.</summary>
/// <param name="Path">HTTP path.</param>
/// <param name="Port">Port name.</param>
/// <param name="InitialDelaySeconds">Delay before the first probe.</param>
/// <param name="PeriodSeconds">Seconds between probes.</param>
/// <param name="TimeoutSeconds">Probe timeout.</param>
/// <param name="FailureThreshold">Consecutive failures before the probe fails.</param>
public sealed record HttpProbe(string Path, string Port, int InitialDelaySeconds, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold);

/// <summary>A named container port.</summary>
/// <param name="Name">Port name (Service and ServiceMonitor refer to it).</param>
/// <param name="Number">Port number.</param>
/// <param name="AppProtocol">The Service's appProtocol.</param>
public sealed record NamedPort(string Name, int Number, string AppProtocol);

/// <summary>How the Triton container is run: ports, arguments, probes, credentials. Pulumi-free decisions.</summary>
public static class TritonServer
{
    /// <summary>HTTP/REST port (KServe v2 protocol).</summary>
    public static readonly NamedPort Http = new("http", 8000, "http");

    /// <summary>gRPC port.</summary>
    public static readonly NamedPort Grpc = new("grpc", 8001, "grpc");

    /// <summary>Prometheus metrics port.</summary>
    public static readonly NamedPort Metrics = new("metrics", 8002, "http");

    /// <summary>All ports, in order.</summary>
    public static readonly ImmutableArray<NamedPort> Ports = [Http, Grpc, Metrics];

    /// <summary>Readiness: <c>/v2/health/ready</c> — a replica takes traffic only when its models are loaded.</summary>
    public static readonly HttpProbe Readiness = new("/v2/health/ready", Http.Name, 0, 10, 5, 3);

    /// <summary>Liveness: <c>/v2/health/live</c> — restarts a wedged server; starts only after the startup probe succeeded.</summary>
    public static readonly HttpProbe Liveness = new("/v2/health/live", Http.Name, 0, 15, 5, 4);

    /// <summary>
    /// The startup probe's failure threshold for a model-load budget: the probe polls <c>/v2/health/ready</c> every 10 s
    /// until the models are loaded, so liveness does not kill a server that is still pulling weights from S3.
    /// </summary>
    /// <param name="modelLoadTimeoutSeconds">Seconds a replica may take to load its models.</param>
    public static HttpProbe Startup(int modelLoadTimeoutSeconds) =>
        new("/v2/health/ready", Http.Name, 0, 10, 5, Math.Max(1, (int)Math.Ceiling(modelLoadTimeoutSeconds / 10.0)));

    /// <summary>Environment variable names filled from the credentials Secret (keys of the same names).</summary>
    public static readonly ImmutableArray<string> CredentialVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"];

    /// <summary>
    /// The server's arguments: the S3 model repository, the control mode, the three ports, and the metrics
    /// configuration that makes p95/p99 observable: <c>summary_latencies=true</c> publishes
    /// <c>nv_inference_request_summary_us</c> (and queue/compute summaries) with quantiles 0.5, 0.9, 0.95, 0.99.
    /// Histograms stay off: Triton's histogram covers only first-response time (decoupled models), while the
    /// summaries cover every request.
    /// </summary>
    /// <param name="repository">The model repository.</param>
    /// <param name="mode">The model control mode.</param>
    /// <param name="models">Models to load at start under <see cref="ModelControlMode.Explicit"/> (ignored otherwise).</param>
    public static ImmutableArray<string> Args(ModelRepository repository, ModelControlMode mode, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(models);
        var args = ImmutableArray.CreateBuilder<string>();
        args.Add("tritonserver");
        args.Add($"--model-repository={repository.TritonPath}");
        args.Add($"--model-control-mode={mode.ToFlagValue()}");
        if (mode == ModelControlMode.Explicit)
        {
            args.AddRange(models.Select(m => $"--load-model={m}"));
        }

        if (mode == ModelControlMode.Poll)
        {
            args.Add("--repository-poll-secs=30");
        }

        args.Add(string.Create(CultureInfo.InvariantCulture, $"--http-port={Http.Number}"));
        args.Add(string.Create(CultureInfo.InvariantCulture, $"--grpc-port={Grpc.Number}"));
        args.Add(string.Create(CultureInfo.InvariantCulture, $"--metrics-port={Metrics.Number}"));
        args.Add("--allow-metrics=true");
        args.Add("--allow-gpu-metrics=true");
        args.Add("--metrics-config=summary_latencies=true");
        args.Add("--metrics-config=summary_quantiles=0.5:0.05,0.9:0.01,0.95:0.005,0.99:0.001");
        args.Add("--exit-on-error=true");
        return args.ToImmutable();
    }
}
