using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>Where the rule behind a configuration problem lives: the binder's own classification of each error.</summary>
public enum ConfigErrorSource
{
    /// <summary>What the YAML reader checks: types, shapes, required keys, input bounds, patterns of names, secrets where none may be.</summary>
    Shape,

    /// <summary>A key no reader asked for (a typo).</summary>
    UnknownKey,

    /// <summary>
    /// The binder's own: references between entries and sections (a pool's cluster, a deployment's tenant and pool,
    /// <c>allowFrom</c>, secret keys), unique names, and what only a whole stack has (topology, the compatibility
    /// matrix, system pools, the cluster-wide MIG strategy). No component sees these.
    /// </summary>
    Reference,

    /// <summary><see cref="Capacity.CapacityPlanner.Validate"/> on the whole model (pools × deployments × quotas).</summary>
    Capacity,

    /// <summary>A component planner's <c>Validate</c> on the spec the binder built (<see cref="TracedError.Check"/>).</summary>
    Spec,
}

/// <summary>
/// One spec the binder built from a section entry and validated with the component's planner, exactly as the
/// component does it: the entry's key path, the spec, the planner's problems and the section's key-path table.
/// </summary>
/// <param name="ObjectPath">The entry's key path, e.g. <c>neocloud:gpuPools[1]</c>.</param>
/// <param name="Spec">The spec (<c>GpuNodePoolSpec</c>, <c>TritonServiceSpec</c>, ...).</param>
/// <param name="Problems">What the planner's <c>Validate</c> returned for <paramref name="Spec"/>.</param>
/// <param name="KeyOf">
/// The section's table: a property path → its full key path; null when the property has no key (the problem is then
/// reported at <paramref name="ObjectPath"/>, prefixed with the property path); <see cref="NotThisSection"/> when the
/// section does not set the property (the stack does, or another key reports it).
/// </param>
public sealed partial record SpecCheck(string ObjectPath, object Spec, ImmutableArray<SpecProblem> Problems, Func<string, string?> KeyOf)
{
    /// <summary>The <see cref="KeyOf"/> value of a property the section does not set; its problems are not reported here.</summary>
    public const string NotThisSection = "";

    /// <summary>
    /// True for the ownership paths (<c>Environment</c>, <c>CostCenter</c>, <c>Tags[...]</c>): every section's spec
    /// carries them, and they are bound and reported once, at <c>neocloud:environment</c> / <c>neocloud:costCenter</c>.
    /// </summary>
    public static bool IsOwnership(string propertyPath)
    {
        ArgumentNullException.ThrowIfNull(propertyPath);
        return propertyPath is "Environment" or "CostCenter" || propertyPath.StartsWith("Tags[", StringComparison.Ordinal);
    }

    /// <summary>The key path the binder reports <paramref name="problem"/> at, or null when this section does not report it.</summary>
    public string? ReportedAt(SpecProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (IsOwnership(problem.PropertyPath))
        {
            return null;
        }

        var key = KeyOf(problem.PropertyPath);
        return key == NotThisSection ? null : key ?? ObjectPath;
    }

    /// <summary>
    /// The binder's message for <paramref name="problem"/>: the planner's reason with the properties it names written as
    /// this section's keys (<see cref="Render"/>), prefixed with the property path when the property has no key.
    /// </summary>
    public string Message(SpecProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return KeyOf(problem.PropertyPath) is null ? $"{problem.PropertyPath}: {Render(problem.Reason)}" : Render(problem.Reason);
    }

    /// <summary>
    /// <paramref name="reason"/> with every property it names (<c>MaxSize</c>, <c>Slo.P95Ms</c>; outside double quotes,
    /// which hold user values) written as the key this section reads it from, relative to the entry (<c>maxSize</c>,
    /// <c>slo.p95Ms</c>): a YAML user reads the key they wrote, a C# user of the component the Args property. A name
    /// the table does not map under the entry stays as it is.
    /// </summary>
    public string Render(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var parts = reason.Split('"');
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = PropertyName().Replace(parts[i], m => RelativeKey(m.Value) ?? m.Value);
        }

        return string.Join('"', parts);
    }

    private string? RelativeKey(string propertyPath)
    {
        if (IsOwnership(propertyPath))
        {
            return null;
        }

        var key = KeyOf(propertyPath);
        var prefix = ObjectPath + ".";
        return key is not null && key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;
    }

    // A PascalCase property name or dotted path, not part of a longer token (GPU models, instance types, tags).
    [GeneratedRegex(@"(?<![A-Za-z0-9_.\-/\[])[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*(?![A-Za-z0-9_\-/\[])")]
    private static partial Regex PropertyName();
}

/// <summary>One problem of a binding run with the binder's classification of it.</summary>
/// <param name="Error">The problem as reported.</param>
/// <param name="Source">Where its rule lives.</param>
/// <param name="Check">For <see cref="ConfigErrorSource.Spec"/>: the spec check it comes from.</param>
/// <param name="Problem">For <see cref="ConfigErrorSource.Spec"/>: the planner's problem (property path and reason).</param>
public sealed record TracedError(ConfigError Error, ConfigErrorSource Source, SpecCheck? Check, SpecProblem? Problem);

/// <summary>A binding run as <see cref="EnvironmentBinder.Trace"/> records it.</summary>
/// <param name="Result">What <see cref="EnvironmentBinder.Bind"/> returns.</param>
/// <param name="Errors">Every problem, in the order of <see cref="BindResult.Errors"/>, classified.</param>
/// <param name="Checks">Every spec validated with a component planner, in binding order.</param>
public sealed record BindTrace(BindResult Result, ImmutableArray<TracedError> Errors, ImmutableArray<SpecCheck> Checks);

internal sealed partial class ConfigErrors
{
    private readonly List<TracedError> _traced = [];
    private readonly List<SpecCheck> _checks = [];

    public ImmutableArray<TracedError> Traced => [.. _traced];

    public ImmutableArray<SpecCheck> Checks => [.. _checks];

    /// <summary>Records a spec validated with a component's planner: its problems, added with <see cref="Add"/>, are classified <see cref="ConfigErrorSource.Spec"/>.</summary>
    public void Record(SpecCheck check) => _checks.Add(check);

    /// <summary>The recorded planner problem reported at <paramref name="path"/> as <paramref name="message"/>, if any.</summary>
    private TracedError? FromSpec(string path, string message)
    {
        for (var i = _checks.Count - 1; i >= 0; i--)
        {
            var check = _checks[i];
            foreach (var p in check.Problems)
            {
                if (check.ReportedAt(p) == path && (message == p.Reason || message == $"{p.PropertyPath}: {p.Reason}"))
                {
                    return new TracedError(null!, ConfigErrorSource.Spec, check, p);
                }
            }
        }

        return null;
    }
}

public static partial class EnvironmentBinder
{
    private sealed partial class Binding
    {
        /// <summary>
        /// Records <paramref name="spec"/> with its planner's <paramref name="problems"/> and the section's table
        /// (<see cref="SpecCheck.KeyOf"/>) and returns the problems: the one call every section makes around a planner's
        /// <c>Validate</c>, so each problem it reports is classified as the component's.
        /// </summary>
        private ImmutableArray<SpecProblem> Check<TSpec>(string objectPath, TSpec spec, ImmutableArray<SpecProblem> problems, Func<string, string?> keyOf)
            where TSpec : class
        {
            errors.Record(new SpecCheck(objectPath, spec, problems, keyOf));
            return problems;
        }
    }
}
