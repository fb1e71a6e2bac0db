using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>
/// Kestrel's buffer pool for this server (through ASP.NET Core 10's <see cref="IMemoryPoolFactory{T}"/>): pinned 4 KiB
/// blocks like Kestrel's own pool, but it keeps at most <see cref="MaxRetainedBlocks"/> free blocks. Kestrel buffers a
/// unary request body whole until gRPC has the complete message, so a 100 MB AnalyzeStack takes 25,600 blocks; its default
/// pool would keep them all after the call (RSS stays at the peak), this one drops the surplus to the GC, which
/// <see cref="MemoryReclaimer"/> then hands back to the OS. Small calls reuse retained blocks exactly as before.
/// </summary>
public sealed class BoundedMemoryPool : MemoryPool<byte>
{
    /// <summary>Block size (Kestrel's).</summary>
    public const int BlockSize = 4096;

    /// <summary>Free blocks kept for reuse (8 MiB).</summary>
    public const int MaxRetainedBlocks = 2048;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _freeCount;

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            return new Block(this, GC.AllocateUninitializedArray<byte>(minBufferSize, pinned: true), pooled: false);
        }
        if (_free.TryDequeue(out var array))
        {
            Interlocked.Decrement(ref _freeCount);
            return new Block(this, array, pooled: true);
        }
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), pooled: true);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _free.Clear();
    }

    private void Return(byte[] array)
    {
        if (Interlocked.Increment(ref _freeCount) <= MaxRetainedBlocks)
        {
            _free.Enqueue(array);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount); // surplus: left to the GC
        }
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
                pool.Return(array);
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
