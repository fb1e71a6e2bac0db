using System.Collections.Immutable;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Components.Serving;

/// <summary>
/// Thrown by the serving, autoscaling and monitoring components when their arguments are invalid, before any
/// resource is registered; carries every problem found with its Args property path.
/// </summary>
public sealed class ServingArgsException : Exception
{
    /// <summary>Creates the exception for component <paramref name="component"/> from the problems found (at least one).</summary>
    /// <param name="component">What was being created, e.g. <c>TritonService "llama"</c>.</param>
    /// <param name="errors">The problems.</param>
    public ServingArgsException(string component, IReadOnlyList<ConfigError> errors)
        : base(Format(component, errors))
    {
        Errors = [.. errors];
    }

    /// <summary>Every problem found.</summary>
    public ImmutableArray<ConfigError> Errors { get; }

    /// <summary>Throws when <paramref name="errors"/> is not empty.</summary>
    /// <param name="component">What was being created.</param>
    /// <param name="errors">The problems.</param>
    public static void ThrowIfAny(string component, IReadOnlyList<ConfigError> errors)
    {
        if (errors.Count > 0)
        {
            throw new ServingArgsException(component, errors);
        }
    }

    private static string Format(string component, IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is required", nameof(errors));
        }

        var noun = errors.Count == 1 ? "problem" : "problems";
        return $"invalid arguments for {component} ({errors.Count} {noun}); nothing was registered:" + string.Concat(errors.Select(e => "\n  - " + e));
    }
}
