using NeoCloud.Infra.Components.Tests.Serving.Examples;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Serving;

public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeSnippetIsTheCompiledExample() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/Serving/README.md", "tests/NeoCloud.Infra.Components.Tests/Serving/Examples/ServingExample.cs");

    [Fact]
    public async Task ExampleRunsUnderTheMockEngine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(ServingExample.Run);
        Assert.Equal(3, mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject").Count);
        Assert.Equal(2, mocks.OfType("kubernetes:helm.sh/v4:Chart").Count);
        Assert.Equal(4, mocks.OfType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").Count);
        Assert.Equal(3, mocks.OfType("kubernetes:scheduling.k8s.io/v1:PriorityClass").Count);
        var vllm = mocks.OfType("kubernetes:apps/v1:Deployment").Single(d => d.Name == "llama-70b-deployment");
        var container = ServingTestData.Map(ServingTestData.Assert1(ServingTestData.At(vllm.Inputs["spec"], "template", "spec", "containers")));
        Assert.Equal("docker.io/vllm/vllm-openai:v0.11.0", container["image"]);
        Assert.Contains("--tensor-parallel-size=2", ServingTestData.List(container["args"]).Cast<string>());
        Assert.Equal("2", ServingTestData.At(container, "resources", "limits", "nvidia.com/gpu"));

        // The plain Triton deployments load their model with the generated batching configuration.
        var configs = mocks.OfType("kubernetes:core/v1:ConfigMap").Where(c => (c.Name ?? string.Empty).EndsWith("-model-config", StringComparison.Ordinal)).Select(c => c.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["llama-8b-model-config", "mistral-7b-model-config"], configs);
        var llama = mocks.OfType("kubernetes:apps/v1:Deployment").Single(d => d.Name == "llama-8b-deployment");
        var triton = ServingTestData.Map(ServingTestData.Assert1(ServingTestData.At(llama.Inputs["spec"], "template", "spec", "containers")));
        Assert.Equal("/v2/models/llama-8b/ready", ServingTestData.At(triton, "startupProbe", "httpGet", "path"));
    }
}
