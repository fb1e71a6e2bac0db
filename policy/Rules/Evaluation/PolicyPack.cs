using System.Collections.Immutable;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Evaluation;

/// <summary>A finding reported to the engine or the offline output.</summary>
/// <param name="PolicyName">The policy.</param>
/// <param name="Description">The policy's description.</param>
/// <param name="Message">What is wrong; never a secret value.</param>
/// <param name="Level">Enforcement of this diagnostic (advisory for undecidable or failed rules).</param>
/// <param name="Severity">The policy's severity.</param>
/// <param name="Urn">The resource concerned.</param>
public sealed record Diagnostic(string PolicyName, string Description, string Message, EnforcementLevel Level, PolicySeverity Severity, string Urn);

/// <summary>A fix a remediating policy applied.</summary>
public sealed record RemediationResult(string PolicyName, string Description, ObjectValue Properties);

/// <summary>
/// Runs the rules with their levels and settings. Never throws for a rule's sake: an unknown value a rule
/// needs becomes an advisory "cannot evaluate during preview" diagnostic, any other exception an advisory
/// diagnostic naming the exception type (never its message, which might contain a value).
/// </summary>
public sealed class PolicyPack
{
    /// <summary>Creates a pack of <paramref name="rules"/>.</summary>
    public PolicyPack(string name, string version, IEnumerable<IPolicyRule> rules)
    {
        Name = name;
        Version = version;
        Rules = [.. rules];
        var duplicate = Rules.GroupBy(r => r.Descriptor.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two rules are named '{duplicate.Key}'", nameof(rules));
        }
    }

    /// <summary>Pack name.</summary>
    public string Name { get; }

    /// <summary>Pack version.</summary>
    public string Version { get; }

    /// <summary>Every rule.</summary>
    public ImmutableArray<IPolicyRule> Rules { get; }

    /// <summary>Diagnostics of the resource rules for one resource.</summary>
    public ImmutableArray<Diagnostic> Analyze(ResourceSnapshot resource, PolicySettings settings, StackInfo stack) =>
        Analyze(resource, settings, stack, null);

    /// <summary>
    /// As <see cref="Analyze(ResourceSnapshot, PolicySettings, StackInfo)"/>, with the secret values of the resource already
    /// known (<paramref name="secrets"/>: every secret its decoding met, e.g. by the analyzer's protobuf mapping; read only
    /// when there is a diagnostic to scrub); null: collected from the resource.
    /// </summary>
    public ImmutableArray<Diagnostic> Analyze(ResourceSnapshot resource, PolicySettings settings, StackInfo stack, IReadOnlyCollection<PropertyValue>? secrets)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(settings);
        var result = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var rule in Rules.OfType<IResourceRule>())
        {
            Run(rule, settings, stack, resource.Urn, result, ctx => rule.Check(resource, ctx));
        }
        return Scrubbed(result, () => secrets is null ? SecretScrubber.Of(resource) : SecretScrubber.OfSecrets(secrets));
    }

    /// <summary>Diagnostics of the stack rules.</summary>
    public ImmutableArray<Diagnostic> AnalyzeStack(StackSnapshot snapshot, PolicySettings settings, StackInfo stack) =>
        AnalyzeStack(snapshot, settings, stack, null);

    /// <summary>
    /// As <see cref="AnalyzeStack(StackSnapshot, PolicySettings, StackInfo)"/>, with the secrets of the snapshot already known
    /// (<paramref name="secrets"/>, e.g. <see cref="SecretScrubber.OfSecrets"/>); null: collected from the snapshot.
    /// </summary>
    public ImmutableArray<Diagnostic> AnalyzeStack(StackSnapshot snapshot, PolicySettings settings, StackInfo stack, SecretScrubber? secrets)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var result = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var rule in Rules.OfType<IStackRule>())
        {
            Run(rule, settings, stack, string.Empty, result, ctx => rule.Check(snapshot, ctx));
        }
        return Scrubbed(result, () => secrets ?? SecretScrubber.Of(snapshot.Resources));
    }

    /// <summary>The resource rules and stack rules over all of <paramref name="snapshot"/> (offline mode).</summary>
    public ImmutableArray<Diagnostic> AnalyzeAll(StackSnapshot snapshot, PolicySettings settings, StackInfo stack)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Resources.SelectMany(r => Analyze(r, settings, stack)), .. AnalyzeStack(snapshot, settings, stack)];
    }

    /// <summary>Fixes by the policies set to <see cref="EnforcementLevel.Remediate"/>, applied in order.</summary>
    public ImmutableArray<RemediationResult> Remediate(ResourceSnapshot resource, PolicySettings settings, StackInfo stack)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(settings);
        var result = ImmutableArray.CreateBuilder<RemediationResult>();
        foreach (var rule in Rules.OfType<IRemediatingRule>())
        {
            var setting = settings.For(rule);
            if (setting.Level != EnforcementLevel.Remediate)
            {
                continue;
            }
            try
            {
                var fixedProperties = rule.Remediate(resource, new RuleContext(stack, setting.Config));
                if (fixedProperties is not null)
                {
                    result.Add(new RemediationResult(rule.Descriptor.Name, rule.Descriptor.Description, fixedProperties));
                    resource = resource with { Properties = fixedProperties };
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A remediation that cannot be computed is simply not applied; Analyze reports the violation.
            }
        }
        return result.ToImmutable();
    }

    /// <summary>The diagnostics with every secret of the resources they were computed from replaced by [secret].</summary>
    private static ImmutableArray<Diagnostic> Scrubbed(ImmutableArray<Diagnostic>.Builder result, Func<SecretScrubber> scrubber)
    {
        if (result.Count == 0)
        {
            return [];
        }
        var secrets = scrubber();
        return secrets.IsEmpty ? result.ToImmutable() : [.. result.Select(d => d with { Message = secrets.Scrub(d.Message) })];
    }

    private static void Run(IPolicyRule rule, PolicySettings settings, StackInfo stack, string urn,
        ImmutableArray<Diagnostic>.Builder result, Func<RuleContext, IEnumerable<Violation>> check)
    {
        var setting = settings.For(rule);
        if (setting.Level == EnforcementLevel.Disabled)
        {
            return;
        }
        var d = rule.Descriptor;
        var level = setting.Level == EnforcementLevel.Remediate ? EnforcementLevel.Mandatory : setting.Level;
        var start = result.Count;
        try
        {
            foreach (var violation in check(new RuleContext(stack, setting.Config)))
            {
                result.Add(new Diagnostic(d.Name, d.Description, violation.Message, violation.Undecided ? EnforcementLevel.Advisory : level, d.Severity, violation.Urn ?? urn));
            }
        }
        catch (UnknownValueException e)
        {
            result.Add(new Diagnostic(d.Name, d.Description,
                e.Kind == UnknownKind.EncryptedSecret
                    ? $"cannot evaluate policy '{d.Name}': it needs a value that is an encrypted secret"
                    : $"cannot evaluate policy '{d.Name}' during preview: it needs a {e.Kind.ToString().ToLowerInvariant()} value that is not known yet",
                EnforcementLevel.Advisory, d.Severity, urn));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result.RemoveRange(start, result.Count - start);
            result.Add(new Diagnostic(d.Name, d.Description,
                $"policy '{d.Name}' failed internally ({e.GetType().Name}); the resource was not checked by it",
                EnforcementLevel.Advisory, d.Severity, urn));
        }
    }
}
