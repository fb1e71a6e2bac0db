namespace NeoCloud.Infra.Core.Hardware;

/// <summary>The GPU Operator / device plugin MIG strategy (chart value <c>mig.strategy</c>); one per cluster.</summary>
public enum MigStrategy
{
    /// <summary><c>none</c>: MIG devices are not exposed; whole GPUs are advertised as <c>nvidia.com/gpu</c>.</summary>
    None,

    /// <summary><c>single</c>: every GPU of a node is MIG-enabled with one profile; instances are advertised as <c>nvidia.com/gpu</c>.</summary>
    Single,

    /// <summary><c>mixed</c>: each profile is advertised as <c>nvidia.com/mig-&lt;profile&gt;</c>; MIG-disabled GPUs stay <c>nvidia.com/gpu</c>.</summary>
    Mixed,
}

/// <summary>Chart spellings of <see cref="MigStrategy"/>.</summary>
public static class MigStrategyExtensions
{
    /// <summary>The chart value: <c>none</c>, <c>single</c> or <c>mixed</c>.</summary>
    /// <param name="strategy">The strategy.</param>
    public static string ToChartValue(this MigStrategy strategy) => strategy switch
    {
        MigStrategy.None => "none",
        MigStrategy.Single => "single",
        MigStrategy.Mixed => "mixed",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown MIG strategy"),
    };
}
