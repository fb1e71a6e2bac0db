using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>The program reads configuration as the engine hands it, and binds the same model as the offline readers.</summary>
public sealed class EngineConfigTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void Engine_form_binds_the_same_model_as_the_yaml_file(string stack)
    {
        var fromEngine = EnvironmentBinder.BindOrThrow(EngineConfig.Parse(CliConfig.FromYamlFile(RepoFiles.StackFile(stack)), null, stack));
        var fromFile = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        Assert.Equal(fromFile.Environment, fromEngine.Environment);
        Assert.Equal(fromFile.GpuPools, fromEngine.GpuPools, (a, b) => a.Name == b.Name && a.MaxSize == b.MaxSize && a.Cluster == b.Cluster);
        Assert.Equal(fromFile.Serving.Select(s => (s.Name, s.MaxReplicas)), fromEngine.Serving.Select(s => (s.Name, s.MaxReplicas)));
    }

    [Fact]
    public void Malformed_engine_json_is_a_config_error()
    {
        var ex = Assert.Throws<EnvironmentConfigException>(() => EngineConfig.Parse("{not json", null, null));
        Assert.Equal("PULUMI_CONFIG", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public async Task A_kubeconfig_from_a_secret_key_reaches_the_provider_as_a_secret()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("dev")).Replace("renderDirectory: rendered/dev", "kubeconfig: {secretKey: devKubeconfig, context: dev-admin}", StringComparison.Ordinal);
        var json = System.Text.Json.Nodes.JsonNode.Parse(CliConfig.FromYaml(yaml))!.AsObject();
        json["neocloud:devKubeconfig"] = "apiVersion: v1\nkind: Config\n";
        var run = await StackRun.RunAsync(json.ToJsonString(), "[\"neocloud:devKubeconfig\"]", "dev");
        var provider = run.Mocks.Single("pulumi:providers:kubernetes");
        Assert.Equal("dev-admin", provider.Str("context"));
        Assert.NotNull(provider.At("kubeconfig"));
        Assert.Null(provider.At("renderYamlToDirectory"));
    }
}
