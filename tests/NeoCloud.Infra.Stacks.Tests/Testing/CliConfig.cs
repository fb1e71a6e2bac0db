using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>
/// Converts a <c>Pulumi.&lt;stack&gt;.yaml</c> into the <c>PULUMI_CONFIG</c> document the CLI hands a program: every key
/// of <c>config:</c> → a string; scalars as their text, objects and arrays as JSON text (YAML core-schema types kept
/// inside, quoted scalars stay strings).
/// </summary>
internal static class CliConfig
{
    public static string FromYamlFile(string path) => FromYaml(File.ReadAllText(path));

    public static string FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var result = new JsonObject();
        if (root.Children.TryGetValue(new YamlScalarNode("config"), out var node) && node is YamlMappingNode config)
        {
            foreach (var (key, value) in config.Children)
            {
                result[((YamlScalarNode)key).Value!] = value is YamlScalarNode scalar ? scalar.Value ?? string.Empty : ToJson(value)!.ToJsonString();
            }
        }

        return result.ToJsonString();
    }

    public static string Serialize(IReadOnlyDictionary<string, string> config) => JsonSerializer.Serialize(config);

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode s => Scalar(s),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? string.Empty;
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (text is "" or "null" or "~")
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit)
            ? JsonValue.Create(d)
            : JsonValue.Create(text);
    }
}
