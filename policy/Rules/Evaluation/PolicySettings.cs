using System.Collections.Immutable;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Evaluation;

/// <summary>The level and settings of one policy.</summary>
public sealed record PolicySetting(EnforcementLevel Level, ObjectValue Config);

/// <summary>Levels and settings of every policy of a pack: immutable, replaced as a whole on Configure.</summary>
public sealed record PolicySettings(ImmutableDictionary<string, PolicySetting> ByPolicy)
{
    /// <summary>The defaults of <paramref name="stack"/> for every policy.</summary>
    public static PolicySettings Defaults(IEnumerable<IPolicyRule> rules, StackKind stack) =>
        new(rules.ToImmutableDictionary(r => r.Descriptor.Name,
            r => new PolicySetting(r.Descriptor.DefaultLevel(stack), r.Descriptor.Schema.WithDefaults(null)), StringComparer.Ordinal));

    /// <summary>
    /// Applies a <c>--policy-pack-config</c> file over these settings: the <c>all</c> entry first, then the
    /// policy's own. Every policy's settings are validated against its schema.
    /// </summary>
    /// <exception cref="PolicyConfigException">An entry names no policy of the pack, or a setting does not fit its schema.</exception>
    public PolicySettings Apply(PolicyPackConfig file, IEnumerable<IPolicyRule> rules, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        var byName = rules.ToDictionary(r => r.Descriptor.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var name in file.Entries.Keys.Where(k => k != PolicyPackConfig.AllKey && !byName.ContainsKey(k)))
        {
            problems.Add($"policy '{name}' is not in this pack");
        }
        var all = file.Entries.GetValueOrDefault(PolicyPackConfig.AllKey);
        var result = ByPolicy.ToBuilder();
        foreach (var (name, rule) in byName)
        {
            var current = ByPolicy.TryGetValue(name, out var s) ? s : new PolicySetting(rule.Descriptor.DevLevel, rule.Descriptor.Schema.WithDefaults(null));
            var entry = file.Entries.GetValueOrDefault(name);
            var level = entry?.Level ?? all?.Level ?? current.Level;
            var props = entry?.Properties ?? ObjectValue.Empty;
            problems.AddRange(rule.Descriptor.Schema.Validate(props, strict).Select(p => $"policy '{name}': {p}"));
            var config = current.Config;
            foreach (var (key, value) in props.Properties)
            {
                config = config.With(key, value);
            }
            result[name] = new PolicySetting(level, config);
        }
        return problems.Count > 0 ? throw new PolicyConfigException(string.Join("; ", problems)) : new PolicySettings(result.ToImmutable());
    }

    /// <summary>The setting of a policy (its dev defaults when absent).</summary>
    public PolicySetting For(IPolicyRule rule) =>
        ByPolicy.TryGetValue(rule.Descriptor.Name, out var s) ? s : new PolicySetting(rule.Descriptor.DevLevel, rule.Descriptor.Schema.WithDefaults(null));
}
