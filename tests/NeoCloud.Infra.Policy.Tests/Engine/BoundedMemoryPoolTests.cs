using System.Buffers;
using System.Runtime.InteropServices;
using NeoCloud.Infra.Policy.Hosting;

namespace NeoCloud.Infra.Policy.Tests.Engine;

/// <summary>
/// The request-buffer pool behind issue 12's "memory returned after large requests": a burst larger than the retained set
/// gets movable blocks that are not kept, so the pinned (never compacted) heap holds at most the retained 8 MiB.
/// </summary>
public sealed class BoundedMemoryPoolTests
{
    [Fact]
    public void A_burst_beyond_the_retained_blocks_pins_and_keeps_only_the_retained_blocks()
    {
        using var pool = new BoundedMemoryPool();
        const int burst = BoundedMemoryPool.MaxRetainedBlocks + 3000;
        var rented = Enumerable.Range(0, burst).Select(_ => pool.Rent()).ToList();
        Assert.All(rented, r => Assert.Equal(BoundedMemoryPool.BlockSize, r.Memory.Length));
        Assert.Equal(BoundedMemoryPool.MaxRetainedBlocks, pool.PinnedBlocks);
        var arrays = rented.Select(Array).ToList();

        rented.ForEach(r => r.Dispose());
        Assert.Equal(BoundedMemoryPool.MaxRetainedBlocks, pool.FreeBlocks);

        // The next burst reuses exactly the retained (pinned) arrays and gets fresh movable ones for the rest.
        var before = arrays.ToHashSet(ReferenceEqualityComparer.Instance);
        var again = Enumerable.Range(0, burst).Select(_ => pool.Rent()).ToList();
        Assert.Equal(BoundedMemoryPool.MaxRetainedBlocks, again.Select(Array).Count(a => before.Contains(a)));
        Assert.Equal(BoundedMemoryPool.MaxRetainedBlocks, pool.PinnedBlocks);
        again.ForEach(r => r.Dispose());
    }

    [Fact]
    public void Small_calls_reuse_one_block_and_a_disposed_block_cannot_be_used()
    {
        using var pool = new BoundedMemoryPool();
        var first = pool.Rent();
        var array = Array(first);
        first.Dispose();
        first.Dispose(); // a second Dispose must not return the block twice
        Assert.Equal(1, pool.FreeBlocks);
        Assert.Throws<ObjectDisposedException>(() => first.Memory);
        using var second = pool.Rent();
        Assert.Same(array, Array(second));
        Assert.Equal(1, pool.PinnedBlocks);
    }

    [Fact]
    public void A_request_for_more_than_a_block_gets_its_own_unpooled_array()
    {
        using var pool = new BoundedMemoryPool();
        using (var big = pool.Rent(3 * BoundedMemoryPool.BlockSize))
        {
            Assert.Equal(3 * BoundedMemoryPool.BlockSize, big.Memory.Length);
        }
        Assert.Equal(0, pool.FreeBlocks);
        Assert.Equal(0, pool.PinnedBlocks);
    }

    private static byte[] Array(IMemoryOwner<byte> owner) =>
        MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");
}
