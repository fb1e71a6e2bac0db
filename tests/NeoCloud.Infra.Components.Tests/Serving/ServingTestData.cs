using System.Collections.Immutable;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Serving;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Serving;

internal static class ServingTestData
{
    public const string Mig = "nvidia.com/mig-1g.10gb";

    public const string Prometheus = "http://monitoring-prometheus.monitoring.svc:9090";

    /// <summary>A MIG pool's placement: 7 × 1g.10gb per node, 1..2 nodes (14 slices at max), tainted nvidia.com/gpu.</summary>
    public static NodePlacement MigPlacement(int nodesAtMax = 2) => new(
        "h100-mig",
        new Dictionary<string, string> { ["neocloud.io/pool"] = "h100-mig" },
        [new PlacementToleration("nvidia.com/gpu", "Exists", null, "NoSchedule")],
        "mixed", "h100-80gb", 1, 1, nodesAtMax,
        new Dictionary<string, int> { [Mig] = 7 },
        new Dictionary<string, int> { [Mig] = 7 * nodesAtMax },
        30_000, 240_000);

    public static TritonServiceArgs Args(int max = 8, int min = 2, string gpu = Mig, string? prometheus = Prometheus, bool autoscaling = true, Input<NodePlacement>? placement = null) => new()
    {
        Namespace = "team-a",
        Tenant = "team-a",
        Model = "llama-3-8b",
        Environment = "dev",
        CostCenter = "ml-platform",
        GpuResource = gpu,
        Placement = placement ?? MigPlacement(),
        ModelRepository = new ModelRepositoryArgs { Endpoint = "http://rgw.storage.svc:80", Bucket = "models", Prefix = "llama-3-8b" },
        CredentialsSecretName = "model-store",
        MinReplicas = min,
        MaxReplicas = max,
        PrometheusAddress = prometheus is null ? null : (Input<string>)prometheus,
        EnableAutoscaling = autoscaling,
        MonitoringRelease = "monitoring",
    };

    public static ImmutableDictionary<string, object> Map(object? value) => Assert.IsAssignableFrom<ImmutableDictionary<string, object>>(value);

    public static ImmutableArray<object> List(object? value) => Assert.IsType<ImmutableArray<object>>(value);

    public static object Assert1(object? list) => Assert.Single(List(list));

    public static object? At(object root, params string[] path)
    {
        var current = root;
        foreach (var key in path)
        {
            current = Map(current)[key];
        }

        return current;
    }
}
