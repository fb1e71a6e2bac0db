using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Offline;

/// <summary>Which file format the offline checker reads.</summary>
public enum StateFileFormat
{
    /// <summary><c>pulumi preview --json</c>: <c>steps[].newState</c>.</summary>
    PreviewJson,
    /// <summary><c>pulumi stack export</c>: <c>deployment.resources[]</c>.</summary>
    StackExport,
}

/// <summary>The resources of a preview or state file, as the engine would send them to Analyze (inputs) and AnalyzeStack (outputs).</summary>
/// <param name="ForAnalyze">Per resource, its inputs (outputs when there are no inputs).</param>
/// <param name="ForAnalyzeStack">Per resource, its outputs (inputs when there are no outputs).</param>
public sealed record StateFile(ImmutableArray<ResourceSnapshot> ForAnalyze, StackSnapshot ForAnalyzeStack)
{
    /// <summary>Reads a file's text.</summary>
    /// <exception cref="InvalidDataException">The text is not JSON of the expected shape.</exception>
    public static StateFile Parse(string json, StateFileFormat format)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            var states = format == StateFileFormat.PreviewJson ? PreviewStates(root) : ExportStates(root);
            var byUrn = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var state in states)
            {
                if (Text(state, "urn") is { } urn)
                {
                    byUrn[urn] = state;
                }
            }
            var forAnalyze = ImmutableArray.CreateBuilder<ResourceSnapshot>();
            var forStack = new List<ResourceSnapshot>();
            foreach (var state in states)
            {
                var type = Text(state, "type");
                var urn = Text(state, "urn");
                if (type is null || urn is null || type == "pulumi:pulumi:Stack")
                {
                    continue;
                }
                var inputs = Properties(state, "inputs");
                var outputs = Properties(state, "outputs");
                var baseline = new ResourceSnapshot(type, urn, urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..], inputs,
                    ResourceOptionsSnapshot.Default with { Protect = state.TryGetProperty("protect", out var p) && p.ValueKind == JsonValueKind.True, Parent = Text(state, "parent") },
                    Provider(Text(state, "provider"), byUrn), Text(state, "parent"),
                    state.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Array
                        ? [.. deps.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)]
                        : [],
                    PropertyDependencies(state));
                forAnalyze.Add(inputs.Properties.Count > 0 || outputs.Properties.Count == 0 ? baseline : baseline with { Properties = outputs });
                forStack.Add(outputs.Properties.Count > 0 ? baseline with { Properties = outputs } : baseline);
            }
            return new StateFile(forAnalyze.ToImmutable(), new StackSnapshot(forStack));
        }
    }

    private static List<JsonElement> PreviewStates(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("a preview file (pulumi preview --json) has a 'steps' array");
        }
        return [.. steps.EnumerateArray()
            .Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("newState", out var n) && n.ValueKind == JsonValueKind.Object)
            .Select(s => s.GetProperty("newState"))];
    }

    private static List<JsonElement> ExportStates(JsonElement root)
    {
        var deployment = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("deployment", out var d) ? d : root;
        if (deployment.ValueKind != JsonValueKind.Object || !deployment.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("a stack export (pulumi stack export) has 'deployment.resources'");
        }
        return [.. resources.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object)];
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ObjectValue Properties(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? PulumiWireValues.DecodeProperties(value) : ObjectValue.Empty;

    private static ImmutableDictionary<string, ImmutableArray<string>> PropertyDependencies(JsonElement state)
    {
        if (!state.TryGetProperty("propertyDependencies", out var deps) || deps.ValueKind != JsonValueKind.Object)
        {
            return ImmutableDictionary<string, ImmutableArray<string>>.Empty;
        }
        return deps.EnumerateObject().ToImmutableDictionary(p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.Array
                ? p.Value.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToImmutableArray()
                : [],
            StringComparer.Ordinal);
    }

    private static ProviderSnapshot? Provider(string? reference, Dictionary<string, JsonElement> byUrn)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }
        var separator = reference.LastIndexOf("::", StringComparison.Ordinal);
        var urn = separator > 0 ? reference[..separator] : reference;
        if (!byUrn.TryGetValue(urn, out var state))
        {
            return null;
        }
        return new ProviderSnapshot(Text(state, "type") ?? string.Empty, urn, urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..],
            Properties(state, "inputs"));
    }
}
