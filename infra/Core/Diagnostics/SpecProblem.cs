using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Diagnostics;

/// <summary>
/// One problem a planner found in a spec: the spec's property path (the Args' property names, e.g.
/// <c>MigConfig</c>, <c>Tolerations[1].Key</c>, <c>Tags["team"]</c>) and the reason, written for the user (what was
/// wrong and what is allowed). The component prefixes the path with its Args type once
/// (<c>GpuNodePoolArgs.MigConfig</c>); the binder maps it to a key path with its section's table.
/// </summary>
/// <param name="PropertyPath">Property path relative to the spec; never empty.</param>
/// <param name="Reason">What was wrong and what is allowed.</param>
public sealed record SpecProblem(string PropertyPath, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{PropertyPath}: {Reason}";
}

/// <summary>Collects the problems of one <c>XPlanner.Validate</c> run, with nested property paths.</summary>
public sealed class SpecProblems
{
    private readonly ImmutableArray<SpecProblem>.Builder _problems = ImmutableArray.CreateBuilder<SpecProblem>();

    /// <summary>Number of problems so far.</summary>
    public int Count => _problems.Count;

    /// <summary>Adds a problem at <paramref name="path"/>.</summary>
    /// <param name="path">Property path, e.g. <c>MaxSize</c>.</param>
    /// <param name="reason">What was wrong and what is allowed.</param>
    public void Add(string path, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _problems.Add(new SpecProblem(path, reason));
    }

    /// <summary>Adds <paramref name="reason"/> at <paramref name="path"/> when <paramref name="ok"/> is false.</summary>
    /// <returns><paramref name="ok"/>.</returns>
    public bool Require(bool ok, string path, string reason)
    {
        if (!ok)
        {
            Add(path, reason);
        }

        return ok;
    }

    /// <summary>Adds every problem of another validation at its own path (e.g. <see cref="Naming.OwnershipPlanner.Validate"/>).</summary>
    public void AddRange(IEnumerable<SpecProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        _problems.AddRange(problems);
    }

    /// <summary>Adds every problem of a nested spec under <paramref name="prefix"/> (e.g. <c>Pools[2]</c>).</summary>
    public void AddNested(string prefix, IEnumerable<SpecProblem> nested)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(nested);
        foreach (var p in nested)
        {
            _problems.Add(p with { PropertyPath = Join(prefix, p.PropertyPath) });
        }
    }

    /// <summary>Every problem, in the order found.</summary>
    public ImmutableArray<SpecProblem> ToImmutable() => _problems.ToImmutable();

    /// <summary>Joins a prefix and a nested path: <c>Pools[2]</c> + <c>Name</c> → <c>Pools[2].Name</c>; an indexer is not dotted.</summary>
    public static string Join(string prefix, string path) =>
        path.StartsWith('[') ? prefix + path : prefix + "." + path;
}
