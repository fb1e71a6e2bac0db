using System.Collections.Immutable;
using NeoCloud.Infra.Core.VectorDb;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>The <c>neocloud:vectorDb</c> section: YAML shapes, types and the cluster reference here; every other rule is <see cref="VectorDatabasePlanner.Validate"/>.</summary>
public static partial class EnvironmentBinder
{
    /// <summary>
    /// The one table from <see cref="VectorDatabaseSpec"/> property paths to <c>neocloud:vectorDb</c> keys. Properties the
    /// section does not set (namespace, write consistency, the release label: the stack's layout and <c>neocloud:monitoring</c>;
    /// ownership: the top-level keys) have no row; their problems are reported where they are set.
    /// </summary>
    internal static readonly ImmutableSortedDictionary<string, string> VectorDbKeys = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create(nameof(VectorDatabaseSpec.Replicas), "replicas"),
        KeyValuePair.Create(nameof(VectorDatabaseSpec.ReplicationFactor), "replicationFactor"),
        KeyValuePair.Create(nameof(VectorDatabaseSpec.ShardsPerNode), "shards"),
        KeyValuePair.Create(nameof(VectorDatabaseSpec.StorageClass), "storageClass"),
        KeyValuePair.Create(nameof(VectorDatabaseSpec.StorageSize), "storageSize"),
    ]);

    private sealed partial class Binding
    {
        private VectorDbSpec? BindVectorDb(ImmutableArray<ClusterSpec> clusters, bool production, MonitoringSpec? monitoring)
        {
            var v = TopObject("vectorDb");
            if (v is null)
            {
                return null;
            }

            var clusterName = v.String("cluster", required: true);
            var cluster = clusters.FirstOrDefault(c => c.Name == clusterName);
            if (clusterName is not null && cluster is null)
            {
                errors.Add(v.At("cluster"), $"\"{clusterName}\" is not a cluster of this stack; clusters: {string.Join(", ", clusters.Select(c => c.Name))}");
            }

            var replicas = v.Int("replicas", required: true, max: 100);
            var factor = v.Int("replicationFactor", max: 100) ?? Math.Min(replicas ?? 1, 2);
            var shards = v.Int("shards", min: 1, max: 1000) ?? Math.Max(replicas ?? 1, 1);
            var storageClass = v.String("storageClass", secret: SecretUse.Allowed);
            var size = v.String("storageSize") ?? "50Gi";
            v.RejectUnknownKeys();
            if (replicas is null)
            {
                return null;
            }

            var db = new VectorDbSpec(clusterName ?? string.Empty, replicas.Value, factor, shards, storageClass!, size);
            var spec = db.ToSpec(SectionOwnership, production, cluster?.Substrate == Substrate.Eks, monitoring?.ReleaseLabel ?? "kube-prometheus-stack", clientNamespaces: []);
            var reported = false;
            foreach (var problem in Check(v.Path, spec, VectorDatabasePlanner.Validate(spec), path => VectorDbKeys.TryGetValue(path, out var k) ? v.At(k) : SpecCheck.NotThisSection))
            {
                if (VectorDbKeys.TryGetValue(problem.PropertyPath, out var key))
                {
                    errors.Add(v.At(key), problem.Reason);
                    reported = true;
                }
            }

            return clusterName is not null && cluster is not null && !reported ? db : null;
        }
    }
}
