namespace NeoCloud.Infra.Core.Serving;

/// <summary>The pinned Triton Inference Server image (NGC). Code, docs and tests reference these constants.</summary>
public static class TritonImage
{
    /// <summary>Registry.</summary>
    public const string Registry = "nvcr.io";

    /// <summary>Image repository.</summary>
    public const string Image = "nvidia/tritonserver";

    /// <summary>
    /// Pinned tag: release 26.10 (<c>&lt;YY.MM&gt;-py3</c>), the newest monthly release with stored release notes
    /// (https://docs.nvidia.com/deeplearning/triton-inference-server/release-notes/rel-26-10.html: "based on CUDA
    /// 13.4.3.001"; the image needs a driver of the CUDA 13 family, ≥ 580: see the compatibility matrix). The LLM
    /// images of a month are <c>&lt;YY.MM&gt;-vllm-python-py3</c> and <c>&lt;YY.MM&gt;-trtllm-python-py3</c>; the newest
    /// month whose tags the stored triton-inference-server/server docs/introduction/compatibility.md lists is 26.07
    /// (<see cref="VllmTag"/>, <see cref="TrtLlmTag"/>).
    /// </summary>
    public const string Tag = "26.10-py3";

    /// <summary>The vLLM image of the newest month with a verified tag (compatibility.md: 26.07, CUDA 13.3.0, packaged driver 610.43.02).</summary>
    public const string VllmTag = "26.07-vllm-python-py3";

    /// <summary>The TensorRT-LLM image of the newest month with a verified tag (compatibility.md: 26.07, TensorRT-LLM 1.2.1, CUDA 13.1.0, packaged driver 590.44.01).</summary>
    public const string TrtLlmTag = "26.07-trtllm-python-py3";

    /// <summary>The full reference, <c>nvcr.io/nvidia/tritonserver:26.10-py3</c>.</summary>
    public const string Reference = Registry + "/" + Image + ":" + Tag;
}
