using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// A node's allocatable resources from its capacity, minus the reserve the EKS AMIs configure for kubelet and system
/// daemons (awslabs/amazon-eks-ami, nodeadm <c>internal/kubelet/config.go</c>, formerly <c>files/bootstrap.sh</c>
/// <c>get_cpu_millicores_to_reserve</c> / <c>get_memory_mebibytes_to_reserve</c>):
/// CPU 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4 and 0.25 % of every further core; memory
/// 11 MiB × maxPods + 255 MiB, plus the hard eviction threshold <c>memory.available&lt;100Mi</c>; ephemeral storage
/// 1 GiB kube-reserved plus the <c>nodefs.available&lt;10%</c> eviction threshold. The same reserve is applied to
/// every node the check models (on-prem nodes have no CPU/memory figures in config, see <see cref="PlatformPool.CpuMemoryKnown"/>).
/// </summary>
public static class NodeAllocatable
{
    /// <summary>Pods per node assumed when nothing says otherwise: the kubelet default <c>maxPods: 110</c>.</summary>
    public const int DefaultMaxPods = 110;

    /// <summary>Millicores reserved on a node of <paramref name="vcpus"/> cores.</summary>
    public static long ReservedCpuMillicores(int vcpus)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vcpus);
        double reserved = 0;
        for (var core = 1; core <= vcpus; core++)
        {
            reserved += core switch
            {
                1 => 60,
                2 => 10,
                3 or 4 => 5,
                _ => 2.5,
            };
        }

        return (long)Math.Ceiling(reserved);
    }

    /// <summary>Bytes of memory reserved (kube-reserved plus the hard eviction threshold) for <paramref name="maxPods"/> pods.</summary>
    public static long ReservedMemoryBytes(int maxPods) => (11L * maxPods + 255 + 100) * 1024 * 1024;

    /// <summary>Allocatable resources of a node.</summary>
    /// <param name="vcpus">vCPUs.</param>
    /// <param name="memoryGiB">Memory, GiB.</param>
    /// <param name="diskGiB">Root disk, GiB (ephemeral storage).</param>
    /// <param name="extended">Extended resources (nvidia.com/gpu, nvidia.com/mig-*), as the device plugin advertises them.</param>
    /// <param name="maxPods">Pod limit.</param>
    public static ImmutableSortedDictionary<string, long> For(int vcpus, int memoryGiB, int diskGiB, IReadOnlyDictionary<string, int> extended, int maxPods = DefaultMaxPods)
    {
        ArgumentNullException.ThrowIfNull(extended);
        var result = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        result[Quantities.Cpu] = (vcpus * 1000L) - ReservedCpuMillicores(vcpus);
        result[Quantities.Memory] = (memoryGiB * (1L << 30)) - ReservedMemoryBytes(maxPods);
        var disk = diskGiB * (1L << 30);
        result[Quantities.EphemeralStorage] = disk - (1L << 30) - (disk / 10);
        result[Quantities.Pods] = maxPods;
        foreach (var (k, v) in extended)
        {
            result[k] = v;
        }

        return result.ToImmutable();
    }

    /// <summary>Allocatable of a node whose CPU and memory are unknown (only its extended resources and pod limit).</summary>
    public static ImmutableSortedDictionary<string, long> ExtendedOnly(IReadOnlyDictionary<string, int> extended, int maxPods = DefaultMaxPods)
    {
        ArgumentNullException.ThrowIfNull(extended);
        var result = extended.ToImmutableSortedDictionary(kv => kv.Key, kv => (long)kv.Value, StringComparer.Ordinal).ToBuilder();
        result[Quantities.Pods] = maxPods;
        return result.ToImmutable();
    }
}
