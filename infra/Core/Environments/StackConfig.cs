using System.Collections.Immutable;
using System.Text.Json.Nodes;

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

    private StackConfig(string? stackName, ImmutableSortedDictionary<string, JsonNode?> values, ImmutableSortedSet<string> secretKeys, ImmutableSortedSet<string> otherNamespaceKeys, ImmutableSortedSet<string>? secretPaths = null, bool secretKeysReadable = false)
    {
        StackName = string.IsNullOrEmpty(stackName) ? null : stackName;
        Values = values;
        SecretKeys = secretKeys;
        OtherNamespaceKeys = otherNamespaceKeys;
        SecretPaths = secretPaths ?? ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal);
        SecretKeysReadable = secretKeysReadable;
    }

    /// <summary>The stack name when known (from the file name <c>Pulumi.&lt;stack&gt;.yaml</c> or the engine); never empty.</summary>
    public string? StackName { get; }

    /// <summary>
    /// Values by key without the namespace (<c>gpuPools</c>). A secret key maps to null unless its plaintext is known
    /// (<see cref="SecretKeysReadable"/>: the engine decrypted it and it is one of the binder's keys); a <c>secure:</c>
    /// value inside a key is <see cref="SecretPlaceholder"/> at one of the <see cref="SecretPaths"/>.
    /// </summary>
    public ImmutableSortedDictionary<string, JsonNode?> Values { get; }

    /// <summary>Keys (without namespace) whose whole value is a secret.</summary>
    public ImmutableSortedSet<string> SecretKeys { get; }

    /// <summary>
    /// True when the values of <see cref="SecretKeys"/> are plaintext (the engine decrypted them for the program): the
    /// binder reads them and keeps every value read from them out of messages. False for a stack file, whose secrets are
    /// ciphertext that no offline tool can read.
    /// </summary>
    public bool SecretKeysReadable { get; }

    /// <summary>
    /// Key paths of single <c>secure:</c> values inside a key (<c>neocloud:serving[0].model</c>), from a stack file: the
    /// value is ciphertext, so the tree holds <see cref="SecretPlaceholder"/> there and the binder decides per key
    /// whether a secret is allowed.
    /// </summary>
    public ImmutableSortedSet<string> SecretPaths { get; }

    /// <summary>Keys of other namespaces (<c>aws:region</c>, <c>kubernetes:context</c>), kept for display.</summary>
    public ImmutableSortedSet<string> OtherNamespaceKeys { get; }

    /// <summary>
    /// Reads configuration the way the Pulumi engine hands it to a program: fully qualified keys
    /// (<c>neocloud:gpuPools</c>) → string values, where objects and arrays are JSON text and scalars are plain text.
    /// The engine marks secrets per top-level key (a <c>--path --secret</c> value makes its whole key secret) and hands
    /// their plaintext: the binder reads secret keys it knows and keeps their values out of every message.
    /// </summary>
    /// <param name="config">The engine's configuration map (e.g. the PULUMI_CONFIG document).</param>
    /// <param name="secretKeys">Fully qualified keys whose values are secrets.</param>
    /// <param name="stackName">The stack name, if known.</param>
    /// <exception cref="EnvironmentConfigException">A value is over an input limit or is not valid Unicode.</exception>
    public static StackConfig FromEngine(IReadOnlyDictionary<string, string> config, IEnumerable<string>? secretKeys = null, string? stackName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var secrets = (secretKeys ?? []).ToHashSet(StringComparer.Ordinal);
        var values = ImmutableSortedDictionary.CreateBuilder<string, JsonNode?>(StringComparer.Ordinal);
        var secretSet = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var others = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var errors = new List<ConfigError>();
        foreach (var (fullKey, raw) in config)
        {
            if (!TrySplit(fullKey, out var key))
            {
                others.Add(fullKey);
                continue;
            }

            var secret = secrets.Contains(fullKey);
            if (secret)
            {
                secretSet.Add(key);
                if (!EnvironmentBinder.Keys.Contains(key))
                {
                    values[key] = null; // e.g. a kubeconfig referenced by secretKey: read by the program, never by the binder
                    continue;
                }
            }

            if (raw.Length > InputLimits.MaxConfigStringLength)
            {
                errors.Add(new ConfigError(fullKey, $"is {raw.Length} characters long; the input limit is {InputLimits.MaxConfigStringLength}"));
                continue;
            }

            if (YamlConfigReader.HasLoneSurrogate(raw))
            {
                errors.Add(new ConfigError(fullKey, "contains invalid Unicode (a lone UTF-16 surrogate)"));
                continue;
            }

            values[key] = ParseEngineValue(fullKey, raw, errors);
        }

        return errors.Count > 0
            ? throw new EnvironmentConfigException(errors)
            : new StackConfig(stackName, values.ToImmutable(), secretSet.ToImmutable(), others.ToImmutable(), secretKeysReadable: true);
    }

    /// <summary>Reads a <c>Pulumi.&lt;stack&gt;.yaml</c> file; the stack name comes from the file name.</summary>
    /// <exception cref="EnvironmentConfigException">
    /// The file is not a regular file, is over <see cref="InputLimits.MaxConfigFileBytes"/>, is not valid YAML, or has no
    /// usable <c>config:</c> map.
    /// </exception>
    public static StackConfig FromYamlFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileName = InputLimits.PathProblem(path) is null ? Path.GetFileName(path) : "stack file";
        string? stack = null;
        if (fileName.StartsWith("Pulumi.", StringComparison.Ordinal) && (fileName.EndsWith(".yaml", StringComparison.Ordinal) || fileName.EndsWith(".yml", StringComparison.Ordinal)))
        {
            stack = fileName["Pulumi.".Length..fileName.LastIndexOf('.')];
        }

        return FromYaml(InputLimits.ReadRegularTextFile(path, InputLimits.MaxConfigFileBytes, fileName), stack, fileName);
    }

    /// <summary>Reads the text of a <c>Pulumi.&lt;stack&gt;.yaml</c> file.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="stackName">The stack name, if known.</param>
    /// <param name="sourceName">Name used in error messages (a file name).</param>
    /// <exception cref="EnvironmentConfigException">
    /// The text is not valid YAML, exceeds an input limit (<see cref="InputLimits"/>), has a problem the reader finds
    /// (a non-scalar or duplicate key, a recursive alias, an overflowing number: every one with its key path), or has
    /// no usable <c>config:</c> map.
    /// </exception>
    public static StackConfig FromYaml(string yaml, string? stackName = null, string sourceName = "stack file")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var read = YamlConfigReader.Read(yaml, sourceName);
        if (read.Errors.Count > 0)
        {
            throw new EnvironmentConfigException(read.Errors);
        }

        var values = ImmutableSortedDictionary.CreateBuilder<string, JsonNode?>(StringComparer.Ordinal);
        var secretSet = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var secretPaths = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var others = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        if (!read.HasDocument || read.Root is not JsonObject root)
        {
            throw new EnvironmentConfigException([new ConfigError(sourceName, "must be a YAML mapping with a 'config:' key")]);
        }

        if (!root.TryGetPropertyValue("config", out var configNode) || configNode is null)
        {
            return new StackConfig(stackName, values.ToImmutable(), secretSet.ToImmutable(), others.ToImmutable());
        }

        if (configNode is not JsonObject config)
        {
            throw new EnvironmentConfigException([new ConfigError(sourceName + ": config", "must be a mapping of 'namespace:key' to values")]);
        }

        foreach (var (fullKey, value) in config)
        {
            if (!TrySplit(fullKey, out var key))
            {
                others.Add(fullKey);
                continue;
            }

            if (read.SecretPaths.Contains(fullKey))
            {
                secretSet.Add(key);
                values[key] = null;
                continue;
            }

            values[key] = value?.DeepClone();
        }

        foreach (var path in read.SecretPaths)
        {
            if (TrySplit(path, out var rest) && rest.IndexOfAny(['.', '[']) > 0)
            {
                secretPaths.Add(path);
            }
        }

        return new StackConfig(stackName, values.ToImmutable(), secretSet.ToImmutable(), others.ToImmutable(), secretPaths.ToImmutable());
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

    /// <summary>The key path of the first string (or key) of <paramref name="node"/> that is not valid UTF-16, or null.</summary>
    private static string? InvalidStringPath(JsonNode? node, string path)
    {
        var pending = new Stack<(JsonNode? Node, string Path)>();
        pending.Push((node, path));
        while (pending.Count > 0)
        {
            var (current, at) = pending.Pop();
            switch (current)
            {
                case JsonObject o:
                    foreach (var (key, child) in o)
                    {
                        if (YamlConfigReader.HasLoneSurrogate(key))
                        {
                            return at;
                        }

                        pending.Push((child, $"{at}.{key}"));
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        pending.Push((a[i], $"{at}[{i}]"));
                    }

                    break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    try
                    {
                        if (YamlConfigReader.HasLoneSurrogate(v.GetValue<string>()))
                        {
                            return at;
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        return at;
                    }

                    break;
            }
        }

        return null;
    }

    private static JsonNode? ParseEngineValue(string fullKey, string raw, List<ConfigError> errors)
    {
        var trimmed = raw.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                var node = JsonNode.Parse(raw, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = InputLimits.MaxConfigDepth });
                if (InvalidStringPath(node, fullKey) is { } invalid)
                {
                    errors.Add(new ConfigError(invalid, "contains an invalid Unicode escape (a lone UTF-16 surrogate such as \\ud800)"));
                    return null;
                }

                return node;
            }
            catch (InvalidOperationException)
            {
                // A key with a lone surrogate escape: System.Text.Json cannot decode it.
                errors.Add(new ConfigError(fullKey, "contains an invalid Unicode escape (a lone UTF-16 surrogate such as \\ud800)"));
                return null;
            }
            catch (System.Text.Json.JsonException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new ConfigError(fullKey, $"nests mappings and lists deeper than {InputLimits.MaxConfigDepth} levels (the input limit)"));
                return null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: the binder reports it as a string where a structure was expected.
            }
        }

        return JsonValue.Create(raw);
    }
}
