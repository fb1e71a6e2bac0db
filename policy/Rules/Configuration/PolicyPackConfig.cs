using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Configuration;

/// <summary>One entry of a <c>--policy-pack-config</c> file: an optional level and optional settings.</summary>
public sealed record PolicyConfigEntry(EnforcementLevel? Level, ObjectValue Properties);

/// <summary>
/// A <c>--policy-pack-config</c> file: keys are policy names or <c>all</c>; values are a level string or an
/// object with <c>enforcementLevel</c> and settings.
/// </summary>
public sealed record PolicyPackConfig(ImmutableDictionary<string, PolicyConfigEntry> Entries)
{
    /// <summary>The key that applies to every policy.</summary>
    public const string AllKey = "all";

    /// <summary>An empty file.</summary>
    public static PolicyPackConfig Empty { get; } = new(ImmutableDictionary<string, PolicyConfigEntry>.Empty);

    /// <summary>Parses the file's text.</summary>
    /// <exception cref="PolicyConfigException">The JSON is malformed or a value has the wrong shape.</exception>
    public static PolicyPackConfig Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyConfigException("the policy pack config must be a JSON object of policy name → level or settings");
            }
            var entries = ImmutableDictionary.CreateBuilder<string, PolicyConfigEntry>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                entries[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => new PolicyConfigEntry(ParseLevel(property.Name, property.Value.GetString()), ObjectValue.Empty),
                    JsonValueKind.Object => ParseObject(property.Name, PulumiWireValues.DecodeProperties(property.Value)),
                    _ => throw new PolicyConfigException($"'{property.Name}': expected a level string or an object, got {property.Value.ValueKind}"),
                };
            }
            return new PolicyPackConfig(entries.ToImmutable());
        }
        catch (JsonException e)
        {
            throw new PolicyConfigException($"the policy pack config is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Parses a level name (<c>advisory|mandatory|remediate|disabled</c>).</summary>
    public static EnforcementLevel ParseLevel(string policy, string? text) => text?.ToLowerInvariant() switch
    {
        "advisory" => EnforcementLevel.Advisory,
        "mandatory" => EnforcementLevel.Mandatory,
        "remediate" => EnforcementLevel.Remediate,
        "disabled" => EnforcementLevel.Disabled,
        _ => throw new PolicyConfigException($"'{policy}': enforcement level '{text}' is not one of advisory, mandatory, remediate, disabled"),
    };

    /// <summary>The lowercase name of a level, as config files spell it.</summary>
    public static string LevelName(EnforcementLevel level) => level.ToString().ToLowerInvariant();

    private static PolicyConfigEntry ParseObject(string policy, ObjectValue value)
    {
        EnforcementLevel? level = null;
        if (value.Properties.TryGetValue("enforcementLevel", out var levelValue))
        {
            level = ParseLevel(policy, levelValue is StringValue s ? s.Value : levelValue.Display());
            value = new ObjectValue(value.Properties.Remove("enforcementLevel"));
        }
        return new PolicyConfigEntry(level, value);
    }
}

/// <summary>A configuration problem: names the policy and the key.</summary>
public sealed class PolicyConfigException(string message) : Exception(message);
