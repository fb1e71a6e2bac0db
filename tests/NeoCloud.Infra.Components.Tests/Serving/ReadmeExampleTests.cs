using System.Text.RegularExpressions;
using NeoCloud.Infra.Components.Tests.Serving.Examples;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Components.Tests.Serving;

public partial class ReadmeExampleTests
{
    [Fact]
    public void ReadmeSnippetIsTheCompiledExample()
    {
        var readme = File.ReadAllText(RepoRoot.PathOf("infra/Components/Serving/README.md"));
        var snippet = Assert.Single(CSharpBlock().Matches(readme)).Groups[1].Value;
        var example = File.ReadAllText(RepoRoot.PathOf("tests/NeoCloud.Infra.Components.Tests/Serving/Examples/ServingExample.cs"));
        var region = Region().Match(example);
        Assert.True(region.Success, "the example has no // <example> … // </example> region");
        var lines = region.Groups[1].Value.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var dedented = string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        Assert.Equal(dedented, snippet);
    }

    [Fact]
    public async Task ExampleRunsUnderTheMockEngine()
    {
        var (mocks, _) = await PulumiTest.RunAsync(ServingExample.Run);
        Assert.Equal(2, mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject").Count);
        Assert.Equal(2, mocks.OfType("kubernetes:helm.sh/v4:Chart").Count);
        Assert.Equal(3, mocks.OfType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").Count);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"// <example>\n(.*?)[ ]*// </example>", RegexOptions.Singleline)]
    private static partial Regex Region();
}
