using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Components.Tests.Storage;

/// <summary>Compares a README's C# usage snippet with the compiled example file's marked region.</summary>
internal static class ReadmeSnippet
{
    private const string Begin = "// <readme>";
    private const string End = "// </readme>";

    public static string Root => RepoRoot.FullPath;

    /// <summary>The first ```csharp block of the README.</summary>
    public static string FromReadme(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(Root, relativePath)).ReplaceLineEndings("\n");
        var start = text.IndexOf("```csharp\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{relativePath} has no ```csharp block");
        start += "```csharp\n".Length;
        var end = text.IndexOf("```", start, StringComparison.Ordinal);
        return text[start..end];
    }

    /// <summary>The lines between the markers of the example file, de-indented by the marker's indentation.</summary>
    public static string FromExample(string relativePath)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, relativePath));
        var begin = Array.FindIndex(lines, l => l.Trim() == Begin);
        var end = Array.FindIndex(lines, l => l.Trim() == End);
        Assert.True(begin >= 0 && end > begin, $"{relativePath} has no {Begin} … {End} region");
        var indent = lines[begin].Length - lines[begin].TrimStart().Length;
        return string.Concat(lines[(begin + 1)..end].Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
    }
}
