using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>
/// Hands memory back to the OS after large requests. A 100 MB AnalyzeStack parses into several hundred MB of objects, and
/// Kestrel buffers the request body in its pinned block pool; the workstation GC (server GC is off in the project file)
/// frees the objects but keeps segments committed and the large object heap uncompacted, so RSS would stay at its peak.
/// When the last in-flight call ends and the GC has more than <see cref="ThresholdBytes"/> committed, one aggressive,
/// compacting, blocking collection runs on the thread pool (<see cref="GCCollectionMode.Aggressive"/> also decommits free
/// memory), and again every <see cref="RetryInterval"/> while the server stays idle and above the threshold (at most
/// <see cref="MaxRetries"/> times): the pool blocks Kestrel evicts later become garbage only then. Small calls never
/// trigger it. After each collection glibc's <c>malloc_trim(0)</c> returns the free pages of the native heap (the runtime's
/// and Kestrel's native allocations grow glibc arenas the GC never sees; without it RSS stayed at ~6x idle after a burst).
/// </summary>
public sealed partial class MemoryReclaimer
{
    /// <summary>Memory committed by the GC above which an idle server collects.</summary>
    public const long ThresholdBytes = 48L * 1024 * 1024;

    /// <summary>Pause between collections while memory stays above the threshold.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>Collections after one large episode, at most.</summary>
    public const int MaxRetries = 15;

    private int _inFlight;
    private int _collecting;

    /// <summary>Runs the call; after the last concurrent one, collects if the GC holds much memory.</summary>
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
            if (Interlocked.Decrement(ref _inFlight) == 0 && AboveThreshold() && Interlocked.Exchange(ref _collecting, 1) == 0)
            {
                _ = Task.Run(ReclaimAsync);
            }
        }
    }

    private static bool _trimUnavailable;

    /// <summary>glibc <c>malloc_trim(0)</c>: releases free native heap pages to the OS (no-op where there is none, e.g. musl, macOS, Windows).</summary>
    internal static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || _trimUnavailable)
        {
            return;
        }
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _trimUnavailable = true;
        }
    }

    // man 3 malloc_trim: int malloc_trim(size_t pad); glibc only.
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    private static bool AboveThreshold() => GC.GetGCMemoryInfo().TotalCommittedBytes > ThresholdBytes;

    private async Task ReclaimAsync()
    {
        try
        {
            for (var round = 0; round <= MaxRetries && AboveThreshold(); round++)
            {
                if (round > 0)
                {
                    await Task.Delay(RetryInterval).ConfigureAwait(false);
                }
                if (Volatile.Read(ref _inFlight) == 0)
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    TrimNativeHeap();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }
}
