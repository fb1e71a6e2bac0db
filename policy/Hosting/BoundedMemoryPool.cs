using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>
/// Kestrel's buffer pool for this server (through ASP.NET Core 10's <see cref="IMemoryPoolFactory{T}"/>): 4 KiB blocks like
/// Kestrel's own pool, of which at most <see cref="MaxRetainedBlocks"/> are pinned and reused. Kestrel buffers a unary
/// request body whole until gRPC has the complete message, so a 100 MB AnalyzeStack takes 25,600 blocks. Kestrel's default
/// pool would keep them all after the call (RSS stays at the peak). An earlier version of this pool pinned every block and
/// kept 2,048 of the returned ones: those survivors sat scattered over the ~100 MiB of pinned-object-heap regions the burst
/// had filled, and the pinned heap is never compacted, so every region holding one survivor stayed committed (RSS ~4× idle
/// after a burst, issue 12). Now only the retained blocks are pinned (allocated once, when the pool first needs them, and
/// never dropped); blocks beyond them are ordinary, movable arrays that die with the call, so the compacting collection of
/// <see cref="MemoryReclaimer"/> can hand their memory back. The socket transport pins a buffer only for the duration of a
/// receive, so movable blocks are safe; small calls reuse the pinned blocks exactly as before.
/// </summary>
public sealed class BoundedMemoryPool : MemoryPool<byte>
{
    /// <summary>Block size (Kestrel's).</summary>
    public const int BlockSize = 4096;

    /// <summary>Pinned blocks kept for reuse (8 MiB), the most this pool ever pins.</summary>
    public const int MaxRetainedBlocks = 2048;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _pinned;

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <summary>Pinned blocks allocated so far (never more than <see cref="MaxRetainedBlocks"/>).</summary>
    internal int PinnedBlocks => Volatile.Read(ref _pinned);

    /// <summary>Pinned blocks free for reuse right now.</summary>
    internal int FreeBlocks => _free.Count;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            return new Block(this, GC.AllocateUninitializedArray<byte>(minBufferSize), pooled: false);
        }
        if (_free.TryDequeue(out var array))
        {
            return new Block(this, array, pooled: true);
        }
        if (Interlocked.Increment(ref _pinned) <= MaxRetainedBlocks)
        {
            return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), pooled: true);
        }
        Interlocked.Decrement(ref _pinned);
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize), pooled: false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _free.Clear();
    }

    private sealed class Block(BoundedMemoryPool pool, byte[] array, bool pooled) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            var array = Interlocked.Exchange(ref _array, null);
            if (array is not null && pooled)
            {
                pool._free.Enqueue(array);
            }
        }
    }
}

/// <summary>Creates a <see cref="BoundedMemoryPool"/> for each Kestrel listener and connection kind.</summary>
public sealed class BoundedMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    /// <inheritdoc />
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new BoundedMemoryPool();
}
