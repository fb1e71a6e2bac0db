using System.Collections.Immutable;
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

    /// <summary>Chooses the defaults from the stack's <c>neocloud:environment</c> config, else from its name.</summary>
    public static StackKind KindOf(string stackName, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var env = config.TryGetValue("neocloud:environment", out var e) ? e : stackName ?? string.Empty;
        var last = env.Split('/').Last();
        return last.Contains("prod", StringComparison.OrdinalIgnoreCase) ? StackKind.Prod : StackKind.Dev;
    }

    /// <summary>A stack config value by key (<c>neocloud:costCenter</c>), or null.</summary>
    public string? ConfigValue(string key) => Config.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
}
