using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.VectorDb;

/// <summary>
/// What a replicated Qdrant cluster (the <c>VectorDatabase</c> component) is asked for: the Args' plain values, by the
/// Args' property names. The binder reads <c>neocloud:vectorDb</c> into one (<see cref="VectorDbSpec.ToSpec"/>).
/// </summary>
/// <param name="Ownership">Environment, cost center and extra tags.</param>
/// <param name="Namespace">Namespace to install into (must exist).</param>
/// <param name="Production">Production rules; null: whether <see cref="OwnershipSpec.Environment"/> is prod or production.</param>
/// <param name="Replicas">Qdrant peers.</param>
/// <param name="ReplicationFactor">Default copies of each shard of new collections.</param>
/// <param name="WriteConsistencyFactor">Copies that must acknowledge a write.</param>
/// <param name="ShardsPerNode">Default shards per peer of new collections.</param>
/// <param name="StorageClass">Storage class of each peer's volume.</param>
/// <param name="StorageSize">Volume size per peer.</param>
/// <param name="SpreadAcrossZones">Spread peers across zones.</param>
/// <param name="PrometheusReleaseLabel">The <c>release</c> label the ServiceMonitor carries.</param>
public sealed record VectorDatabaseSpec(
    OwnershipSpec Ownership,
    string? Namespace,
    bool? Production,
    int Replicas,
    int ReplicationFactor,
    int WriteConsistencyFactor,
    int ShardsPerNode,
    string? StorageClass,
    string? StorageSize,
    bool SpreadAcrossZones,
    string? PrometheusReleaseLabel)
{
    /// <summary>Whether the component owns the namespace's ingress policy (<see cref="VectorDatabasePlan.IngressPolicy"/>: default-deny, then peers, Prometheus and <see cref="ClientNamespaces"/>).</summary>
    public bool RestrictIngress { get; init; }

    /// <summary>With <see cref="RestrictIngress"/>: the namespaces whose pods reach Qdrant's HTTP and gRPC ports (the tenants that use it).</summary>
    public ImmutableArray<string> ClientNamespaces { get; init; } = [];

    /// <summary>With <see cref="RestrictIngress"/>: Prometheus' namespace, admitted on the HTTP port (<c>/metrics</c>).</summary>
    public string? MonitoringNamespace { get; init; } = "monitoring";

    /// <summary>
    /// Node selector of the Qdrant StatefulSet (the chart's top-level <c>nodeSelector</c>, qdrant/qdrant-helm tag
    /// qdrant-1.19.0 charts/qdrant/values.yaml and templates/statefulset.yaml): the cluster's system pools
    /// (<see cref="Gpu.SystemAddonPlacement.NodeSelector"/>). Empty (the default) keeps the chart's <c>{}</c>.
    /// </summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>The one validation and plan of <see cref="VectorDatabaseSpec"/>: the component and the binder (<c>neocloud:vectorDb</c>) call it.</summary>
public static partial class VectorDatabasePlanner
{
    /// <summary>Every problem of <paramref name="spec"/>, with property paths relative to the Args (<c>Replicas</c>, <c>Tags["team"]</c>).</summary>
    public static ImmutableArray<SpecProblem> Validate(VectorDatabaseSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));

        if (string.IsNullOrEmpty(spec.Namespace))
        {
            problems.Add(nameof(spec.Namespace), "is required");
        }
        else if (!KubernetesNames.IsDnsLabel(spec.Namespace))
        {
            problems.Add(nameof(spec.Namespace), $"\"{spec.Namespace}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
        }

        var production = IsProduction(spec);
        if (spec.Replicas < 1)
        {
            problems.Add(nameof(spec.Replicas), $"{spec.Replicas} is not allowed; use at least 1");
        }
        else if (production && spec.Replicas < VectorDatabasePlan.MinProductionReplicas)
        {
            problems.Add(nameof(spec.Replicas), $"{spec.Replicas} replicas in production; at least {VectorDatabasePlan.MinProductionReplicas} are required so the Raft cluster keeps a majority and data stays available while one peer is down");
        }

        if (spec.ReplicationFactor < 1)
        {
            problems.Add(nameof(spec.ReplicationFactor), $"{spec.ReplicationFactor} is not allowed; use at least 1");
        }
        else if (spec.Replicas >= 1 && spec.ReplicationFactor > spec.Replicas)
        {
            problems.Add(nameof(spec.ReplicationFactor), $"{spec.ReplicationFactor} copies of each shard need at least {spec.ReplicationFactor} peers, but Replicas is {spec.Replicas}");
        }
        else if (production && spec.ReplicationFactor < 2)
        {
            problems.Add(nameof(spec.ReplicationFactor), $"{spec.ReplicationFactor} in production keeps a single copy of each shard; use at least 2 so losing a peer loses no data");
        }

        if (spec.WriteConsistencyFactor < 1 || spec.WriteConsistencyFactor > Math.Max(spec.ReplicationFactor, 1))
        {
            problems.Add(nameof(spec.WriteConsistencyFactor), $"{spec.WriteConsistencyFactor} must be between 1 and ReplicationFactor ({spec.ReplicationFactor})");
        }

        if (spec.ShardsPerNode < 1)
        {
            problems.Add(nameof(spec.ShardsPerNode), $"{spec.ShardsPerNode} is not allowed; use at least 1");
        }

        if (string.IsNullOrWhiteSpace(spec.StorageClass))
        {
            problems.Add(nameof(spec.StorageClass), "is required (a storage class of the cluster)");
        }

        if (string.IsNullOrEmpty(spec.StorageSize))
        {
            problems.Add(nameof(spec.StorageSize), "is required (a Kubernetes quantity, e.g. 200Gi)");
        }
        else if (!Quantity().IsMatch(spec.StorageSize))
        {
            problems.Add(nameof(spec.StorageSize), $"\"{spec.StorageSize}\" is not a Kubernetes quantity, e.g. 200Gi");
        }

        if (string.IsNullOrWhiteSpace(spec.PrometheusReleaseLabel))
        {
            problems.Add(nameof(spec.PrometheusReleaseLabel), "is required (kube-prometheus-stack selects ServiceMonitors by release label)");
        }
        else if (!KubernetesNames.IsLabelValue(spec.PrometheusReleaseLabel))
        {
            problems.Add(nameof(spec.PrometheusReleaseLabel), $"\"{spec.PrometheusReleaseLabel}\" is not allowed; allowed: {KubernetesNames.LabelValueRule}");
        }

        var clients = spec.ClientNamespaces.IsDefault ? [] : spec.ClientNamespaces;
        if (!spec.RestrictIngress && clients.Length > 0)
        {
            problems.Add(nameof(spec.ClientNamespaces), "is only used with RestrictIngress: true");
        }

        for (var i = 0; i < clients.Length; i++)
        {
            if (!KubernetesNames.IsDnsLabel(clients[i]))
            {
                problems.Add($"{nameof(spec.ClientNamespaces)}[{i}]", $"\"{clients[i]}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
            }
        }

        if (spec.RestrictIngress && !KubernetesNames.IsDnsLabel(spec.MonitoringNamespace))
        {
            problems.Add(nameof(spec.MonitoringNamespace), spec.MonitoringNamespace is null ? "is required with RestrictIngress: true" : $"\"{spec.MonitoringNamespace}\" is not allowed; allowed: {KubernetesNames.DnsLabelRule}");
        }

        problems.AddRange(Gpu.SystemAddonPlacement.SelectorProblems(spec.SystemNodeSelector));

        return problems.ToImmutable();
    }

    /// <summary>The decisions for a valid <paramref name="spec"/> (call <see cref="Validate"/> first).</summary>
    public static VectorDatabasePlan Plan(VectorDatabaseSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new VectorDatabasePlan(
            spec.Replicas,
            spec.ReplicationFactor,
            spec.WriteConsistencyFactor,
            spec.ShardsPerNode,
            spec.StorageClass!,
            spec.StorageSize!,
            IsProduction(spec),
            spec.SpreadAcrossZones,
            spec.PrometheusReleaseLabel!,
            spec.Ownership.Labels())
        {
            Ingress = spec.RestrictIngress ? VectorDatabasePlan.IngressPolicy(spec.ClientNamespaces.IsDefault ? [] : spec.ClientNamespaces, spec.MonitoringNamespace!) : null,
            NodeSelector = (spec.SystemNodeSelector ?? ImmutableSortedDictionary<string, string>.Empty).WithComparers(StringComparer.Ordinal),
        };
    }

    /// <summary>Whether production rules apply: <see cref="VectorDatabaseSpec.Production"/>, else whether the environment is prod or production.</summary>
    public static bool IsProduction(VectorDatabaseSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Production ?? EnvironmentModel.IsProductionEnvironment(spec.Ownership.Environment ?? string.Empty, PolicyEnforcement.Advisory);
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();
}
