using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>The server a deployment runs (<c>runtime</c>).</summary>
public enum ServingRuntime
{
    /// <summary><c>triton</c>: Triton's plain <c>-py3</c> image (ONNX, TensorRT, PyTorch, python backends; no LLM backend).</summary>
    Triton,

    /// <summary><c>triton-vllm</c>: Triton with the vLLM backend (<c>-vllm-python-py3</c>).</summary>
    TritonVllm,

    /// <summary><c>triton-trtllm</c>: Triton with the TensorRT-LLM backend (<c>-trtllm-python-py3</c>).</summary>
    TritonTrtLlm,

    /// <summary><c>vllm</c>: vLLM's OpenAI-compatible server (<c>vllm/vllm-openai</c>).</summary>
    Vllm,
}

/// <summary>
/// The pinned image of each runtime (one place; code, docs and tests reference these) and the image-reference rule of
/// the <c>image</c> override.
/// </summary>
public static partial class ServingImages
{
    /// <summary>The config spellings, in <see cref="ServingRuntime"/> order.</summary>
    public static readonly ImmutableArray<string> RuntimeNames = ["triton", "triton-vllm", "triton-trtllm", "vllm"];

    /// <summary>
    /// vLLM's OpenAI-compatible server image. Tag <c>v0.11.0</c>: vllm-project/vllm docs/deployment/docker.md (commit
    /// 275de34170654274616082721348b7edd9741d32) builds on <c>FROM vllm/vllm-openai:v0.11.0</c>; the image publishes
    /// <c>/health</c> (vllm/entrypoints/openai/api_server.py, later vllm/entrypoints/serve/instrumentator/health.py)
    /// and <c>/metrics</c> with <c>vllm:num_requests_running</c> / <c>vllm:num_requests_waiting</c>
    /// (vllm/v1/metrics/loggers.py, commit 005a810bc40faa25b8870fbc8559c3462581eee3).
    /// </summary>
    public const string VllmOpenAi = "docker.io/vllm/vllm-openai:v0.11.0";

    /// <summary>Triton with the vLLM backend: <see cref="TritonImage.VllmTag"/> (verified in triton-inference-server/server docs/introduction/compatibility.md).</summary>
    public const string TritonVllm = TritonImage.Registry + "/" + TritonImage.Image + ":" + TritonImage.VllmTag;

    /// <summary>Triton with the TensorRT-LLM backend: <see cref="TritonImage.TrtLlmTag"/> (same source).</summary>
    public const string TritonTrtLlm = TritonImage.Registry + "/" + TritonImage.Image + ":" + TritonImage.TrtLlmTag;

    /// <summary>The config spelling of <paramref name="runtime"/>.</summary>
    public static string NameOf(ServingRuntime runtime) => RuntimeNames[(int)runtime];

    /// <summary>The runtime for its config spelling (null = <see cref="ServingRuntime.Triton"/>), or null when unknown.</summary>
    public static ServingRuntime? Parse(string? value) => value switch
    {
        null or "triton" => ServingRuntime.Triton,
        "triton-vllm" => ServingRuntime.TritonVllm,
        "triton-trtllm" => ServingRuntime.TritonTrtLlm,
        "vllm" => ServingRuntime.Vllm,
        _ => null,
    };

    /// <summary>The pinned image of <paramref name="runtime"/>.</summary>
    public static string DefaultImage(ServingRuntime runtime) => runtime switch
    {
        ServingRuntime.Triton => TritonImage.Reference,
        ServingRuntime.TritonVllm => TritonVllm,
        ServingRuntime.TritonTrtLlm => TritonTrtLlm,
        ServingRuntime.Vllm => VllmOpenAi,
        _ => throw new ArgumentOutOfRangeException(nameof(runtime), runtime, "unknown runtime"),
    };

    /// <summary>True for the runtimes that serve LLMs and shard a model over several GPUs (tensor parallelism).</summary>
    public static bool SupportsTensorParallel(ServingRuntime runtime) => runtime != ServingRuntime.Triton;

    /// <summary>
    /// Why <paramref name="runtime"/> cannot serve weights of <paramref name="precision"/> on <paramref name="gpu"/>, or
    /// null when it can. TensorRT-LLM runs FP8 on Hopper (SM90), Ada (SM89) and Blackwell only; on Ampere it supports
    /// FP32, FP16, BF16, INT8 and INT4 (NVIDIA/TensorRT-LLM docs/source/reference/support-matrix.md, "Precision").
    /// vLLM runs an FP8 checkpoint on Ampere through its weight-only FP8 (Marlin) path, so it is not refused here.
    /// </summary>
    /// <param name="runtime">The runtime.</param>
    /// <param name="precision">The weights' precision (null = BF16).</param>
    /// <param name="gpu">The GPU model of the pool.</param>
    public static string? ResourceProblem(ServingRuntime runtime, ModelPrecision? precision, Hardware.GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        if (runtime == ServingRuntime.TritonTrtLlm && precision == ModelPrecision.Fp8 && gpu.Architecture == "ampere")
        {
            return $"runtime triton-trtllm cannot run fp8 weights on {gpu.Id} (Ampere): TensorRT-LLM's FP8 kernels need Hopper, Ada or Blackwell; use precision bf16, fp16, int8 or int4, runtime vllm (weight-only FP8), or an FP8-capable pool";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="image"/> cannot be used as a pinned image reference, or null when it can: it needs a tag
    /// (<c>repo:tag</c>, not <c>latest</c>) or a digest (<c>repo@sha256:&lt;64 hex&gt;</c>), so every replica runs the
    /// same bits (the distribution reference grammar, distribution/reference reference.go).
    /// </summary>
    public static string? ImageProblem(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return "must be an image reference with a tag or digest (e.g. nvcr.io/nvidia/tritonserver:26.10-py3)";
        }

        var m = Reference().Match(image);
        if (!m.Success)
        {
            return $"\"{image}\" is not an image reference (registry/repository:tag or registry/repository@sha256:<64 hex digits>)";
        }

        if (!m.Groups["tag"].Success && !m.Groups["digest"].Success)
        {
            return $"\"{image}\" has no tag or digest; pin it (e.g. {image}:<version> or {image}@sha256:<digest>) so every replica runs the same image";
        }

        if (m.Groups["tag"].Value == "latest" && !m.Groups["digest"].Success)
        {
            return $"\"{image}\" uses the floating tag latest; pin a version tag or a digest";
        }

        return null;
    }

    // repository path (lowercase components, optional registry host[:port]), optional :tag, optional @sha256:digest.
    [GeneratedRegex(@"^(?<repo>(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex Reference();
}
