using System.Text.RegularExpressions;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Components.Tests.Gpu;

public partial class GpuReadmeTests
{
    private static string RepoFile(string relative) => File.ReadAllText(RepoRoot.PathOf(relative));

    [Fact]
    public void Readme_snippet_is_the_compiled_example()
    {
        var readme = RepoFile("infra/Components/Gpu/README.md");
        var snippet = Assert.Single(CSharpBlock().Matches(readme)).Groups[1].Value;
        var example = RepoFile("tests/NeoCloud.Infra.Components.Tests/Gpu/Examples/GpuClusterExample.cs");
        var region = ExampleRegion().Match(example);
        Assert.True(region.Success, "the example has no // <example> region");
        Assert.Equal(region.Groups[1].Value, snippet);
    }

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

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("// <example>\n(.*?)// </example>", RegexOptions.Singleline)]
    private static partial Regex ExampleRegion();
}
