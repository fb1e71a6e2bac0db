using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Components.Tests.Traffic.Examples;

namespace NeoCloud.Infra.Components.Tests.Traffic;

public sealed class GatewayReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/Traffic/README.md", "tests/NeoCloud.Infra.Components.Tests/Traffic/Examples/GatewayExample.cs");

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
            GatewayExample.Run(new Pulumi.Kubernetes.Provider("cluster", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "/tmp/neocloud-render" })));
        Assert.Single(mocks.OfType("kubernetes:helm.sh/v4:Chart"));
        Assert.Single(mocks.OfType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"));
    }
}
