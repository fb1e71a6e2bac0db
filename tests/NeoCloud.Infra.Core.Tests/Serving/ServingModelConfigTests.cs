using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Serving;

/// <summary>
/// Issue 15: the serving keys a user sets per deployment (runtime, image, gpu: N, the model's size and context) and the
/// one error each bad value gives, at its key, with nothing bound. Each case changes one line of the prod stack.
/// </summary>
public sealed class ServingModelConfigTests
{
    private static readonly string Prod = File.ReadAllText(RepoFiles.StackFile("prod"));

    private static ConfigError OnlyError(string from, string to)
    {
        Assert.Contains(from, Prod, StringComparison.Ordinal);
        var bound = EnvironmentBinder.Bind(StackConfig.FromYaml(Prod.Replace(from, to, StringComparison.Ordinal)));
        Assert.Null(bound.Model);
        return Assert.Single(bound.Errors);
    }

    [Fact]
    public void A_model_that_does_not_fit_its_slice_names_the_key_and_needed_versus_available_GiB()
    {
        // Llama 3.1 8B in BF16 on 2g.20gb: 15 GiB of weights, 5 GiB of KV cache for 4 × 8k tokens, 2.5 GiB overhead;
        // the on-prem slice and the burst slice each fail, each at its own key.
        var bound = EnvironmentBinder.Bind(StackConfig.FromYaml(Prod.Replace("      parametersBillions: 8.03\n      precision: fp8\n", "      parametersBillions: 8.03\n      precision: bf16\n", StringComparison.Ordinal)));

        Assert.Null(bound.Model);
        Assert.Equal(["neocloud:serving[0].mig", "neocloud:serving[0].burst.mig"], bound.Errors.Select(e => e.Path));
        Assert.StartsWith("model meta-llama/Llama-3.1-8B-Instruct does not fit: it needs 22.5 GiB per replica but 1 × 2g.20gb on pool \"h100-mig\" has 18.6 GiB (needs 22.5 GiB (weights 15.0 + KV cache 5.0 + overhead 2.5;", bound.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("on pool \"burst-h100\" has 18.6 GiB", bound.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_burst_part_is_fitted_on_its_own_slice()
    {
        var error = OnlyError("        mig: 2g.20gb\n        maxReplicas: 48", "        mig: 1g.10gb\n        maxReplicas: 48");

        // all-2g.20gb offers no 1g.10gb: the request is refused before any fit.
        Assert.Equal("neocloud:serving[0].burst.mig", error.Path);
        Assert.Contains("does not offer 1g.10gb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_gpus_per_replica_than_a_node_has_is_an_error_at_gpu()
    {
        var error = OnlyError("      gpu: 2\n      replicas: {min: 1, max: 8}", "      gpu: 16\n      replicas: {min: 1, max: 1}");

        Assert.Equal("neocloud:serving[2].gpu", error.Path);
        Assert.Equal("16 is out of range; allowed: 1..8", error.Message);
    }

    [Fact]
    public void A_replica_cannot_span_nodes()
    {
        // The dev stack's time-sliced L4 has one GPU per node: gpu: 2 cannot be placed.
        var dev = File.ReadAllText(RepoFiles.StackFile("dev")).Replace("      gpu: 1\n", "      runtime: vllm\n      gpu: 2\n", StringComparison.Ordinal);

        var error = Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(dev)).Errors);

        Assert.Equal("neocloud:serving[0].gpu", error.Path);
        Assert.Equal("pool \"l4-shared\" time-slices its GPUs (4 replicas each): a tensor-parallel replica needs 2 GPUs of its own; use gpu: 1 or a pool without timeSlicing", error.Message);
    }

    [Fact]
    public void Whole_gpus_per_replica_are_checked_against_the_gpus_of_one_node()
    {
        // The cloud stack's g6e.12xlarge nodes have 4 L40S each.
        var cloud = File.ReadAllText(RepoFiles.StackFile("cloud")).Replace("      gpu: 1\n      replicas: {min: 1, max: 16}", "      gpu: 8\n      replicas: {min: 1, max: 2}", StringComparison.Ordinal);

        var error = Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(cloud)).Errors);

        Assert.Equal("neocloud:serving[0].gpu", error.Path);
        Assert.Equal("8 GPUs per replica, but a node of pool \"l40s-serve\" has 4 whole L40S GPUs; a replica's GPUs must be on one node: use gpu: 4 or fewer, or a pool with larger nodes", error.Message);
    }

    [Fact]
    public void An_image_without_tag_or_digest_is_refused_at_image()
    {
        var error = OnlyError("      runtime: triton-vllm\n      parametersBillions: 8.03", "      runtime: triton-vllm\n      image: docker.io/vllm/vllm-openai\n      parametersBillions: 8.03");

        Assert.Equal("neocloud:serving[0].image", error.Path);
        Assert.Equal("\"docker.io/vllm/vllm-openai\" has no tag or digest; pin it (e.g. docker.io/vllm/vllm-openai:<version> or docker.io/vllm/vllm-openai@sha256:<digest>) so every replica runs the same image", error.Message);
    }

    [Theory]
    [InlineData("docker.io/vllm/vllm-openai:latest", "uses the floating tag latest")]
    [InlineData("Vllm/Upper:1", "is not an image reference")]
    public void Latest_and_malformed_images_are_refused(string image, string reason)
    {
        var error = OnlyError("      runtime: triton-vllm\n      parametersBillions: 8.03", $"      runtime: triton-vllm\n      image: {image}\n      parametersBillions: 8.03");

        Assert.Equal("neocloud:serving[0].image", error.Path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nvcr.io/nvidia/tritonserver:26.10-py3")]
    [InlineData("registry.local:5000/llm/vllm-openai@sha256:c1c9f6fd5c109ba7f0546a59f5b2f15fb87f64c77782e90a27b648b42a8e67c3")]
    [InlineData("vllm/vllm-openai:v0.11.0")]
    public void Pinned_images_are_accepted(string image) => Assert.Null(ServingImages.ImageProblem(image));

    [Fact]
    public void Tensor_parallel_needs_an_llm_runtime()
    {
        var error = OnlyError("      runtime: vllm\n      parametersBillions: 70.6", "      runtime: triton\n      parametersBillions: 70.6");

        Assert.Equal("neocloud:serving[2].gpu", error.Path);
        Assert.Equal("2 GPUs per replica need a tensor-parallel runtime (triton-vllm, triton-trtllm or vllm); runtime triton (the plain -py3 image) has no LLM backend that shards a model over GPUs", error.Message);
    }

    [Fact]
    public void TensorRT_LLM_fp8_on_an_Ampere_pool_is_refused()
    {
        // burst-train is p4d (A100 40GB, Ampere): a training pool, but the GPU decides what TensorRT-LLM can run.
        var yaml = Prod.Replace(
            "    - name: reranker\n",
            "    - name: trt\n      model: example/trt-8b\n      runtime: triton-trtllm\n      parametersBillions: 8\n      precision: fp8\n      maxContextTokens: 4096\n      tenant: chat\n      pool: burst-train\n      gpu: 1\n      replicas: {min: 1, max: 1}\n      slo: {p95Ms: 900, p99Ms: 2000}\n    - name: reranker\n",
            StringComparison.Ordinal);

        var bound = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml));

        var error = Assert.Single(bound.Errors, e => e.Path == "neocloud:serving[3].gpu");
        Assert.Equal("pool \"burst-train\": runtime triton-trtllm cannot run fp8 weights on A100-SXM4-40GB (Ampere): TensorRT-LLM's FP8 kernels need Hopper, Ada or Blackwell; use precision bf16, fp16, int8 or int4, runtime vllm (weight-only FP8), or an FP8-capable pool", error.Message);
    }

    [Fact]
    public void A_vllm_deployment_with_a_burst_part_is_refused_at_runtime()
    {
        var error = OnlyError("      runtime: triton-vllm\n      parametersBillions: 8.03", "      runtime: vllm\n      parametersBillions: 8.03");

        Assert.Equal("neocloud:serving[0].runtime", error.Path);
        Assert.StartsWith("a burst deployment needs a Triton runtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vllm_deployment_scales_on_vllm_requests_running_plus_waiting()
    {
        var report = PlatformCheck.ForConfig(EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(Prod)));

        var big = report.Inventory.Scalers.Single(s => s.Deployment == "llama-70b-chat");
        Assert.Equal(("AverageValue", ScalerMetric.InFlight), (big.MetricType, big.Metric));
        var rendered = ScaledObjectSpec.Render("llama-70b-chat", "chat", "http://prometheus:9090", new QueueTimeScaling(80, 10, 4), 1, 8, ServingRuntime.Vllm);
        var trigger = (IReadOnlyDictionary<string, object>)((ImmutableArray<object>)rendered["triggers"])[0];
        var query = (string)((IReadOnlyDictionary<string, object>)trigger["metadata"])["query"];
        Assert.StartsWith("sum(vllm:num_requests_running{namespace=\"chat\",pod=~\"llama-70b-chat-", query, StringComparison.Ordinal);
        Assert.Contains(") + sum(vllm:num_requests_waiting{namespace=\"chat\"", query, StringComparison.Ordinal);
    }

    [Fact]
    public void A_max_context_of_0_is_refused_at_its_key()
    {
        var error = OnlyError("      maxContextTokens: 512\n", "      maxContextTokens: 0\n");

        Assert.Equal("neocloud:serving[1].maxContextTokens", error.Path);
        Assert.Equal("0 is out of range; allowed: 1..100000000", error.Message);
    }

    [Fact]
    public void A_size_without_context_and_two_sizes_at_once_are_refused()
    {
        var noContext = OnlyError("      maxContextTokens: 512\n      maxConcurrentSequences: 64\n", string.Empty);
        Assert.Equal("neocloud:serving[1].maxContextTokens", noContext.Path);
        Assert.StartsWith("is required with the model's size", noContext.Message, StringComparison.Ordinal);

        var both = OnlyError("      parametersBillions: 0.335\n      precision: fp16\n", "      parametersBillions: 0.335\n      weightsGiB: 0.7\n");
        Assert.Equal("neocloud:serving[1].weightsGiB", both.Path);
    }

    [Fact]
    public void An_unknown_runtime_or_precision_lists_what_is_allowed()
    {
        var runtime = OnlyError("      runtime: triton-vllm\n      parametersBillions: 8.03", "      runtime: sglang\n      parametersBillions: 8.03");
        Assert.Equal("neocloud:serving[0].runtime", runtime.Path);
        Assert.Equal("\"sglang\" is not a serving runtime; allowed: triton, triton-vllm, triton-trtllm, vllm", runtime.Message);

        var precision = OnlyError("      precision: fp8\n      maxContextTokens: 8192\n      maxConcurrentSequences: 4", "      precision: fp4\n      maxContextTokens: 8192\n      maxConcurrentSequences: 4");
        Assert.Equal("neocloud:serving[0].precision", precision.Path);
        Assert.Equal("\"fp4\" is not a precision; allowed: bf16, fp16, fp8, int8, int4", precision.Message);
    }

    [Fact]
    public void The_fit_is_weights_plus_kv_cache_plus_overhead()
    {
        var h100 = HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!;

        // Llama 3.3 70B in FP8, its own KV figure (80 layers × 8 KV heads × 128 × 2 × 2 B = 327,680 B/token), 8k × 16.
        var fit = ModelFit.For("big", "m", new ModelSize(70.6, ModelPrecision.Fp8, null, 8192, 16, 327_680), ModelFit.DeviceMemoryGiB(h100, null), 2, h100.Id);

        Assert.Equal(70.6e9 / (1 << 30), fit.WeightsGiB, 6);
        Assert.Equal(40.0, fit.KvCacheGiB, 6);
        Assert.Equal(2 + (0.1 * fit.WeightsGiB), fit.OverheadGiB, 6);
        Assert.Equal(160, fit.AvailableGiB);
        Assert.True(fit.Fits);

        // BF16 on one H100: 131 GiB of weights alone.
        Assert.False(ModelFit.For("big", "m", new ModelSize(70.6, null, null, 8192), ModelFit.DeviceMemoryGiB(h100, null), 1, h100.Id).Fits);
    }

    [Theory]
    [InlineData(8.03, 32)]
    [InlineData(70.6, 80)]
    [InlineData(405, 126)]
    [InlineData(7.25, 32)]
    public void The_kv_estimate_is_at_least_the_published_grouped_query_models(double billions, int layers)
    {
        // 2 × layers × 8 KV heads × 128 × 2 B: Llama 3.1 8B, Llama 3.3 70B, Llama 3.1 405B, Mistral 7B.
        Assert.True(ModelFit.EstimateKvBytesPerToken(billions) >= 2.0 * layers * 8 * 128 * 2);
    }

    [Fact]
    public void Mig_and_time_sliced_devices_have_their_share_of_memory()
    {
        var h100 = HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!;
        var l4 = HardwareCatalog.Default.FindGpu("L4")!;

        Assert.Equal(20e9 / (1 << 30), ModelFit.DeviceMemoryGiB(h100, "2g.20gb"), 6);
        Assert.Equal(l4.MemoryGiB / 4.0, ModelFit.DeviceMemoryGiB(l4, null, 4), 6);
    }
}
