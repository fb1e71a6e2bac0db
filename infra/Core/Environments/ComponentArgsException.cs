using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>
/// Thrown by a component before it registers anything (not even itself) when its Args are invalid; lists every
/// problem with the Args property it concerns (e.g. <c>GpuNodePoolArgs.MigConfig</c>, <c>TritonServiceArgs.MaxReplicas</c>).
/// </summary>
public sealed class ComponentArgsException : Exception
{
    /// <summary>Creates the exception for one component from the problems found (at least one).</summary>
    /// <param name="component">Component type name, e.g. <c>GpuNodePool</c>.</param>
    /// <param name="name">The component's resource name.</param>
    /// <param name="errors">Every problem; <see cref="ConfigError.Path"/> is the Args property.</param>
    public ComponentArgsException(string component, string name, IReadOnlyList<ConfigError> errors)
        : base(Format(component, name, errors))
    {
        Component = component;
        ResourceName = name;
        Errors = [.. errors];
    }

    /// <summary>Component type name.</summary>
    public string Component { get; }

    /// <summary>The component's resource name.</summary>
    public string ResourceName { get; }

    /// <summary>Every problem found, in the order found.</summary>
    public ImmutableArray<ConfigError> Errors { get; }

    /// <summary>Throws when <paramref name="errors"/> is not empty.</summary>
    /// <param name="component">Component type name, e.g. <c>TritonService</c>.</param>
    /// <param name="name">The component's resource name.</param>
    /// <param name="errors">The problems.</param>
    public static void ThrowIfAny(string component, string name, IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw new ComponentArgsException(component, name, errors);
        }
    }

    private static string Format(string component, string name, IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is required", nameof(errors));
        }

        var noun = errors.Count == 1 ? "problem" : "problems";
        return $"{component} \"{name}\": invalid args ({errors.Count} {noun}); nothing was registered:"
            + string.Concat(errors.Select(e => "\n  - " + (e.Path.StartsWith(component + "Args", StringComparison.Ordinal) ? string.Empty : component + "Args.") + e));
    }
}
