using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Monitoring;
using NeoCloud.Infra.Components.Serving;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Serving.Examples;

/// <summary>The README's "Using it from another Pulumi program" snippet, compiled and run by the tests.</summary>
public static class ServingExample
{
    public static void Run()
    {
        // <example>
        // The GPU pool's placement: a GpuNodePool's `Placement` output, or built by hand for a pool managed elsewhere:
        // 2..4 nodes of 8 H100s, each split into 7 × 1g.10gb (56 slices per node).
        Input<NodePlacement> placement = new NodePlacement(
            poolName: "h100-mig",
            nodeSelector: new() { ["neocloud.io/pool"] = "h100-mig" },
            tolerations: [new PlacementToleration("nvidia.com/gpu", "Exists", null, "NoSchedule")],
            migStrategy: "mixed", gpuModel: "h100-80gb", gpusPerNode: 8, minNodes: 2, maxNodes: 4,
            allocatableAtMin: new() { ["nvidia.com/mig-1g.10gb"] = 112 },
            allocatableAtMax: new() { ["nvidia.com/mig-1g.10gb"] = 224 },
            nodeCpuMillicores: 190_000, nodeMemoryMebibytes: 1_900_000);

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

        // Each deployment's maximum must fit the pool at its maximum size (checked once the placement is known);
        // that all deployments of a pool fit together is the environment's check (binder and plan tool).
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
                Placement = placement,
                ModelRepository = new ModelRepositoryArgs { Endpoint = "http://rook-ceph-rgw-models.storage.svc:80", Bucket = "models", Prefix = model },
                CredentialsSecretName = "model-store-credentials",
                MinReplicas = name == "llama-8b" ? 2 : 1,
                MaxReplicas = max,
                Slo = new LatencySloArgs { P95Ms = 300, P99Ms = 800 },
                Autoscaling = new QueueTimeScalingArgs { ThresholdMs = 50, ActivationThresholdMs = 5, FallbackReplicas = 4 },
                PrometheusAddress = monitoring.Address,
                MonitoringRelease = "monitoring",
                // Triton's dynamic batcher: the model <name> is loaded with this configuration through the load API.
                Batching = new TritonBatchingArgs { MaxBatchSize = 8, PreferredBatchSizes = [4, 8], MaxQueueDelayMicroseconds = 5000 },
            }, new ComponentResourceOptions { DependsOn = { keda, monitoring } }); // their CRDs first
        }

        // An LLM on whole GPUs: vLLM's OpenAI server, tensor parallel over 2 H100s, FP8 weights streamed from the bucket;
        // its pods run at the serving priority (above training and batch).
        var priorities = new ServingPriorityClasses("priorities", new ServingPriorityClassesArgs { Environment = "prod", CostCenter = "ml-platform" });
        Input<NodePlacement> wholeGpus = new NodePlacement(
            poolName: "h100", nodeSelector: new() { ["neocloud.io/pool"] = "h100" },
            tolerations: [new PlacementToleration("nvidia.com/gpu", "Exists", null, "NoSchedule")],
            migStrategy: "mixed", gpuModel: "h100-80gb", gpusPerNode: 8, minNodes: 1, maxNodes: 2,
            allocatableAtMin: new() { ["nvidia.com/gpu"] = 8 }, allocatableAtMax: new() { ["nvidia.com/gpu"] = 16 },
            nodeCpuMillicores: 190_000, nodeMemoryMebibytes: 1_900_000);
        _ = new TritonService("llama-70b", new TritonServiceArgs
        {
            Namespace = "team-a",
            Tenant = "team-a",
            Model = "llama-3.3-70b",
            Environment = "prod",
            CostCenter = "ml-platform",
            Runtime = "vllm", // or triton-vllm, triton-trtllm; Image = "<repository>:<tag>" or "@sha256:…" overrides the pin
            GpuResource = "nvidia.com/gpu",
            GpuCount = 2,
            ModelSize = new ModelSizeArgs { ParametersBillions = 70.6, Precision = "fp8", MaxContextTokens = 8192, MaxConcurrentSequences = 16 },
            Placement = wholeGpus,
            ModelRepository = new ModelRepositoryArgs { Endpoint = "http://rook-ceph-rgw-models.storage.svc:80", Bucket = "models", Prefix = "llama-3.3-70b-fp8" },
            CredentialsSecretName = "model-store-credentials",
            MinReplicas = 1,
            MaxReplicas = 8, // 8 replicas × 2 GPUs = the pool's 16 at its maximum size
            Slo = new LatencySloArgs { P95Ms = 900, P99Ms = 2000 },
            PrometheusAddress = monitoring.Address,
            MonitoringRelease = "monitoring",
            PriorityClassName = priorities.ServingClassName,
        }, new ComponentResourceOptions { DependsOn = { keda, monitoring } });
        // </example>
    }
}
