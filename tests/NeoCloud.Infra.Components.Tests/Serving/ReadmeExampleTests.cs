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
        Assert.Equal(2, mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject").Count);
        Assert.Equal(2, mocks.OfType("kubernetes:helm.sh/v4:Chart").Count);
        Assert.Equal(3, mocks.OfType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").Count);
    }
}
