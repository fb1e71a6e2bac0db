using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using Pulumi;

namespace NeoCloud.Infra.Components;

/// <summary>
/// The two steps every component constructor takes before <c>base(...)</c> (architecture.md, component contract 3):
/// validate + plan once (<see cref="Plan{TSpec, TPlan}"/>), and options that keep the component's previous type token
/// as an alias (<see cref="WithAliases"/>), so stacks created before the <c>neocloud:index:*</c> tokens are not replaced.
/// </summary>
public static class ComponentContract
{
    /// <summary>
    /// Validates <paramref name="spec"/> and plans it, or throws <see cref="ComponentArgsException"/> with every problem
    /// (nothing has been registered at that point).
    /// </summary>
    /// <param name="argsType">The Args type name, e.g. <c>nameof(GpuNodePoolArgs)</c>.</param>
    /// <param name="resourceName">The component's resource name (its constructor's <c>name</c>): null or empty throws <see cref="ArgumentException"/>.</param>
    /// <param name="spec">The spec built from the Args (null when the Args themselves are null).</param>
    /// <param name="validate">The planner's Validate.</param>
    /// <param name="plan">The planner's Plan (only called on a valid spec).</param>
    public static TPlan Plan<TSpec, TPlan>(
        string argsType,
        string resourceName,
        TSpec? spec,
        Func<TSpec, ImmutableArray<SpecProblem>> validate,
        Func<TSpec, TPlan> plan)
        where TSpec : class
    {
        // The component constructor's `name` parameter: every component guards it here, once.
        ArgumentException.ThrowIfNullOrEmpty(resourceName, "name");
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(plan);
        if (spec is null)
        {
            throw new ComponentArgsException(argsType, resourceName, [new SpecProblem("(args)", "the Args object is required")]);
        }

        ComponentArgsException.ThrowIfAny(argsType, resourceName, validate(spec));
        return plan(spec);
    }

    /// <summary>
    /// <paramref name="options"/> (copied; never the caller's instance) with an alias for each previous type token
    /// of the component, so a stack registered under the old token is updated in place instead of replaced.
    /// </summary>
    /// <param name="options">The caller's options, or null.</param>
    /// <param name="previousTypeTokens">Earlier tokens, e.g. <c>neocloud:gpu:GpuNodePool</c>.</param>
    public static ComponentResourceOptions WithAliases(ComponentResourceOptions? options, params string[] previousTypeTokens)
    {
        var copy = options is null ? new ComponentResourceOptions() : ComponentResourceOptions.Merge(options, null);
        var aliases = new List<Input<Alias>>(copy.Aliases);
        foreach (var token in previousTypeTokens)
        {
            aliases.Add(new Alias { Type = token });
        }

        copy.Aliases = aliases;
        return copy;
    }
}
