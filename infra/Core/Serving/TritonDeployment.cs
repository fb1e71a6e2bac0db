using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>The fixed shape of a Triton deployment: names, spread, disruption budget, selector and endpoints (the rules are <see cref="TritonServicePlanner"/>).</summary>
public static class TritonDeployment
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
}
