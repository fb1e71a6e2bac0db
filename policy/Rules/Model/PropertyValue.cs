using System.Collections.Immutable;
using System.Globalization;

namespace NeoCloud.Infra.Policy.Rules.Model;

/// <summary>
/// A resource property value as the Pulumi engine describes it: JSON-like, plus explicit nodes for
/// values not known yet (preview), secrets, and assets/archives.
/// </summary>
public abstract record PropertyValue
{
    /// <summary>The value of a missing property or JSON null.</summary>
    public static PropertyValue Null { get; } = new NullValue();

    /// <summary>True when this value (or anything inside it) is not known yet.</summary>
    public abstract bool ContainsUnknowns { get; }

    /// <summary>True when this value is a secret (reading into a secret keeps the secret mark).</summary>
    public bool IsSecret => this is SecretValue;

    /// <summary>True for JSON null and missing properties.</summary>
    public bool IsNull => Unwrap() is NullValue;

    /// <summary>The value with any secret wrapper removed.</summary>
    public PropertyValue Unwrap() => this is SecretValue s ? s.Inner.Unwrap() : this;

    /// <summary>
    /// The property <paramref name="key"/> of this object; <see cref="Null"/> when absent or when this is
    /// not an object. Reading a key inside a secret object yields a secret.
    /// </summary>
    /// <exception cref="UnknownValueException">This value is not known yet.</exception>
    public PropertyValue this[string key]
    {
        get
        {
            switch (this)
            {
                case SecretValue s:
                    var inner = s.Inner[key];
                    return inner is NullValue or SecretValue ? inner : new SecretValue(inner);
                case UnknownValue u:
                    throw new UnknownValueException(u.Kind);
                case ObjectValue o:
                    return o.Properties.TryGetValue(key, out var v) ? v : Null;
                default:
                    return Null;
            }
        }
    }

    /// <summary>The items of an array (secret items when the array is secret); empty when null or not an array.</summary>
    /// <exception cref="UnknownValueException">The array is not known yet.</exception>
    public ImmutableArray<PropertyValue> Items()
    {
        switch (this)
        {
            case SecretValue s:
                return [.. s.Inner.Items().Select(i => i is NullValue or SecretValue ? i : new SecretValue(i))];
            case UnknownValue u:
                throw new UnknownValueException(u.Kind);
            case ArrayValue a:
                return a.Elements;
            default:
                return [];
        }
    }

    /// <summary>The entries of an object; empty when null or not an object.</summary>
    /// <exception cref="UnknownValueException">The object is not known yet.</exception>
    public IEnumerable<KeyValuePair<string, PropertyValue>> Entries()
    {
        switch (this)
        {
            case SecretValue s:
                return s.Inner.Entries().Select(e => KeyValuePair.Create(e.Key, e.Value is NullValue or SecretValue ? e.Value : new SecretValue(e.Value)));
            case UnknownValue u:
                throw new UnknownValueException(u.Kind);
            case ObjectValue o:
                return o.Properties;
            default:
                return [];
        }
    }

    /// <summary>The string, or null when absent or not a string.</summary>
    /// <exception cref="UnknownValueException">The value is not known yet.</exception>
    public string? AsString() => Known() is StringValue s ? s.Value : null;

    /// <summary>The number, or null when absent or not a number (numeric strings are accepted).</summary>
    /// <exception cref="UnknownValueException">The value is not known yet.</exception>
    public double? AsNumber() => Known() switch
    {
        NumberValue n => n.Value,
        StringValue s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>The boolean, or null when absent or not a boolean ("true"/"false" strings are accepted).</summary>
    /// <exception cref="UnknownValueException">The value is not known yet.</exception>
    public bool? AsBool() => Known() switch
    {
        BoolValue b => b.Value,
        StringValue s when bool.TryParse(s.Value, out var b) => b,
        _ => null,
    };

    /// <summary>The value without its secret wrapper; throws when it is not known yet.</summary>
    /// <exception cref="UnknownValueException">The value is not known yet.</exception>
    public PropertyValue Known()
    {
        var v = Unwrap();
        return v is UnknownValue u ? throw new UnknownValueException(u.Kind) : v;
    }

    /// <summary>True when the value itself (not necessarily its children) is known.</summary>
    public bool IsKnown => Unwrap() is not UnknownValue;

    /// <summary>A text for messages: the string of a known plain string, <c>[secret]</c> for secrets, <c>[unknown]</c> otherwise.</summary>
    public string Display() => this switch
    {
        SecretValue => "[secret]",
        UnknownValue => "[unknown]",
        StringValue s => s.Value,
        NumberValue n => n.Value.ToString(CultureInfo.InvariantCulture),
        BoolValue b => b.Value ? "true" : "false",
        NullValue => "null",
        _ => "[" + GetType().Name.Replace("Value", string.Empty, StringComparison.Ordinal).ToLowerInvariant() + "]",
    };

    /// <summary>Builds a string value.</summary>
    public static PropertyValue Of(string value) => new StringValue(value);

    /// <summary>Builds a number value.</summary>
    public static PropertyValue Of(double value) => new NumberValue(value);

    /// <summary>Builds a boolean value.</summary>
    public static PropertyValue Of(bool value) => value ? BoolValue.True : BoolValue.False;
}

/// <summary>JSON null or a missing property.</summary>
public sealed record NullValue : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => false;
}

/// <summary>A boolean.</summary>
public sealed record BoolValue(bool Value) : PropertyValue
{
    internal static readonly BoolValue True = new(true);
    internal static readonly BoolValue False = new(false);

    /// <inheritdoc />
    public override bool ContainsUnknowns => false;
}

/// <summary>A number.</summary>
public sealed record NumberValue(double Value) : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => false;
}

/// <summary>A string.</summary>
public sealed record StringValue(string Value) : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => false;
}

/// <summary>An array.</summary>
public sealed record ArrayValue(ImmutableArray<PropertyValue> Elements) : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => Elements.Any(i => i.ContainsUnknowns);

    /// <inheritdoc />
    public bool Equals(ArrayValue? other) => other is not null && Elements.SequenceEqual(other.Elements);

    /// <inheritdoc />
    public override int GetHashCode() => Elements.Length;
}

/// <summary>An object with string keys, ordered by key.</summary>
public sealed record ObjectValue(ImmutableSortedDictionary<string, PropertyValue> Properties) : PropertyValue
{
    /// <summary>An object without properties.</summary>
    public static ObjectValue Empty { get; } = new(ImmutableSortedDictionary.Create<string, PropertyValue>(StringComparer.Ordinal));

    /// <summary>Builds an object from key/value pairs.</summary>
    public static ObjectValue From(IEnumerable<KeyValuePair<string, PropertyValue>> entries) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries));

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public ObjectValue With(string key, PropertyValue value) => new(Properties.SetItem(key, value));

    /// <inheritdoc />
    public override bool ContainsUnknowns => Properties.Values.Any(v => v.ContainsUnknowns);

    /// <inheritdoc />
    public bool Equals(ObjectValue? other) =>
        other is not null && Properties.Count == other.Properties.Count &&
        Properties.All(p => other.Properties.TryGetValue(p.Key, out var o) && Equals(p.Value, o));

    /// <inheritdoc />
    public override int GetHashCode() => Properties.Count;
}

/// <summary>A secret: its value may be read by rules but is never shown in a message.</summary>
public sealed record SecretValue(PropertyValue Inner) : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => Inner.ContainsUnknowns;

    /// <inheritdoc />
    public override string ToString() => "SecretValue { [secret] }";
}

/// <summary>A value not known yet (computed during preview) or not readable (an encrypted secret).</summary>
public sealed record UnknownValue(UnknownKind Kind) : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => true;
}

/// <summary>An asset or archive (file content the rules do not read).</summary>
public sealed record AssetValue(AssetKind Kind, string? Path) : PropertyValue
{
    /// <inheritdoc />
    public override bool ContainsUnknowns => false;
}

/// <summary>What an unknown value would have been.</summary>
public enum UnknownKind
{
    /// <summary>Any value (the engine did not say which kind).</summary>
    Any,
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A number.</summary>
    Number,
    /// <summary>A string.</summary>
    String,
    /// <summary>An array.</summary>
    Array,
    /// <summary>An object.</summary>
    Object,
    /// <summary>An asset.</summary>
    Asset,
    /// <summary>An archive.</summary>
    Archive,
    /// <summary>A secret whose plaintext is not available (an encrypted secret in a state file).</summary>
    EncryptedSecret,
}

/// <summary>Asset or archive.</summary>
public enum AssetKind
{
    /// <summary>A file asset.</summary>
    Asset,
    /// <summary>An archive of files.</summary>
    Archive,
}

/// <summary>Thrown when a rule reads a value that is not known yet; the evaluator turns it into an advisory diagnostic.</summary>
public sealed class UnknownValueException(UnknownKind kind) : Exception($"a {kind} value is not known yet")
{
    /// <summary>What the unknown value would have been.</summary>
    public UnknownKind Kind { get; } = kind;
}
