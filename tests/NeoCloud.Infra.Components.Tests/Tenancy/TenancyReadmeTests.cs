using NeoCloud.Infra.Components.Tests.Storage;
using NeoCloud.Infra.Components.Tests.Tenancy.Examples;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Tenancy;

public sealed class TenancyReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        Assert.Equal(
            ReadmeSnippet.FromExample("tests/NeoCloud.Infra.Components.Tests/Tenancy/Examples/TenantExample.cs"),
            ReadmeSnippet.FromReadme("infra/Components/Tenancy/README.md"));

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
            TenantExample.Run(new Pulumi.Kubernetes.Provider("cluster", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "/tmp/neocloud-render" })));
        Assert.Single(mocks.OfType("kubernetes:core/v1:ResourceQuota"));
    }
}
