using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>Pods that request GPUs or MIG slices select a GPU pool and tolerate the GPU taint.</summary>
public sealed class GpuWorkloadPlacementRule : IResourceRule
{
    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "gpu-workloads-target-gpu-pools", "GPU workloads select and tolerate a GPU pool",
        "A pod requesting nvidia.com/gpu or nvidia.com/mig-* selects a GPU pool (nodeSelector or required node affinity on the pool label) and tolerates the nvidia.com/gpu taint.",
        PolicySeverity.High, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(
            ConfigProperty.Text("poolLabel", "Node label that names the GPU pool.", ResourceLabels.Pool),
            ConfigProperty.Text("taintKey", "Taint key GPU nodes carry.", GpuNodeLabels.GpuTaintKey)),
        ["gpu", "scheduling"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        var workload = Workload.From(resource);
        if (workload is null || workload.GpuRequests().Count == 0)
        {
            return [];
        }
        var problems = new List<Violation>();
        var poolLabel = context.Text("poolLabel");
        var taintKey = context.Text("taintKey");
        if (!PodPlacement.SelectsLabel(workload.PodSpec, poolLabel))
        {
            problems.Add(new Violation($"{workload.Kind} '{workload.Name}' requests GPUs but selects no GPU pool: add nodeSelector '{poolLabel}' or a required node affinity on it"));
        }
        if (!PodPlacement.ToleratesTaint(workload.PodSpec, taintKey))
        {
            problems.Add(new Violation($"{workload.Kind} '{workload.Name}' requests GPUs but does not tolerate the '{taintKey}' taint of GPU nodes"));
        }
        return problems;
    }
}

/// <summary>How a pod spec constrains its nodes.</summary>
public static class PodPlacement
{
    /// <summary>True when the pod selects nodes by <paramref name="label"/> (nodeSelector or required affinity).</summary>
    public static bool SelectsLabel(PropertyValue podSpec, string label) =>
        !podSpec["nodeSelector"][label].IsNull || AffinityTerms(podSpec).Any(t => t.Key == label);

    /// <summary>The values the pod accepts for <paramref name="label"/>; null when it does not constrain the label.</summary>
    public static IReadOnlySet<string>? AcceptedValues(PropertyValue podSpec, string label)
    {
        var selector = podSpec["nodeSelector"][label];
        if (!selector.IsNull)
        {
            return new HashSet<string>(StringComparer.Ordinal) { selector.AsString() ?? string.Empty };
        }
        var terms = AffinityTerms(podSpec).Where(t => t.Key == label && t.Operator == "In").ToList();
        return terms.Count == 0 ? null : terms.SelectMany(t => t.Values).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True when a toleration matches the taint key (or tolerates everything).</summary>
    public static bool ToleratesTaint(PropertyValue podSpec, string taintKey) =>
        podSpec["tolerations"].Items().Any(t =>
        {
            var key = t["key"].AsString();
            var op = t["operator"].AsString() ?? "Equal";
            return key == taintKey || (string.IsNullOrEmpty(key) && op == "Exists");
        });

    private static IEnumerable<(string Key, string Operator, IEnumerable<string> Values)> AffinityTerms(PropertyValue podSpec) =>
        podSpec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].Items()
            .SelectMany(term => term["matchExpressions"].Items())
            .Select(e => (e["key"].AsString() ?? string.Empty, e["operator"].AsString() ?? string.Empty,
                e["values"].Items().Select(v => v.AsString()).OfType<string>()));
}
