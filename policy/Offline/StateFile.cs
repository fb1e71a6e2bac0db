using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Core.Environments;
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
    /// <summary>Most problems listed for one file (the rest are counted).</summary>
    public const int MaxListedProblems = 50;

    /// <summary>Reads a file's text.</summary>
    /// <exception cref="StateFileException">The text is not JSON of the expected shape; every problem has its JSON path.</exception>
    public static StateFile Parse(string json, StateFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json), format);
    }

    /// <summary>
    /// Reads a file's UTF-8 bytes in one pass plus one validation walk, both linear in the file's size: nesting is
    /// bounded by <see cref="InputLimits.MaxStateDepth"/> (property values by 256 levels), strings by
    /// <see cref="InputLimits.MaxStateStringLength"/>, and every string must be valid Unicode.
    /// </summary>
    /// <exception cref="StateFileException">The text is not JSON of the expected shape; every problem has its JSON path.</exception>
    public static StateFile Parse(ReadOnlyMemory<byte> utf8, StateFileFormat format)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = InputLimits.MaxStateDepth });
        }
        catch (JsonException e)
        {
            var depth = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase);
            throw new StateFileException([new StateFileProblem(Shorten(e.Path ?? "$"), depth
                ? $"nests deeper than {InputLimits.MaxStateDepth} levels (the input limit)"
                : $"is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})")]);
        }
        using (doc)
        {
            var problems = new List<StateFileProblem>();
            Validate(doc.RootElement, problems);
            if (problems.Count > 0)
            {
                throw new StateFileException(problems);
            }
            var root = doc.RootElement;
            var (states, basePath) = format == StateFileFormat.PreviewJson ? PreviewStates(root) : ExportStates(root);
            var byUrn = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (state, _) in states)
            {
                if (Text(state, "urn") is { Length: > 0 } urn)
                {
                    byUrn[urn] = state;
                }
            }
            var forAnalyze = ImmutableArray.CreateBuilder<ResourceSnapshot>();
            var forStack = new List<ResourceSnapshot>();
            foreach (var (state, index) in states)
            {
                var path = format == StateFileFormat.PreviewJson ? $"{basePath}[{index}].newState" : $"{basePath}[{index}]";
                var type = Text(state, "type");
                var urn = Text(state, "urn");
                if (urn is null || UrnProblem(urn) is not null)
                {
                    problems.Add(new StateFileProblem(path + ".urn", urn is null ? "is required: a Pulumi URN string" : UrnProblem(urn)!));
                    continue;
                }
                if (string.IsNullOrEmpty(type))
                {
                    problems.Add(new StateFileProblem(path + ".type", "is required: a resource type token such as kubernetes:apps/v1:Deployment"));
                    continue;
                }
                if (type == "pulumi:pulumi:Stack")
                {
                    continue;
                }
                ObjectValue inputs, outputs;
                ProviderSnapshot? provider;
                try
                {
                    inputs = Properties(state, "inputs");
                    outputs = Properties(state, "outputs");
                    provider = Provider(Text(state, "provider"), byUrn);
                }
                catch (JsonException)
                {
                    // PulumiWireValues bounds property nesting at 256 levels (inputs, outputs, or the provider's inputs).
                    problems.Add(new StateFileProblem(path, "has property values nested deeper than 256 levels (the input limit), in its inputs, outputs or provider"));
                    continue;
                }
                var baseline = new ResourceSnapshot(type, urn, NameOf(urn), inputs,
                    ResourceOptionsSnapshot.Default with { Protect = state.TryGetProperty("protect", out var p) && p.ValueKind == JsonValueKind.True, Parent = Text(state, "parent") },
                    provider, Text(state, "parent"),
                    state.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Array
                        ? [.. deps.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)]
                        : [],
                    PropertyDependencies(state));
                forAnalyze.Add(inputs.Properties.Count > 0 || outputs.Properties.Count == 0 ? baseline : baseline with { Properties = outputs });
                forStack.Add(outputs.Properties.Count > 0 ? baseline with { Properties = outputs } : baseline);
            }
            if (problems.Count > 0)
            {
                throw new StateFileException(problems);
            }
            return new StateFile(forAnalyze.ToImmutable(), new StackSnapshot(forStack));
        }
    }

    /// <summary>Why <paramref name="urn"/> is not a Pulumi URN (<c>urn:pulumi:stack::project::type::name</c>), or null.</summary>
    private static string? UrnProblem(string urn) =>
        urn.Length == 0 ? "must not be empty: a Pulumi URN such as urn:pulumi:dev::neocloud::kubernetes:apps/v1:Deployment::triton"
        : !urn.StartsWith("urn:pulumi:", StringComparison.Ordinal) || urn.LastIndexOf("::", StringComparison.Ordinal) is var i && i < 0 || i + 2 >= urn.Length
            ? "is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)"
            : null;

    private static string NameOf(string urn) => urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..];

    /// <summary>One walk over the document: strings (values and keys) valid Unicode and within the length limit.</summary>
    private static void Validate(JsonElement root, List<StateFileProblem> problems)
    {
        var pending = new Stack<(JsonElement Element, string? Segment, int Parent)>();
        var segments = new List<(string Segment, int Parent)>();
        pending.Push((root, null, -1));
        while (pending.Count > 0 && problems.Count < MaxListedProblems)
        {
            var (element, segment, parent) = pending.Pop();
            segments.Add((segment ?? "$", parent));
            var self = segments.Count - 1;
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        string name;
                        try
                        {
                            name = property.Name;
                        }
                        catch (InvalidOperationException)
                        {
                            problems.Add(new StateFileProblem(PathOf(segments, self), "has a key that is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800)"));
                            continue;
                        }
                        pending.Push((property.Value, Segment(name), self));
                    }
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        pending.Push((item, $"[{i++}]", self));
                    }
                    break;
                case JsonValueKind.String:
                    try
                    {
                        if (element.GetString()!.Length > InputLimits.MaxStateStringLength)
                        {
                            problems.Add(new StateFileProblem(PathOf(segments, self), $"is a string longer than {InputLimits.MaxStateStringLength} characters (the input limit)"));
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        problems.Add(new StateFileProblem(PathOf(segments, self), "is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800)"));
                    }
                    break;
            }
        }
    }

    private static string Segment(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? "." + name : $"[\"{JsonEncodedText.Encode(name)}\"]";

    private static string PathOf(List<(string Segment, int Parent)> segments, int index)
    {
        var parts = new List<string>();
        for (var i = index; i >= 0; i = segments[i].Parent)
        {
            parts.Add(segments[i].Segment);
        }
        parts.Reverse();
        return Shorten(string.Concat(parts));
    }

    private static string Shorten(string path) => path.Length <= 200 ? path : path[..100] + "…" + path[^97..];

    private static (List<(JsonElement State, int Index)> States, string Path) PreviewStates(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array)
        {
            throw new StateFileException([new StateFileProblem("$.steps", "is required: a preview file (pulumi preview --json) has a 'steps' array")]);
        }
        // Steps without a newState (deletes) have nothing to check.
        return ([.. steps.EnumerateArray().Select((s, i) => (s, i))
            .Where(s => s.s.ValueKind == JsonValueKind.Object && s.s.TryGetProperty("newState", out var n) && n.ValueKind == JsonValueKind.Object)
            .Select(s => (s.s.GetProperty("newState"), s.i))], "$.steps");
    }

    private static (List<(JsonElement State, int Index)> States, string Path) ExportStates(JsonElement root)
    {
        var deployment = root;
        var hasDeployment = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("deployment", out deployment);
        deployment = hasDeployment ? deployment : root;
        var path = hasDeployment ? "$.deployment.resources" : "$.resources";
        if (deployment.ValueKind != JsonValueKind.Object || !deployment.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            throw new StateFileException([new StateFileProblem("$.deployment.resources", "is required: a stack export (pulumi stack export) has 'deployment.resources'")]);
        }
        var states = new List<(JsonElement, int)>();
        var problems = new List<StateFileProblem>();
        var i = 0;
        foreach (var r in resources.EnumerateArray())
        {
            if (r.ValueKind == JsonValueKind.Object)
            {
                states.Add((r, i));
            }
            else
            {
                problems.Add(new StateFileProblem($"{path}[{i}]", $"expected a resource object, got {r.ValueKind.ToString().ToLowerInvariant()}"));
            }
            i++;
        }
        return problems.Count > 0 ? throw new StateFileException(problems) : (states, path);
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

/// <summary>One problem of a preview or state file, with its JSON path.</summary>
/// <param name="Path">JSON path, e.g. <c>$.steps[3].newState.urn</c>.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record StateFileProblem(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A preview or state file that cannot be checked; lists every problem (up to <see cref="StateFile.MaxListedProblems"/>) with its JSON path.</summary>
public sealed class StateFileException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public StateFileException(IReadOnlyList<StateFileProblem> problems)
        : base(string.Join("; ", (problems ?? throw new ArgumentNullException(nameof(problems))).Take(3)) + (problems.Count > 3 ? $" (and {problems.Count - 3} more)" : string.Empty))
    {
        Problems = [.. problems];
    }

    /// <summary>Every problem found.</summary>
    public ImmutableArray<StateFileProblem> Problems { get; }
}
