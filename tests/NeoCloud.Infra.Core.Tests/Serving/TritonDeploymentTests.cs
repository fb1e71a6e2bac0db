using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Serving;

public class TritonDeploymentTests
{
    internal static TritonDeploymentRequest Request() => new(
        "llama", "team-a", "llama-3-8b", "dev", "ml-platform", "team-a", "nvidia.com/mig-1g.10gb",
        new ModelRepository(new Uri("http://rook-ceph-rgw-models.storage.svc:80"), "models", "llama-3-8b"),
        ModelControlMode.None, [], 2, 8, new LatencySlo(200, 500), new QueueTimeScaling(50, 5, 2), 900);

    [Theory]
    [InlineData("http://rgw.storage.svc:8080", "models", "llm/llama", "s3://rgw.storage.svc:8080/models/llm/llama")]
    [InlineData("http://rgw.storage.svc", "models", "", "s3://rgw.storage.svc:80/models")]
    [InlineData("https://s3.example.net", "models", "llama", "s3://https://s3.example.net:443/models/llama")]
    [InlineData(null, "models", "llama", "s3://models/llama")]
    public void ModelRepositoryPathIsWhatTritonExpects(string? endpoint, string bucket, string prefix, string expected) =>
        Assert.Equal(expected, new ModelRepository(endpoint is null ? null : new Uri(endpoint), bucket, prefix).TritonPath);

    [Fact]
    public void ArgsEnableLatencySummariesAndNeverCarryCredentials()
    {
        var args = TritonServer.Args(Request().Repository, ModelControlMode.Explicit, ["llama"]);
        Assert.Contains("--model-repository=s3://rook-ceph-rgw-models.storage.svc:80/models/llama-3-8b", args);
        Assert.Contains("--model-control-mode=explicit", args);
        Assert.Contains("--load-model=llama", args);
        Assert.Contains("--metrics-config=summary_latencies=true", args);
        Assert.Contains("--http-port=8000", args);
        Assert.Contains("--grpc-port=8001", args);
        Assert.Contains("--metrics-port=8002", args);
        Assert.DoesNotContain(args, a => a.Contains("AWS_", StringComparison.Ordinal) || a.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void StartupProbeCoversTheModelLoadBudget()
    {
        var probe = TritonServer.Startup(900);
        Assert.Equal("/v2/health/ready", probe.Path);
        Assert.True(probe.PeriodSeconds * probe.FailureThreshold >= 900);
    }

    [Fact]
    public void ValidRequestHasNoErrors() => Assert.Empty(TritonDeployment.Validate(Request(), "Args"));

    [Fact]
    public void AllProblemsAreReportedWithTheirPaths()
    {
        var bad = Request() with { Name = "Llama_3", GpuResource = "nvidia.com/gpu-2", MinReplicas = 5, MaxReplicas = 3, Slo = new LatencySlo(600, 500), ControlMode = ModelControlMode.Explicit };
        var paths = TritonDeployment.Validate(bad, "Args").Select(e => e.Path).ToList();
        Assert.Equal(["Args.Name", "Args.GpuResource", "Args.Models", "Args.MaxReplicas", "Args.Slo"], paths);
    }

    [Fact]
    public void LabelsCarryCostAttributionTenantAndModel()
    {
        var labels = TritonDeployment.Labels(Request());
        Assert.Equal("dev", labels["neocloud.io/environment"]);
        Assert.Equal("ml-platform", labels["neocloud.io/cost-center"]);
        Assert.Equal("team-a", labels["neocloud.io/tenant"]);
        Assert.Equal("llama-3-8b", labels["neocloud.io/model"]);
        Assert.Equal("triton", labels["app.kubernetes.io/name"]);
    }
}
