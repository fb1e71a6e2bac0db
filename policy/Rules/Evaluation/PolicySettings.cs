using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;
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
    /// Parses a <c>--policy-pack-config</c> file with Core's parser (the one the offline plan uses); errors name a key
    /// only when it is a policy of <paramref name="rules"/> (or <c>all</c>), others by position, and never quote a value.
    /// </summary>
    /// <exception cref="EnvironmentConfigException">Every problem, each naming the file and the entry.</exception>
    public static PolicyPackConfig ParseConfig(string json, string sourceName, IEnumerable<IPolicyRule> rules) =>
        PolicyPackConfig.Parse(json, sourceName, rules.Select(r => r.Descriptor.Name).ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// Applies a <c>--policy-pack-config</c> file over these settings: the <c>all</c> entry's level first, then the
    /// policy's own entry. Every policy's settings are validated against its schema; with <paramref name="strict"/>
    /// (the default) an entry that names no policy of the pack, a setting the policy does not have and settings under
    /// <c>all</c> are errors too. Errors name unknown keys by position, never by their text (the file may be any file).
    /// </summary>
    /// <exception cref="EnvironmentConfigException">Every problem, each naming the file and the entry or setting.</exception>
    public PolicySettings Apply(PolicyPackConfig file, IEnumerable<IPolicyRule> rules, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        var byName = rules.ToDictionary(r => r.Descriptor.Name, StringComparer.Ordinal);
        var problems = new List<ConfigError>();
        if (strict)
        {
            foreach (var entry in file.Entries)
            {
                if (entry.Key == PolicyPackConfig.AllKey && entry.Settings.Length > 0)
                {
                    problems.Add(new ConfigError($"{file.Source}: {PolicyPackConfig.AllKey}", $"takes only {PolicyPackConfig.EnforcementLevelKey}; settings belong to a policy's own entry"));
                }
                else if (entry.Key != PolicyPackConfig.AllKey && !byName.ContainsKey(entry.Key))
                {
                    problems.Add(new ConfigError($"{file.Source}: entry #{entry.Position}", $"is not a policy of this pack (policies: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))})"));
                }
            }
        }

        var allLevel = file.Find(PolicyPackConfig.AllKey)?.Level;
        var result = ByPolicy.ToBuilder();
        foreach (var (name, rule) in byName)
        {
            var current = ByPolicy.TryGetValue(name, out var s) ? s : new PolicySetting(rule.Descriptor.DevLevel, rule.Descriptor.Schema.WithDefaults(null));
            var entry = file.Find(name);
            var props = ObjectValue.Empty;
            foreach (var (index, (key, json)) in (entry?.Settings ?? []).Index())
            {
                if (strict && !rule.Descriptor.Schema.Defines(key))
                {
                    problems.Add(new ConfigError($"{file.Source}: {name}", $"setting #{index + 1} is not a setting of this policy (settings: {rule.Descriptor.Schema.Names})"));
                    continue;
                }

                props = props.With(key, PulumiWireValues.Decode(json, 1));
            }

            problems.AddRange(rule.Descriptor.Schema.Validate(props).Select(p => new ConfigError($"{file.Source}: {name}.{p.Setting}", p.Problem)));
            var config = current.Config;
            foreach (var (key, value) in props.Properties)
            {
                config = config.With(key, value);
            }
            result[name] = new PolicySetting(entry?.Level ?? allLevel ?? current.Level, config);
        }
        return problems.Count > 0 ? throw new EnvironmentConfigException(problems) : new PolicySettings(result.ToImmutable());
    }

    /// <summary>The setting of a policy (its dev defaults when absent).</summary>
    public PolicySetting For(IPolicyRule rule) =>
        ByPolicy.TryGetValue(rule.Descriptor.Name, out var s) ? s : new PolicySetting(rule.Descriptor.DevLevel, rule.Descriptor.Schema.WithDefaults(null));
}
