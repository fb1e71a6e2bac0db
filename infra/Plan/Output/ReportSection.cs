using System.Collections.Immutable;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>One titled table of the plan, rendered as aligned text (human) or a pipe table (markdown).</summary>
/// <param name="Title">Section title.</param>
/// <param name="Headers">Column headers.</param>
/// <param name="Rows">Cells, one array per row (same length as <paramref name="Headers"/>).</param>
/// <param name="Notes">Lines shown under the table.</param>
internal sealed record ReportSection(string Title, ImmutableArray<string> Headers, ImmutableArray<ImmutableArray<string>> Rows, ImmutableArray<string> Notes);
