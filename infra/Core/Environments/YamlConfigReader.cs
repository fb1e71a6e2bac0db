using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>
/// Reads a <c>Pulumi.&lt;stack&gt;.yaml</c> text into JSON values from YamlDotNet's parser events, without YamlDotNet's
/// representation model: it enforces <see cref="InputLimits"/> (depth, aliases, nodes after alias expansion, string
/// length) while reading, so an alias bomb or a 30,000-level nesting stops at the limit instead of being materialised;
/// it reports non-scalar and duplicate mapping keys, recursive or undefined aliases, numbers that overflow and invalid
/// Unicode with their key path; and it replaces each <c>secure:</c> value by <see cref="StackConfig.SecretPlaceholder"/>,
/// recording its path (the ciphertext is never kept).
/// </summary>
internal sealed class YamlConfigReader
{
    private const string StrTag = "tag:yaml.org,2002:str";

    private readonly string _sourceName;
    private readonly List<ConfigError> _errors = [];
    private readonly SortedSet<string> _secretPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Anchor> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _openAnchors = new(StringComparer.Ordinal);
    private readonly Stack<Frame> _frames = new();
    private int _nodes;
    private int _aliases;
    private JsonNode? _root;
    private bool _rootSet;

    private YamlConfigReader(string sourceName) => _sourceName = sourceName;

    /// <summary>The document's root, every reading problem, and the paths of <c>secure:</c> values.</summary>
    public sealed record Result(JsonNode? Root, bool HasDocument, IReadOnlyList<ConfigError> Errors, IReadOnlySet<string> SecretPaths);

    /// <summary>Reads <paramref name="yaml"/>; a limit that is exceeded stops the read with one error naming the limit.</summary>
    /// <exception cref="EnvironmentConfigException">A limit was exceeded or the text is not YAML.</exception>
    public static Result Read(string yaml, string sourceName)
    {
        var reader = new YamlConfigReader(sourceName);
        if (yaml.Length > InputLimits.MaxConfigFileBytes)
        {
            throw reader.Limit(sourceName, $"is larger than the input limit of {InputLimits.Bytes(InputLimits.MaxConfigFileBytes)}");
        }

        var documents = 0;
        var parser = new Parser(new StringReader(yaml));
        while (Next(parser, sourceName))
        {
            {
                var current = parser.Current!;
                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        throw new EnvironmentConfigException([reader.At(current, sourceName, "holds more than one YAML document; a stack file is one document")]);
                    case Scalar scalar:
                        reader.OnScalar(scalar);
                        break;
                    case AnchorAlias alias:
                        reader.OnAlias(alias);
                        break;
                    case MappingStart start:
                        reader.Open(start, start.Anchor, new JsonObject());
                        break;
                    case SequenceStart start:
                        reader.Open(start, start.Anchor, new JsonArray());
                        break;
                    case MappingEnd or SequenceEnd:
                        reader.Close();
                        break;
                }
            }
        }

        return new Result(reader._root, reader._rootSet, [.. reader._errors.Select(e => new ConfigError(ConfigErrors.OneLine(e.Path), ConfigErrors.OneLine(e.Message)))], reader._secretPaths);
    }

    /// <summary>The parser's next event; its syntax errors (and only its) are input errors.</summary>
    private static bool Next(Parser parser, string sourceName)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (YamlException ex)
        {
            throw new EnvironmentConfigException([new ConfigError(sourceName, $"is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {ex.InnerException?.Message ?? ex.Message}")]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser throws this instead of a YamlException for some malformed flow collections
            // (`a: [` followed by a line `b: c`).
            throw new EnvironmentConfigException([new ConfigError(sourceName, $"is not valid YAML near line {Math.Max(parser.Current?.Start.Line ?? 1, 1)}: a flow collection ('[' or '{{') is not closed")]);
        }
    }

    private int Depth => _frames.Count;

    private string ChildPath(out bool ok)
    {
        ok = true;
        if (_frames.Count == 0)
        {
            return string.Empty;
        }

        var frame = _frames.Peek();
        if (frame.Container is JsonArray array)
        {
            return $"{frame.Path}[{array.Count}]";
        }

        if (frame.Key is null)
        {
            ok = false;
            return frame.Path;
        }

        // Depth 1 is the file's root mapping (config:, encryptionsalt:), depth 2 is config's namespace:key map.
        return _frames.Count <= 2 ? frame.Key : $"{frame.Path}.{frame.Key}";
    }

    private string DisplayPath(string path) => path.Length == 0 ? _sourceName : _frames.Count <= 1 ? $"{_sourceName}: {path}" : path;

    private void OnScalar(Scalar scalar)
    {
        CountNode(scalar);
        var text = scalar.Value;
        if (text.Length > InputLimits.MaxConfigStringLength)
        {
            throw Limit(DisplayPath(ChildPath(out _)), $"has a string of {text.Length} characters; the input limit is {InputLimits.MaxConfigStringLength}");
        }

        if (HasLoneSurrogate(text))
        {
            _errors.Add(new ConfigError(DisplayPath(ChildPath(out _)), "contains an invalid Unicode escape (a lone UTF-16 surrogate such as \\ud800)"));
            text = string.Empty;
        }

        if (_frames.Count > 0 && _frames.Peek() is { Container: JsonObject, Key: null } keyFrame)
        {
            SetKey(keyFrame, text, scalar);
            Remember(scalar.Anchor, JsonValue.Create(text), 1, string.Empty);
            return;
        }

        var path = ChildPath(out _);
        var node = _frames.Count == 2 && _frames.Peek().Container is JsonObject
            ? JsonValue.Create(text) // the engine hands top-level scalars to a program as text (an empty value is "")
            : ScalarToJson(scalar, text, path);
        Remember(scalar.Anchor, node, 1, path);
        Attach(node);
    }

    private void SetKey(Frame frame, string key, ParsingEvent at)
    {
        if (!frame.Keys.Add(key))
        {
            _errors.Add(At(at, DisplayPath(_frames.Count <= 2 ? key : $"{frame.Path}.{key}"), "is a duplicate key; each key may appear once in a mapping"));
            frame.SkipValue = true;
        }

        frame.Key = key;
    }

    private void OnAlias(AnchorAlias alias)
    {
        if (++_aliases > InputLimits.MaxYamlAliases)
        {
            throw Limit(DisplayPath(ChildPath(out _)), $"uses more than {InputLimits.MaxYamlAliases} YAML aliases (the input limit)");
        }

        var name = alias.Value.Value;
        var path = ChildPath(out var isValue);
        if (!_anchors.TryGetValue(name, out var anchor))
        {
            _errors.Add(At(alias, DisplayPath(path), _openAnchors.Contains(name)
                ? $"alias *{name} refers to the node that contains it (a recursive alias)"
                : $"alias *{name} has no anchor &{name} before it"));
            _nodes++;
            if (!isValue && _frames.Peek() is { } f)
            {
                SetKey(f, "*" + name, alias);
                f.SkipValue = true;
            }
            else
            {
                Attach(null);
            }

            return;
        }

        if ((long)_nodes + anchor.Nodes > InputLimits.MaxYamlNodes)
        {
            throw Limit(DisplayPath(path), $"expands YAML aliases to more than {InputLimits.MaxYamlNodes} nodes (the input limit; an alias copies its anchor's whole value)");
        }

        _nodes += anchor.Nodes;
        if (!isValue)
        {
            var f = _frames.Peek();
            if (anchor.Node is JsonValue v && v.TryGetValue<string>(out var key))
            {
                SetKey(f, key, alias);
            }
            else
            {
                _errors.Add(At(alias, DisplayPath(f.Path), $"alias *{name} is used as a mapping key but is not a scalar; keys must be plain strings"));
                SetKey(f, "*" + name, alias);
                f.SkipValue = true;
            }

            return;
        }

        foreach (var suffix in anchor.SecretSuffixes)
        {
            _secretPaths.Add(path + suffix);
        }

        Attach(anchor.Node?.DeepClone());
    }

    private void Open(NodeEvent start, AnchorName anchor, JsonNode container)
    {
        CountNode(start);
        if (Depth >= InputLimits.MaxConfigDepth)
        {
            throw Limit(DisplayPath(ChildPath(out _)), $"nests mappings and lists deeper than {InputLimits.MaxConfigDepth} levels (the input limit)");
        }

        var path = ChildPath(out var isValue);
        var frame = new Frame(container, path, anchor.IsEmpty ? null : anchor.Value, _nodes - 1);
        if (!isValue)
        {
            // A mapping or list used as a key (`? [a]`): reported once; the key and its value are read and discarded.
            _errors.Add(At(start, DisplayPath(path), $"has a {(container is JsonObject ? "mapping" : "list")} as a mapping key; keys must be plain strings"));
            frame.IsKey = true;
        }

        if (frame.Anchor is not null)
        {
            _openAnchors.Add(frame.Anchor);
        }

        _frames.Push(frame);
    }

    private void Close()
    {
        var frame = _frames.Pop();
        JsonNode? node = frame.Container;
        if (frame.Container is JsonObject { Count: 1 } o && o.TryGetPropertyValue("secure", out var secure) && secure is JsonValue && !frame.IsKey)
        {
            // A Pulumi secret: `{secure: <ciphertext>}`. Only its place is kept.
            node = JsonValue.Create(StackConfig.SecretPlaceholder);
            _secretPaths.Add(frame.Path);
        }

        if (frame.Anchor is not null)
        {
            _openAnchors.Remove(frame.Anchor);
            Remember(frame.Anchor, node, _nodes - frame.NodesAtStart, frame.Path);
        }

        if (frame.IsKey)
        {
            var parent = _frames.Peek();
            SetKey(parent, "?" + parent.Keys.Count.ToString(CultureInfo.InvariantCulture), new MappingEnd());
            parent.SkipValue = true;
            return;
        }

        Attach(node);
    }

    private void Remember(AnchorName anchor, JsonNode? node, int nodes, string path) => Remember(anchor.IsEmpty ? null : anchor.Value, node, nodes, path);

    private void Remember(string? anchor, JsonNode? node, int nodes, string path)
    {
        if (anchor is null)
        {
            return;
        }

        var suffixes = path.Length == 0 ? [] : _secretPaths.GetViewBetween(path, path + '\uffff').Select(p => p[path.Length..]).Where(s => s.Length == 0 || s[0] is '.' or '[').ToArray();
        _anchors[anchor] = new Anchor(node, Math.Max(nodes, 1), suffixes);
    }

    private void Attach(JsonNode? node)
    {
        if (_frames.Count == 0)
        {
            _root = node;
            _rootSet = true;
            return;
        }

        var frame = _frames.Peek();
        switch (frame.Container)
        {
            case JsonArray array:
                array.Add(node);
                break;
            case JsonObject obj:
                if (!frame.SkipValue && !frame.IsKey && frame.Key is not null)
                {
                    obj[frame.Key] = node;
                }

                frame.Key = null;
                frame.SkipValue = false;
                break;
        }
    }

    private void CountNode(ParsingEvent at)
    {
        if (++_nodes > InputLimits.MaxYamlNodes)
        {
            throw Limit(DisplayPath(ChildPath(out _)), $"has more than {InputLimits.MaxYamlNodes} YAML nodes (the input limit)");
        }

        _ = at;
    }

    private EnvironmentConfigException Limit(string path, string message) => new([new ConfigError(ConfigErrors.OneLine(path.Length == 0 ? _sourceName : path), message)]);

    private ConfigError At(ParsingEvent at, string path, string message) =>
        new(path, at.Start.Line > 0 ? $"{message} (line {at.Start.Line})" : message);

    /// <summary>YAML 1.2 core schema for plain scalars; quoted, block and <c>!!str</c> scalars stay strings.</summary>
    private JsonNode? ScalarToJson(Scalar scalar, string text, string path)
    {
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded
            || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value is StrTag or "!!str"))
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

        if (text.Any(char.IsDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            if (!double.IsFinite(d))
            {
                _errors.Add(At(scalar, DisplayPath(path), $"the number {(text.Length > 40 ? text[..37] + "..." : text)} is too large (beyond ±1.8e308); use a finite number"));
                return null;
            }

            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    /// <summary>True when <paramref name="s"/> is not valid UTF-16 (it could not be written as UTF-8 or JSON).</summary>
    internal static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Frame(JsonNode container, string path, string? anchor, int nodesAtStart)
    {
        public JsonNode Container { get; } = container;

        public string Path { get; } = path;

        public string? Anchor { get; } = anchor;

        public int NodesAtStart { get; } = nodesAtStart;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public string? Key { get; set; }

        public bool SkipValue { get; set; }

        public bool IsKey { get; set; }
    }

    private sealed record Anchor(JsonNode? Node, int Nodes, string[] SecretSuffixes);
}
