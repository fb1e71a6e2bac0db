using System.Runtime;
using Microsoft.AspNetCore.Http;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>
/// Hands memory back to the OS after large requests. A 100 MB AnalyzeStack parses into several hundred MB of objects;
/// the workstation GC (server GC is off in the project file) frees them, but keeps the segments committed and the large
/// object heap uncompacted, so RSS would stay at its peak. When the last in-flight call ends and the managed heap holds
/// more than <see cref="ThresholdBytes"/>, one aggressive, compacting, blocking collection runs on the thread pool
/// (<see cref="GCCollectionMode.Aggressive"/> also decommits free memory). Small calls never trigger it.
/// </summary>
public sealed class MemoryReclaimer
{
    /// <summary>Managed heap size (allocated, including garbage) above which an idle server collects.</summary>
    public const long ThresholdBytes = 128L * 1024 * 1024;

    private int _inFlight;
    private int _collecting;

    /// <summary>How many aggressive collections ran.</summary>
    public int Collections { get; private set; }

    /// <summary>Runs the call; after the last concurrent one, collects if the heap is large.</summary>
    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Increment(ref _inFlight);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && GC.GetTotalMemory(forceFullCollection: false) > ThresholdBytes &&
                Interlocked.Exchange(ref _collecting, 1) == 0)
            {
                _ = Task.Run(Collect);
            }
        }
    }

    private void Collect()
    {
        try
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Collections++;
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }
}
