using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Evaluation;

/// <summary>A policy of the pack.</summary>
public interface IPolicyRule
{
    /// <summary>Name, levels, schema.</summary>
    PolicyDescriptor Descriptor { get; }
}

/// <summary>A policy that looks at one resource at a time.</summary>
public interface IResourceRule : IPolicyRule
{
    /// <summary>The violations of <paramref name="resource"/>; may throw <see cref="UnknownValueException"/>.</summary>
    IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context);
}

/// <summary>A policy that looks at all resources of the stack.</summary>
public interface IStackRule : IPolicyRule
{
    /// <summary>The violations in <paramref name="stack"/>; may throw <see cref="UnknownValueException"/>.</summary>
    IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context);
}

/// <summary>A resource policy that can fix what it finds, when the fix is safe.</summary>
public interface IRemediatingRule : IResourceRule
{
    /// <summary>The fixed properties, or null when nothing needs fixing or no safe fix exists.</summary>
    ObjectValue? Remediate(ResourceSnapshot resource, RuleContext context);
}

/// <summary>One finding of a rule.</summary>
/// <param name="Message">What is wrong and how to fix it; never contains a secret value.</param>
/// <param name="Urn">The resource it concerns (stack rules), or null for the analyzed resource.</param>
/// <param name="Undecided">True when the rule could not decide because a value is unknown (reported as advisory).</param>
public sealed record Violation(string Message, string? Urn = null, bool Undecided = false)
{
    /// <summary>A "cannot evaluate during preview" finding about <paramref name="what"/>.</summary>
    public static Violation CannotEvaluate(string what, string? urn = null) =>
        new($"cannot evaluate during preview: {what} is not known yet", urn, Undecided: true);
}
