using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Provider.Tests;

/// <summary>
/// The TypeScript and Python programs of infra/Provider/README.md use only names the schema snapshot has: each
/// component, each input property (camelCase in TypeScript, snake_case in Python, as Pulumi's code generators name
/// them), the properties of nested input objects, and each output read. No Pulumi CLI runs here, so the examples are not
/// type-checked against a generated SDK; this catches a renamed or removed property, which is what breaks them.
/// </summary>
public sealed partial class ReadmeExamplesTests
{
    private static readonly string Readme = File.ReadAllText(RepoRoot.PathOf("infra/Provider/README.md")).ReplaceLineEndings("\n");

    private static readonly JsonObject Schema = JsonNode.Parse(File.ReadAllText(SchemaSnapshotTests.SnapshotPath))!.AsObject();

    public static TheoryData<string> Languages() => ["typescript", "python"];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_name_of_the_example_is_in_the_schema(string language)
    {
        var code = Assert.Single(CodeBlocks(language));
        var python = language == "python";
        var failures = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var constructions = python ? PythonConstruction().Matches(code) : TypeScriptConstruction().Matches(code);
        Assert.NotEmpty(constructions);
        foreach (Match m in constructions)
        {
            var (variable, component) = (m.Groups["var"].Value, m.Groups["type"].Value);
            var token = $"neocloud:index:{component}";
            if (Schema["resources"]?[token] is not JsonObject resource)
            {
                failures.Add($"{component}: no resource {token} in schema.json");
                continue;
            }

            variables[variable] = token;
            var body = Balanced(code, m.Index + m.Length - 1);
            foreach (var (key, nested) in TopLevelArguments(body, python))
            {
                var name = python ? Camel(key) : key;
                if (resource["inputProperties"]?[name] is not JsonObject property)
                {
                    failures.Add($"{component}: input {key} is not in schema.json (inputs: {string.Join(", ", resource["inputProperties"]!.AsObject().Select(p => p.Key))})");
                    continue;
                }

                if (nested is not null && Referenced(property) is { } type)
                {
                    foreach (var inner in NestedKeys(nested, python))
                    {
                        if (type["properties"]?[python ? Camel(inner) : inner] is null)
                        {
                            failures.Add($"{component}.{key}: property {inner} is not in schema.json's {property["$ref"]}");
                        }
                    }
                }
            }
        }

        // Outputs read from the components (h100.placement, llama.grpcEndpoint / grpc_endpoint).
        foreach (Match read in OutputRead().Matches(code))
        {
            if (variables.TryGetValue(read.Groups["var"].Value, out var token))
            {
                var output = python ? Camel(read.Groups["prop"].Value) : read.Groups["prop"].Value;
                if (Schema["resources"]![token]!["properties"]?[output] is null)
                {
                    failures.Add($"{token}: output {read.Groups["prop"].Value} is not in schema.json");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_misspelt_input_is_caught()
    {
        var code = Assert.Single(CodeBlocks("typescript")).Replace("    maxSize: 4,", "    maxNodes: 4,", StringComparison.Ordinal);
        var m = TypeScriptConstruction().Match(code);
        var keys = TopLevelArguments(Balanced(code, m.Index + m.Length - 1), python: false).Select(a => a.Key).ToList();

        Assert.Contains("maxNodes", keys);
        Assert.Null(Schema["resources"]!["neocloud:index:GpuNodePool"]!["inputProperties"]!["maxNodes"]);
    }

    private static IEnumerable<string> CodeBlocks(string language) =>
        Regex.Matches(Readme, $"```{language}\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value);

    /// <summary>The text between the bracket at <paramref name="open"/> and its match.</summary>
    private static string Balanced(string code, int open)
    {
        var (opening, closing) = code[open] == '(' ? ('(', ')') : ('{', '}');
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            depth += code[i] == opening ? 1 : code[i] == closing ? -1 : 0;
            if (depth == 0)
            {
                return code[(open + 1)..i];
            }
        }

        throw new InvalidOperationException("unbalanced brackets in the README example");
    }

    /// <summary>The top-level <c>key: value</c> / <c>key=value</c> arguments, with the text of an inline nested object.</summary>
    private static IEnumerable<(string Key, string? Nested)> TopLevelArguments(string body, bool python)
    {
        foreach (Match a in (python ? PythonArgument() : TypeScriptArgument()).Matches(body))
        {
            var key = a.Groups["key"].Value;
            if (python && key == "opts")
            {
                continue;
            }

            var after = a.Index + a.Length;
            var open = body.IndexOfAny(python ? ['('] : ['{'], after);
            var lineEnd = body.IndexOf('\n', after);
            string? nested = open >= 0 && (lineEnd < 0 || open < lineEnd) ? Balanced(body, open) : null;
            yield return (key, nested);
        }
    }

    private static IEnumerable<string> NestedKeys(string nested, bool python) =>
        Regex.Matches(nested, python ? @"(\w+)=" : @"(\w+):").Select(m => m.Groups[1].Value);

    private static JsonObject? Referenced(JsonObject property) =>
        property["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/types/", StringComparison.Ordinal)
            ? Schema["types"]?[reference["#/types/".Length..]] as JsonObject
            : null;

    /// <summary>snake_case → camelCase, the inverse of the Python generator's naming of a camelCase schema property.</summary>
    private static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    [GeneratedRegex(@"const (?<var>\w+) = new neocloud\.(?<type>\w+)\(""[^""]*"", \{")]
    private static partial Regex TypeScriptConstruction();

    [GeneratedRegex(@"(?<var>\w+) = neocloud\.(?<type>\w+)\(")]
    private static partial Regex PythonConstruction();

    [GeneratedRegex(@"(?m)^    (?<key>\w+):")]
    private static partial Regex TypeScriptArgument();

    [GeneratedRegex(@"(?m)^    (?<key>\w+)=")]
    private static partial Regex PythonArgument();

    [GeneratedRegex(@"\b(?<var>\w+)\.(?<prop>[a-z]\w*)\b")]
    private static partial Regex OutputRead();
}
