namespace NeoCloud.Infra.Core.Serving;

/// <summary>The pinned Triton Inference Server image (NGC). Code, docs and tests reference these constants.</summary>
public static class TritonImage
{
    /// <summary>Registry.</summary>
    public const string Registry = "nvcr.io";

    /// <summary>Image repository.</summary>
    public const string Image = "nvidia/tritonserver";

    /// <summary>Pinned tag: release 25.06, Python backend image (<c>&lt;YY.MM&gt;-py3</c>).</summary>
    public const string Tag = "25.06-py3";

    /// <summary>The full reference, <c>nvcr.io/nvidia/tritonserver:25.06-py3</c>.</summary>
    public const string Reference = Registry + "/" + Image + ":" + Tag;
}
