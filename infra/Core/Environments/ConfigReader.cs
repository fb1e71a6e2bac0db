using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>Collects every configuration problem found while binding, in the order found.</summary>
internal sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    public int Count => _errors.Count;

    public IReadOnlyList<ConfigError> All => _errors;

    public void Add(string path, string message) => _errors.Add(new ConfigError(path, message));
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

    /// <summary>Reports keys that no reader asked for, with the allowed keys: a typo must not pass silently.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (key, _) in _node)
        {
            if (!_read.Contains(key))
            {
                Errors.Add(At(key), $"unknown key; allowed keys: {string.Join(", ", _read.Order(StringComparer.Ordinal))}");
            }
        }
    }

    public string? String(string key, bool required = false, Regex? pattern = null, string? patternHint = null)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (s.Length == 0)
            {
                Errors.Add(At(key), "must not be empty");
                return null;
            }

            if (pattern is not null && !pattern.IsMatch(s))
            {
                Errors.Add(At(key), $"\"{s}\" is not allowed; expected {patternHint ?? pattern.ToString()}");
                return null;
            }

            return s;
        }

        Errors.Add(At(key), $"expected a string, got {Describe(node)}");
        return null;
    }

    public int? Int(string key, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && TryNumber(v, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            var i = (int)d;
            if (i < min || i > max)
            {
                Errors.Add(At(key), $"{i} is out of range; allowed: {RangeText(min, max)}");
                return null;
            }

            return i;
        }

        Errors.Add(At(key), $"expected a whole number ({RangeText(min, max)}), got {Describe(node)}");
        return null;
    }

    public double? Number(string key, bool required = false, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && TryNumber(v, out var d))
        {
            if (d < min || d > max || double.IsNaN(d))
            {
                Errors.Add(At(key), $"{d.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: {RangeText(min, max)}");
                return null;
            }

            return d;
        }

        Errors.Add(At(key), $"expected a number, got {Describe(node)}");
        return null;
    }

    public bool? Bool(string key, bool required = false)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        Errors.Add(At(key), $"expected true or false, got {Describe(node)}");
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

        Errors.Add(At(key), $"\"{s}\" is not allowed; allowed: {string.Join(", ", allowed.Keys)}");
        return null;
    }

    public ConfigObject? Object(string key, bool required = false)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is JsonObject o)
        {
            return new ConfigObject(At(key), o, Errors);
        }

        Errors.Add(At(key), $"expected a mapping (object), got {Describe(node)}");
        return null;
    }

    public ImmutableArray<ConfigObject>? Objects(string key, bool required = false)
    {
        var node = Get(key, required);
        return node is null ? null : ConfigDocument.ObjectsOf(At(key), node, Errors);
    }

    public ImmutableArray<string>? Strings(string key, bool required = false, Regex? pattern = null, string? patternHint = null)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray arr)
        {
            Errors.Add(At(key), $"expected a list of strings, got {Describe(node)}");
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var ok = true;
        for (var i = 0; i < arr.Count; i++)
        {
            var item = arr[i];
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0)
            {
                var s = v.GetValue<string>();
                if (pattern is not null && !pattern.IsMatch(s))
                {
                    Errors.Add($"{At(key)}[{i}]", $"\"{s}\" is not allowed; expected {patternHint ?? pattern.ToString()}");
                    ok = false;
                    continue;
                }

                result.Add(s);
            }
            else
            {
                Errors.Add($"{At(key)}[{i}]", $"expected a non-empty string, got {Describe(item)}");
                ok = false;
            }
        }

        return ok ? result.ToImmutable() : null;
    }

    public ImmutableArray<int>? Ints(string key, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = Get(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray arr)
        {
            Errors.Add(At(key), $"expected a list of whole numbers, got {Describe(node)}");
            return null;
        }

        var result = ImmutableArray.CreateBuilder<int>();
        var ok = true;
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i] is JsonValue v && TryNumber(v, out var d) && d == Math.Floor(d) && d >= min && d <= max)
            {
                result.Add((int)d);
            }
            else
            {
                Errors.Add($"{At(key)}[{i}]", $"expected a whole number ({RangeText(min, max)}), got {Describe(arr[i])}");
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

    private JsonNode? Get(string key, bool required)
    {
        _read.Add(key);
        var node = _node[key];
        if (node is null && required)
        {
            Errors.Add(At(key), "is required");
        }

        return node;
    }

    /// <summary>Reads a JSON number whatever CLR type backs it (a long from YAML, a double from JSON text).</summary>
    private static bool TryNumber(JsonValue v, out double value)
    {
        value = 0;
        return v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
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
            errors.Add(path, $"expected a list of mappings, got {ConfigObject.Describe(node)}");
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
                errors.Add($"{path}[{i}]", $"expected a mapping, got {ConfigObject.Describe(arr[i])}");
            }
        }

        return result.ToImmutable();
    }
}
