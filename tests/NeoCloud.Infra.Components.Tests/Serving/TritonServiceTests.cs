using NeoCloud.Infra.Components.Serving;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Autoscaling;
using Pulumi;
using static NeoCloud.Infra.Components.Tests.Serving.ServingTestData;

namespace NeoCloud.Infra.Components.Tests.Serving;

public class TritonServiceTests
{
    [Fact]
    public async Task A_bucket_name_produced_by_another_resource_goes_into_the_model_repository_argument()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            // A bucket whose name the engine produces (like a ReplicatedBucket with its random suffix).
            var bucket = new Pulumi.Aws.S3.Bucket("models", new Pulumi.Aws.S3.BucketArgs { BucketPrefix = "neocloud-models-" });
            var args = Args();
            args.ModelRepository = new ModelRepositoryArgs { Prefix = "llama-3-8b" };
            args.ModelBucket = bucket.BucketName;
            _ = new TritonService("llama", args);
        });

        var container = Map(Assert.Single(List(At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs["spec"], "template", "spec", "containers"))));
        var repositoryArgs = List(container["args"]).Cast<string>().Where(a => a.StartsWith("--model-repository=", StringComparison.Ordinal)).ToList();
        Assert.Equal(["--model-repository=s3://neocloud-models-mock/llama-3-8b"], repositoryArgs);
    }

    [Fact]
    public async Task OnAMigPoolEachReplicaRequestsOneSliceAndSelectsAndToleratesThePool()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args()));
        var deployment = mocks.Single("kubernetes:apps/v1:Deployment");
        Assert.Equal("llama-deployment", deployment.Name);
        var spec = deployment.Inputs["spec"];
        Assert.False(Map(spec).ContainsKey("replicas"));
        var pod = At(spec, "template", "spec")!;
        var container = Map(Assert.Single(List(At(pod, "containers"))));
        Assert.Equal("nvcr.io/nvidia/tritonserver:26.10-py3", container["image"]);
        Assert.Equal("1", At(container, "resources", "limits", Mig));
        Assert.Equal("1", At(container, "resources", "requests", Mig));
        Assert.False(Map(At(container, "resources", "limits")).ContainsKey("nvidia.com/gpu"));
        Assert.Equal("h100-mig", At(pod, "nodeSelector", "neocloud.io/pool"));
        var toleration = Map(Assert.Single(List(At(pod, "tolerations"))));
        Assert.Equal("nvidia.com/gpu", toleration["key"]);
        Assert.Equal("NoSchedule", toleration["effect"]);
        Assert.Equal([8000.0, 8001.0, 8002.0], List(container["ports"]).Select(p => Map(p)["containerPort"]));
        Assert.Equal("/v2/health/ready", At(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/v2/health/live", At(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/v2/health/ready", At(container, "startupProbe", "httpGet", "path"));
        var spread = Map(Assert.Single(List(At(pod, "topologySpreadConstraints"))));
        Assert.Equal("kubernetes.io/hostname", spread["topologyKey"]);
        Assert.Equal(1.0, spread["maxSkew"]);
        Assert.Equal("ScheduleAnyway", spread["whenUnsatisfiable"]);
        var args = List(container["args"]).Cast<string>().ToList();
        Assert.Contains("--model-repository=s3://rgw.storage.svc:80/models/llama-3-8b", args);
        Assert.Contains("--metrics-config=summary_latencies=true", args);
        var env = List(container["env"]).Select(Map).ToList();
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "TMPDIR", "TRITON_AWS_MOUNT_DIRECTORY"], env.Select(e => e["name"]));
        Assert.All(env.Take(3), e => Assert.Equal("model-store", At(e, "valueFrom", "secretKeyRef", "name")));
        Assert.Equal("/models-cache", env[3]["value"]);
        Assert.Equal("/models-cache", env[4]["value"]); // Triton copies an S3 repository there, not to TMPDIR (core s3.h)
        Assert.All(env.Take(3), e => Assert.False(e.ContainsKey("value")));
    }

    [Fact]
    public async Task ServicePdbAndLabels()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args()));
        var service = mocks.Single("kubernetes:core/v1:Service");
        Assert.Equal("ClusterIP", At(service.Inputs["spec"], "type"));
        var ports = List(At(service.Inputs["spec"], "ports")).Select(Map).ToList();
        Assert.Equal(["http", "grpc", "metrics"], ports.Select(p => p["name"]));
        Assert.Equal([8000.0, 8001.0, 8002.0], ports.Select(p => p["port"]));
        var pdb = mocks.Single("kubernetes:policy/v1:PodDisruptionBudget");
        Assert.Equal(1.0, At(pdb.Inputs["spec"], "maxUnavailable"));
        Assert.Equal("llama", At(pdb.Inputs["spec"], "selector", "matchLabels", "app.kubernetes.io/instance"));
        var labels = Map(At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs["metadata"], "labels"));
        Assert.Equal("dev", labels["neocloud.io/environment"]);
        Assert.Equal("ml-platform", labels["neocloud.io/cost-center"]);
        Assert.Equal("team-a", labels["neocloud.io/tenant"]);
        Assert.Equal("llama-3-8b", labels["neocloud.io/model"]);
    }

    [Fact]
    public async Task TagsLabelEveryObjectButNeverThePodSelector()
    {
        var args = Args();
        args.Tags = new Dictionary<string, string> { ["team"] = "search" };
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", args));
        var deployment = mocks.Single("kubernetes:apps/v1:Deployment");
        Assert.Equal("search", At(deployment.Inputs["metadata"], "labels", "team"));
        Assert.Equal("search", At(deployment.Inputs["spec"], "template", "metadata", "labels", "team"));
        Assert.False(Map(At(deployment.Inputs["spec"], "selector", "matchLabels")).ContainsKey("team"));
        Assert.Equal("search", At(mocks.Single("kubernetes:keda.sh/v1alpha1:ScaledObject").Inputs["metadata"], "labels", "team"));
        Assert.Equal("search", At(mocks.Single("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").Inputs["metadata"], "labels", "team"));
    }

    [Fact]
    public async Task ScaledObjectTargetsTheDeploymentWithQueryThresholdsAndRequestedMax()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args(max: 14)));
        var scaled = mocks.Single("kubernetes:keda.sh/v1alpha1:ScaledObject");
        var spec = scaled.Inputs["spec"];
        Assert.Equal("Deployment", At(spec, "scaleTargetRef", "kind"));
        Assert.Equal("llama", At(spec, "scaleTargetRef", "name"));
        Assert.Equal(2.0, At(spec, "minReplicaCount"));
        Assert.Equal(14.0, At(spec, "maxReplicaCount"));
        Assert.Equal(3.0, At(spec, "fallback", "failureThreshold"));
        var trigger = Map(Assert.Single(List(At(spec, "triggers"))));
        Assert.Equal("prometheus", trigger["type"]);
        Assert.Equal("AverageValue", trigger["metricType"]);
        Assert.Equal(ServingQueries.InFlightRequests("team-a", "llama"), At(trigger, "metadata", "query"));
        Assert.Equal("0.8", At(trigger, "metadata", "threshold"));
        Assert.Equal("0", At(trigger, "metadata", "activationThreshold"));
        Assert.Equal("false", At(trigger, "metadata", "ignoreNullValues"));
        Assert.Equal("http://monitoring-prometheus.monitoring.svc:9090", At(trigger, "metadata", "serverAddress"));
    }

    [Fact]
    public async Task MaxReplicasOverThePlacementsCapacityFailsTheDeploymentWithThePreciseError()
    {
        var (_, error) = await RunCapturingAsync(() => _ = new TritonService("llama", Args(max: 20)));
        const string expected = "TritonServiceArgs.MaxReplicas: deployment \"llama\" asks for up to 20 × nvidia.com/mig-1g.10gb, but pool \"h100-mig\" holds 14 at its maximum size; lower the maximum to 14 or grow the pool";

        // The placement is an input: its check runs when the pool's values are known, and the engine reports it.
        Assert.Contains("TritonService \"llama\": invalid TritonServiceArgs (1 problem); nothing was registered:\n  - " + expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResourceThePlacementDoesNotOfferFailsTheDeployment()
    {
        var (_, error) = await RunCapturingAsync(() => _ = new TritonService("llama", Args(gpu: "nvidia.com/gpu")));
        Assert.Contains("TritonServiceArgs.GpuResource: deployment \"llama\" requests nvidia.com/gpu, but pool \"h100-mig\" does not offer it; it offers nvidia.com/mig-1g.10gb", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlacementFromAnotherResourcesOutputPlacesThePods()
    {
        // The placement arrives as an output (as a GpuNodePool's would): selector and tolerations follow it.
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args(placement: Output.Create(MigPlacement(nodesAtMax: 3)).Apply(p => p), max: 21)));
        var pod = At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs["spec"], "template", "spec")!;
        Assert.Equal("h100-mig", At(pod, "nodeSelector", "neocloud.io/pool"));
        var toleration = Map(Assert.Single(List(At(pod, "tolerations"))));
        Assert.Equal("Exists", toleration["operator"]);
        Assert.False(toleration.ContainsKey("value"));
        Assert.Equal(21.0, At(mocks.Single("kubernetes:keda.sh/v1alpha1:ScaledObject").Inputs["spec"], "maxReplicaCount"));
    }

    [Fact]
    public async Task InvalidArgsRegisterNothingAndListEveryProblem()
    {
        var args = Args(max: 4, min: 0, gpu: "nvidia.com/gpu-2", prometheus: null);
        args.ControlMode = "lazy";
        args.Tags = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "x" };
        var (mocks, error) = await RunCapturingAsync(() => _ = new TritonService("Llama_3", args));
        Assert.Contains("TritonService \"Llama_3\": invalid TritonServiceArgs (6 problems); nothing was registered:", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");

        var direct = Assert.Throws<ComponentArgsException>(() => new TritonService("Llama_3", args));
        Assert.Equal(
            ["(name)", "Tags[\"app.kubernetes.io/name\"]", "GpuResource", "ControlMode", "MinReplicas", "PrometheusAddress"],
            direct.Problems.Select(e => e.PropertyPath));
    }

    [Fact]
    public void RequiredArgsLeftUnsetAreEachReported()
    {
        var error = Assert.Throws<ComponentArgsException>(() => new TritonService("llama", new TritonServiceArgs()));
        Assert.Equal(
            ["Environment", "CostCenter", "Namespace", "Model", "Tenant", "GpuResource", "Placement", "CredentialsSecretName", "ModelRepository", "MaxReplicas", "PrometheusAddress"],
            error.Problems.Select(p => p.PropertyPath));
        Assert.All(error.Problems.Take(2), p => Assert.Contains("a missing value", p.Reason, StringComparison.Ordinal));
        Assert.All(error.Problems.Skip(2).Take(8), p => Assert.StartsWith("is required", p.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void NullArgsAndEmptyNameThrowBeforeAnything()
    {
        Assert.Equal("(args)", Assert.Single(Assert.Throws<ComponentArgsException>(() => new TritonService("llama", null!)).Problems).PropertyPath);
        Assert.Throws<ArgumentException>(() => new TritonService("", Args()));
    }

    [Fact]
    public async Task TypeTokenIsTheIndexOneWithTheOldTokenAsAlias()
    {
        var (mocks, resources) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args()));
        var component = Assert.Single(resources.OfType<TritonService>());
        Assert.Equal("neocloud:index:TritonService", component.GetResourceType());
        Assert.Equal("neocloud:index:TritonService", TritonService.TypeToken);
        Assert.Equal("neocloud:serving:TritonService", TritonService.PreviousTypeToken);
        var inputs = mocks.Single("neocloud:index:TritonService").Inputs;
        Assert.Equal("team-a", inputs["namespace"]);

        // The Args go to the engine as the component's inputs, the placement under its wire names.
        Assert.Equal("h100-mig", At(inputs["placement"]!, "poolName"));
        Assert.Equal(14.0, At(inputs["placement"]!, "allocatableAtMax", Mig));
        Assert.Equal("models", At(inputs["modelRepository"]!, "bucket"));
    }

    [Fact]
    public async Task OutputsCarryEndpointsPrometheusAndSlos()
    {
        TritonService? triton = null;
        await PulumiTest.RunAsync(() => triton = new TritonService("llama", Args()));
        Assert.Equal("http://llama.team-a.svc.cluster.local:8000", await PulumiTest.ValueAsync(triton!.HttpEndpoint));
        Assert.Equal("llama.team-a.svc.cluster.local:8001", await PulumiTest.ValueAsync(triton.GrpcEndpoint));
        Assert.Equal("http://llama.team-a.svc.cluster.local:8002/metrics", await PulumiTest.ValueAsync(triton.MetricsEndpoint));
        Assert.Equal("http://monitoring-prometheus.monitoring.svc:9090", await PulumiTest.ValueAsync(triton.PrometheusAddress));
        Assert.Equal(500, await PulumiTest.ValueAsync(triton.P95SloMs));
        Assert.Equal(1000, await PulumiTest.ValueAsync(triton.P99SloMs));
        Assert.Equal("h100-mig", await PulumiTest.ValueAsync(triton.PoolName));
    }

    [Fact]
    public async Task ServiceMonitorAndRulesCarryTheReleaseLabel()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args()));
        var monitor = mocks.Single("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        Assert.Equal("monitoring", At(monitor.Inputs["metadata"], "labels", "release"));
        Assert.Equal("metrics", Map(Assert.Single(List(At(monitor.Inputs["spec"], "endpoints"))))["port"]);
        var rules = mocks.Single("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        Assert.Equal("monitoring", At(rules.Inputs["metadata"], "labels", "release"));
        var exprs = List(Map(Assert.Single(List(At(rules.Inputs["spec"], "groups"))))["rules"]).Select(r => (string)Map(r)["expr"]).ToList();
        Assert.Contains(exprs, e => e.Contains("nv_inference_request_summary_us", StringComparison.Ordinal) && e.Contains("quantile=\"0.99\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAutoscalingTheProgramOwnsReplicasAndNoScaledObjectExists()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("llama", Args(autoscaling: false)));
        Assert.Empty(mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject"));
        Assert.Equal(2.0, At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs["spec"], "replicas"));
    }

    /// <summary>
    /// Runs under the mock engine with mocks this test keeps, so it can assert what was registered before the failure
    /// (test collections do not run in parallel: xunit.runner.json).
    /// </summary>
    internal static async Task<(RecordingMocks Mocks, Exception Error)> RunCapturingAsync(Action create)
    {
        var mocks = new RecordingMocks();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Pulumi.Deployment.TestAsync(mocks, new Pulumi.Testing.TestOptions { IsPreview = false, StackName = "test", ProjectName = "neocloud-infra" }, create));
        return (mocks, error);
    }
}
