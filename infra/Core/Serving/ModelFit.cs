using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>The numeric format of a model's weights.</summary>
public enum ModelPrecision
{
    /// <summary><c>bf16</c>: 2 bytes per parameter.</summary>
    Bf16,

    /// <summary><c>fp16</c>: 2 bytes per parameter.</summary>
    Fp16,

    /// <summary><c>fp8</c>: 1 byte per parameter (Hopper, Ada and newer run FP8 math).</summary>
    Fp8,

    /// <summary><c>int8</c>: 1 byte per parameter.</summary>
    Int8,

    /// <summary><c>int4</c>: half a byte per parameter (AWQ/GPTQ-style weight-only quantisation).</summary>
    Int4,
}

/// <summary>
/// How big a model is and how much context it serves: what <see cref="ModelFit"/> sizes the GPU memory of one replica
/// from. Either <see cref="ParametersBillions"/> with <see cref="Precision"/>, or <see cref="WeightsGiB"/> (the size of
/// the checkpoint as loaded), plus <see cref="MaxContextTokens"/>.
/// </summary>
/// <param name="ParametersBillions">Parameters in billions (e.g. 70.6 for Llama 3.3 70B), or null when <paramref name="WeightsGiB"/> is given.</param>
/// <param name="Precision">Weight precision; null = <see cref="ModelPrecision.Bf16"/>.</param>
/// <param name="WeightsGiB">Weights as loaded (GiB), or null to compute them from parameters × bytes per parameter.</param>
/// <param name="MaxContextTokens">The longest sequence (prompt + output tokens) a replica serves (vLLM <c>--max-model-len</c>).</param>
/// <param name="MaxConcurrentSequences">Sequences of <paramref name="MaxContextTokens"/> the KV cache must hold at once; null = 1 (the least a server needs to start).</param>
/// <param name="KvCacheBytesPerToken">KV-cache bytes per token for this model (2 × layers × KV heads × head dim × bytes per element), or null for <see cref="ModelFit.EstimateKvBytesPerToken"/>.</param>
public sealed record ModelSize(
    double? ParametersBillions,
    ModelPrecision? Precision,
    double? WeightsGiB,
    int? MaxContextTokens,
    int? MaxConcurrentSequences = null,
    double? KvCacheBytesPerToken = null);

/// <summary>
/// Whether a model fits the GPU memory of one replica: weights + KV cache + runtime overhead against the GPU or
/// MIG-profile memory × GPUs per replica. One rule for the environment binder (a deployment that does not fit is an
/// error), the platform check (a finding) and the plan (the fit per deployment).
/// </summary>
/// <param name="Deployment">Deployment name.</param>
/// <param name="Model">Model id.</param>
/// <param name="WeightsGiB">Weights (GiB).</param>
/// <param name="KvCacheGiB">KV cache for <see cref="ModelSize.MaxContextTokens"/> × <see cref="ModelSize.MaxConcurrentSequences"/> (GiB).</param>
/// <param name="OverheadGiB">Runtime overhead (GiB): <see cref="OverheadPerGpuGiB"/> per GPU + <see cref="ActivationShare"/> of the weights.</param>
/// <param name="AvailableGiB">GPU memory of one replica: device (GPU or MIG profile) memory × <paramref name="Gpus"/>.</param>
/// <param name="Gpus">Devices per replica (the tensor-parallel size).</param>
/// <param name="Device">What one device is (e.g. <c>3g.40gb</c>, <c>H100-SXM5-80GB</c>).</param>
/// <param name="Basis">How the figures were obtained, for messages.</param>
public sealed partial record ModelFit(
    string Deployment,
    string Model,
    double WeightsGiB,
    double KvCacheGiB,
    double OverheadGiB,
    double AvailableGiB,
    int Gpus,
    string Device,
    string Basis)
{
    /// <summary>
    /// Fixed overhead per GPU (GiB): the CUDA context, cuBLAS/NCCL workspaces and CUDA graphs a serving engine keeps
    /// next to weights and KV cache. An assumption (about 0.5–1 GiB is what a CUDA 12/13 context with NCCL takes).
    /// </summary>
    public const double OverheadPerGpuGiB = 1.0;

    /// <summary>Activation memory at the engine's batch size, as a share of the weights (assumption: 10 %).</summary>
    public const double ActivationShare = 0.10;

    /// <summary>KV heads × head dim the estimate assumes: 8 × 128 (grouped-query attention as in Llama 3, Mistral, Qwen 2).</summary>
    public const int EstimateKvWidth = 8 * 128;

    /// <summary>Bytes per KV element the estimate assumes: 2 (a 16-bit KV cache, vLLM's <c>--kv-cache-dtype auto</c> for BF16/FP16 activations).</summary>
    public const int EstimateKvElementBytes = 2;

    /// <summary>Memory one replica needs (GiB).</summary>
    public double NeededGiB => WeightsGiB + KvCacheGiB + OverheadGiB;

    /// <summary>True when the model fits.</summary>
    public bool Fits => NeededGiB <= AvailableGiB;

    /// <summary>The fit in one line, e.g. <c>needs 84.1 GiB (weights 65.8 + KV cache 10.0 + overhead 8.6) of 160.0 GiB (2 × H100-SXM5-80GB)</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"needs {NeededGiB:0.0} GiB (weights {WeightsGiB:0.0} + KV cache {KvCacheGiB:0.0} + overhead {OverheadGiB:0.0}; {Basis}) of {AvailableGiB:0.0} GiB ({Gpus} × {Device})");

    /// <summary>Bytes per parameter of <paramref name="precision"/>.</summary>
    public static double BytesPerParameter(ModelPrecision precision) => precision switch
    {
        ModelPrecision.Bf16 or ModelPrecision.Fp16 => 2,
        ModelPrecision.Fp8 or ModelPrecision.Int8 => 1,
        ModelPrecision.Int4 => 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <summary>The config spellings of the precisions.</summary>
    public static readonly ImmutableArray<string> PrecisionNames = ["bf16", "fp16", "fp8", "int8", "int4"];

    /// <summary>The precision for its config spelling, or null.</summary>
    public static ModelPrecision? ParsePrecision(string? value) => value switch
    {
        "bf16" => ModelPrecision.Bf16,
        "fp16" => ModelPrecision.Fp16,
        "fp8" => ModelPrecision.Fp8,
        "int8" => ModelPrecision.Int8,
        "int4" => ModelPrecision.Int4,
        _ => null,
    };

    /// <summary>The config spelling of <paramref name="precision"/>.</summary>
    public static string NameOf(ModelPrecision precision) => PrecisionNames[(int)precision];

    /// <summary>
    /// The conservative KV-cache estimate when a model states no figure: 2 (K and V) × layers × KV heads × head dim ×
    /// bytes per element, with KV heads × head dim = <see cref="EstimateKvWidth"/>, 2 bytes per element and layers =
    /// 20 × (parameters in billions)^⅓. That layer count is at or above the published dense models of that shape
    /// (Llama 3.1 8B: 32 layers, estimate 40; Llama 3.3 70B: 80, estimate 83; Llama 3.1 405B: 126, estimate 148;
    /// Mistral 7B: 32, estimate 38 — their config.json <c>num_hidden_layers</c>, <c>num_key_value_heads</c> 8,
    /// <c>head_dim</c> 128). A model with full multi-head attention (as many KV heads as query heads) needs more:
    /// state its <c>kvCacheBytesPerToken</c>.
    /// </summary>
    /// <param name="parametersBillions">Parameters in billions.</param>
    public static double EstimateKvBytesPerToken(double parametersBillions) =>
        2 * EstimateLayers(parametersBillions) * EstimateKvWidth * EstimateKvElementBytes;

    /// <summary>The layer count <see cref="EstimateKvBytesPerToken"/> assumes: 20 × (parameters in billions)^⅓.</summary>
    public static double EstimateLayers(double parametersBillions) => 20 * Math.Cbrt(Math.Max(parametersBillions, 0));

    /// <summary>Every problem of <paramref name="size"/>, with property paths under <c>Size.</c>.</summary>
    public static ImmutableArray<SpecProblem> Validate(ModelSize size)
    {
        ArgumentNullException.ThrowIfNull(size);
        var p = new SpecProblems();
        if (size.ParametersBillions is null && size.WeightsGiB is null)
        {
            p.Add("ModelSize.ParametersBillions", "is required: give parametersBillions (with precision) or weightsGiB, so the model's memory can be checked against its GPU");
        }

        if (size.ParametersBillions is not null && size.WeightsGiB is not null)
        {
            p.Add("ModelSize.WeightsGiB", "conflicts with parametersBillions: give one of them (weightsGiB is the checkpoint as loaded; parametersBillions × precision computes it)");
        }

        p.Require(size.Precision is null || Enum.IsDefined(size.Precision.Value), "ModelSize.Precision", $"must be one of {string.Join(", ", PrecisionNames)}");
        p.Require(size.ParametersBillions is null or (> 0 and <= 100_000), "ModelSize.ParametersBillions", $"must be a number of billions greater than 0 (e.g. 70.6), was {D(size.ParametersBillions)}");
        p.Require(size.WeightsGiB is null or (> 0 and <= 1_000_000), "ModelSize.WeightsGiB", $"must be a size in GiB greater than 0, was {D(size.WeightsGiB)}");
        p.Require(size.MaxContextTokens is not null, "ModelSize.MaxContextTokens", "is required with the model's size: the KV cache is sized for the longest sequence (prompt + output tokens) a replica serves");
        p.Require(size.MaxContextTokens is null or (> 0 and <= 100_000_000), "ModelSize.MaxContextTokens", $"must be a number of tokens of at least 1 (e.g. 8192), was {N(size.MaxContextTokens)}");
        p.Require(size.MaxConcurrentSequences is null or (> 0 and <= 1_000_000), "ModelSize.MaxConcurrentSequences", $"must be at least 1, was {N(size.MaxConcurrentSequences)}");
        p.Require(size.KvCacheBytesPerToken is null or (> 0 and <= 1e9), "ModelSize.KvCacheBytesPerToken", $"must be a number of bytes greater than 0 (2 × layers × KV heads × head dim × bytes per element), was {D(size.KvCacheBytesPerToken)}");
        return p.ToImmutable();
    }

    /// <summary>Memory of one device a replica requests (GiB): the MIG profile's (the <c>&lt;n&gt;gb</c> of its name, in 10⁹ bytes) or the whole GPU's, divided by the time-slicing replicas that share it.</summary>
    /// <param name="gpu">The GPU model.</param>
    /// <param name="migProfile">The MIG profile, or null for a whole GPU.</param>
    /// <param name="timeSlicingReplicas">Time-slicing replicas per device (1 = not shared): they share its memory.</param>
    public static double DeviceMemoryGiB(GpuModel gpu, string? migProfile, int timeSlicingReplicas = 1)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var share = Math.Max(timeSlicingReplicas, 1);
        if (migProfile is not null && ProfileMemory().Match(migProfile) is { Success: true } m)
        {
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1e9 / Gib / share;
        }

        return (double)gpu.MemoryGiB / share;
    }

    /// <summary>Computes the fit of a model of <paramref name="size"/> (valid per <see cref="Validate"/>) on <paramref name="gpus"/> devices of <paramref name="deviceMemoryGiB"/> each.</summary>
    /// <param name="deployment">Deployment name.</param>
    /// <param name="model">Model id.</param>
    /// <param name="size">The model's size and context.</param>
    /// <param name="deviceMemoryGiB">Memory of one device (<see cref="DeviceMemoryGiB"/>).</param>
    /// <param name="gpus">Devices per replica.</param>
    /// <param name="device">What one device is, for messages.</param>
    public static ModelFit For(string deployment, string model, ModelSize size, double deviceMemoryGiB, int gpus, string device)
    {
        ArgumentNullException.ThrowIfNull(size);
        var precision = size.Precision ?? ModelPrecision.Bf16;
        var basis = new List<string>();
        double weights;
        if (size.WeightsGiB is { } w)
        {
            weights = w;
            basis.Add("weights as stated");
        }
        else
        {
            weights = (size.ParametersBillions ?? 0) * 1e9 * BytesPerParameter(precision) / Gib;
            basis.Add(string.Create(CultureInfo.InvariantCulture, $"{size.ParametersBillions:0.###}B parameters × {BytesPerParameter(precision):0.#} bytes ({NameOf(precision).ToUpperInvariant()})"));
        }

        double kvPerToken;
        if (size.KvCacheBytesPerToken is { } kv)
        {
            kvPerToken = kv;
            basis.Add(string.Create(CultureInfo.InvariantCulture, $"KV {kv:0} B/token as stated"));
        }
        else if (size.ParametersBillions is { } billions)
        {
            kvPerToken = EstimateKvBytesPerToken(billions);
            basis.Add(string.Create(CultureInfo.InvariantCulture, $"KV {kvPerToken / 1024:0} KiB/token estimated (2 × {EstimateLayers(billions):0} layers × {EstimateKvWidth} × {EstimateKvElementBytes} B)"));
        }
        else
        {
            // Weights only: the parameter count follows from 2 bytes per parameter, the most a 16-bit checkpoint has.
            var billionsFromWeights = weights * Gib / 1e9 / 2;
            kvPerToken = EstimateKvBytesPerToken(billionsFromWeights);
            basis.Add(string.Create(CultureInfo.InvariantCulture, $"KV {kvPerToken / 1024:0} KiB/token estimated from {billionsFromWeights:0.#}B parameters at 2 bytes"));
        }

        var tokens = (double)(size.MaxContextTokens ?? 0) * (size.MaxConcurrentSequences ?? 1);
        basis.Add(string.Create(CultureInfo.InvariantCulture, $"{size.MaxContextTokens} tokens × {size.MaxConcurrentSequences ?? 1} sequences"));
        var kvGiB = kvPerToken * tokens / Gib;
        var overhead = (OverheadPerGpuGiB * Math.Max(gpus, 1)) + (ActivationShare * weights);
        return new ModelFit(deployment, model, weights, kvGiB, overhead, deviceMemoryGiB * Math.Max(gpus, 1), Math.Max(gpus, 1), device, string.Join("; ", basis));
    }

    private const double Gib = 1L << 30;

    private static string D(double? value) => value is null ? "missing" : value.Value.ToString(CultureInfo.InvariantCulture);

    private static string N(int? value) => value is null ? "missing" : value.Value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\.([0-9]+)gb")]
    private static partial Regex ProfileMemory();
}
