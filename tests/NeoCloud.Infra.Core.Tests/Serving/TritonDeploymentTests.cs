using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Serving;

public class TritonDeploymentTests
{
    private static readonly ModelRepository Repository = new(new Uri("http://rook-ceph-rgw-models.storage.svc:80"), "models", "llama-3-8b");

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
        var args = TritonServer.Args(Repository, ModelControlMode.Explicit, ["llama"]);
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
}
