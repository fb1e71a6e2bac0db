using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Gpu;

public sealed class GpuReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/Gpu/README.md", "tests/NeoCloud.Infra.Components.Tests/Gpu/Examples/GpuClusterExample.cs");

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var provider = new Pulumi.Kubernetes.Provider("k8s", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "out" });
            GpuClusterExample.Define("gpu-cluster", new Pulumi.InputList<string> { "subnet-a", "subnet-b" }, provider);
        });
        Assert.Single(mocks.OfType("aws:eks/nodeGroup:NodeGroup"));
        Assert.Single(mocks.OfType("kubernetes:helm.sh/v4:Chart"));
        // Kubernetes children reach the caller's provider through the component's options.
        var configMap = mocks.Single("kubernetes:core/v1:ConfigMap");
        Assert.Contains("::k8s::", configMap.Provider);
        Assert.Contains("::k8s::", mocks.Single("kubernetes:core/v1:Namespace").Provider);
    }
}
