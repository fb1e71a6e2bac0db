using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Stacks;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Environments;

public static partial class EnvironmentBinder
{
    /// <summary>
    /// <c>neocloud:storage.modelBucket</c>: <see cref="ReplicatedBucketSpec"/> property → key (the one table of the
    /// section; <see cref="ReplicatedBucketPlanner.Validate"/> speaks for every value rule).
    /// </summary>
    internal static readonly ImmutableDictionary<string, string> ModelBucketKeys = new Dictionary<string, string>
    {
        ["NamePrefix"] = "name",
        ["Region"] = "region",
        ["ReplicaRegion"] = "replicaRegion",
        ["NoncurrentVersionDays"] = "noncurrentVersionDays",
        ["AbortIncompleteMultipartDays"] = "abortIncompleteMultipartDays",
        ["CheckpointPrefix"] = "checkpointPrefix",
        ["CheckpointExpiryDays"] = "checkpointExpiryDays",
        ["ReplicationTimeControl"] = "replicationTimeControl",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary><c>neocloud:storage.onprem</c>: <see cref="OnPremObjectStoreSpec"/> property → key.</summary>
    private static readonly ImmutableDictionary<string, string> OnPremStoreKeys = new Dictionary<string, string>
    {
        ["BucketName"] = "bucket",
        ["SyncToS3.Schedule"] = "syncSchedule",
        ["SyncToS3.Region"] = ReportedElsewhere, // the model bucket's region, checked at neocloud:storage.modelBucket.region
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>A table entry for a property whose problem another key already reports.</summary>
    private const string ReportedElsewhere = "";

    private sealed partial class Binding
    {
        /// <summary>
        /// The ownership the section specs are validated with: environment and cost center are their own keys
        /// (<c>neocloud:environment</c>, <c>neocloud:costCenter</c>), reported there, so the section tables skip them.
        /// </summary>
        private OwnershipSpec SectionOwnership => BoundOwnership;

        /// <summary>
        /// Reports <paramref name="problems"/> of a section spec at <c>objectPath.key</c>, the key given by the section's
        /// table (<paramref name="keyOf"/>: null when the property has no key, <see cref="ReportedElsewhere"/> to skip);
        /// ownership problems are skipped (see <see cref="SectionOwnership"/>); a property without a key is reported at
        /// the object itself, naming the property.
        /// </summary>
        private void AddProblems<TSpec>(string objectPath, Func<string, string?> keyOf, TSpec spec, ImmutableArray<SpecProblem> problems)
            where TSpec : class
        {
            Check(objectPath, spec, problems, path => keyOf(path) is { } key ? (key == ReportedElsewhere ? SpecCheck.NotThisSection : $"{objectPath}.{key}") : null);
            foreach (var p in problems)
            {
                if (p.PropertyPath is "Environment" or "CostCenter" || p.PropertyPath.StartsWith("Tags[", StringComparison.Ordinal))
                {
                    continue;
                }

                var key = keyOf(p.PropertyPath);
                if (key == ReportedElsewhere)
                {
                    continue;
                }

                if (key is not null)
                {
                    errors.Add($"{objectPath}.{key}", p.Reason);
                }
                else
                {
                    errors.Add(objectPath, $"{p.PropertyPath}: {p.Reason}");
                }
            }
        }

        private StorageSpec? BindStorage(Topology? topology, ImmutableArray<ClusterSpec> clusters, bool production)
        {
            var s = TopObject("storage");
            if (s is null)
            {
                if (!config.Values.ContainsKey("storage"))
                {
                    errors.Add(ConfigDocument.KeyPath("storage"), "is required");
                }

                return null;
            }

            BucketSpec? bucket = null;
            string? bucketRegion = null;
            var b = s.Object("modelBucket", required: topology is Topology.Cloud or Topology.Hybrid);
            if (b is not null)
            {
                var before = errors.Count;
                var name = b.String("name", required: true);
                var region = bucketRegion = b.String("region", required: true);
                var replica = b.String("replicaRegion", required: true);
                var noncurrent = b.Int("noncurrentVersionDays") ?? 30;
                var abort = b.Int("abortIncompleteMultipartDays") ?? 7;
                var prefix = b.String("checkpointPrefix");
                var checkpointDays = b.Int("checkpointExpiryDays");
                var rtc = b.Bool("replicationTimeControl") ?? false;
                b.RejectUnknownKeys();
                if (name is not null && region is not null && replica is not null)
                {
                    var spec = new ReplicatedBucketSpec(name, region, replica, SectionOwnership)
                    {
                        NoncurrentVersionDays = noncurrent,
                        AbortIncompleteMultipartDays = abort,
                        CheckpointPrefix = prefix,
                        CheckpointExpiryDays = checkpointDays,
                        ReplicationTimeControl = rtc,
                        ModelPrefix = StackLayout.ModelPrefix,
                    };
                    AddProblems(b.Path, ModelBucketKeys.GetValueOrDefault, spec, ReplicatedBucketPlanner.Validate(spec));
                    if (errors.Count == before)
                    {
                        bucket = new BucketSpec(name, region, replica, noncurrent, abort, prefix, checkpointDays, rtc);
                    }
                }
            }

            OnPremStoreSpec? onprem = null;
            var o = s.Object("onprem", required: topology is Topology.OnPrem or Topology.Hybrid);
            if (o is not null)
            {
                var before = errors.Count;
                var clusterName = o.String("cluster", required: true);
                if (clusterName is not null && clusters.FirstOrDefault(c => c.Name == clusterName) is var cluster && (cluster is null || cluster.Substrate != Substrate.OnPrem))
                {
                    errors.Add(o.At("cluster"), $"\"{clusterName}\" is not an onprem cluster of this stack; onprem clusters: {string.Join(", ", clusters.Where(c => c.Substrate == Substrate.OnPrem).Select(c => c.Name))}");
                }

                var bucketName = o.String("bucket") ?? "models";
                var storageClass = o.String("storageClass", required: true, secret: SecretUse.Allowed);
                var sync = o.Bool("syncToS3") ?? false;
                var schedule = o.String("syncSchedule") ?? "*/15 * * * *";
                o.RejectUnknownKeys();
                if (sync && topology is not null && topology != Topology.Hybrid)
                {
                    errors.Add(o.At("syncToS3"), "replication of the on-prem store to S3 is for topology hybrid");
                }

                if (sync && bucket is null && !s.Has("modelBucket"))
                {
                    errors.Add(o.At("syncToS3"), "needs neocloud:storage.modelBucket as the S3 target");
                }

                // The values the stack gives the component (EnvironmentStack.OnPremStore), with this section's keys.
                var spec = new OnPremObjectStoreSpec(StackLayout.ModelStoreNamespace, bucketName, SectionOwnership)
                {
                    StoreName = StackLayout.ModelPrefix,
                    RookNamespace = StackLayout.RookNamespace,
                    Production = production,
                    PoolReplicas = production ? 3 : 1,
                    GatewayInstances = production ? 2 : 1,
                    ModelPrefix = StackLayout.ModelPrefix,
                    SyncToS3 = sync ? new S3SyncSpec(bucketRegion!) { Schedule = schedule } : null,
                };
                AddProblems(o.Path, OnPremStoreKeys.GetValueOrDefault, spec, OnPremObjectStorePlanner.Validate(spec));
                if (clusterName is not null && storageClass is not null && errors.Count == before)
                {
                    onprem = new OnPremStoreSpec(clusterName, bucketName, storageClass, sync, schedule);
                }
            }

            s.RejectUnknownKeys();
            return new StorageSpec(bucket, onprem);
        }
    }
}
