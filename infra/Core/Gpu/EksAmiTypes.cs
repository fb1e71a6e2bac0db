using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>EKS managed node group AMI types (the EKS API's <c>amiType</c>) for GPU nodes.</summary>
public static class EksAmiTypes
{
    /// <summary>Amazon Linux 2023 accelerated AMI for NVIDIA GPUs on x86_64: NVIDIA driver and container toolkit preinstalled.</summary>
    public const string Al2023X8664Nvidia = "AL2023_x86_64_NVIDIA";

    /// <summary>
    /// Amazon Linux 2023 standard AMI on x86_64, for cpu pools (system add-ons). The EKS API's AMI type list
    /// (docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html, <c>amiType</c>) holds it next to the NVIDIA ones.
    /// </summary>
    public const string Al2023X8664Standard = "AL2023_x86_64_STANDARD";

    /// <summary>Amazon Linux 2023 accelerated AMI for NVIDIA GPUs on arm64 (Graviton + NVIDIA, e.g. g5g); no catalog instance uses it yet.</summary>
    public const string Al2023Arm64Nvidia = "AL2023_ARM_64_NVIDIA";

    /// <summary>
    /// The AMI type for an instance of the catalog. Every catalog GPU instance (p4d/p4de/p5/p5e/p5en/p6, g5/g6/g6e) is
    /// x86_64 with an NVIDIA GPU of generation ampere, ada, hopper or blackwell, all supported by the AL2023 NVIDIA AMI.
    /// AL2 GPU AMIs are not offered: AL2 is end-of-support for EKS 1.33 and later.
    /// </summary>
    /// <param name="gpu">The instance's GPU model.</param>
    public static string For(GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return gpu.Architecture switch
        {
            "ampere" or "ada" or "hopper" or "blackwell" => Al2023X8664Nvidia,
            _ => throw new ArgumentException($"no EKS AMI type is known for GPU architecture \"{gpu.Architecture}\" of {gpu.Id}", nameof(gpu)),
        };
    }
}
