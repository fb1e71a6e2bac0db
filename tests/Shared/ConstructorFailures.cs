using System.Reflection;

namespace NeoCloud.Infra.Tests.Shared;

/// <summary>
/// How the component tests see a constructor's failure: the exception a reflective constructor call threw (unwrapped from
/// <see cref="TargetInvocationException"/>), rethrown inside a mock-engine program with its stack, and the chain of
/// exceptions the engine wraps it in. Linked into the Components and Provider test projects.
/// </summary>
internal static class ConstructorFailures
{
    /// <summary>Runs <paramref name="construct"/>; the exception it threw (unwrapped), or null when it succeeded.</summary>
    public static Exception? Capture(Action construct)
    {
        ArgumentNullException.ThrowIfNull(construct);
        try
        {
            construct();
            return null;
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException ?? e;
        }
    }

    /// <summary>Rethrows <paramref name="e"/> with its original stack (nothing when null).</summary>
    public static void Rethrow(Exception? e)
    {
        if (e is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
    }

    /// <summary><paramref name="e"/> and every exception inside it (aggregates flattened, inner exceptions followed).</summary>
    public static IEnumerable<Exception> Chain(Exception e) => e is AggregateException a
        ? a.Flatten().InnerExceptions.SelectMany(Chain).Prepend(e)
        : e.InnerException is null ? [e] : Chain(e.InnerException).Prepend(e);
}
