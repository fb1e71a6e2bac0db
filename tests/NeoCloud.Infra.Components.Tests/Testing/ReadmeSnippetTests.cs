using Xunit.Sdk;

namespace NeoCloud.Infra.Components.Tests.Testing;

/// <summary>The README-snippet check itself: it accepts the same code and rejects a drifted snippet.</summary>
public sealed class ReadmeSnippetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-readme-").FullName;

    [Theory]
    [InlineData("// <example>", "// </example>")]
    [InlineData("// <readme>", "// </readme>")]
    public void An_indented_region_matches_its_dedented_snippet(string begin, string end)
    {
        var example = Write("Example.cs", $"class X\n{{\n    void Run()\n    {{\n        {begin}\n        var a = 1;\n\n        if (a > 0)\n        {{\n            a++;\n        }}\n        {end}\n    }}\n}}\n");
        var readme = Write("README.md", "# X\n\n```csharp\nvar a = 1;\n\nif (a > 0)\n{\n    a++;\n}\n```\n");
        ReadmeSnippet.AssertIsTheExample(readme, example);
    }

    [Fact]
    public void A_drifted_snippet_fails()
    {
        var example = Write("Example.cs", "// <example>\nvar a = 1;\n// </example>\n");
        var readme = Write("README.md", "```csharp\nvar a = 2;\n```\n");
        Assert.Throws<EqualException>(() => ReadmeSnippet.AssertIsTheExample(readme, example));
    }

    [Fact]
    public void A_readme_with_two_snippets_or_an_example_without_markers_fails()
    {
        var example = Write("Example.cs", "var a = 1;\n");
        var readme = Write("README.md", "```csharp\nvar a = 1;\n```\n\n```csharp\nvar b = 1;\n```\n");
        Assert.Throws<TrueException>(() => ReadmeSnippet.FromReadme(readme));
        Assert.Throws<FailException>(() => ReadmeSnippet.FromExample(example));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
