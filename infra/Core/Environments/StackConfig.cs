using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>
/// The <c>neocloud:</c> configuration of one stack, in the form both readers share: key (without the
/// namespace) → JSON value. Built either from the values the Pulumi engine hands a program (strings, with
/// structured values as JSON text) or from a raw <c>Pulumi.&lt;stack&gt;.yaml</c> file, so that the program and the
/// offline plan bind exactly the same model.
/// </summary>
public sealed class StackConfig
{
    /// <summary>The configuration namespace of this library's keys.</summary>
    public const string Namespace = "neocloud";

    /// <summary>Text shown instead of a secret value.</summary>
    public const string SecretPlaceholder = "[secret]";

    private StackConfig(string? stackName, ImmutableSortedDictionary<string, JsonNode?> values, ImmutableSortedSet<string> secretKeys, ImmutableSortedSet<string> otherNamespaceKeys)
    {
        StackName = stackName;
        Values = values;
        SecretKeys = secretKeys;
        OtherNamespaceKeys = otherNamespaceKeys;
    }

    /// <summary>The stack name when known (from the file name <c>Pulumi.&lt;stack&gt;.yaml</c> or the engine).</summary>
    public string? StackName { get; }

    /// <summary>Plain values by key without the namespace (<c>gpuPools</c>). Secret keys map to null.</summary>
    public ImmutableSortedDictionary<string, JsonNode?> Values { get; }

    /// <summary>Keys (without namespace) whose values are secrets; their values are never read by the binder.</summary>
    public ImmutableSortedSet<string> SecretKeys { get; }

    /// <summary>Keys of other namespaces (<c>aws:region</c>, <c>kubernetes:context</c>), kept for display.</summary>
    public ImmutableSortedSet<string> OtherNamespaceKeys { get; }

    /// <summary>
    /// Reads configuration the way the Pulumi engine hands it to a program: fully qualified keys
    /// (<c>neocloud:gpuPools</c>) → string values, where objects and arrays are JSON text and scalars are plain text.
    /// </summary>
    /// <param name="config">The engine's configuration map (e.g. the PULUMI_CONFIG document).</param>
    /// <param name="secretKeys">Fully qualified keys whose values are secrets.</param>
    /// <param name="stackName">The stack name, if known.</param>
    public static StackConfig FromEngine(IReadOnlyDictionary<string, string> config, IEnumerable<string>? secretKeys = null, string? stackName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var secrets = (secretKeys ?? []).ToHashSet(StringComparer.Ordinal);
        var values = ImmutableSortedDictionary.CreateBuilder<string, JsonNode?>(StringComparer.Ordinal);
        var secretSet = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var others = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var (fullKey, raw) in config)
        {
            if (!TrySplit(fullKey, out var key))
            {
                others.Add(fullKey);
                continue;
            }

            if (secrets.Contains(fullKey))
            {
                secretSet.Add(key);
                values[key] = null;
                continue;
            }

            values[key] = ParseEngineValue(raw);
        }

        return new StackConfig(stackName, values.ToImmutable(), secretSet.ToImmutable(), others.ToImmutable());
    }

    /// <summary>Reads a <c>Pulumi.&lt;stack&gt;.yaml</c> file; the stack name comes from the file name.</summary>
    /// <exception cref="EnvironmentConfigException">The file is not valid YAML or has no usable <c>config:</c> map.</exception>
    public static StackConfig FromYamlFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fileName = Path.GetFileName(path);
        string? stack = null;
        if (fileName.StartsWith("Pulumi.", StringComparison.Ordinal) && (fileName.EndsWith(".yaml", StringComparison.Ordinal) || fileName.EndsWith(".yml", StringComparison.Ordinal)))
        {
            stack = fileName["Pulumi.".Length..fileName.LastIndexOf('.')];
        }

        return FromYaml(File.ReadAllText(path), stack, fileName);
    }

    /// <summary>Reads the text of a <c>Pulumi.&lt;stack&gt;.yaml</c> file.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="stackName">The stack name, if known.</param>
    /// <param name="sourceName">Name used in error messages (a file name).</param>
    /// <exception cref="EnvironmentConfigException">The text is not valid YAML or has no usable <c>config:</c> map.</exception>
    public static StackConfig FromYaml(string yaml, string? stackName = null, string sourceName = "stack file")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new EnvironmentConfigException([new ConfigError(sourceName, $"is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {ex.InnerException?.Message ?? ex.Message}")]);
        }

        var values = ImmutableSortedDictionary.CreateBuilder<string, JsonNode?>(StringComparer.Ordinal);
        var secretSet = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var others = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new EnvironmentConfigException([new ConfigError(sourceName, "must be a YAML mapping with a 'config:' key")]);
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode))
        {
            return new StackConfig(stackName, values.ToImmutable(), secretSet.ToImmutable(), others.ToImmutable());
        }

        if (configNode is not YamlMappingNode config)
        {
            throw new EnvironmentConfigException([new ConfigError(sourceName + ": config", "must be a mapping of 'namespace:key' to values")]);
        }

        foreach (var (keyNode, valueNode) in config.Children)
        {
            var fullKey = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (!TrySplit(fullKey, out var key))
            {
                others.Add(fullKey);
                continue;
            }

            if (IsSecure(valueNode) || ContainsSecure(valueNode))
            {
                secretSet.Add(key);
                values[key] = null;
                continue;
            }

            // The engine hands top-level scalars to a program as text; objects and arrays keep their YAML types.
            values[key] = valueNode is YamlScalarNode scalar ? (scalar.Value is null ? null : JsonValue.Create(scalar.Value)) : ToJson(valueNode);
        }

        return new StackConfig(stackName, values.ToImmutable(), secretSet.ToImmutable(), others.ToImmutable());
    }

    private static bool TrySplit(string fullKey, out string key)
    {
        var prefix = Namespace + ":";
        if (fullKey.StartsWith(prefix, StringComparison.Ordinal) && fullKey.Length > prefix.Length)
        {
            key = fullKey[prefix.Length..];
            return true;
        }

        key = string.Empty;
        return false;
    }

    private static JsonNode? ParseEngineValue(string raw)
    {
        var trimmed = raw.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(raw);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: the binder reports it as a string where a structure was expected.
            }
        }

        return JsonValue.Create(raw);
    }

    private static bool IsSecure(YamlNode node) =>
        node is YamlMappingNode map && map.Children.Count == 1 && map.Children.ContainsKey(new YamlScalarNode("secure"));

    private static bool ContainsSecure(YamlNode node) => node switch
    {
        YamlMappingNode map => IsSecure(map) || map.Children.Values.Any(ContainsSecure),
        YamlSequenceNode seq => seq.Children.Any(ContainsSecure),
        _ => false,
    };

    /// <summary>Converts YAML to JSON with the YAML 1.2 core schema for plain scalars (quoted scalars stay strings).</summary>
    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    obj[((YamlScalarNode)k).Value ?? string.Empty] = ToJson(v);
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(ToJson(item));
                }

                return arr;
            case YamlScalarNode scalar:
                return ScalarToJson(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }
}
