using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Gpu;

/// <summary>
/// Where a cluster's add-ons run (CoreDNS, the GPU Operator's operator and NFD master/gc, KEDA, kube-prometheus-stack,
/// Qdrant, cluster-autoscaler): on its <c>system: true</c> cpu pools, through each chart's <c>nodeSelector</c> values
/// (<see cref="CpuPoolPlanner.SystemNodeSelector"/>). A cluster without a system pool (on-prem: its own nodes, which the
/// config does not describe, run the add-ons) gets no selector and the charts' defaults. GPU DaemonSets (device plugin,
/// GFD, DCGM exporter, MIG manager, validator) are not placed here: they stay on GPU nodes (their GPU toleration and the
/// NFD PCI affinity).
/// </summary>
public static class SystemAddonPlacement
{
    private static readonly ImmutableSortedDictionary<string, string> None = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The node selector of <paramref name="cluster"/>'s add-ons: the system selector when it has a system pool, else empty.</summary>
    /// <param name="env">The bound environment.</param>
    /// <param name="cluster">The cluster's name.</param>
    public static ImmutableSortedDictionary<string, string> NodeSelector(EnvironmentModel env, string cluster)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.PoolsOf(cluster).Any(p => p.System) ? CpuPoolPlanner.SystemNodeSelector : None;
    }

    /// <summary>
    /// The <c>configurationValues</c> of the EKS <c>coredns</c> managed add-on that place CoreDNS on the system pools:
    /// <c>{"nodeSelector": {...}}</c>, or null when <paramref name="nodeSelector"/> is empty (the add-on's default:
    /// CoreDNS tolerates only <c>CriticalAddonsOnly</c> and the control-plane taint, so it lands on an untainted node).
    /// </summary>
    /// <remarks>
    /// <c>nodeSelector</c> (an object of strings) and <c>tolerations</c> (an array of objects) are top-level properties of
    /// the coredns add-on's configuration schema (<c>aws eks describe-addon-configuration --addon-name coredns</c>); AWS's
    /// schema is not stored here, the keys are as a captured copy of it lists them (an EKS emulator's
    /// <c>CoreDNSConfigurationSchema</c>, "AWS's separately captured schema") and as AWS's containers blog "Recent changes
    /// to the CoreDNS add-on" describes the enhanced schema. EKS validates the JSON against the schema at create time, so
    /// a wrong key fails the add-on, not silently.
    /// </remarks>
    /// <param name="nodeSelector">The cluster's add-on node selector (<see cref="NodeSelector"/>).</param>
    public static string? CoreDnsConfigurationValues(IReadOnlyDictionary<string, string> nodeSelector)
    {
        ArgumentNullException.ThrowIfNull(nodeSelector);
        if (nodeSelector.Count == 0)
        {
            return null;
        }

        var ordered = new SortedDictionary<string, string>(nodeSelector.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        return JsonSerializer.Serialize(new SortedDictionary<string, object>(StringComparer.Ordinal) { ["nodeSelector"] = ordered });
    }

    /// <summary>
    /// The one rule for a component's <c>SystemNodeSelector</c> input (GPU Operator, KEDA, kube-prometheus-stack, Qdrant):
    /// every entry is a node label, a label key and a label value; a problem at <c>SystemNodeSelector[key]</c> for each
    /// entry that is not.
    /// </summary>
    /// <param name="nodeSelector">The selector, or null (none).</param>
    public static IEnumerable<SpecProblem> SelectorProblems(IReadOnlyDictionary<string, string>? nodeSelector) =>
        (nodeSelector ?? None)
            .Where(kv => !KubernetesNames.IsLabelKey(kv.Key) || !KubernetesNames.IsLabelValue(kv.Value))
            .Select(kv => new SpecProblem($"SystemNodeSelector[{kv.Key}]", $"\"{kv.Key}={kv.Value}\" is not a node label (a label key and a label value)"));

    /// <summary>A chart's <c>nodeSelector</c> value, or null when <paramref name="nodeSelector"/> is empty (leave the chart default).</summary>
    /// <param name="nodeSelector">The selector.</param>
    public static ImmutableSortedDictionary<string, object>? ChartValue(IReadOnlyDictionary<string, string> nodeSelector)
    {
        ArgumentNullException.ThrowIfNull(nodeSelector);
        return nodeSelector.Count == 0 ? null : nodeSelector.ToImmutableSortedDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
    }
}
