using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Evaluation;

/// <summary>What a rule knows besides the resources: the stack and its own configuration.</summary>
/// <param name="Stack">The stack facts (name, kind, config).</param>
/// <param name="Config">The rule's configuration, schema defaults filled in.</param>
public sealed record RuleContext(StackInfo Stack, ObjectValue Config)
{
    /// <summary>A string setting.</summary>
    public string Text(string key) => Config[key].AsString() ?? string.Empty;

    /// <summary>An integer setting.</summary>
    public int Integer(string key) => (int)(Config[key].AsNumber() ?? 0);

    /// <summary>A boolean setting.</summary>
    public bool Flag(string key) => Config[key].AsBool() ?? false;

    /// <summary>A list-of-strings setting.</summary>
    public ImmutableArray<string> List(string key) => [.. Config[key].Items().Select(i => i.AsString()).OfType<string>()];
}

/// <summary>The stack being analyzed, as reported by ConfigureStack (or the offline command line).</summary>
/// <param name="Name">Stack name.</param>
/// <param name="Project">Project name.</param>
/// <param name="Organization">Organization name.</param>
/// <param name="DryRun">True during preview.</param>
/// <param name="Kind">Dev or prod defaults.</param>
/// <param name="Config">Stack configuration, <c>project:key</c> → value (secret values excluded).</param>
public sealed record StackInfo(string Name, string Project, string Organization, bool DryRun, StackKind Kind, ImmutableDictionary<string, string> Config)
{
    /// <summary>An unnamed dev stack.</summary>
    public static StackInfo Unconfigured { get; } = new("dev", string.Empty, string.Empty, true, StackKind.Dev, ImmutableDictionary<string, string>.Empty);

    /// <summary>
    /// Chooses the defaults with Core's production rule (<see cref="EnvironmentModel.IsProductionEnvironment"/>) applied
    /// to the stack's <c>neocloud:environment</c> and <c>neocloud:policy</c> enforcement. Without an environment in the
    /// config, each '-', '_' or '.' separated word of the stack name's last segment is tried (<c>org/prod-eu</c> → prod;
    /// <c>nonprod</c>, <c>preprod</c> → dev).
    /// </summary>
    public static StackKind KindOf(string stackName, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var enforcement = EnforcementOf(config);
        var candidates = config.TryGetValue("neocloud:environment", out var env)
            ? [env]
            : (stackName ?? string.Empty).Split('/').Last().Split('-', '_', '.');
        return candidates.Any(c => EnvironmentModel.IsProductionEnvironment(c.ToLowerInvariant(), enforcement)) ? StackKind.Prod : StackKind.Dev;
    }

    // neocloud:policy arrives as JSON text ({"enforcement":"strict",...}); anything unreadable counts as advisory.
    private static PolicyEnforcement EnforcementOf(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue("neocloud:policy", out var text))
        {
            return PolicyEnforcement.Advisory;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject o && o["enforcement"] is JsonValue v && v.TryGetValue<string>(out var level) && level == "strict"
                ? PolicyEnforcement.Strict
                : PolicyEnforcement.Advisory;
        }
        catch (JsonException)
        {
            return PolicyEnforcement.Advisory;
        }
    }

    /// <summary>A stack config value by key (<c>neocloud:costCenter</c>), or null.</summary>
    public string? ConfigValue(string key) => Config.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
}
