using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;

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
    public const string AllKey = PolicyPackConfig.AllKey;

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
                $"neocloud:policy.packConfig is a secret (not read offline); enforcement {profile} → every policy {EnforcementLevels.Name(fallback)}");
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
                $"{policy.PackConfig} not found; enforcement {profile} → every policy {EnforcementLevels.Name(fallback)}");
        }

        // Only a regular file of at most 1 MiB is read (not /dev/zero, a FIFO or a directory); errors name the key.
        var text = InputLimits.ReadRegularTextFile(path, InputLimits.MaxConfigFileBytes, $"{key} ({policy.PackConfig})");
        return new PackConfigLevels(Parse(text, policy.PackConfig), fallback, true, policy.PackConfig);
    }

    /// <summary>
    /// Parses the file's text with Core's <see cref="PolicyPackConfig"/> parser; <paramref name="sourceName"/> names it
    /// in errors, which name keys only when they are policy names of the plan (or <c>all</c>) and never quote values.
    /// </summary>
    internal static ImmutableDictionary<string, EnforcementLevel> Parse(string json, string sourceName)
    {
        var config = PolicyPackConfig.Parse(json, sourceName, KnownPolicies);
        var levels = ImmutableDictionary.CreateBuilder<string, EnforcementLevel>(StringComparer.Ordinal);
        foreach (var entry in config.Entries)
        {
            if (entry.Level is { } level)
            {
                levels[entry.Key] = level; // an object of settings only leaves the level as it was
            }
        }

        return levels.ToImmutable();
    }

    /// <summary>Keys an error may name: the policies the plan reports and <c>all</c>.</summary>
    private static readonly ImmutableHashSet<string> KnownPolicies =
        [AllKey, Planning.StackPlanner.ConfigValid, Planning.StackPlanner.CapacityFits, .. Core.Policy.ConfigChecks.PolicyNames];
}
