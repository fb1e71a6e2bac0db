using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>One problem in a stack's configuration: where it is, what was wrong and what is allowed.</summary>
/// <param name="Path">Key path, e.g. <c>neocloud:gpuPools[1].mig.config</c>.</param>
/// <param name="Message">What was wrong and what is allowed.</param>
public sealed record ConfigError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown when a stack's configuration is invalid; carries every problem found, not just the first.</summary>
public sealed class EnvironmentConfigException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public EnvironmentConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors))
    {
        Errors = [.. errors];
    }

    /// <summary>Every problem found, in key order.</summary>
    public ImmutableArray<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is required", nameof(errors));
        }

        var noun = errors.Count == 1 ? "problem" : "problems";
        return $"invalid stack configuration ({errors.Count} {noun}); nothing was created:"
            + string.Concat(errors.Select(e => "\n  - " + e));
    }
}
