using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NeoCloud.Infra.Tests.Shared;

/// <summary>
/// The mistakes real users make, as deterministic mutations of a stack file or a preview/state file, for the property
/// tests (tests/*/...PropertyTests.cs) and the acceptance bench (bench/NeoCloud.Infra.Robustness.Bench): type swaps,
/// deletions, duplications, huge/negative/NaN/overflowing numbers, <c>secure:</c> values at any position, broken
/// syntax, deep nesting, alias tricks and invalid Unicode. A secret value always holds <see cref="Canary"/>, which no
/// output may contain.
/// </summary>
public static class InputMutator
{
    /// <summary>Marks every secret value the mutations insert.</summary>
    public const string Canary = "CANARY-5e3b9f";

    /// <summary>Pulumi's signature key and secret signature (sdk/go/common/resource/properties.go).</summary>
    private const string SigKey = "4dabf18193072939515e22adb298388d";
    private const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";

    private static readonly string[] WeirdScalars =
    [
        "1e999", "-1e999", ".nan", ".inf", "NaN", "-1", "-2147483649", "0", "1e29", "99999999999999999999", "-0", "0.0000001",
        "true", "null", "~", "[]", "{}", "\"\"", "''", "[a, [b, [c]]]", "{a: {b: 1}}", "&anchor 1", "*anchor", "!!binary AAAA",
        "\"\\ud800\"", "\"\\x00\"", "'unterminated", "\"unterminated", "0x1F", "1_000", "+12", "1.5", "-0.5", "yes", "on",
        "2026-12-01", "\"a\\tb\"", "|", ">", "- item", "? key", "@", "`", "%TAG", new string('x', 5000),
    ];

    private static readonly string[] Breakers = ["[", "]", "{", "}", ":", "- ", "\t", "&a ", "*a ", "!", "%", "@", "`", "|", ">", "#", "'", "\"", ",", "? ", "\n", "\r\n", "\0", "\ud800"];

    /// <summary>
    /// Applies <paramref name="mutations"/> random line-level mutations to a stack file, then (sometimes) one secret at a
    /// random value. With 0 mutations, only free-text values that may be secret (model, group, storageClass, packConfig)
    /// become secrets: the stack must stay valid and keep every entry.
    /// </summary>
    public static string MutateYaml(string text, Random random, int mutations)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (mutations == 0)
        {
            var free = Enumerable.Range(0, lines.Count).Where(k => lines[k].TrimStart().TrimStart('-', ' ') is var t
                && (t.StartsWith("model: ", StringComparison.Ordinal) || t.StartsWith("group: ", StringComparison.Ordinal) || t.StartsWith("storageClass: ", StringComparison.Ordinal) || t.StartsWith("packConfig: ", StringComparison.Ordinal))).ToList();
            foreach (var k in free.Where(_ => random.Next(2) == 0))
            {
                lines[k] = ReplaceValue(lines[k], "{secure: v1:" + Canary + "-" + k.ToString(CultureInfo.InvariantCulture) + "}");
            }

            return string.Join('\n', lines);
        }

        for (var m = 0; m < mutations && lines.Count > 0; m++)
        {
            var i = random.Next(lines.Count);
            var line = lines[i];
            switch (random.Next(12))
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(i, line);
                    break;
                case 2 or 3:
                    lines[i] = ReplaceValue(line, Pick(random, WeirdScalars));
                    break;
                case 4:
                    lines[i] = ReplaceValue(line, random.Next(2) == 0 ? "[" + ValueOf(line) + "]" : "{a: " + ValueOf(line) + "}");
                    break;
                case 5:
                    var at = random.Next(line.Length + 1);
                    lines[i] = line[..at] + Pick(random, Breakers) + line[at..];
                    break;
                case 6:
                    lines[i] = random.Next(2) == 0 ? "  " + line : line.TrimStart().PadLeft(Math.Max(0, line.Length - line.TrimStart().Length - 2) + line.TrimStart().Length);
                    break;
                case 7:
                    var j = random.Next(lines.Count);
                    (lines[i], lines[j]) = (lines[j], line);
                    break;
                case 8:
                    lines[i] = ReplaceKey(line, Pick(random, ["? [a]", "[x]", "\"\"", "neocloud:", "neocloud:gpuPools", "*a", "&a k", "k k", "1"]));
                    break;
                case 9:
                    // Deep nesting in one value.
                    var depth = random.Next(2) == 0 ? random.Next(10, 70) : random.Next(1_000, 40_000);
                    lines[i] = ReplaceValue(line, new string('[', depth) + new string(']', depth));
                    break;
                case 10:
                    // A block of the file repeated (duplicated list items, keys).
                    var n = Math.Min(random.Next(1, 8), lines.Count - i);
                    lines.InsertRange(i, lines.GetRange(i, n));
                    break;
                default:
                    // Truncation.
                    lines.RemoveRange(i, lines.Count - i);
                    break;
            }
        }

        if (random.Next(3) == 0 && lines.Count > 0)
        {
            // A secret at a random value position (the last mutation, so that no line edit breaks it apart).
            var candidates = Enumerable.Range(0, lines.Count).Where(k => ValueOf(lines[k]).Length > 0).ToList();
            if (candidates.Count > 0)
            {
                var k = candidates[random.Next(candidates.Count)];
                lines[k] = ReplaceValue(lines[k], "{secure: v1:" + Canary + "-" + k.ToString(CultureInfo.InvariantCulture) + "}");
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Applies structural mutations to a preview/state JSON document, then (sometimes) text-level corruption.</summary>
    public static string MutateJson(string json, Random random, int mutations)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(random);
        var root = JsonNode.Parse(json)!;
        var withSecret = false;
        for (var m = 0; m < mutations; m++)
        {
            var nodes = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)>();
            Collect(root, null, null, -1, nodes, 0);
            var (parent, key, index, node) = nodes[random.Next(nodes.Count)];
            JsonNode? replacement = random.Next(14) switch
            {
                0 => null,
                1 => JsonValue.Create(""),
                2 => JsonValue.Create(Pick(random, ["\ud800", "\udc00x", "a\0b", new string('y', 20_000), "urn:pulumi:", "::", "urn"])),
                3 => JsonNode.Parse(Pick(random, ["1e308", "-1e308", "0", "-1", "4294967296", "1.5", "true", "false", "null"])),
                4 => new JsonArray(),
                5 => new JsonObject(),
                6 => Nest(random.Next(2) == 0 ? random.Next(250, 270) : random.Next(300, 1_000), random.Next(2) == 0),
                7 => Secret(node?.DeepClone() ?? JsonValue.Create(Canary), ref withSecret),
                8 => Secret(JsonValue.Create(Canary + "-value"), ref withSecret),
                9 => node is JsonObject o && o.Count > 0 ? JsonValue.Create(o.ToJsonString()) : JsonValue.Create(1),
                10 => new JsonArray(node?.DeepClone()),
                11 => new JsonObject { [SigKey] = JsonValue.Create(Pick(random, [SecretSig, "5cf8f73096256a8f31e491e813e4eb8e", "c44067f5952c0a294b673a41bacd8c17", "x"])) },
                12 => JsonValue.Create(Pick(random, ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"])),
                _ => node?.DeepClone(),
            };
            switch (parent)
            {
                case JsonObject o when key is not null:
                    if (random.Next(5) == 0)
                    {
                        o.Remove(key);
                    }
                    else
                    {
                        o[key] = replacement;
                    }

                    break;
                case JsonArray a when index >= 0:
                    if (random.Next(4) == 0)
                    {
                        a.Insert(index, node?.DeepClone()); // duplication
                    }
                    else
                    {
                        a[index] = replacement;
                    }

                    break;
                default:
                    root = replacement ?? new JsonObject();
                    break;
            }
        }

        var text = root.ToJsonString(new System.Text.Json.JsonSerializerOptions { MaxDepth = 100_000 });
        if (!withSecret && random.Next(3) == 0)
        {
            // Text-level corruption: truncation, stray characters, an invalid escape.
            var at = random.Next(text.Length + 1);
            text = random.Next(3) switch
            {
                0 => text[..at],
                1 => text[..at] + Pick(random, ["{", "[", "\"", ",", ":", "\\ud800", "\\u12", "\\", "\u0001", "]]]", "}"]) + text[at..],
                _ => text.Replace("\"urn\"", random.Next(2) == 0 ? "\"urn\":\"\",\"x\"" : "\"urn\":\"\\ud800\",\"x\"", StringComparison.Ordinal),
            };
        }

        return text;
    }

    /// <summary>Counts of top-level list entries of a stack file, read with YamlDotNet's own representation model (the oracle for "no value dropped").</summary>
    public static int CountOf(string text, string key)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode;
        var config = (YamlDotNet.RepresentationModel.YamlMappingNode)root.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("config")];
        return config.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode(key), out var node) && node is YamlDotNet.RepresentationModel.YamlSequenceNode seq ? seq.Children.Count : 0;
    }

    private static JsonNode Secret(JsonNode? inner, ref bool withSecret)
    {
        withSecret = true;
        var value = inner is JsonValue v && v.TryGetValue<string>(out var s) ? JsonValue.Create(Canary + "-" + s) : (JsonNode)JsonValue.Create(Canary);
        return new JsonObject { [SigKey] = JsonValue.Create(SecretSig), ["value"] = value };
    }

    private static JsonNode Nest(int depth, bool objects)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            sb.Append(objects ? "{\"a\":" : "[");
        }

        sb.Append('1');
        for (var i = 0; i < depth; i++)
        {
            sb.Append(objects ? '}' : ']');
        }

        return JsonNode.Parse(sb.ToString(), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 2_000 })!;
    }

    private static void Collect(JsonNode? node, JsonNode? parent, string? key, int index, List<(JsonNode?, string?, int, JsonNode?)> into, int depth)
    {
        into.Add((parent, key, index, node));
        if (depth > 40)
        {
            return;
        }

        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    Collect(v, o, k, -1, into, depth + 1);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Collect(a[i], a, null, i, into, depth + 1);
                }

                break;
        }
    }

    private static string ValueOf(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? string.Empty : line[(colon + 2)..];
    }

    private static string ReplaceValue(string line, string value)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon >= 0)
        {
            return line[..(colon + 2)] + value;
        }

        var dash = line.IndexOf("- ", StringComparison.Ordinal);
        return dash >= 0 ? line[..(dash + 2)] + value : line + value;
    }

    private static string ReplaceKey(string line, string key)
    {
        var indent = line.Length - line.TrimStart().Length;
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? line : new string(' ', indent) + key + line[colon..];
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
