using System.Collections.Immutable;
using Pulumi;
using Pulumi.Testing;

namespace NeoCloud.Infra.Components.Tests.Testing;

/// <summary>Runs component code under the Pulumi mock engine (never in parallel: the engine is process-wide).</summary>
public static class PulumiTest
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Runs <paramref name="create"/> in a test stack and returns the mocks that recorded it.</summary>
    /// <param name="create">The program.</param>
    /// <param name="preview">Run as a preview.</param>
    /// <param name="stack">Stack name.</param>
    /// <param name="mocks">Mocks to use (e.g. with <see cref="RecordingMocks.AdjustOutputs"/>); a new one by default.</param>
    public static async Task<(RecordingMocks Mocks, ImmutableArray<Resource> Resources)> RunAsync(Action create, bool preview = false, string stack = "test", RecordingMocks? mocks = null)
    {
        await Gate.WaitAsync();
        try
        {
            mocks ??= new RecordingMocks();
            var resources = await Deployment.TestAsync(mocks, new TestOptions { IsPreview = preview, StackName = stack, ProjectName = "neocloud-infra" }, create);
            return (mocks, resources);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Reads the value of an output (components' outputs are plain under the mock engine).</summary>
    public static Task<T> ValueAsync<T>(Output<T> output)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        output.Apply(v =>
        {
            tcs.TrySetResult(v);
            return v;
        });
        return tcs.Task;
    }
}
