using System.Collections.Immutable;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Configuration;

/// <summary>The JSON type of a configuration property.</summary>
public enum ConfigValueType
{
    /// <summary>A string.</summary>
    String,
    /// <summary>An integer.</summary>
    Integer,
    /// <summary>A boolean.</summary>
    Boolean,
    /// <summary>An array of strings.</summary>
    StringArray,
}

/// <summary>One configuration property of a policy.</summary>
/// <param name="Name">Property name (camelCase).</param>
/// <param name="Type">JSON type.</param>
/// <param name="Description">What it controls.</param>
/// <param name="Default">Default value.</param>
/// <param name="Minimum">Smallest allowed integer, when any.</param>
public sealed record ConfigProperty(string Name, ConfigValueType Type, string Description, PropertyValue Default, int? Minimum = null)
{
    /// <summary>A string property.</summary>
    public static ConfigProperty Text(string name, string description, string @default) => new(name, ConfigValueType.String, description, PropertyValue.Of(@default));

    /// <summary>An integer property.</summary>
    public static ConfigProperty Integer(string name, string description, int @default, int? minimum = null) => new(name, ConfigValueType.Integer, description, PropertyValue.Of(@default), minimum);

    /// <summary>A boolean property.</summary>
    public static ConfigProperty Flag(string name, string description, bool @default) => new(name, ConfigValueType.Boolean, description, PropertyValue.Of(@default));

    /// <summary>A list-of-strings property.</summary>
    public static ConfigProperty List(string name, string description, params string[] @default) =>
        new(name, ConfigValueType.StringArray, description, new ArrayValue([.. @default.Select(PropertyValue.Of)]));
}

/// <summary>The configuration a policy accepts, rendered to the engine as JSON schema.</summary>
public sealed record ConfigSchema(ImmutableArray<ConfigProperty> Properties)
{
    /// <summary>A policy without configuration.</summary>
    public static ConfigSchema None { get; } = new([]);

    /// <summary>A schema of the given properties.</summary>
    public static ConfigSchema Of(params ConfigProperty[] properties) => new([.. properties]);

    /// <summary>The JSON schema (<c>properties</c> map: each property an object with type, description, default).</summary>
    public ObjectValue ToJsonSchemaProperties() => ObjectValue.From(Properties.Select(p =>
    {
        var schema = ObjectValue.Empty
            .With("description", PropertyValue.Of(p.Description))
            .With("default", p.Default);
        schema = p.Type switch
        {
            ConfigValueType.String => schema.With("type", PropertyValue.Of("string")),
            ConfigValueType.Integer => schema.With("type", PropertyValue.Of("integer")),
            ConfigValueType.Boolean => schema.With("type", PropertyValue.Of("boolean")),
            _ => schema.With("type", PropertyValue.Of("array")).With("items", ObjectValue.Empty.With("type", PropertyValue.Of("string"))),
        };
        if (p.Minimum is int min)
        {
            schema = schema.With("minimum", PropertyValue.Of(min));
        }
        return KeyValuePair.Create(p.Name, (PropertyValue)schema);
    }));

    /// <summary>The defaults, overlaid with <paramref name="values"/>.</summary>
    public ObjectValue WithDefaults(ObjectValue? values)
    {
        var result = ObjectValue.From(Properties.Select(p => KeyValuePair.Create(p.Name, p.Default)));
        foreach (var (key, value) in values?.Properties ?? ObjectValue.Empty.Properties)
        {
            result = result.With(key, value);
        }
        return result;
    }

    /// <summary>Whether <paramref name="name"/> is a setting of this schema.</summary>
    public bool Defines(string name) => Properties.Any(p => p.Name == name);

    /// <summary>The setting names, for error messages (<c>none</c> when there are none).</summary>
    public string Names => string.Join(", ", Properties.Select(p => p.Name).DefaultIfEmpty("none"));

    /// <summary>
    /// Problems of the values of this schema's settings in <paramref name="values"/>: the setting and what is wrong. Keys
    /// that are not settings are not checked here (JSON schema allows additional properties; a config file is checked
    /// for them by <see cref="Evaluation.PolicySettings.Apply"/>, which names them by position, never by their text).
    /// </summary>
    public IEnumerable<(string Setting, string Problem)> Validate(ObjectValue values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, raw) in values.Properties)
        {
            var property = Properties.FirstOrDefault(p => p.Name == key);
            if (property is null)
            {
                continue;
            }
            var value = raw.Unwrap();
            var problem = property.Type switch
            {
                ConfigValueType.String => value is StringValue ? null : "expected a string",
                ConfigValueType.Boolean => value is BoolValue ? null : "expected a boolean",
                ConfigValueType.Integer => value is NumberValue n && n.Value == Math.Floor(n.Value) && Math.Abs(n.Value) < int.MaxValue
                    ? (property.Minimum is int min && n.Value < min ? $"must be at least {min}" : null)
                    : "expected an integer",
                _ => value is ArrayValue a && a.Elements.All(i => i.Unwrap() is StringValue) ? null : "expected an array of strings",
            };
            if (problem is not null)
            {
                yield return (key, $"{problem}, got {Describe(value)}");
            }
        }
    }

    private static string Describe(PropertyValue value) => value switch
    {
        StringValue => "a string",
        NumberValue => "a number",
        BoolValue => "a boolean",
        ArrayValue => "an array",
        ObjectValue => "an object",
        NullValue => "null",
        _ => "an unreadable value",
    };
}
