namespace NeoCloud.Infra.Core.Serving;

/// <summary>Triton's <c>--model-control-mode</c>.</summary>
public enum ModelControlMode
{
    /// <summary><c>none</c>: load every model of the repository at start; changes need a restart (the default: predictable).</summary>
    None,

    /// <summary><c>poll</c>: reload models when the repository changes (see <c>--repository-poll-secs</c>).</summary>
    Poll,

    /// <summary><c>explicit</c>: load only models named by <c>--load-model</c> or the model-control API.</summary>
    Explicit,
}

/// <summary>Command-line spellings of <see cref="ModelControlMode"/>.</summary>
public static class ModelControlModeExtensions
{
    /// <summary>The flag value: <c>none</c>, <c>poll</c> or <c>explicit</c>.</summary>
    /// <param name="mode">The mode.</param>
    public static string ToFlagValue(this ModelControlMode mode) => mode switch
    {
        ModelControlMode.None => "none",
        ModelControlMode.Poll => "poll",
        ModelControlMode.Explicit => "explicit",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown model control mode"),
    };
}
