using System.Text;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>Writes a <see cref="ReportSection"/> as a left-aligned text table or a markdown pipe table.</summary>
internal static class TextTable
{
    /// <summary>Aligned columns separated by two spaces, indented by two.</summary>
    public static void WriteText(TextWriter output, ReportSection section)
    {
        output.WriteLine(section.Title);
        output.WriteLine(new string('-', section.Title.Length));
        if (section.Headers.Length > 0)
        {
            var widths = section.Headers.Select((h, i) => Math.Max(h.Length, section.Rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
            output.WriteLine(Line(section.Headers, widths));
            foreach (var row in section.Rows)
            {
                output.WriteLine(Line(row, widths));
            }

            if (section.Rows.Length == 0)
            {
                output.WriteLine("  (none)");
            }
        }

        foreach (var note in section.Notes)
        {
            output.WriteLine("  " + note);
        }

        output.WriteLine();
    }

    /// <summary>A <c>###</c> heading, a pipe table and the notes as a list.</summary>
    public static void WriteMarkdown(TextWriter output, ReportSection section)
    {
        output.WriteLine("### " + section.Title);
        output.WriteLine();
        if (section.Headers.Length > 0)
        {
            if (section.Rows.Length == 0)
            {
                output.WriteLine("_(none)_");
            }
            else
            {
                output.WriteLine("| " + string.Join(" | ", section.Headers.Select(Escape)) + " |");
                output.WriteLine("|" + string.Concat(section.Headers.Select(_ => " --- |")));
                foreach (var row in section.Rows)
                {
                    output.WriteLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
                }
            }

            output.WriteLine();
        }

        if (section.Notes.Length > 0)
        {
            foreach (var note in section.Notes)
            {
                output.WriteLine("- " + Escape(note));
            }

            output.WriteLine();
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths)
    {
        var sb = new StringBuilder("  ");
        for (var i = 0; i < cells.Count; i++)
        {
            sb.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        return sb.ToString().TrimEnd();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
