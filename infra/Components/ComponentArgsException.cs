using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;

namespace NeoCloud.Infra.Components;

/// <summary>
/// Thrown by a component's constructor before anything is registered (not even the component) when its Args are
/// invalid. Lists every problem as (property path, reason); the message prefixes each path with the Args type once:
/// <c>GpuNodePoolArgs.MigConfig: ...</c>, <c>TritonServiceArgs.Placement.Tolerations[0].Effect: ...</c>.
/// </summary>
public sealed class ComponentArgsException : ArgumentException
{
    /// <summary>Creates the exception for one component from the problems found (at least one).</summary>
    /// <param name="argsType">The Args type name, e.g. <c>GpuNodePoolArgs</c>.</param>
    /// <param name="resourceName">The component's resource name.</param>
    /// <param name="problems">Every problem; paths relative to the Args.</param>
    public ComponentArgsException(string argsType, string resourceName, IReadOnlyList<SpecProblem> problems)
        : base(Format(argsType, resourceName, problems), "args")
    {
        ArgsType = argsType;
        ResourceName = resourceName;
        Problems = [.. problems];
    }

    /// <summary>The Args type name, e.g. <c>GpuNodePoolArgs</c>.</summary>
    public string ArgsType { get; }

    /// <summary>The component's resource name.</summary>
    public string ResourceName { get; }

    /// <summary>Every problem found, in the order found; paths relative to the Args (no type prefix).</summary>
    public ImmutableArray<SpecProblem> Problems { get; }

    /// <summary>Throws when <paramref name="problems"/> is not empty.</summary>
    /// <param name="argsType">The Args type name, e.g. <c>TritonServiceArgs</c>.</param>
    /// <param name="resourceName">The component's resource name.</param>
    /// <param name="problems">The problems.</param>
    public static void ThrowIfAny(string argsType, string resourceName, IReadOnlyList<SpecProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw new ComponentArgsException(argsType, resourceName, problems);
        }
    }

    private static string Format(string argsType, string resourceName, IReadOnlyList<SpecProblem> problems)
    {
        ArgumentException.ThrowIfNullOrEmpty(argsType);
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            throw new ArgumentException("at least one problem is required", nameof(problems));
        }

        var component = argsType.EndsWith("Args", StringComparison.Ordinal) ? argsType[..^4] : argsType;
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"{component} \"{resourceName}\": invalid {argsType} ({problems.Count} {noun}); nothing was registered:"
            + string.Concat(problems.Select(p => $"\n  - {SpecProblems.Join(argsType, p.PropertyPath)}: {p.Reason}"));
    }
}
