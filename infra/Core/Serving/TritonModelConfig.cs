using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Diagnostics;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>
/// Triton's dynamic batcher for one model (<c>serving[].batching</c>): triton-inference-server/common
/// protobuf/model_config.proto, <c>ModelConfig.max_batch_size</c> (int32) and <c>ModelDynamicBatching</c>
/// (<c>preferred_batch_size</c>, repeated int32; <c>max_queue_delay_microseconds</c>, uint64, "Default is 0").
/// </summary>
/// <param name="MaxBatchSize">Largest batch the batcher forms (<c>max_batch_size</c>), at least 1; null when not given (required).</param>
/// <param name="PreferredBatchSizes">Batch sizes executed at once when they can be formed (<c>preferred_batch_size</c>); empty = Triton's default (max_batch_size).</param>
/// <param name="MaxQueueDelayMicroseconds">Longest a request waits for a batch to fill (<c>max_queue_delay_microseconds</c>; a uint64 in the proto, an int here: up to 35 minutes, far above any SLO it must stay under). Defaults to 0.</param>
public sealed record TritonBatchingSpec(int? MaxBatchSize, ImmutableArray<int> PreferredBatchSizes, int MaxQueueDelayMicroseconds = 0);

/// <summary>
/// Triton's model instances (<c>serving[].instances</c>): one <c>ModelInstanceGroup</c> of model_config.proto
/// (<c>count</c>, int32, "Default is 1"; <c>kind</c>, enum <c>Kind</c>).
/// </summary>
/// <param name="Count">Instances (per GPU for KIND_GPU), at least 1.</param>
/// <param name="Kind">KIND_GPU, KIND_CPU, KIND_AUTO or KIND_MODEL; null = KIND_GPU.</param>
public sealed record TritonInstancesSpec(int Count = 1, string? Kind = null);

/// <summary>
/// The model configuration the plain <c>triton</c> runtime serves its model with, generated from config, and how it
/// reaches Triton when the repository is on S3.
/// <para>
/// How it reaches Triton: the server runs with <c>--model-control-mode=explicit</c> and loads no model at start; a
/// wrapper around <c>tritonserver</c> (<see cref="LoaderScript"/>) waits for <c>/v2/health/live</c> and calls the load
/// API with the <c>config</c> parameter, "a JSON representation of the model configuration … used for loading the
/// model instead of the one in the model directory" (triton-inference-server/server
/// docs/protocol/extension_model_repository.md; core src/model_repository_manager/model_repository_manager.cc parses it
/// with <c>JsonToModelConfig</c> and then runs the same normalisation and auto-complete as for a config file). The
/// model's files stay in the S3 repository. Alternatives checked and not used: <c>--model-config-name</c> only picks
/// <c>configs/&lt;name&gt;.pbtxt</c> inside the model's own directory (the S3 repository, which this library does not
/// write); a second <c>--model-repository</c> with the config cannot supply one model's configuration for files in
/// another repository, because a model lives in exactly one repository and a name found in two is marked
/// UNAVAILABLE (core model_repository_manager.cc <c>RepositoryIndex</c>, <c>MODEL_READY_REASON_DUPLICATE</c>); an init
/// container writing <c>config.pbtxt</c> next to the weights would need the repository copied to local disk by another
/// S3 client first, since Triton localises an S3 model into a fresh <c>mkdtemp</c> directory at load time.
/// </para>
/// <para>
/// Triton does not merge: the generated configuration replaces the repository's <c>config.pbtxt</c> for this model.
/// Inputs and outputs come from the backend's auto-complete (ONNX Runtime, TensorRT, TensorFlow, OpenVINO, and Python
/// models through <c>auto_complete_config</c>), and the backend from the version directory's default file name when the
/// repository's configuration is not read (core src/model_config_utils.cc <c>AutoCompleteBackendFields</c>:
/// model.plan, model.onnx, model.pt, model.py, model.savedmodel/graphdef). A model whose backend cannot auto-complete
/// its inputs (PyTorch/libtorch) keeps its repository configuration: leave <c>batching</c> and <c>instances</c> unset.
/// </para>
/// </summary>
public static class TritonModelConfig
{
    /// <summary>The instance kinds of model_config.proto <c>ModelInstanceGroup.Kind</c>, as the proto spells them.</summary>
    public static readonly ImmutableArray<string> InstanceKinds = ["KIND_GPU", "KIND_CPU", "KIND_AUTO", "KIND_MODEL"];

    /// <summary>The default instance kind: the replica's GPU (or MIG slice).</summary>
    public const string DefaultKind = "KIND_GPU";

    /// <summary>Where the load request (<see cref="LoadRequest"/>) is mounted in the container.</summary>
    public const string MountPath = "/opt/neocloud/model-config";

    /// <summary>The ConfigMap key and file name of the load request.</summary>
    public const string LoadRequestFile = "load-request.json";

    /// <summary>Largest <c>max_batch_size</c> accepted (a sanity bound far above any GPU batch).</summary>
    public const int MaxBatchSizeLimit = 65_536;

    /// <summary>Most model instances per device accepted.</summary>
    public const int MaxInstances = 64;

    /// <summary>
    /// Every problem of the batching and instance settings of a deployment of <paramref name="runtime"/>, with the spec's
    /// property paths (<c>Batching.*</c>, <c>Instances.*</c>). Only the plain <c>triton</c> runtime takes them: vLLM batches
    /// continuously itself (the vLLM backend's sample configuration sets <c>max_batch_size: 0</c>, "let vLLM handle the
    /// batching on its own", and one <c>KIND_MODEL</c> instance: triton-inference-server/vllm_backend
    /// samples/model_repository/vllm_model/config.pbtxt), and TensorRT-LLM's in-flight batching is configured in the
    /// repository's engine and <c>tensorrt_llm</c> model, which this library does not write.
    /// </summary>
    /// <param name="batching">The batching settings, or null.</param>
    /// <param name="instances">The instance settings, or null.</param>
    /// <param name="runtime">The runtime (null when it did not parse: nothing is checked against it).</param>
    /// <param name="sloP95Ms">The p95 latency objective (ms), or null: a request may not wait longer than it for a batch.</param>
    public static ImmutableArray<SpecProblem> Validate(TritonBatchingSpec? batching, TritonInstancesSpec? instances, ServingRuntime? runtime, double? sloP95Ms)
    {
        var p = new SpecProblems();
        if (runtime is { } r && r != ServingRuntime.Triton)
        {
            var why = r == ServingRuntime.TritonTrtLlm
                ? "runtime triton-trtllm batches in flight inside TensorRT-LLM: max batch size and scheduling are set in the repository's engine build and tensorrt_llm model configuration, which this library does not write"
                : $"runtime {ServingImages.NameOf(r)} batches continuously inside vLLM (Triton's dynamic batcher stays off: max_batch_size 0, one KIND_MODEL instance that owns the GPUs); bound its batch with ModelSize.MaxConcurrentSequences (vLLM's max_num_seqs)";
            if (batching is not null)
            {
                p.Add("Batching", $"applies to runtime triton only; {why}");
            }

            if (instances is not null)
            {
                p.Add("Instances", $"applies to runtime triton only; {why}");
            }

            return p.ToImmutable();
        }

        if (batching is not null)
        {
            if (batching.MaxBatchSize is not { } max)
            {
                p.Add("Batching.MaxBatchSize", "is required with Batching (model_config.proto max_batch_size: the largest batch the dynamic batcher forms, at least 1)");
            }
            else
            {
                p.Require(max is >= 1 and <= MaxBatchSizeLimit, "Batching.MaxBatchSize", $"must be between 1 and {N(MaxBatchSizeLimit)}, was {N(max)} (0 turns batching off: remove Batching instead)");
            }

            var preferred = batching.PreferredBatchSizes.IsDefault ? [] : batching.PreferredBatchSizes;
            for (var i = 0; i < preferred.Length; i++)
            {
                var size = preferred[i];
                // Triton refuses a preferred size <= 0 or above max_batch_size (core src/model_config_utils.cc ValidateModelConfig).
                if (size < 1 || (batching.MaxBatchSize is { } m && m >= 1 && size > m))
                {
                    p.Add($"Batching.PreferredBatchSizes[{N(i)}]", $"{N(size)} must be between 1 and Batching.MaxBatchSize ({(batching.MaxBatchSize is { } mm ? N(mm) : "not given")}): Triton refuses a preferred batch size that is not positive or exceeds max_batch_size");
                }
                else if (preferred.Take(i).Contains(size))
                {
                    p.Add($"Batching.PreferredBatchSizes[{N(i)}]", $"{N(size)} is listed twice");
                }
            }

            if (batching.MaxQueueDelayMicroseconds < 0)
            {
                p.Add("Batching.MaxQueueDelayMicroseconds", $"must be 0 or more microseconds, was {batching.MaxQueueDelayMicroseconds.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (sloP95Ms is { } slo && batching.MaxQueueDelayMicroseconds >= slo * 1000)
            {
                p.Add("Batching.MaxQueueDelayMicroseconds", $"{batching.MaxQueueDelayMicroseconds.ToString(CultureInfo.InvariantCulture)} µs is not below the p95 latency objective Slo.P95Ms ({slo.ToString(CultureInfo.InvariantCulture)} ms = {(slo * 1000).ToString(CultureInfo.InvariantCulture)} µs): a request waiting that long for a batch misses the SLO before it runs");
            }
        }

        if (instances is not null)
        {
            p.Require(instances.Count is >= 1 and <= MaxInstances, "Instances.Count", $"must be between 1 and {N(MaxInstances)} instances, was {N(instances.Count)}");
            p.Require(instances.Kind is null || InstanceKinds.Contains(instances.Kind), "Instances.Kind", $"\"{instances.Kind}\" is not an instance kind; allowed (model_config.proto ModelInstanceGroup.Kind): {string.Join(", ", InstanceKinds)}");
        }

        return p.ToImmutable();
    }

    /// <summary>
    /// The model configuration as the JSON representation of <c>inference.ModelConfig</c> (proto field names; 64-bit
    /// integers as strings, as the proto3 JSON mapping writes them): <c>name</c>, and when given <c>max_batch_size</c>,
    /// <c>dynamic_batching { preferred_batch_size, max_queue_delay_microseconds }</c> and one <c>instance_group</c>.
    /// </summary>
    /// <param name="modelName">The model's name (its directory in the repository).</param>
    /// <param name="batching">The batching settings, or null (the backend's auto-complete decides).</param>
    /// <param name="instances">The instance settings, or null (Triton's default: one instance per GPU).</param>
    public static JsonObject ModelConfigJson(string modelName, TritonBatchingSpec? batching, TritonInstancesSpec? instances)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        var config = new JsonObject { ["name"] = modelName };
        if (batching is not null)
        {
            config["max_batch_size"] = batching.MaxBatchSize ?? throw new ArgumentException("batching needs MaxBatchSize (validate first)", nameof(batching));
            var dynamic = new JsonObject();
            if (!batching.PreferredBatchSizes.IsDefaultOrEmpty)
            {
                dynamic["preferred_batch_size"] = new JsonArray([.. batching.PreferredBatchSizes.Select(s => (JsonNode)s)]);
            }

            dynamic["max_queue_delay_microseconds"] = batching.MaxQueueDelayMicroseconds.ToString(CultureInfo.InvariantCulture);
            config["dynamic_batching"] = dynamic;
        }

        if (instances is not null)
        {
            config["instance_group"] = new JsonArray(new JsonObject { ["count"] = instances.Count, ["kind"] = instances.Kind ?? DefaultKind });
        }

        return config;
    }

    /// <summary>The body of the load API call: <c>{"parameters": {"config": "&lt;model configuration JSON&gt;"}}</c> (the config is a string parameter).</summary>
    /// <param name="modelName">The model's name.</param>
    /// <param name="batching">The batching settings, or null.</param>
    /// <param name="instances">The instance settings, or null.</param>
    public static string LoadRequest(string modelName, TritonBatchingSpec? batching, TritonInstancesSpec? instances) =>
        new JsonObject
        {
            ["parameters"] = new JsonObject { ["config"] = ModelConfigJson(modelName, batching, instances).ToJsonString() },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>
    /// The POSIX shell wrapper the container runs (<c>/bin/sh -c &lt;script&gt; neocloud-triton tritonserver …</c>): it starts
    /// the server (its arguments are the script's), waits until <c>/v2/health/live</c> answers, then POSTs
    /// <paramref name="requestPath"/> to <c>/v2/repository/models/&lt;model&gt;/load</c> with curl (installed in Triton's
    /// images: server build.py, <c>dockerfile_prepare_container_linux</c>). A failed load stops the server, so the
    /// container restarts and the error is in its log; SIGTERM is passed on to the server and the script exits with the
    /// server's status. The load runs on every container start, so a restarted server gets the configuration again.
    /// </summary>
    /// <param name="modelName">The model to load.</param>
    /// <param name="port">Triton's HTTP port.</param>
    /// <param name="requestPath">The mounted load request.</param>
    public static string LoaderScript(string modelName, int port, string requestPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(requestPath);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        return string.Join("\n",
            "set -u",
            "\"$@\" &",
            "server=$!",
            "trap 'kill -TERM \"$server\" 2>/dev/null' TERM INT",
            $"until curl -fsS -o /dev/null {url}/v2/health/live 2>/dev/null; do",
            "  kill -0 \"$server\" 2>/dev/null || break",
            "  sleep 2",
            "done",
            "if kill -0 \"$server\" 2>/dev/null; then",
            $"  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @{requestPath} {url}/v2/repository/models/{modelName}/load &",
            "  loader=$!",
            "  if ! wait \"$loader\"; then",
            $"    echo \"neocloud: loading model {modelName} with the generated configuration ({requestPath}) failed; stopping the server\" >&2",
            "    kill -TERM \"$server\" 2>/dev/null",
            "  fi",
            "fi",
            "while :; do",
            "  wait \"$server\"",
            "  status=$?",
            "  kill -0 \"$server\" 2>/dev/null || break",
            "done",
            "exit \"$status\"",
            string.Empty);
    }

    /// <summary>The container arguments that run <paramref name="serverArgs"/> (starting with <c>tritonserver</c>) under <see cref="LoaderScript"/>.</summary>
    /// <param name="modelName">The model to load.</param>
    /// <param name="serverArgs">The server's command line.</param>
    public static ImmutableArray<string> LoaderArgs(string modelName, IEnumerable<string> serverArgs) =>
        ["/bin/sh", "-c", LoaderScript(modelName, TritonServer.Http.Number, $"{MountPath}/{LoadRequestFile}"), "neocloud-triton", .. serverArgs];

    /// <summary>
    /// The startup probe when the model is loaded by the wrapper: <c>/v2/models/&lt;model&gt;/ready</c> (KServe v2 model
    /// readiness), so the container is not started — and takes no traffic — until the model is ready with the generated
    /// configuration; in explicit mode with nothing loaded yet the server's own <c>/v2/health/ready</c> is already true.
    /// </summary>
    /// <param name="modelName">The model.</param>
    /// <param name="budgetSeconds">Seconds the load may take.</param>
    public static HttpProbe Startup(string modelName, int budgetSeconds) =>
        TritonServer.Startup(budgetSeconds) with { Path = $"/v2/models/{modelName}/ready" };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
