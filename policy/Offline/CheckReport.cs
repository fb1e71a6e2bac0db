using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Evaluation;

namespace NeoCloud.Infra.Policy.Offline;

/// <summary>The result of an offline check.</summary>
public sealed record CheckReport(string Pack, string Version, string Stack, string Input, int Resources, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Mandatory diagnostics.</summary>
    public int Mandatory => Diagnostics.Count(d => d.Level is EnforcementLevel.Mandatory or EnforcementLevel.Remediate);

    /// <summary>Advisory diagnostics.</summary>
    public int Advisory => Diagnostics.Count(d => d.Level == EnforcementLevel.Advisory);

    /// <summary>Writes lines for people: mandatory first, grouped by resource.</summary>
    public void WriteHuman(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"{Pack} {Version}: {Resources} resources in {Input}, {Stack} stack defaults");
        foreach (var d in Diagnostics.OrderBy(d => d.Level == EnforcementLevel.Mandatory ? 0 : 1).ThenBy(d => d.Urn, StringComparer.Ordinal))
        {
            writer.WriteLine($"{EnforcementLevels.Name(d.Level).ToUpperInvariant(),-10} {d.PolicyName} ({d.Severity.ToString().ToLowerInvariant()})");
            writer.WriteLine($"           {(d.Urn.Length > 0 ? d.Urn : "(stack)")}");
            writer.WriteLine($"           {d.Message}");
        }
        writer.WriteLine($"{Mandatory} mandatory, {Advisory} advisory");
    }

    /// <summary>Writes one JSON document.</summary>
    public void WriteJson(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("policyPack", Pack);
            json.WriteString("version", Version);
            json.WriteString("stack", Stack);
            json.WriteString("input", Input);
            json.WriteNumber("resources", Resources);
            json.WriteStartArray("diagnostics");
            foreach (var d in Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("policyName", d.PolicyName);
                json.WriteString("enforcementLevel", EnforcementLevels.Name(d.Level));
                json.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
                json.WriteString("urn", d.Urn);
                json.WriteString("message", d.Message);
                json.WriteString("description", d.Description);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("summary");
            json.WriteNumber("mandatory", Mandatory);
            json.WriteNumber("advisory", Advisory);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        writer.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
