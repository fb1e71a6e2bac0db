using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Components.Tests.VectorDb.Examples;

namespace NeoCloud.Infra.Components.Tests.VectorDb;

public sealed class VectorDbReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/VectorDb/README.md", "tests/NeoCloud.Infra.Components.Tests/VectorDb/Examples/VectorDbExample.cs");

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
            VectorDbExample.Run(new Pulumi.Kubernetes.Provider("cluster", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "/tmp/neocloud-render" })));
        Assert.Single(mocks.OfType("kubernetes:helm.sh/v4:Chart"));
    }
}
