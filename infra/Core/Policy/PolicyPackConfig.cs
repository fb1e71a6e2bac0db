using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Policy;

/// <summary>
/// How a policy violation is enforced: the Pulumi engine's levels (pulumi/pulumi
/// <c>proto/pulumi/analyzer.proto</c>, <c>enum EnforcementLevel</c>), as policy pack config files spell them.
/// The one enum of the policy pack and the offline plan.
/// </summary>
public enum EnforcementLevel
{
    /// <summary>Reported; does not block.</summary>
    Advisory,

    /// <summary>Blocks preview and update.</summary>
    Mandatory,

    /// <summary>The policy does not run.</summary>
    Disabled,

    /// <summary>The policy fixes the resource where it safely can; otherwise blocks like mandatory.</summary>
    Remediate,
}

/// <summary>The spellings of <see cref="EnforcementLevel"/> in a policy pack config file.</summary>
public static class EnforcementLevels
{
    /// <summary>The allowed spellings, for error messages.</summary>
    public const string Allowed = "advisory, mandatory, disabled, remediate";

    /// <summary>The lowercase spelling of a level (<c>advisory</c>, <c>mandatory</c>, <c>disabled</c>, <c>remediate</c>).</summary>
    /// <param name="level">The level.</param>
    public static string Name(EnforcementLevel level) => level switch
    {
        EnforcementLevel.Advisory => "advisory",
        EnforcementLevel.Mandatory => "mandatory",
        EnforcementLevel.Disabled => "disabled",
        EnforcementLevel.Remediate => "remediate",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown enforcement level"),
    };

    /// <summary>Parses a level spelling (case-insensitive); false for anything else, including null.</summary>
    /// <param name="text">The spelling.</param>
    /// <param name="level">The level, when the spelling is one.</param>
    public static bool TryParse(string? text, out EnforcementLevel level)
    {
        switch (text?.ToLowerInvariant())
        {
            case "advisory": level = EnforcementLevel.Advisory; return true;
            case "mandatory": level = EnforcementLevel.Mandatory; return true;
            case "disabled": level = EnforcementLevel.Disabled; return true;
            case "remediate": level = EnforcementLevel.Remediate; return true;
            default: level = default; return false;
        }
    }
}

/// <summary>One entry of a policy pack config file.</summary>
/// <param name="Key">The entry's key: a policy name or <see cref="PolicyPackConfig.AllKey"/>.</param>
/// <param name="Position">1-based position of the entry in the file (errors name an unknown key by it).</param>
/// <param name="Level">The entry's level: the string value, or the object's <c>enforcementLevel</c>; null for an object without one.</param>
/// <param name="Settings">The object's properties other than <c>enforcementLevel</c> (a detached copy); empty for a string entry.</param>
public sealed record PolicyPackEntry(string Key, int Position, EnforcementLevel? Level, ImmutableArray<KeyValuePair<string, JsonElement>> Settings);

/// <summary>
/// A <c>--policy-pack-config</c> file (the Pulumi CLI's format): a JSON object whose keys are policy names or
/// <c>all</c> and whose values are a level string (<c>advisory|mandatory|disabled|remediate</c>) or an object with an
/// optional <c>enforcementLevel</c> and the policy's settings. The one parser of the policy pack's offline check and
/// the offline plan (<c>neocloud plan</c>); what a setting means is the pack's business (its schemas).
/// </summary>
/// <remarks>
/// The file may be any file (<c>neocloud:policy.packConfig</c> names a path; the pull-request workflow posts the
/// plan's output as a comment), so no error repeats its content: a key is named only when it is one of the caller's
/// known keys (its policy names, or <c>all</c>), otherwise by position (<c>entry #3</c>); values and JSON text are
/// never quoted. Comments and trailing commas are accepted.
/// </remarks>
/// <param name="Entries">Every entry, in file order (a repeated key: the last one counts).</param>
/// <param name="Source">Names the file in errors (the <c>sourceName</c> given to <see cref="Parse"/>).</param>
public sealed record PolicyPackConfig(ImmutableArray<PolicyPackEntry> Entries, string Source)
{
    /// <summary>The key that applies to every policy.</summary>
    public const string AllKey = "all";

    /// <summary>The key of an object entry's level.</summary>
    public const string EnforcementLevelKey = "enforcementLevel";

    /// <summary>The entry of <paramref name="key"/> (the last one when repeated), or null.</summary>
    /// <param name="key">A policy name or <see cref="AllKey"/>.</param>
    public PolicyPackEntry? Find(string key)
    {
        for (var i = Entries.Length - 1; i >= 0; i--)
        {
            if (string.Equals(Entries[i].Key, key, StringComparison.Ordinal))
            {
                return Entries[i];
            }
        }

        return null;
    }

    /// <summary>The level this file gives <paramref name="policy"/>: its own entry's level, else the <c>all</c> entry's, else null.</summary>
    /// <param name="policy">Policy name.</param>
    public EnforcementLevel? LevelOf(string policy) => Find(policy)?.Level ?? Find(AllKey)?.Level;

    /// <summary>How an error names <paramref name="entry"/>: its key when known, else its position.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="knownKeys">Keys that may be printed (policy names of the caller; <c>all</c> is always known).</param>
    public static string Describe(PolicyPackEntry entry, IReadOnlySet<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(knownKeys);
        return entry.Key == AllKey || knownKeys.Contains(entry.Key) ? entry.Key : $"entry #{entry.Position}";
    }

    /// <summary>Parses a file's text.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="sourceName">Names the file in errors (e.g. <c>policy/config/prod.json</c>).</param>
    /// <param name="knownKeys">Keys an error may print (see remarks); <c>all</c> is always known.</param>
    /// <exception cref="EnvironmentConfigException">Every problem of the file, each naming the file and the entry.</exception>
    public static PolicyPackConfig Parse(string json, string sourceName, IReadOnlySet<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentNullException.ThrowIfNull(knownKeys);
        var errors = new List<ConfigError>();
        var entries = ImmutableArray.CreateBuilder<PolicyPackEntry>();
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EnvironmentConfigException([new ConfigError(sourceName, "must be a JSON object of policy name → level or settings")]);
            }

            var position = 0;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                position++;
                var entry = new PolicyPackEntry(property.Name, position, null, []);
                var where = $"{sourceName}: {Describe(entry, knownKeys)}";
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        entries.Add(Level(property.Value, where, entry, errors));
                        break;
                    case JsonValueKind.Object:
                        var settings = ImmutableArray.CreateBuilder<KeyValuePair<string, JsonElement>>();
                        foreach (var setting in property.Value.EnumerateObject())
                        {
                            if (setting.Name == EnforcementLevelKey)
                            {
                                entry = Level(setting.Value, $"{where}.{EnforcementLevelKey}", entry, errors);
                            }
                            else
                            {
                                settings.Add(KeyValuePair.Create(setting.Name, setting.Value.Clone()));
                            }
                        }

                        entries.Add(entry with { Settings = settings.ToImmutable() });
                        break;
                    default:
                        errors.Add(new ConfigError(where, $"must be an enforcement level ({EnforcementLevels.Allowed}) or an object of {EnforcementLevelKey} and settings; got {Kind(property.Value.ValueKind)}"));
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            // JsonException's message quotes the offending character; the position alone says where.
            errors.Add(new ConfigError(sourceName, $"is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}); a policy pack config is a JSON object of policy name → level or settings"));
        }

        return errors.Count > 0 ? throw new EnvironmentConfigException(errors) : new PolicyPackConfig(entries.ToImmutable(), sourceName);
    }

    private static PolicyPackEntry Level(JsonElement value, string where, PolicyPackEntry entry, List<ConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.String && EnforcementLevels.TryParse(value.GetString(), out var level))
        {
            return entry with { Level = level };
        }

        errors.Add(new ConfigError(where, $"is not an enforcement level; allowed: {EnforcementLevels.Allowed}"));
        return entry;
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
