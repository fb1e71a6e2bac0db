using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Serving;

/// <summary>
/// Issue 15, plain triton: the model configuration generated from <c>batching</c>/<c>instances</c>, the plan that makes
/// Triton use it (explicit mode, the load API wrapper, the model-readiness startup probe), the per-key errors, and the
/// wrapper script itself, run with /bin/sh against a loopback HTTP server that answers like Triton's endpoints.
/// </summary>
public sealed class TritonModelConfigTests
{
    private static readonly TritonBatchingSpec Batching = new(32, [16, 32], 2000);
    private static readonly TritonInstancesSpec Instances = new(2, "KIND_GPU");

    private static TritonServiceSpec Spec(string? runtime = null, TritonBatchingSpec? batching = null, TritonInstancesSpec? instances = null, string? controlMode = null, ImmutableArray<string> models = default, ModelSize? size = null) => new(
        "embeddings", new OwnershipSpec("prod", "ml-platform"), "search", "BAAI_bge-large-en-v1.5", "search", "nvidia.com/mig-1g.10gb",
        PlacementSet: true, new ModelRepositorySpec("http://rgw.storage.svc:80", "models", "models/embeddings"), ModelBucketSet: false, CredentialsSecretNameSet: true,
        controlMode, models.IsDefault ? [] : models, 2, 24, new LatencySlo(50, 120), new QueueTimeScaling(50, 5, 2), EnableAutoscaling: false, PrometheusAddressSet: false,
        MonitoringRelease: null, Cpu: null, Memory: null, ModelLoadTimeoutSeconds: 900, Runtime: runtime, ModelSize: size, Batching: batching, Instances: instances);

    [Fact]
    public void The_generated_configuration_is_the_json_form_of_model_config_proto()
    {
        var config = TritonModelConfig.ModelConfigJson("embeddings", Batching, Instances);

        Assert.Equal(
            """{"name":"embeddings","max_batch_size":32,"dynamic_batching":{"preferred_batch_size":[16,32],"max_queue_delay_microseconds":"2000"},"instance_group":[{"count":2,"kind":"KIND_GPU"}]}""",
            config.ToJsonString());
        // Without preferred sizes Triton picks max_batch_size (core model_config_utils.cc); without instances, Triton's default group.
        Assert.Equal("""{"name":"m","max_batch_size":8,"dynamic_batching":{"max_queue_delay_microseconds":"0"}}""", TritonModelConfig.ModelConfigJson("m", new TritonBatchingSpec(8, []), null).ToJsonString());
        Assert.Equal("""{"name":"m","instance_group":[{"count":1,"kind":"KIND_GPU"}]}""", TritonModelConfig.ModelConfigJson("m", null, new TritonInstancesSpec()).ToJsonString());
    }

    [Fact]
    public void The_load_request_carries_the_configuration_as_a_string_parameter()
    {
        var body = JsonNode.Parse(TritonModelConfig.LoadRequest("embeddings", Batching, Instances))!;

        var config = body["parameters"]!["config"]!.GetValue<string>();
        Assert.Equal(TritonModelConfig.ModelConfigJson("embeddings", Batching, Instances).ToJsonString(), config);
        Assert.Single(body.AsObject());
        Assert.Single(body["parameters"]!.AsObject());
    }

    [Fact]
    public void The_plan_runs_explicit_mode_under_the_loader_and_starts_only_when_the_model_is_ready()
    {
        var plan = TritonServicePlanner.Plan(Spec(batching: Batching, instances: Instances));

        Assert.True(plan.Container.LoadsGeneratedConfig);
        Assert.Equal(ModelControlMode.Explicit, plan.ControlMode);
        var args = plan.ServerArgs();
        Assert.Equal(["/bin/sh", "-c"], args.Take(2));
        Assert.Equal(TritonModelConfig.LoaderScript("embeddings", 8000, "/opt/neocloud/model-config/load-request.json"), args[2]);
        Assert.Equal("neocloud-triton", args[3]);
        Assert.Equal(TritonServer.Args(plan.Repository, ModelControlMode.Explicit, []), args.Skip(4));
        Assert.Contains("--model-control-mode=explicit", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--load-model", StringComparison.Ordinal));
        // Readiness and liveness stay Triton's health endpoints; the startup probe waits for the model itself.
        Assert.Equal("/v2/models/embeddings/ready", plan.Container.Startup.Path);
        Assert.Equal("/v2/health/ready", plan.Container.Readiness.Path);
        Assert.Equal("/v2/health/live", plan.Container.Liveness.Path);
        Assert.Equal(90, plan.Container.Startup.FailureThreshold); // 900 s at 10 s
        var file = Assert.Single(plan.ModelConfig());
        Assert.Equal(("load-request.json", "load-request.json"), (file.Key, file.Path));
        Assert.Equal(TritonModelConfig.LoadRequest("embeddings", Batching, Instances), file.Content);
        Assert.Equal("/opt/neocloud/model-config", plan.Container.ModelConfigMountPath);
    }

    [Fact]
    public void Without_batching_or_instances_triton_serves_the_repository_configuration_as_before()
    {
        var plan = TritonServicePlanner.Plan(Spec());

        Assert.False(plan.Container.LoadsGeneratedConfig);
        Assert.Empty(plan.ModelConfig());
        Assert.Equal("tritonserver", plan.ServerArgs()[0]);
        Assert.Contains("--model-control-mode=none", plan.ServerArgs());
        Assert.Equal("/v2/health/ready", plan.Container.Startup.Path);
    }

    [Theory]
    [InlineData("triton-vllm", "batches continuously inside vLLM")]
    [InlineData("vllm", "batches continuously inside vLLM")]
    [InlineData("triton-trtllm", "batches in flight inside TensorRT-LLM")]
    public void Batching_and_instances_are_refused_on_runtimes_that_batch_themselves(string runtime, string why)
    {
        var problems = TritonServicePlanner.Validate(Spec(runtime, Batching, Instances));

        Assert.Equal(["Batching", "Instances"], problems.Select(p => p.PropertyPath));
        Assert.All(problems, p => Assert.StartsWith("applies to runtime triton only; ", p.Reason, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.Contains(why, p.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_bad_value_is_one_problem_at_its_property()
    {
        Assert.Equal(
            ["Batching.MaxBatchSize"],
            TritonServicePlanner.Validate(Spec(batching: new TritonBatchingSpec(null, []))).Select(p => p.PropertyPath));
        Assert.Equal(
            ["Batching.MaxBatchSize"],
            TritonServicePlanner.Validate(Spec(batching: new TritonBatchingSpec(0, []))).Select(p => p.PropertyPath));
        var preferred = TritonServicePlanner.Validate(Spec(batching: new TritonBatchingSpec(32, [0, 16, 16, 33])));
        Assert.Equal(["Batching.PreferredBatchSizes[0]", "Batching.PreferredBatchSizes[2]", "Batching.PreferredBatchSizes[3]"], preferred.Select(p => p.PropertyPath));
        Assert.Equal("16 is listed twice", preferred[1].Reason);
        Assert.Equal(
            ["Batching.MaxQueueDelayMicroseconds"],
            TritonServicePlanner.Validate(Spec(batching: new TritonBatchingSpec(32, [], -1))).Select(p => p.PropertyPath));
        // The p95 objective is 50 ms: 49,999 µs is allowed, 50,000 µs is not.
        Assert.Empty(TritonServicePlanner.Validate(Spec(batching: new TritonBatchingSpec(32, [], 49_999))));
        Assert.StartsWith("50000 µs is not below the p95 latency objective Slo.P95Ms (50 ms", TritonServicePlanner.Validate(Spec(batching: new TritonBatchingSpec(32, [], 50_000))).Single().Reason, StringComparison.Ordinal);
        Assert.Equal(["Instances.Count", "Instances.Kind"], TritonServicePlanner.Validate(Spec(instances: new TritonInstancesSpec(0, "gpu"))).Select(p => p.PropertyPath));
        Assert.All(TritonModelConfig.InstanceKinds, kind => Assert.Empty(TritonServicePlanner.Validate(Spec(instances: new TritonInstancesSpec(1, kind)))));
    }

    [Fact]
    public void The_loader_owns_the_control_mode_and_the_models()
    {
        var problems = TritonServicePlanner.Validate(Spec(batching: Batching, controlMode: "poll", models: ["other"]));

        Assert.Equal(["ControlMode", "Models"], problems.Select(p => p.PropertyPath));
        Assert.Contains("explicit model control", problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("\"embeddings\"", problems[1].Reason, StringComparison.Ordinal);
        Assert.Empty(TritonServicePlanner.Validate(Spec(batching: Batching, controlMode: "explicit")));
    }

    [Fact]
    public void Every_sequence_a_batch_runs_must_be_counted_by_the_memory_fit()
    {
        var size = new ModelSize(0.335, ModelPrecision.Fp16, null, 512, 64, null);

        Assert.Empty(TritonServicePlanner.Validate(Spec(batching: Batching, instances: Instances, size: size))); // 2 × 32 = 64
        var problem = Assert.Single(TritonServicePlanner.Validate(Spec(batching: Batching with { MaxBatchSize = 64, PreferredBatchSizes = [] }, instances: Instances, size: size)));
        Assert.Equal("Batching.MaxBatchSize", problem.PropertyPath);
        Assert.StartsWith("64 × Instances.Count (2) = 128 sequences run on the GPU at once, but the memory fit counts ModelSize.MaxConcurrentSequences (64)", problem.Reason, StringComparison.Ordinal);
        // CPU instances hold nothing in GPU memory.
        Assert.Empty(TritonServicePlanner.Validate(Spec(batching: Batching with { MaxBatchSize = 64, PreferredBatchSizes = [] }, instances: Instances with { Kind = "KIND_CPU" }, size: size)));
    }

    [Fact]
    public void The_binder_reads_the_keys_into_the_spec_the_stack_passes()
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));

        var embeddings = env.Serving.Single(s => s.Name == "embeddings");
        Assert.Equal(32, embeddings.Batching!.MaxBatchSize);
        Assert.Equal(new[] { 16, 32 }, embeddings.Batching.PreferredBatchSizes.ToArray());
        Assert.Equal(2000, embeddings.Batching.MaxQueueDelayMicroseconds);
        Assert.Equal(new TritonInstancesSpec(2, "KIND_GPU"), embeddings.Instances);
        Assert.All(env.Serving.Where(s => s.Name != "embeddings"), s => Assert.Null(s.Batching));
    }

    [Fact]
    public void An_unknown_key_under_batching_is_refused_at_its_key()
    {
        var prod = File.ReadAllText(RepoFiles.StackFile("prod"));
        var from = "batching: {maxBatchSize: 32,";
        Assert.Contains(from, prod, StringComparison.Ordinal);

        var bound = EnvironmentBinder.Bind(StackConfig.FromYaml(prod.Replace(from, "batching: {max_batch_size: 32,", StringComparison.Ordinal)));

        Assert.Null(bound.Model);
        Assert.Contains(bound.Errors, e => e.Path == "neocloud:serving[1].batching.max_batch_size");
        Assert.Contains(bound.Errors, e => e.Path == "neocloud:serving[1].batching.maxBatchSize" && e.Message.StartsWith("is required", StringComparison.Ordinal));
    }

    // The wrapper, for real: /bin/sh runs it with a stand-in server process; a loopback listener answers Triton's
    // liveness and load endpoints and records what the wrapper sends.
    [Fact]
    public async Task The_loader_posts_the_load_request_after_liveness_and_passes_sigterm_to_the_server()
    {
        await using var triton = await FakeTriton.StartAsync(loadStatus: 200);
        using var dir = new TempDir();
        var request = dir.Write("load-request.json", TritonModelConfig.LoadRequest("embeddings", Batching, Instances));
        var server = dir.Executable("tritonserver", "#!/bin/sh\necho \"server $*\" >> \"$(dirname \"$0\")/server.log\"\necho $$ > \"$(dirname \"$0\")/server.pid\"\nexec sleep 60\n");

        using var shell = Shell(TritonModelConfig.LoaderScript("embeddings", triton.Port, request), server, "--model-repository=s3://models", "--model-control-mode=explicit");
        var load = await triton.LoadRequests.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        Assert.Equal("/v2/repository/models/embeddings/load", load.Path);
        Assert.Equal(File.ReadAllText(request), load.Body);
        Assert.Equal("server --model-repository=s3://models --model-control-mode=explicit", File.ReadAllText(Path.Combine(dir.Path, "server.log")).Trim());
        Assert.True(triton.LiveChecks >= 1);
        await Task.Delay(300);
        Assert.False(shell.HasExited);

        Kill(shell.Id, "TERM");
        Assert.True(shell.WaitForExit(10_000), "the wrapper did not exit after SIGTERM");
        Assert.Equal(143, shell.ExitCode); // the server's status: sleep ended by SIGTERM (128 + 15)
        // The signal reached the server itself: no process is left behind.
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir.Path, "server.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the server (pid {pid}) still runs after the wrapper exited");
    }

    [Fact]
    public async Task A_failed_load_stops_the_server_and_the_container_exits_with_its_error()
    {
        await using var triton = await FakeTriton.StartAsync(loadStatus: 400);
        using var dir = new TempDir();
        var request = dir.Write("load-request.json", TritonModelConfig.LoadRequest("embeddings", Batching, Instances));
        var server = dir.Executable("tritonserver", "#!/bin/sh\nexec sleep 60\n");

        using var shell = Shell(TritonModelConfig.LoaderScript("embeddings", triton.Port, request), server);

        Assert.True(shell.WaitForExit(20_000), "the wrapper did not stop the server after a failed load");
        Assert.NotEqual(0, shell.ExitCode);
        Assert.Contains("neocloud: loading model embeddings with the generated configuration", await shell.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
        Assert.Equal(1, triton.LoadCount);
    }

    private static Process Shell(string script, params string[] serverArgs)
    {
        var curl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, "curl")).FirstOrDefault(File.Exists);
        Assert.True(curl is not null, "curl is not on PATH: run the tests through scripts/test.sh, which installs it (Debian package 'curl', listed in scripts/test-tools.txt), or apt-get install curl");
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-c", script, "neocloud-triton", .. serverArgs])
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }

    private static void Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private sealed record LoadCall(string Path, string Body);

    /// <summary>A loopback HTTP server with Triton's liveness (200 after two checks) and load endpoints.</summary>
    private sealed class FakeTriton : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly int _loadStatus;
        private readonly Task _loop;
        private int _live;
        private int _loads;

        private FakeTriton(HttpListener listener, int port, int loadStatus)
        {
            _listener = listener;
            Port = port;
            _loadStatus = loadStatus;
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public int LiveChecks => _live;

        public int LoadCount => _loads;

        public System.Threading.Channels.Channel<LoadCall> LoadRequests { get; } = System.Threading.Channels.Channel.CreateUnbounded<LoadCall>();

        public static Task<FakeTriton> StartAsync(int loadStatus)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return Task.FromResult(new FakeTriton(listener, port, loadStatus));
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var path = context.Request.Url!.AbsolutePath;
                if (path == "/v2/health/live")
                {
                    // Not live on the first check: the wrapper must wait for it.
                    context.Response.StatusCode = Interlocked.Increment(ref _live) < 2 ? 503 : 200;
                }
                else if (context.Request.HttpMethod == "POST" && path.EndsWith("/load", StringComparison.Ordinal))
                {
                    using var reader = new StreamReader(context.Request.InputStream);
                    var body = await reader.ReadToEndAsync();
                    Interlocked.Increment(ref _loads);
                    Assert.Equal("application/json", context.Request.ContentType);
                    context.Response.StatusCode = _loadStatus;
                    await LoadRequests.Writer.WriteAsync(new LoadCall(path, body));
                }
                else
                {
                    context.Response.StatusCode = 404;
                }

                context.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("neocloud-loader-").FullName;

        public string Write(string name, string content)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, content);
            return file;
        }

        public string Executable(string name, string content)
        {
            var file = Write(name, content);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
