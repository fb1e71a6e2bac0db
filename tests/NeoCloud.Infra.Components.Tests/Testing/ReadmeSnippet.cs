using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Components.Tests.Testing;

/// <summary>
/// The one README-snippet check of every capability: a README's <c>```csharp</c> block is, character for character,
/// the marked region of a compiled example file (which the capability's readme test also runs under the mock engine),
/// so a snippet cannot drift from code that compiles and runs.
/// </summary>
public static class ReadmeSnippet
{
    private const string Fence = "```csharp\n";

    /// <summary>The region markers the example files use (either pair; the marker lines themselves are not part of the snippet).</summary>
    private static readonly (string Begin, string End)[] Markers = [("// <example>", "// </example>"), ("// <readme>", "// </readme>")];

    /// <summary>Asserts that the README's C# block is the example's marked region.</summary>
    /// <param name="readme">The README, relative to the repository root (or absolute).</param>
    /// <param name="example">The example source file, relative to the repository root (or absolute).</param>
    public static void AssertIsTheExample(string readme, string example) =>
        Assert.Equal(FromExample(example), FromReadme(readme));

    /// <summary>The README's one <c>```csharp</c> block (fails when it has none or several).</summary>
    public static string FromReadme(string readme)
    {
        var text = File.ReadAllText(RepoRoot.PathOf(readme)).ReplaceLineEndings("\n");
        var start = text.IndexOf(Fence, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{readme} has no ```csharp block");
        Assert.True(text.IndexOf(Fence, start + Fence.Length, StringComparison.Ordinal) < 0, $"{readme} has more than one ```csharp block: one snippet per README");
        start += Fence.Length;
        var end = text.IndexOf("```", start, StringComparison.Ordinal);
        Assert.True(end >= 0, $"{readme}: the ```csharp block is not closed");
        return text[start..end];
    }

    /// <summary>The lines between the example's markers, de-indented by the begin marker's indentation.</summary>
    public static string FromExample(string example)
    {
        var lines = File.ReadAllText(RepoRoot.PathOf(example)).ReplaceLineEndings("\n").Split('\n');
        foreach (var (beginMarker, endMarker) in Markers)
        {
            var begin = Array.FindIndex(lines, l => l.Trim() == beginMarker);
            if (begin < 0)
            {
                continue;
            }
            var end = Array.FindIndex(lines, begin + 1, l => l.Trim() == endMarker);
            Assert.True(end > begin, $"{example}: {beginMarker} is not closed by {endMarker}");
            var indent = lines[begin].Length - lines[begin].TrimStart().Length;
            return string.Concat(lines[(begin + 1)..end].Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
        }
        Assert.Fail($"{example} has no marked region ({string.Join(" or ", Markers.Select(m => $"{m.Begin} … {m.End}"))})");
        return "";
    }
}
