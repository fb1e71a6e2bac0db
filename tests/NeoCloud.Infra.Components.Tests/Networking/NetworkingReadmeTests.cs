using NeoCloud.Infra.Components.Tests.Networking.Examples;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Networking;

public sealed class NetworkingReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/Networking/README.md", "tests/NeoCloud.Infra.Components.Tests/Networking/Examples/EksExample.cs");

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var pool = new Pulumi.Kubernetes.Provider("system-pool-stand-in", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "/tmp/neocloud-render" });
            EksExample.Run(pool);
        });
        Assert.Equal(2, mocks.OfType("aws:eks/accessEntry:AccessEntry").Count);
        Assert.Equal(5, mocks.OfType("aws:eks/addon:Addon").Count);
        Assert.Equal(2, mocks.OfType("kubernetes:storage.k8s.io/v1:StorageClass").Count);
    }
}
