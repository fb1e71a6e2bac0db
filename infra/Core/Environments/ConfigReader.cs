using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>
/// Collects every configuration problem found while binding, in the order found. Every message is checked against the
/// secret values read so far (<see cref="ConfigSecrets"/>) and shows <see cref="StackConfig.SecretPlaceholder"/> instead.
/// </summary>
internal sealed partial class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    public ConfigErrors(ConfigSecrets? secrets = null) => Secrets = secrets ?? ConfigSecrets.None;

    public int Count => _errors.Count;

    public IReadOnlyList<ConfigError> All => _errors;

    public ConfigSecrets Secrets { get; }

    /// <summary>
    /// Adds a problem; control characters (a newline in a quoted value) are escaped so that each problem stays one line.
    /// A <see cref="ConfigErrorSource.Reference"/> problem that is a recorded planner problem is classified
    /// <see cref="ConfigErrorSource.Spec"/> (see <see cref="Record"/>).
    /// </summary>
    /// <param name="path">The key path.</param>
    /// <param name="message">What was wrong and what is allowed.</param>
    /// <param name="source">Where the rule lives: the reader's (<see cref="ConfigErrorSource.Shape"/>,
    /// <see cref="ConfigErrorSource.UnknownKey"/>) or, by default, the binder's own.</param>
    public void Add(string path, string message, ConfigErrorSource source = ConfigErrorSource.Reference)
    {
        var (traced, text) = source == ConfigErrorSource.Reference && FromSpec(path, message) is { } spec
            ? (spec, spec.Check!.Render(message))
            : (new TracedError(null!, source, null, null), message);
        var error = new ConfigError(OneLine(path), OneLine(Secrets.Redact(text)));
        _errors.Add(error);
        _traced.Add(traced with { Error = error });
    }

    /// <summary><paramref name="text"/> with control characters written as escapes (\n, \t, \u0000).</summary>
    internal static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}

/// <summary>Whether a key may hold a secret (<c>secure:</c>) value.</summary>
internal enum SecretUse
{
    /// <summary>A name, reference, number or setting the binder must read: a secret is an error.</summary>
    Forbidden,

    /// <summary>Free text (a model id, an IdP group, a storage class ...): a secret binds as <see cref="StackConfig.SecretPlaceholder"/>.</summary>
    Allowed,
}

/// <summary>
/// The secrets of one binding run, per value: the paths of <c>secure:</c> values of a stack file (ciphertext, unreadable
/// offline) and the keys the engine marks secret (plaintext: read, checked, and every value read from them kept out of
/// messages).
/// </summary>
internal sealed class ConfigSecrets
{
    /// <summary>The keys that accept a secret value, for messages.</summary>
    public const string AllowedKeys = "tenants[].group, policy.packConfig, clusters[].kubeconfig.path/context, clusters[].existing.clusterName/nodeSubnetIds and the storageClass keys";

    private readonly StackConfig? _config;
    private readonly SortedSet<string> _values = new(StringComparer.Ordinal);

    public ConfigSecrets(StackConfig? config) => _config = config;

    public static ConfigSecrets None { get; } = new(null);

    /// <summary>Plaintext secret values read into the model (engine configuration only).</summary>
    public IReadOnlySet<string> Values => _values;

    /// <summary>True for a <c>secure:</c> value of a stack file: its place is known, its value is not.</summary>
    public bool IsUnreadable(string path) => _config is not null && _config.SecretPaths.Contains(path);

    /// <summary>True when the value at <paramref name="path"/> is secret, readable or not.</summary>
    public bool IsSecret(string path) => IsUnreadable(path)
        || (_config is { SecretKeysReadable: true } && _config.SecretKeys.Contains(TopKey(path)));

    /// <summary>Records a plaintext secret read from the configuration.</summary>
    public void Reveal(string value)
    {
        if (value.Length > 0 && value != StackConfig.SecretPlaceholder)
        {
            _values.Add(value);
        }
    }

    /// <summary><paramref name="message"/> with every secret value read so far replaced by <see cref="StackConfig.SecretPlaceholder"/>.</summary>
    public string Redact(string message)
    {
        foreach (var value in _values.OrderByDescending(v => v.Length))
        {
            message = message.Replace(value, StackConfig.SecretPlaceholder, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary><see cref="ConfigObject.Describe"/>, or "a secret value" when the value at <paramref name="path"/> is secret.</summary>
    public string Show(string path, JsonNode? node) => IsSecret(path) ? "a secret value" : ConfigObject.Describe(node);

    public static string ForbiddenMessage(string what) =>
        $"is a secret (secure:), but {what} must be a plain value: neocloud checks and plans with it; only free text may be secret ({AllowedKeys})";

    private static string TopKey(string path)
    {
        var prefix = StackConfig.Namespace + ":";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var end = path.IndexOfAny(['.', '['], prefix.Length);
        return end < 0 ? path[prefix.Length..] : path[prefix.Length..end];
    }
}

/// <summary>
/// A JSON object of the configuration with its key path. Reads typed values, reports wrong types, missing
/// and unknown keys to <see cref="ConfigErrors"/> and returns null instead of throwing, so one bind reports
/// every problem at once.
/// </summary>
internal sealed class ConfigObject
{
    private readonly JsonObject _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigObject(string path, JsonObject node, ConfigErrors errors)
    {
        Path = path;
        _node = node;
        Errors = errors;
    }

    public string Path { get; }

    public ConfigErrors Errors { get; }

    public string At(string key) => $"{Path}.{key}";

    public bool Has(string key) => _node.ContainsKey(key) && _node[key] is not null;


    private static bool TryText(JsonValue v, out string text)
    {
        try
        {
            text = v.GetValue<string>();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }
    /// <summary>Reports keys that no reader asked for, with the allowed keys: a typo must not pass silently.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (key, _) in _node)
        {
            if (!_read.Contains(key))
            {
                Errors.Add(At(key), $"unknown key; allowed keys: {string.Join(", ", _read.Order(StringComparer.Ordinal))}", ConfigErrorSource.UnknownKey);
            }
        }
    }

    public string? String(string key, bool required = false, Regex? pattern = null, string? patternHint = null, SecretUse secret = SecretUse.Forbidden)
    {
        var node = Get(key, required, secret, "this value");
        if (node is null)
        {
            return null;
        }

        var path = At(key);
        if (Errors.Secrets.IsUnreadable(path))
        {
            return StackConfig.SecretPlaceholder; // allowed here; never printed as anything else
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            if (!TryText(v, out var s))
            {
                // e.g. a lone UTF-16 surrogate escape ("\ud800") in engine JSON: not text any .NET string can hold.
                Errors.Add(path, "is not valid text (an unpaired UTF-16 surrogate escape)", ConfigErrorSource.Shape);
                return null;
            }

            if (s.Length == 0)
            {
                Errors.Add(path, "must not be empty", ConfigErrorSource.Shape);
                return null;
            }

            var isSecret = Errors.Secrets.IsSecret(path);
            if (isSecret)
            {
                Errors.Secrets.Reveal(s);
            }

            if (pattern is not null && !pattern.IsMatch(s))
            {
                Errors.Add(path, $"{(isSecret ? "the secret value" : $"\"{s}\"")} is not allowed; expected {patternHint ?? pattern.ToString()}", ConfigErrorSource.Shape);
                return null;
            }

            return s;
        }

        Errors.Add(path, $"expected a string, got {Show(path, node)}", ConfigErrorSource.Shape);
        return null;
    }

    public int? Int(string key, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a number");
        if (node is null)
        {
            return null;
        }

        var path = At(key);
        if (node is JsonValue v && TryNumber(v, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            var i = (int)d;
            if (i < min || i > max)
            {
                Errors.Add(path, $"{(Errors.Secrets.IsSecret(path) ? StackConfig.SecretPlaceholder : i.ToString(CultureInfo.InvariantCulture))} is out of range; allowed: {RangeText(min, max)}", ConfigErrorSource.Shape);
                return null;
            }

            return i;
        }

        Errors.Add(path, $"expected a whole number ({RangeText(min, max)}), got {Show(path, node)}", ConfigErrorSource.Shape);
        return null;
    }

    public double? Number(string key, bool required = false, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a number");
        if (node is null)
        {
            return null;
        }

        var path = At(key);
        if (node is JsonValue v && TryNumber(v, out var d))
        {
            if (d < min || d > max)
            {
                Errors.Add(path, $"{(Errors.Secrets.IsSecret(path) ? StackConfig.SecretPlaceholder : d.ToString(CultureInfo.InvariantCulture))} is out of range; allowed: {RangeText(min, max)}", ConfigErrorSource.Shape);
                return null;
            }

            return d;
        }

        Errors.Add(path, $"expected a number, got {Show(path, node)}", ConfigErrorSource.Shape);
        return null;
    }

    public bool? Bool(string key, bool required = false)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a switch");
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        Errors.Add(At(key), $"expected true or false, got {Show(At(key), node)}", ConfigErrorSource.Shape);
        return null;
    }

    /// <summary>Reads a string that must be one of the names in <paramref name="allowed"/>.</summary>
    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> allowed, bool required = false)
        where T : struct
    {
        var s = String(key, required);
        if (s is null)
        {
            return null;
        }

        if (allowed.TryGetValue(s, out var value))
        {
            return value;
        }

        Errors.Add(At(key), $"{(Errors.Secrets.IsSecret(At(key)) ? "the secret value" : $"\"{s}\"")} is not allowed; allowed: {string.Join(", ", allowed.Keys)}", ConfigErrorSource.Shape);
        return null;
    }

    public ConfigObject? Object(string key, bool required = false)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a mapping");
        if (node is null)
        {
            return null;
        }

        if (node is JsonObject o)
        {
            return new ConfigObject(At(key), o, Errors);
        }

        Errors.Add(At(key), $"expected a mapping (object), got {Show(At(key), node)}", ConfigErrorSource.Shape);
        return null;
    }

    public ImmutableArray<ConfigObject>? Objects(string key, bool required = false)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a list");
        return node is null ? null : ConfigDocument.ObjectsOf(At(key), node, Errors);
    }

    public ImmutableArray<string>? Strings(string key, bool required = false, Regex? pattern = null, string? patternHint = null, SecretUse secret = SecretUse.Forbidden)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a list");
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray arr)
        {
            Errors.Add(At(key), $"expected a list of strings, got {Show(At(key), node)}", ConfigErrorSource.Shape);
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var ok = true;
        for (var i = 0; i < arr.Count; i++)
        {
            var item = arr[i];
            var itemPath = $"{At(key)}[{i}]";
            if (Errors.Secrets.IsUnreadable(itemPath))
            {
                if (secret == SecretUse.Allowed)
                {
                    result.Add(StackConfig.SecretPlaceholder);
                }
                else
                {
                    Errors.Add(itemPath, ConfigSecrets.ForbiddenMessage("this value"), ConfigErrorSource.Shape);
                    ok = false;
                }

                continue;
            }

            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0)
            {
                var s = v.GetValue<string>();
                var isSecret = Errors.Secrets.IsSecret(itemPath);
                if (isSecret)
                {
                    Errors.Secrets.Reveal(s);
                }

                if (pattern is not null && !pattern.IsMatch(s))
                {
                    Errors.Add(itemPath, $"{(isSecret ? "the secret value" : $"\"{s}\"")} is not allowed; expected {patternHint ?? pattern.ToString()}", ConfigErrorSource.Shape);
                    ok = false;
                    continue;
                }

                result.Add(s);
            }
            else
            {
                Errors.Add(itemPath, $"expected a non-empty string, got {Show(itemPath, item)}", ConfigErrorSource.Shape);
                ok = false;
            }
        }

        return ok ? result.ToImmutable() : null;
    }

    public ImmutableArray<int>? Ints(string key, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = Get(key, required, SecretUse.Forbidden, "a list");
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray arr)
        {
            Errors.Add(At(key), $"expected a list of whole numbers, got {Show(At(key), node)}", ConfigErrorSource.Shape);
            return null;
        }

        var result = ImmutableArray.CreateBuilder<int>();
        var ok = true;
        for (var i = 0; i < arr.Count; i++)
        {
            var itemPath = $"{At(key)}[{i}]";
            if (Errors.Secrets.IsUnreadable(itemPath))
            {
                Errors.Add(itemPath, ConfigSecrets.ForbiddenMessage("a number"), ConfigErrorSource.Shape);
                ok = false;
            }
            else if (arr[i] is JsonValue v && TryNumber(v, out var d) && d == Math.Floor(d) && d >= min && d <= max)
            {
                result.Add((int)d);
            }
            else
            {
                Errors.Add(itemPath, $"expected a whole number ({RangeText(min, max)}), got {Show(itemPath, arr[i])}", ConfigErrorSource.Shape);
                ok = false;
            }
        }

        return ok ? result.ToImmutable() : null;
    }

    /// <summary>Reads a mapping of name → whole number (e.g. a MIG layout or a quota map).</summary>
    public ImmutableSortedDictionary<string, int>? IntMap(string key, bool required = false, int min = 0, int max = int.MaxValue)
    {
        var obj = Object(key, required);
        if (obj is null)
        {
            return null;
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (k, _) in obj._node)
        {
            var value = obj.Int(k, required: true, min, max);
            if (value is null)
            {
                ok = false;
                continue;
            }

            result[k] = value.Value;
        }

        return ok ? result.ToImmutable() : null;
    }

    private JsonNode? Get(string key, bool required, SecretUse secret, string what)
    {
        _read.Add(key);
        var node = _node[key];
        if (node is null && required)
        {
            Errors.Add(At(key), "is required", ConfigErrorSource.Shape);
        }

        if (node is not null && secret == SecretUse.Forbidden && Errors.Secrets.IsUnreadable(At(key)))
        {
            Errors.Add(At(key), ConfigSecrets.ForbiddenMessage(what), ConfigErrorSource.Shape);
            return null;
        }

        return node;
    }

    /// <summary><see cref="Describe"/>, or "a secret value" when the value at <paramref name="path"/> is secret.</summary>
    private string Show(string path, JsonNode? node) => Errors.Secrets.Show(path, node);

    /// <summary>Reads a JSON number whatever CLR type backs it (a long from YAML, a double from JSON text).</summary>
    private static bool TryNumber(JsonValue v, out double value)
    {
        value = 0;
        return v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{Truncate(v.GetValue<string>())}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";

    private static string RangeText(double min, double max) => (min, max) switch
    {
        (int.MinValue or double.MinValue, int.MaxValue or double.MaxValue) => "any",
        (_, int.MaxValue or double.MaxValue) => $">= {min.ToString(CultureInfo.InvariantCulture)}",
        (int.MinValue or double.MinValue, _) => $"<= {max.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}",
    };
}

/// <summary>Top-level access to a <see cref="StackConfig"/>: one entry per <c>neocloud:</c> key.</summary>
internal static class ConfigDocument
{
    public static string KeyPath(string key) => $"{StackConfig.Namespace}:{key}";

    public static ImmutableArray<ConfigObject>? ObjectsOf(string path, JsonNode node, ConfigErrors errors)
    {
        if (node is not JsonArray arr)
        {
            errors.Add(path, $"expected a list of mappings, got {errors.Secrets.Show(path, node)}", ConfigErrorSource.Shape);
            return null;
        }

        var result = ImmutableArray.CreateBuilder<ConfigObject>();
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i] is JsonObject o)
            {
                result.Add(new ConfigObject($"{path}[{i}]", o, errors));
            }
            else
            {
                errors.Add($"{path}[{i}]", $"expected a mapping, got {errors.Secrets.Show($"{path}[{i}]", arr[i])}", ConfigErrorSource.Shape);
            }
        }

        return result.ToImmutable();
    }
}
