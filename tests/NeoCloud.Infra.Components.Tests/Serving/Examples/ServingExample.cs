using System.Collections.Immutable;
using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Monitoring;
using NeoCloud.Infra.Components.Serving;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Serving;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace NeoCloud.Infra.Components.Tests.Serving.Examples;

/// <summary>The README's "Using it from another Pulumi program" snippet, compiled and run by the tests.</summary>
public static class ServingExample
{
    public static void Run()
    {
        // <example>
        // The GPU pool (e.g. from a GpuNodePool's outputs): 2..4 nodes of 8 H100s, each split into 7 × 1g.10gb.
        var perNode = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("nvidia.com/mig-1g.10gb", 56)]);
        var capacity = new PoolCapacity("h100-mig", "onprem", MigStrategy.Mixed, perNode,
            perNode.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value * 2),
            perNode.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value * 4));

        // Every deployment of the pool, declared up front: checked before anything is registered.
        var pool = new ServingPool(capacity,
        [
            ServingPool.Claim("llama-8b", "nvidia.com/mig-1g.10gb", minReplicas: 2, maxReplicas: 160),
            ServingPool.Claim("mistral-7b", "nvidia.com/mig-1g.10gb", minReplicas: 1, maxReplicas: 64),
        ]);

        var monitoring = new PrometheusStack("monitoring", new PrometheusStackArgs
        {
            Environment = "prod",
            CostCenter = "ml-platform",
            Retention = "30d",
            StorageSize = "200Gi",
            StorageClass = "fast-ssd",
            GpuOperatorNamespace = "gpu-operator",
        });
        var keda = new KedaOperator("keda", new KedaOperatorArgs
        {
            Environment = "prod",
            CostCenter = "ml-platform",
            MonitoringRelease = "monitoring",
        });

        foreach (var (name, model, max) in new[] { ("llama-8b", "llama-3.1-8b", 160), ("mistral-7b", "mistral-7b", 64) })
        {
            var triton = new TritonService(name, new TritonServiceArgs
            {
                Namespace = "team-a",
                Tenant = "team-a",
                Model = model,
                Environment = "prod",
                CostCenter = "ml-platform",
                GpuResource = "nvidia.com/mig-1g.10gb",
                Pool = pool,
                NodeSelector = new InputMap<string> { { "neocloud.io/pool", "h100-mig" } },
                Tolerations = new InputList<TolerationArgs>
                {
                    new TolerationArgs { Key = "nvidia.com/gpu", Operator = "Exists", Effect = "NoSchedule" },
                },
                ModelRepository = new ModelRepository(new Uri("http://rook-ceph-rgw-models.storage.svc:80"), "models", model),
                CredentialsSecretName = "model-store-credentials",
                MinReplicas = name == "llama-8b" ? 2 : 1,
                MaxReplicas = max,
                Slo = new LatencySlo(P95Ms: 300, P99Ms: 800),
                Autoscaling = new QueueTimeScaling(ThresholdMs: 50, ActivationThresholdMs: 5, FallbackReplicas: 4),
                PrometheusAddress = KubePrometheusStackChart.PrometheusAddress("monitoring", "monitoring"),
                Keda = keda.Chart,
                MonitoringRelease = "monitoring",
                Monitoring = monitoring,
            });
        }
        // </example>
    }
}
