using System.Collections.Immutable;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Kubernetes;

/// <summary>A Kubernetes object that runs pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) and its pod spec.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Kind">Kubernetes kind.</param>
/// <param name="PodSpec">The pod spec (of the template, for controllers).</param>
public sealed record Workload(ResourceSnapshot Resource, string Kind, PropertyValue PodSpec)
{
    private static readonly ImmutableDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["kubernetes:apps/v1:Deployment"] = "Deployment",
        ["kubernetes:apps/v1:StatefulSet"] = "StatefulSet",
        ["kubernetes:apps/v1:DaemonSet"] = "DaemonSet",
        ["kubernetes:apps/v1:ReplicaSet"] = "ReplicaSet",
        ["kubernetes:batch/v1:Job"] = "Job",
        ["kubernetes:batch/v1:CronJob"] = "CronJob",
        ["kubernetes:core/v1:Pod"] = "Pod",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Type tokens of the workload kinds.</summary>
    public static ImmutableArray<string> Types { get; } = [.. Kinds.Keys];

    /// <summary>The workload view of <paramref name="resource"/>, or null when it runs no pods.</summary>
    /// <exception cref="UnknownValueException">The spec is not known yet.</exception>
    public static Workload? From(ResourceSnapshot resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!Kinds.TryGetValue(resource.Type, out var kind))
        {
            return null;
        }
        var spec = resource["spec"];
        var podSpec = kind switch
        {
            "Pod" => spec,
            "CronJob" => spec["jobTemplate"]["spec"]["template"]["spec"],
            _ => spec["template"]["spec"],
        };
        return new Workload(resource, kind, podSpec);
    }

    /// <summary>Object name (metadata.name, else the resource name).</summary>
    public string Name => Resource["metadata"]["name"].AsString() ?? Resource.Name;

    /// <summary>Namespace (metadata.namespace), or null when unset.</summary>
    public string? Namespace => Resource["metadata"]["namespace"].AsString();

    /// <summary>Replica count (spec.replicas), or null when unset.</summary>
    public double? Replicas => Resource["spec"]["replicas"].AsNumber();

    /// <summary>Pod template labels.</summary>
    public PropertyValue TemplateLabels => Kind switch
    {
        "Pod" => Resource["metadata"]["labels"],
        "CronJob" => Resource["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"],
        _ => Resource["spec"]["template"]["metadata"]["labels"],
    };

    /// <summary>Containers and init containers, each with its display name.</summary>
    public IEnumerable<Container> Containers() =>
        PodSpec["containers"].Items().Select(c => new Container(c, false))
            .Concat(PodSpec["initContainers"].Items().Select(c => new Container(c, true)));

    /// <summary>Extended resources the pod requests (limits and requests), with the count per pod (sum over containers).</summary>
    public ImmutableDictionary<string, double> GpuRequests()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var container in Containers().Where(c => !c.IsInit))
        {
            foreach (var (name, count) in container.GpuRequests())
            {
                result[name] = result.GetValueOrDefault(name) + count;
            }
        }
        return result.ToImmutableDictionary(StringComparer.Ordinal);
    }
}

/// <summary>A container of a pod spec.</summary>
/// <param name="Value">The container object.</param>
/// <param name="IsInit">True for init containers.</param>
public sealed record Container(PropertyValue Value, bool IsInit)
{
    /// <summary>The container's name for messages.</summary>
    public string Label => (IsInit ? "init container '" : "container '") + (Value["name"].IsKnown ? Value["name"].Display() : "[unknown]") + "'";

    /// <summary>
    /// Prefix of the MIG slice resources of the mixed strategy (a resource-name prefix, not a label key; Core spells
    /// the full names through <c>GpuModel.MixedResourceName</c>).
    /// </summary>
    private const string MigResourcePrefix = "nvidia.com/mig-";

    /// <summary>True for GPU and MIG extended resource names.</summary>
    public static bool IsGpuResource(string name) =>
        name == GpuResources.Gpu || name.StartsWith(MigResourcePrefix, StringComparison.Ordinal);

    /// <summary>GPU/MIG resources in limits or requests (limits win), with counts.</summary>
    public IEnumerable<(string Name, double Count)> GpuRequests()
    {
        var resources = Value["resources"];
        var found = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var section in new[] { "requests", "limits" })
        {
            foreach (var (name, amount) in resources[section].Entries())
            {
                if (IsGpuResource(name))
                {
                    found[name] = amount.AsNumber() ?? 1;
                }
            }
        }
        return found.Select(p => (p.Key, p.Value));
    }
}
