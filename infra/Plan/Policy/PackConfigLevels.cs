using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Plan.Policy;

/// <summary>
/// Enforcement levels from a <c>--policy-pack-config</c> file: a JSON object whose keys are policy names or <c>all</c>
/// and whose values are a level (<c>advisory|mandatory|disabled|remediate</c>) or an object with <c>enforcementLevel</c>.
/// A policy's own entry wins over <c>all</c>; without either, the stack's enforcement profile decides
/// (strict → mandatory, advisory → advisory).
/// </summary>
internal sealed class PackConfigLevels
{
    /// <summary>The key that applies to every policy.</summary>
    public const string AllKey = "all";

    private readonly ImmutableDictionary<string, EnforcementLevel> _levels;
    private readonly EnforcementLevel _fallback;

    private PackConfigLevels(ImmutableDictionary<string, EnforcementLevel> levels, EnforcementLevel fallback, bool found, string source)
    {
        _levels = levels;
        _fallback = fallback;
        Found = found;
        Source = source;
    }

    /// <summary>Whether the file exists.</summary>
    public bool Found { get; }

    /// <summary>Where the levels come from, in words.</summary>
    public string Source { get; }

    /// <summary>The level of <paramref name="policy"/>.</summary>
    public EnforcementLevel LevelOf(string policy) =>
        _levels.TryGetValue(policy, out var level) ? level : _levels.TryGetValue(AllKey, out var all) ? all : _fallback;

    /// <summary>Reads the levels for a stack from its <c>policy.packConfig</c> file, relative to <paramref name="projectDirectory"/>.</summary>
    /// <exception cref="EnvironmentConfigException">The file exists but is not a valid pack config (the error names the key path).</exception>
    public static PackConfigLevels Load(PolicySpec policy, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var fallback = policy.Enforcement == PolicyEnforcement.Strict ? EnforcementLevel.Mandatory : EnforcementLevel.Advisory;
        var path = Path.GetFullPath(policy.PackConfig, projectDirectory);
        if (!File.Exists(path))
        {
            var profile = policy.Enforcement == PolicyEnforcement.Strict ? "strict" : "advisory";
            return new PackConfigLevels(ImmutableDictionary<string, EnforcementLevel>.Empty, fallback, false,
                $"{policy.PackConfig} not found; enforcement {profile} → every policy {Name(fallback)}");
        }

        return new PackConfigLevels(Parse(File.ReadAllText(path), policy.PackConfig), fallback, true, policy.PackConfig);
    }

    /// <summary>Parses the file's text; <paramref name="sourceName"/> names it in errors.</summary>
    internal static ImmutableDictionary<string, EnforcementLevel> Parse(string json, string sourceName)
    {
        var errors = new List<ConfigError>();
        var levels = ImmutableDictionary.CreateBuilder<string, EnforcementLevel>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EnvironmentConfigException([new ConfigError(sourceName, "must be a JSON object of policy name → level or settings")]);
            }

            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                var text = entry.Value.ValueKind switch
                {
                    JsonValueKind.String => entry.Value.GetString(),
                    JsonValueKind.Object when entry.Value.TryGetProperty("enforcementLevel", out var l) && l.ValueKind == JsonValueKind.String => l.GetString(),
                    JsonValueKind.Object => null,
                    _ => "?",
                };
                if (text is null)
                {
                    continue; // settings only; the level stays as it was
                }

                if (TryParseLevel(text, out var level))
                {
                    levels[entry.Name] = level;
                }
                else
                {
                    errors.Add(new ConfigError($"{sourceName}: {entry.Name}", $"\"{text}\" is not an enforcement level; allowed: advisory, mandatory, disabled, remediate"));
                }
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new ConfigError(sourceName, $"is not valid JSON: {ex.Message}"));
        }

        return errors.Count > 0 ? throw new EnvironmentConfigException(errors) : levels.ToImmutable();
    }

    /// <summary>The lowercase spelling of a level.</summary>
    public static string Name(EnforcementLevel level) => level switch
    {
        EnforcementLevel.Advisory => "advisory",
        EnforcementLevel.Mandatory => "mandatory",
        EnforcementLevel.Disabled => "disabled",
        EnforcementLevel.Remediate => "remediate",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown level"),
    };

    private static bool TryParseLevel(string text, out EnforcementLevel level)
    {
        switch (text.ToLowerInvariant())
        {
            case "advisory": level = EnforcementLevel.Advisory; return true;
            case "mandatory": level = EnforcementLevel.Mandatory; return true;
            case "disabled": level = EnforcementLevel.Disabled; return true;
            case "remediate": level = EnforcementLevel.Remediate; return true;
            default: level = default; return false;
        }
    }
}
