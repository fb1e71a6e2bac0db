using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>
/// Every node state the MIG scale-down lock distinguishes: layout label, MIG manager state, the applied layout and
/// change time it remembers (fresh, at and around the grace boundary, malformed), its owner mark and cluster-autoscaler's
/// annotation (absent, "true", another value). 3 × 6 × 3 × 8 × 3 × 3 = 3,888 nodes.
/// </summary>
internal static class MigLockStates
{
    public const long Now = 1_780_000_000;

    public const int Grace = 300;

    private static readonly string?[] Configs = [null, "all-1g.10gb", "all-2g.20gb"];

    private static readonly string?[] States = [null, "pending", "rebooting", "success", "failed", "unknown"];

    private static readonly string?[] Applied = [null, "all-1g.10gb", "all-2g.20gb"];

    private static readonly string?[] Since =
    [
        null,
        Epoch(Now - 10),
        Epoch(Now - Grace),
        Epoch(Now - Grace + 1),
        Epoch(Now - 86_400),
        "abc",
        string.Empty,
        "1234567890123456",
    ];

    private static readonly string?[] Owner = [null, "true", "false"];

    private static readonly string?[] Disabled = [null, "true", "false"];

    public static IReadOnlyList<(MigNodeState Node, ImmutableSortedDictionary<string, string> Labels)> All { get; } = Build();

    private static string Epoch(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<(MigNodeState, ImmutableSortedDictionary<string, string>)> Build()
    {
        var nodes = new List<(MigNodeState, ImmutableSortedDictionary<string, string>)>();
        foreach (var m in Configs)
        {
            foreach (var s in States)
            {
                foreach (var applied in Applied)
                {
                    foreach (var since in Since)
                    {
                        foreach (var owner in Owner)
                        {
                            foreach (var disabled in Disabled)
                            {
                                var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                                labels["kubernetes.io/hostname"] = "x";
                                Set(labels, "nvidia.com/mig.config", m);
                                Set(labels, "nvidia.com/mig.config.state", s);
                                var annotations = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                                annotations["node.alpha.kubernetes.io/ttl"] = "0";
                                Set(annotations, MigNodeLock.AppliedConfigAnnotation, applied);
                                Set(annotations, MigNodeLock.ChangedAtAnnotation, since);
                                Set(annotations, MigNodeLock.OwnerAnnotation, owner);
                                Set(annotations, MigNodeLock.ScaleDownDisabledAnnotation, disabled);
                                var name = string.Create(CultureInfo.InvariantCulture, $"node-{nodes.Count:D4}");
                                nodes.Add((MigNodeState.Of(name, labels.ToImmutable(), annotations.ToImmutable()), labels.ToImmutable()));
                            }
                        }
                    }
                }
            }
        }

        return nodes;
    }

    private static void Set(ImmutableSortedDictionary<string, string>.Builder map, string key, string? value)
    {
        if (value is not null)
        {
            map[key] = value;
        }
    }

    /// <summary>The annotations after a merge patch (null removes).</summary>
    public static ImmutableSortedDictionary<string, string> Apply(ImmutableSortedDictionary<string, string> annotations, IReadOnlyDictionary<string, string?> patch)
    {
        var b = annotations.ToBuilder();
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                b.Remove(key);
            }
            else
            {
                b[key] = value;
            }
        }

        return b.ToImmutable();
    }
}
