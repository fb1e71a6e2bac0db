using NeoCloud.Infra.Components.Tests.Tenancy.Examples;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Tenancy;

public sealed class TenancyReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/Tenancy/README.md", "tests/NeoCloud.Infra.Components.Tests/Tenancy/Examples/TenantExample.cs");

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
            TenantExample.Run(new Pulumi.Kubernetes.Provider("cluster", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "/tmp/neocloud-render" })));
        Assert.Single(mocks.OfType("kubernetes:core/v1:ResourceQuota"));
    }
}
