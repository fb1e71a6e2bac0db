using System.Collections.Immutable;
using NeoCloud.Infra.Components.Serving;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Serving;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace NeoCloud.Infra.Components.Tests.Serving;

internal static class ServingTestData
{
    public const string Mig = "nvidia.com/mig-1g.10gb";

    /// <summary>A MIG pool: 7 × 1g.10gb per node, 1..2 nodes (14 slices at max).</summary>
    public static PoolCapacity MigPool() => new(
        "h100-mig", "onprem", MigStrategy.Mixed,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Mig, 7)]),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Mig, 7)]),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Mig, 14)]));

    public static TritonServiceArgs Args(ServingPool pool, int max = 8, int min = 2, string gpu = Mig, string? prometheus = "http://monitoring-prometheus.monitoring.svc:9090", bool autoscaling = true) => new()
    {
        Namespace = "team-a",
        Tenant = "team-a",
        Model = "llama-3-8b",
        Environment = "dev",
        CostCenter = "ml-platform",
        GpuResource = gpu,
        Pool = pool,
        NodeSelector = new InputMap<string> { { "neocloud.io/pool", "h100-mig" } },
        Tolerations = new InputList<TolerationArgs> { new TolerationArgs { Key = "nvidia.com/gpu", Operator = "Exists", Effect = "NoSchedule" } },
        ModelRepository = new ModelRepository(new Uri("http://rgw.storage.svc:80"), "models", "llama-3-8b"),
        CredentialsSecretName = "model-store",
        MinReplicas = min,
        MaxReplicas = max,
        PrometheusAddress = prometheus,
        EnableAutoscaling = autoscaling,
        MonitoringRelease = "monitoring",
    };

    public static ImmutableDictionary<string, object> Map(object? value) => Assert.IsAssignableFrom<ImmutableDictionary<string, object>>(value);

    public static ImmutableArray<object> List(object? value) => Assert.IsType<ImmutableArray<object>>(value);

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
