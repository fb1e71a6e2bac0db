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
        var profile = policy.Enforcement == PolicyEnforcement.Strict ? "strict" : "advisory";
        if (policy.PackConfig == StackConfig.SecretPlaceholder)
        {
            // A secret path cannot be opened offline; the enforcement profile decides, as for a missing file.
            return new PackConfigLevels(ImmutableDictionary<string, EnforcementLevel>.Empty, fallback, false,
                $"neocloud:policy.packConfig is a secret (not read offline); enforcement {profile} → every policy {Name(fallback)}");
        }

        const string key = "neocloud:policy.packConfig";
        if (InputLimits.PathProblem(policy.PackConfig) is { } problem)
        {
            throw new EnvironmentConfigException([new ConfigError(key, problem)]);
        }

        var path = Path.GetFullPath(policy.PackConfig, projectDirectory);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return new PackConfigLevels(ImmutableDictionary<string, EnforcementLevel>.Empty, fallback, false,
                $"{policy.PackConfig} not found; enforcement {profile} → every policy {Name(fallback)}");
        }

        // Only a regular file of at most 1 MiB is read (not /dev/zero, a FIFO or a directory); errors name the key.
        var text = InputLimits.ReadRegularTextFile(path, InputLimits.MaxConfigFileBytes, $"{key} ({policy.PackConfig})");
        return new PackConfigLevels(Parse(text, policy.PackConfig), fallback, true, policy.PackConfig);
    }

    /// <summary>
    /// Parses the file's text; <paramref name="sourceName"/> names it in errors. <c>policy.packConfig</c> may name any
    /// file, so no error repeats the file's content: keys are named only when they are policy names of this pack (or
    /// <c>all</c>), otherwise by position, and values are never quoted.
    /// </summary>
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

            var index = 0;
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                index++;
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
                    var where = KnownPolicies.Contains(entry.Name) ? entry.Name : $"entry #{index}";
                    errors.Add(new ConfigError($"{sourceName}: {where}", "is not an enforcement level; allowed: advisory, mandatory, disabled, remediate"));
                }
            }
        }
        catch (JsonException ex)
        {
            // JsonException's message quotes the offending character; the position alone says where.
            errors.Add(new ConfigError(sourceName, $"is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}); a policy pack config is a JSON object of policy name → level"));
        }

        return errors.Count > 0 ? throw new EnvironmentConfigException(errors) : levels.ToImmutable();
    }

    /// <summary>Keys an error may name: the policies the plan reports and <c>all</c>.</summary>
    private static readonly ImmutableHashSet<string> KnownPolicies =
        [AllKey, Planning.StackPlanner.ConfigValid, Planning.StackPlanner.CapacityFits, .. Core.Policy.ConfigChecks.PolicyNames];

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
