using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>A file of a generated Triton model repository (mounted from a ConfigMap).</summary>
/// <param name="Key">ConfigMap key (no '/').</param>
/// <param name="Path">Path under the generated repository (<c>&lt;model&gt;/config.pbtxt</c>, <c>&lt;model&gt;/1/model.json</c>).</param>
/// <param name="Content">File content.</param>
public sealed record ModelConfigFile(string Key, string Path, string Content);

/// <summary>
/// The container of one serving replica, decided per runtime: image, command and arguments, ports, probes (the
/// startup budget from the model's size), the memory-backed <c>/dev/shm</c> size, the model-cache volume and the
/// CPU/memory/ephemeral-storage requests, and the generated Triton model configuration where the runtime takes one.
/// </summary>
/// <param name="Runtime">The runtime.</param>
/// <param name="Image">Image reference (the override, or the runtime's pin in <see cref="ServingImages"/>).</param>
/// <param name="Command">Container command, or empty for the image's entrypoint.</param>
/// <param name="Ports">Container ports (the Service exposes the same).</param>
/// <param name="Readiness">Readiness probe.</param>
/// <param name="Liveness">Liveness probe.</param>
/// <param name="Startup">Startup probe (its failure threshold covers <see cref="StartupBudgetSeconds"/>).</param>
/// <param name="StartupBudgetSeconds">Seconds a replica may take to load its model.</param>
/// <param name="MetricsPort">Name of the port Prometheus scrapes.</param>
/// <param name="MetricsPath">Path Prometheus scrapes.</param>
/// <param name="ShmSize">Size limit of the memory-backed <c>/dev/shm</c> emptyDir (counted in the pod's memory).</param>
/// <param name="CacheSize">Size of the model-cache emptyDir at <see cref="CacheMountPath"/> (ephemeral-storage request).</param>
/// <param name="Cpu">CPU request and limit.</param>
/// <param name="Memory">Memory request and limit.</param>
/// <param name="Gpus">GPU units per replica (tensor-parallel size).</param>
/// <param name="ModelConfig">Generated model repository files (empty when the runtime reads its configuration from the model repository).</param>
public sealed record ServingContainerPlan(
    ServingRuntime Runtime,
    string Image,
    ImmutableArray<string> Command,
    ImmutableArray<NamedPort> Ports,
    HttpProbe Readiness,
    HttpProbe Liveness,
    HttpProbe Startup,
    int StartupBudgetSeconds,
    string MetricsPort,
    string MetricsPath,
    string ShmSize,
    string CacheSize,
    string Cpu,
    string Memory,
    int Gpus,
    ImmutableArray<ModelConfigFile> ModelConfig)
{
    /// <summary>
    /// Where the model cache is mounted: the container's <c>TMPDIR</c> and, for the Triton runtimes,
    /// <c>TRITON_AWS_MOUNT_DIRECTORY</c>, where Triton copies an S3 repository (see <see cref="ServingContainer.CacheEnvironment"/>).
    /// </summary>
    public const string CacheMountPath = "/models-cache";

    /// <summary>Where a generated model repository is mounted.</summary>
    public const string GeneratedRepositoryPath = "/opt/neocloud/models";

    /// <summary>Where <see cref="ModelConfig"/> is mounted: the generated repository (triton-vllm) or the load request's directory (triton with batching or instances).</summary>
    public string ModelConfigMountPath { get; init; } = GeneratedRepositoryPath;

    /// <summary>True when the plain Triton server loads its model with a generated configuration through the load API (<see cref="TritonModelConfig"/>).</summary>
    public bool LoadsGeneratedConfig => Runtime == ServingRuntime.Triton && !ModelConfig.IsDefaultOrEmpty;
}

/// <summary>The per-runtime rules of <see cref="ServingContainerPlan"/>.</summary>
public static class ServingContainer
{
    /// <summary>vLLM's OpenAI server port (its <c>--port</c> default is 8000).</summary>
    public static readonly NamedPort VllmHttp = new("http", 8000, "http");

    /// <summary>
    /// The container ports of <paramref name="runtime"/> (the Service exposes the same): vLLM's one HTTP port (API and
    /// metrics), Triton's HTTP, gRPC and metrics ports. The one place the platform check and the gateway read them from.
    /// </summary>
    public static ImmutableArray<NamedPort> PortsOf(ServingRuntime runtime) => runtime == ServingRuntime.Vllm ? [VllmHttp] : TritonServer.Ports;

    /// <summary>
    /// The runtime's default CPU request/limit: Triton's plain image 4 (the former default); the LLM runtimes 8 per
    /// whole GPU (tokenisation, detokenisation and the scheduler's Python threads run on the CPU), and for a MIG slice
    /// 8 × its compute slices ÷ 7, at least 4 — so a p5.48xlarge's 192 vCPUs cover its slices (24 × 2g.20gb × 4 = 96).
    /// </summary>
    /// <param name="runtime">The runtime.</param>
    /// <param name="gpus">Whole GPUs per replica (ignored for a MIG slice).</param>
    /// <param name="migComputeSlices">Compute slices of the replica's MIG profile (<c>2</c> for 2g.20gb), or null for whole GPUs.</param>
    public static string DefaultCpu(ServingRuntime runtime, int gpus, int? migComputeSlices = null) =>
        runtime == ServingRuntime.Triton ? TritonReplicaResources.Cpu
        : migComputeSlices is { } g ? Math.Max(4, (int)Math.Ceiling(8.0 * g / 7)).ToString(CultureInfo.InvariantCulture)
        : (8 * Math.Max(gpus, 1)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The runtime's default memory request/limit (GiB) for a model: Triton's plain image 16; the LLM runtimes 16 + the weights (the loaders stage safetensors in host memory).</summary>
    public static string DefaultMemory(ServingRuntime runtime, double? weightsGiB) =>
        runtime == ServingRuntime.Triton || weightsGiB is null
            ? TritonReplicaResources.Memory
            : string.Create(CultureInfo.InvariantCulture, $"{16 + (int)Math.Ceiling(weightsGiB.Value)}Gi");

    /// <summary>
    /// The <c>/dev/shm</c> size: Triton's python-based backends pass tensors through shared memory (64 MB container
    /// default is too small: triton-inference-server/server#4869), vLLM's PyTorch workers share memory between the
    /// tensor-parallel ranks (vllm docs/deployment/docker.md: <c>--ipc=host</c> or <c>--shm-size</c>): 1 GiB, plus
    /// 2 GiB per extra GPU of a tensor-parallel replica.
    /// </summary>
    public static string ShmSize(ServingRuntime runtime, int gpus) =>
        runtime == ServingRuntime.Triton ? "1Gi" : string.Create(CultureInfo.InvariantCulture, $"{1 + (2 * (Math.Max(gpus, 1) - 1))}Gi");

    /// <summary>
    /// Model-cache size (an emptyDir with this <c>sizeLimit</c> and the same ephemeral-storage request). vLLM and the
    /// Triton vLLM backend stream the weights from S3 into GPU memory (Run:ai streamer), so they keep only tokenizer and
    /// compile caches there: 5 GiB. Triton's own backends copy the repository to local disk first: weights + 25 %, at
    /// least 10 GiB (50 GiB when the size is not stated).
    /// </summary>
    public static string CacheSize(ServingRuntime runtime, double? weightsGiB) =>
        runtime is ServingRuntime.Vllm or ServingRuntime.TritonVllm ? "5Gi"
        : string.Create(CultureInfo.InvariantCulture, $"{(weightsGiB is { } w ? Math.Max(10, (int)Math.Ceiling(w * 1.25)) : 50)}Gi");

    /// <summary>
    /// The startup budget for a model of <paramref name="weightsGiB"/>: <paramref name="floorSeconds"/> (the
    /// configured model-load timeout) or 5 minutes plus 10 s per GiB of weights (a conservative 100 MiB/s from the
    /// object store), whichever is longer.
    /// </summary>
    public static int StartupBudgetSeconds(double? weightsGiB, int floorSeconds) =>
        Math.Max(floorSeconds, weightsGiB is { } w ? 300 + (int)Math.Ceiling(10 * w) : 0);

    /// <summary>
    /// Requests one replica of <paramref name="runtime"/> runs at the same time. vLLM (runtime <c>vllm</c>, and the
    /// vLLM engine behind Triton's vLLM backend) batches continuously: up to <c>--max-num-seqs</c> sequences are in the
    /// running batch at once and a request waits only when they are all taken (vllm/v1/core/sched/scheduler.py admits
    /// from the waiting queue while the running batch is below <c>max_num_seqs</c>); this library passes
    /// <c>maxConcurrentSequences</c> as <c>--max-num-seqs</c> / <c>max_num_seqs</c>, so that is the count. When it is
    /// not stated vLLM's own default applies, which this library does not assume: 1 (the conservative count, scaling
    /// out earliest). Triton's own backends and TensorRT-LLM (whose engine batch size lives in the repository) count 1.
    /// </summary>
    /// <param name="runtime">The runtime.</param>
    /// <param name="size">The model's size and context, or null.</param>
    public static int ConcurrentSequences(ServingRuntime runtime, ModelSize? size) =>
        runtime is ServingRuntime.Vllm or ServingRuntime.TritonVllm && size?.MaxConcurrentSequences is { } n and >= 1 ? n : 1;

    /// <summary>
    /// The environment that puts the runtime's local copies on the model cache (<see cref="ServingContainerPlan.CacheMountPath"/>)
    /// instead of the container's root filesystem. Triton does not read <c>TMPDIR</c> for an S3 repository: it copies
    /// every model directory it loads into <c>mkdtemp(&lt;dir&gt;/folderXXXXXX)</c> where &lt;dir&gt; is
    /// <c>TRITON_AWS_MOUNT_DIRECTORY</c> or, unset, the hard-coded <c>/tmp</c> (triton-inference-server/core
    /// src/filesystem/implementations/s3.h <c>LocalizePath</c> and common.h <c>kDefaultMountDirectory = "/tmp"</c>, local.h
    /// <c>MakeTemporaryDirectory</c>, @ 73aad7c; server docs/user_guide/model_repository.md "Cloud Storage with Environment
    /// variables"), so the Triton runtimes get <c>TRITON_AWS_MOUNT_DIRECTORY</c>. <c>TMPDIR</c> stays for everything else
    /// that writes temporary files (Python's tempfile, vLLM and the vLLM backend).
    /// </summary>
    /// <param name="runtime">The runtime.</param>
    public static ImmutableSortedDictionary<string, string> CacheEnvironment(ServingRuntime runtime)
    {
        var env = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        env["TMPDIR"] = ServingContainerPlan.CacheMountPath;
        if (runtime != ServingRuntime.Vllm)
        {
            env["TRITON_AWS_MOUNT_DIRECTORY"] = ServingContainerPlan.CacheMountPath;
        }

        return env.ToImmutable();
    }

    /// <summary>Decides the container of one replica.</summary>
    /// <param name="runtime">The runtime.</param>
    /// <param name="image">Image override, or null for the pin.</param>
    /// <param name="gpus">GPU units per replica.</param>
    /// <param name="modelName">Name of the model (the deployment's name: the Triton model and vLLM's served model name).</param>
    /// <param name="repository">The model repository.</param>
    /// <param name="size">The model's size and context, or null.</param>
    /// <param name="cpu">CPU override, or null for <see cref="DefaultCpu"/>.</param>
    /// <param name="memory">Memory override, or null for <see cref="DefaultMemory"/>.</param>
    /// <param name="modelLoadTimeoutSeconds">The configured model-load timeout (floor of the startup budget).</param>
    /// <param name="gpuMemoryShare">Share of the device memory the engine may take (1 / time-slicing replicas), for vLLM's <c>--gpu-memory-utilization</c>.</param>
    /// <param name="migComputeSlices">Compute slices of the replica's MIG profile, or null for whole GPUs.</param>
    /// <param name="batching">Triton's dynamic batching (runtime triton only), or null.</param>
    /// <param name="instances">Triton's model instances (runtime triton only), or null.</param>
    public static ServingContainerPlan Plan(ServingRuntime runtime, string? image, int gpus, string modelName, ModelRepository repository, ModelSize? size, string? cpu, string? memory, int modelLoadTimeoutSeconds, double gpuMemoryShare = 1, int? migComputeSlices = null, TritonBatchingSpec? batching = null, TritonInstancesSpec? instances = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        double? weights = size is null ? null : ModelFit.For(modelName, modelName, size, 1, gpus, "device").WeightsGiB;
        var budget = StartupBudgetSeconds(weights, modelLoadTimeoutSeconds);
        var startupThreshold = Math.Max(1, (int)Math.Ceiling(budget / 10.0));
        var img = image ?? ServingImages.DefaultImage(runtime);
        var common = (Cpu: cpu ?? DefaultCpu(runtime, gpus, migComputeSlices), Memory: memory ?? DefaultMemory(runtime, weights), Shm: ShmSize(runtime, gpus), Cache: CacheSize(runtime, weights));
        if (runtime == ServingRuntime.Vllm)
        {
            // vLLM: /health answers 200 once the engine is up (vllm/entrypoints/openai/api_server.py), /metrics on the same port.
            var ready = new HttpProbe("/health", VllmHttp.Name, 0, 10, 5, 3);
            return new ServingContainerPlan(runtime, img, ["python3", "-m", "vllm.entrypoints.openai.api_server"], PortsOf(runtime),
                ready, ready with { PeriodSeconds = 15, FailureThreshold = 4 }, ready with { FailureThreshold = startupThreshold }, budget,
                VllmHttp.Name, "/metrics", common.Shm, common.Cache, common.Cpu, common.Memory, gpus, []);
        }

        if (runtime == ServingRuntime.Triton && (batching is not null || instances is not null))
        {
            // triton with batching/instances: the model is loaded through the load API with the generated configuration
            // (TritonModelConfig); the container is started once that model is ready.
            return new ServingContainerPlan(runtime, img, [], PortsOf(runtime),
                TritonServer.Readiness, TritonServer.Liveness, TritonModelConfig.Startup(modelName, budget), budget,
                TritonServer.Metrics.Name, "/metrics", common.Shm, common.Cache, common.Cpu, common.Memory, gpus,
                [new ModelConfigFile(TritonModelConfig.LoadRequestFile, TritonModelConfig.LoadRequestFile, TritonModelConfig.LoadRequest(modelName, batching, instances))])
            { ModelConfigMountPath = TritonModelConfig.MountPath };
        }

        // triton-vllm: a generated repository (config.pbtxt + model.json) whose engine streams the weights from S3;
        // triton and triton-trtllm read their model configuration from the S3 repository itself.
        var files = runtime == ServingRuntime.TritonVllm
            ? VllmBackendRepository(modelName, repository, gpus, size, gpuMemoryShare)
            : [];
        return new ServingContainerPlan(runtime, img, [], PortsOf(runtime),
            TritonServer.Readiness, TritonServer.Liveness, TritonServer.Startup(budget), budget,
            TritonServer.Metrics.Name, "/metrics", common.Shm, common.Cache, common.Cpu, common.Memory, gpus, files);
    }

    /// <summary>
    /// vLLM's arguments (vllm/engine/arg_utils.py EngineArgs): the model streamed from the S3 repository with the Run:ai
    /// model streamer (<c>--load-format runai_streamer</c>, vllm docs/models/extensions/runai_model_streamer.md), the
    /// served model name, port, <c>--tensor-parallel-size</c>, <c>--max-model-len</c>, <c>--max-num-seqs</c>,
    /// <c>--gpu-memory-utilization</c> (0.9 × the replica's share of a time-sliced device) and the download directory
    /// on the model cache.
    /// </summary>
    /// <param name="modelName">Served model name.</param>
    /// <param name="repository">The model repository (the weights are at its prefix).</param>
    /// <param name="gpus">Tensor-parallel size.</param>
    /// <param name="size">The model's size and context, or null (vLLM's defaults then apply).</param>
    /// <param name="gpuMemoryShare">Share of the device memory.</param>
    public static ImmutableArray<string> VllmArgs(string modelName, ModelRepository repository, int gpus, ModelSize? size, double gpuMemoryShare = 1)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var b = ImmutableArray.CreateBuilder<string>();
        b.Add($"--model={WeightsUri(repository)}");
        b.Add("--load-format=runai_streamer");
        b.Add($"--served-model-name={modelName}");
        b.Add(string.Create(CultureInfo.InvariantCulture, $"--port={VllmHttp.Number}"));
        b.Add(string.Create(CultureInfo.InvariantCulture, $"--tensor-parallel-size={Math.Max(gpus, 1)}"));
        if (size?.MaxContextTokens is { } context)
        {
            b.Add(string.Create(CultureInfo.InvariantCulture, $"--max-model-len={context}"));
        }

        if (size?.MaxConcurrentSequences is { } sequences)
        {
            b.Add(string.Create(CultureInfo.InvariantCulture, $"--max-num-seqs={sequences}"));
        }

        b.Add(string.Create(CultureInfo.InvariantCulture, $"--gpu-memory-utilization={Math.Round(0.9 * Math.Clamp(gpuMemoryShare, 0.01, 1), 3)}"));
        b.Add($"--download-dir={ServingContainerPlan.CacheMountPath}");
        return b.ToImmutable();
    }

    /// <summary>
    /// Environment for the Run:ai streamer on an S3-compatible endpoint (same document): path-style addressing, no EC2
    /// metadata lookup, the endpoint URL. Empty for AWS S3.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> StreamerEnvironment(ModelRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.Endpoint is { } e
            ? ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["AWS_EC2_METADATA_DISABLED"] = "true",
                ["AWS_ENDPOINT_URL"] = e.GetLeftPart(UriPartial.Authority),
                ["RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING"] = "0",
            })
            : ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
    }

    /// <summary>The model's weights in the repository: <c>s3://bucket/prefix</c> (vLLM reads the safetensors there).</summary>
    public static string WeightsUri(ModelRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return string.IsNullOrEmpty(repository.Prefix) ? $"s3://{repository.Bucket}" : $"s3://{repository.Bucket}/{repository.Prefix}";
    }

    /// <summary>
    /// The Triton vLLM backend's model repository for one model (triton-inference-server/vllm_backend
    /// samples/model_repository/vllm_model): <c>config.pbtxt</c> with <c>backend: "vllm"</c>, <c>max_batch_size: 0</c>
    /// (vLLM batches itself), the decoupled transaction policy and one <c>KIND_MODEL</c> instance (vLLM places the
    /// GPUs), and <c>1/model.json</c>, the engine arguments (as <see cref="VllmArgs"/>).
    /// </summary>
    public static ImmutableArray<ModelConfigFile> VllmBackendRepository(string modelName, ModelRepository repository, int gpus, ModelSize? size, double gpuMemoryShare = 1)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var config = new StringBuilder()
            .Append("name: \"").Append(modelName).Append("\"\n")
            .Append("backend: \"vllm\"\n")
            .Append("max_batch_size: 0\n")
            .Append("model_transaction_policy {\n  decoupled: true\n}\n")
            .Append("instance_group [\n  {\n    count: 1\n    kind: KIND_MODEL\n  }\n]\n")
            .ToString();
        var json = new JsonObject
        {
            ["model"] = WeightsUri(repository),
            ["load_format"] = "runai_streamer",
            ["tensor_parallel_size"] = Math.Max(gpus, 1),
            ["gpu_memory_utilization"] = Math.Round(0.9 * Math.Clamp(gpuMemoryShare, 0.01, 1), 3),
            ["download_dir"] = ServingContainerPlan.CacheMountPath,
            ["disable_log_requests"] = true,
        };
        if (size?.MaxContextTokens is { } context)
        {
            json["max_model_len"] = context;
        }

        if (size?.MaxConcurrentSequences is { } sequences)
        {
            json["max_num_seqs"] = sequences;
        }

        return
        [
            new ModelConfigFile("config.pbtxt", $"{modelName}/config.pbtxt", config),
            new ModelConfigFile("model.json", $"{modelName}/1/model.json", json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"),
        ];
    }
}
