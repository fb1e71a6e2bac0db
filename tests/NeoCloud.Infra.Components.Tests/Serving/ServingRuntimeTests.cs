using System.Collections.Immutable;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Serving;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Serving;
using Pulumi;
using static NeoCloud.Infra.Components.Tests.Serving.ServingTestData;

namespace NeoCloud.Infra.Components.Tests.Serving;

/// <summary>
/// Issue 15: the Deployment each runtime registers under the mock engine — image, command and arguments, probes,
/// the memory-backed /dev/shm, the model cache, the resources per replica (tensor-parallel GPUs) — and the bad
/// inputs that register nothing.
/// </summary>
public sealed class ServingRuntimeTests
{
    /// <summary>A whole-GPU pool: 8 × H100 per node, 2 nodes.</summary>
    private static NodePlacement GpuPlacement() => new(
        "h100",
        new Dictionary<string, string> { ["neocloud.io/pool"] = "h100" },
        [new PlacementToleration("nvidia.com/gpu", "Exists", null, "NoSchedule")],
        "mixed", "h100-80gb", 1, 1, 2,
        new Dictionary<string, int> { ["nvidia.com/gpu"] = 8 },
        new Dictionary<string, int> { ["nvidia.com/gpu"] = 16 },
        30_000, 240_000);

    private static TritonServiceArgs Llm(string runtime, int gpus = 2, int max = 4)
    {
        var args = Args(max: max, min: 1, gpu: "nvidia.com/gpu", placement: GpuPlacement());
        args.Runtime = runtime;
        args.GpuCount = gpus;
        args.ModelSize = new ModelSizeArgs { ParametersBillions = 70.6, Precision = "fp8", MaxContextTokens = 8192, MaxConcurrentSequences = 16 };
        return args;
    }

    private static async Task<(ImmutableDictionary<string, object> Pod, ImmutableDictionary<string, object> Container, RecordingMocks Mocks)> Deploy(TritonServiceArgs args)
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", args));
        var pod = Map(At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs["spec"], "template", "spec"));
        return (pod, Map(Assert.Single(List(pod["containers"]))), mocks);
    }

    private static void AssertShmAndCache(ImmutableDictionary<string, object> pod, ImmutableDictionary<string, object> container, string shm, string cache)
    {
        var volumes = List(pod["volumes"]).Select(Map).ToDictionary(v => (string)v["name"]);
        Assert.Equal("Memory", At(volumes["dshm"], "emptyDir", "medium"));
        Assert.Equal(shm, At(volumes["dshm"], "emptyDir", "sizeLimit"));
        Assert.Equal(cache, At(volumes["model-cache"], "emptyDir", "sizeLimit"));
        var mounts = List(container["volumeMounts"]).Select(Map).ToDictionary(m => (string)m["name"], m => (string)m["mountPath"]);
        Assert.Equal("/dev/shm", mounts["dshm"]);
        Assert.Equal("/models-cache", mounts["model-cache"]);
        Assert.Equal(cache, At(container, "resources", "requests", "ephemeral-storage"));
    }

    [Fact]
    public async Task Vllm_runs_the_openai_server_with_tensor_parallelism_over_its_gpus()
    {
        var (pod, container, mocks) = await Deploy(Llm("vllm"));

        Assert.Equal("docker.io/vllm/vllm-openai:v0.11.0", container["image"]);
        Assert.Equal(["python3", "-m", "vllm.entrypoints.openai.api_server"], List(container["command"]).Cast<string>());
        var args = List(container["args"]).Cast<string>().ToList();
        Assert.Equal(
            ["--model=s3://models/llama-3-8b", "--load-format=runai_streamer", "--served-model-name=llama", "--port=8000", "--tensor-parallel-size=2",
             "--max-model-len=8192", "--max-num-seqs=16", "--gpu-memory-utilization=0.9", "--download-dir=/models-cache"],
            args);
        Assert.Equal([8000.0], List(container["ports"]).Select(p => Map(p)["containerPort"]));
        Assert.Equal("/health", At(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health", At(container, "livenessProbe", "httpGet", "path"));
        // 66 GiB of weights: 300 s + 10 s per GiB = 958 s, above the 900 s floor → 96 probes 10 s apart.
        Assert.Equal(96.0, At(container, "startupProbe", "failureThreshold"));
        Assert.Equal("2", At(container, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("16", At(container, "resources", "requests", "cpu"));
        Assert.Equal("82Gi", At(container, "resources", "requests", "memory"));
        AssertShmAndCache(pod, container, "3Gi", "5Gi");
        var env = List(container["env"]).Select(Map).ToDictionary(e => (string)e["name"]);
        Assert.Equal("http://rgw.storage.svc", env["AWS_ENDPOINT_URL"]["value"]);
        Assert.Equal("0", env["RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING"]["value"]);
        var query = (string)At(List(At(mocks.Single("kubernetes:keda.sh/v1alpha1:ScaledObject").Inputs, "spec", "triggers")!)[0], "metadata", "query")!;
        Assert.StartsWith("sum(vllm:num_requests_running{", query, StringComparison.Ordinal);
        var monitor = Map(Assert.Single(List(At(mocks.Single("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").Inputs, "spec", "endpoints"))));
        Assert.Equal(("http", "/metrics"), ((string)monitor["port"], (string)monitor["path"]));
    }

    [Fact]
    public async Task Triton_vllm_serves_a_generated_vllm_backend_repository()
    {
        var (pod, container, mocks) = await Deploy(Llm("triton-vllm"));

        Assert.Equal("nvcr.io/nvidia/tritonserver:26.07-vllm-python-py3", container["image"]);
        var args = List(container["args"]).Cast<string>().ToList();
        Assert.Contains("--model-repository=/opt/neocloud/models", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--model-repository=s3://", StringComparison.Ordinal));
        Assert.Equal("/v2/health/ready", At(container, "readinessProbe", "httpGet", "path"));
        AssertShmAndCache(pod, container, "3Gi", "5Gi");
        var config = mocks.Single("kubernetes:core/v1:ConfigMap");
        Assert.Equal("llama-model-config", config.Name);
        var data = Map(config.Inputs["data"]);
        Assert.Contains("backend: \"vllm\"", (string)data["config.pbtxt"], StringComparison.Ordinal);
        Assert.Contains("kind: KIND_MODEL", (string)data["config.pbtxt"], StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse((string)data["model.json"]).RootElement;
        Assert.Equal("s3://models/llama-3-8b", json.GetProperty("model").GetString());
        Assert.Equal(2, json.GetProperty("tensor_parallel_size").GetInt32());
        Assert.Equal(8192, json.GetProperty("max_model_len").GetInt32());
        var volume = List(pod["volumes"]).Select(Map).Single(v => (string)v["name"] == "model-config");
        Assert.Equal(["llama/config.pbtxt", "llama/1/model.json"], List(At(volume, "configMap", "items")).Select(i => (string)Map(i)["path"]));
    }

    [Fact]
    public async Task Triton_trtllm_uses_the_tensorrt_llm_image_and_the_s3_repository_on_one_gpu()
    {
        var (pod, container, _) = await Deploy(Llm("triton-trtllm", gpus: 1, max: 16));

        Assert.Equal("nvcr.io/nvidia/tritonserver:26.07-trtllm-python-py3", container["image"]);
        Assert.Contains("--model-repository=s3://rgw.storage.svc:80/models/llama-3-8b", List(container["args"]).Cast<string>());
        Assert.Equal("1", At(container, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("8", At(container, "resources", "requests", "cpu"));
        // Triton copies the repository to local disk: 66 GiB of engines + 25 %.
        AssertShmAndCache(pod, container, "1Gi", "83Gi");
    }

    [Fact]
    public async Task Plain_triton_keeps_its_image_ports_probes_and_four_cpus()
    {
        var (pod, container, _) = await Deploy(Args());

        Assert.Equal(TritonImage.Reference, container["image"]);
        Assert.False(container.ContainsKey("command"));
        Assert.Equal([8000.0, 8001.0, 8002.0], List(container["ports"]).Select(p => Map(p)["containerPort"]));
        Assert.Equal(("4", "16Gi"), ((string)At(container, "resources", "requests", "cpu")!, (string)At(container, "resources", "requests", "memory")!));
        AssertShmAndCache(pod, container, "1Gi", "50Gi");
    }

    [Fact]
    public async Task Plain_triton_with_batching_loads_its_model_through_the_load_api_with_the_generated_configuration()
    {
        var args = Args();
        args.Batching = new TritonBatchingArgs { MaxBatchSize = 32, PreferredBatchSizes = [16, 32], MaxQueueDelayMicroseconds = 2000 };
        args.Instances = new TritonInstancesArgs { Count = 2, Kind = "KIND_GPU" };

        var (pod, container, mocks) = await Deploy(args);

        Assert.Equal(TritonImage.Reference, container["image"]);
        Assert.False(container.ContainsKey("command")); // the image's entrypoint runs the wrapper
        var run = List(container["args"]).Cast<string>().ToList();
        Assert.Equal(["/bin/sh", "-c"], run.Take(2));
        Assert.Equal(TritonModelConfig.LoaderScript("llama", 8000, "/opt/neocloud/model-config/load-request.json"), run[2]);
        Assert.Equal(["neocloud-triton", "tritonserver", "--model-repository=s3://rgw.storage.svc:80/models/llama-3-8b", "--model-control-mode=explicit"], run.Skip(3).Take(4));
        Assert.DoesNotContain(run, a => a.StartsWith("--load-model", StringComparison.Ordinal));
        Assert.Equal("/v2/models/llama/ready", At(container, "startupProbe", "httpGet", "path"));
        Assert.Equal("/v2/health/ready", At(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/v2/health/live", At(container, "livenessProbe", "httpGet", "path"));

        var config = mocks.Single("kubernetes:core/v1:ConfigMap");
        Assert.Equal("llama-model-config", config.Name);
        var body = System.Text.Json.Nodes.JsonNode.Parse((string)Map(config.Inputs["data"])["load-request.json"])!;
        var model = System.Text.Json.Nodes.JsonNode.Parse(body["parameters"]!["config"]!.GetValue<string>())!;
        Assert.Equal(32, model["max_batch_size"]!.GetValue<int>());
        Assert.Equal([16, 32], model["dynamic_batching"]!["preferred_batch_size"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal("2000", model["dynamic_batching"]!["max_queue_delay_microseconds"]!.GetValue<string>());
        Assert.Equal("KIND_GPU", model["instance_group"]![0]!["kind"]!.GetValue<string>());
        var volume = List(pod["volumes"]).Select(Map).Single(v => (string)v["name"] == "model-config");
        Assert.Equal("llama-model-config", At(volume, "configMap", "name"));
        Assert.Equal(["load-request.json"], List(At(volume, "configMap", "items")).Select(i => (string)Map(i)["path"]));
        var mount = List(container["volumeMounts"]).Select(Map).Single(m => (string)m["name"] == "model-config");
        Assert.Equal("/opt/neocloud/model-config", mount["mountPath"]);
        Assert.Equal(true, mount["readOnly"]);
    }

    [Theory]
    [InlineData("vllm")]
    [InlineData("triton-vllm")]
    [InlineData("triton-trtllm")]
    public void Batching_on_a_runtime_that_batches_itself_registers_nothing(string runtime)
    {
        var args = Llm(runtime, gpus: 1);
        args.Batching = new TritonBatchingArgs { MaxBatchSize = 8 };

        var problem = Assert.Single(Assert.Throws<ComponentArgsException>(() => new TritonService("llama", args)).Problems);

        Assert.Equal("Batching", problem.PropertyPath);
        Assert.StartsWith("applies to runtime triton only", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vllm_deployment_gets_vllm_alerts_and_a_triton_runtime_keeps_the_triton_alerts()
    {
        foreach (var (runtime, first) in new[] { ("vllm", "VllmLatencyP95OverSlo"), ("triton-vllm", "TritonLatencyP95OverSlo") })
        {
            var args = Llm(runtime, gpus: 1);
            args.MonitoringRelease = "monitoring";
            var (_, _, mocks) = await Deploy(args);

            var group = Map(Assert.Single(List(At(mocks.Single("kubernetes:monitoring.coreos.com/v1:PrometheusRule").Inputs, "spec", "groups"))));
            var alerts = List(group["rules"]).Select(r => (string)Map(r)["alert"]).ToList();
            Assert.Equal(first, alerts[0]);
            var exprs = string.Join("\n", List(group["rules"]).Select(r => (string)Map(r)["expr"]));
            Assert.Equal(runtime == "vllm", exprs.Contains("vllm:e2e_request_latency_seconds_bucket", StringComparison.Ordinal));
            Assert.Equal(runtime != "vllm", exprs.Contains("nv_inference_request_summary_us", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Tensor_parallel_on_a_mig_slice_and_on_plain_triton_register_nothing()
    {
        var mig = Args();
        mig.Runtime = "vllm";
        mig.GpuCount = 2;
        var onMig = Assert.Throws<ComponentArgsException>(() => new TritonService("llama", mig));
        Assert.Equal("GpuCount", Assert.Single(onMig.Problems).PropertyPath);
        Assert.Contains("a process sees only one MIG instance", onMig.Problems[0].Reason, StringComparison.Ordinal);

        var plain = Llm("triton");
        Assert.Equal("GpuCount", Assert.Single(Assert.Throws<ComponentArgsException>(() => new TritonService("llama", plain)).Problems).PropertyPath);
    }

    [Theory]
    [InlineData("vllm/vllm-openai", "has no tag or digest")]
    [InlineData("vllm/vllm-openai:latest", "floating tag latest")]
    public void An_unpinned_image_registers_nothing(string image, string reason)
    {
        var args = Llm("vllm");
        args.Image = image;

        var problem = Assert.Single(Assert.Throws<ComponentArgsException>(() => new TritonService("llama", args)).Problems);

        Assert.Equal("Image", problem.PropertyPath);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_of_0_and_an_unknown_precision_are_reported_by_property()
    {
        var args = Llm("vllm");
        args.ModelSize = new ModelSizeArgs { ParametersBillions = 8, Precision = "fp4", MaxContextTokens = 0 };

        var problems = Assert.Throws<ComponentArgsException>(() => new TritonService("llama", args)).Problems;

        Assert.Equal(["ModelSize.Precision", "ModelSize.MaxContextTokens"], problems.Select(p => p.PropertyPath));
        Assert.Contains("at least 1", problems[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Priority_classes_put_serving_above_training_above_batch()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var classes = new ServingPriorityClasses("dc1-priorities", new ServingPriorityClassesArgs { Environment = "prod", CostCenter = "ml" });
            var args = Args();
            args.PriorityClassName = classes.ServingClassName;
            _ = new TritonService("llama", args);
        });

        var values = mocks.Resources.Where(r => r.Type == "kubernetes:scheduling.k8s.io/v1:PriorityClass")
            .ToDictionary(r => (string)At(r.Inputs, "metadata", "name")!, r => (double)r.Inputs["value"]);
        Assert.Equal(new Dictionary<string, double> { ["neocloud-serving"] = 100_000, ["neocloud-training"] = 10_000, ["neocloud-batch"] = 1_000 }, values);
        Assert.All(mocks.Resources.Where(r => r.Type == "kubernetes:scheduling.k8s.io/v1:PriorityClass"), r => Assert.Equal(false, r.Inputs["globalDefault"]));
        var pod = At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs["spec"], "template", "spec");
        Assert.Equal("neocloud-serving", At(pod!, "priorityClassName"));
    }
}
