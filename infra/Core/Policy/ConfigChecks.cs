using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Policy;

/// <summary>The outcome of one configuration check for one subject.</summary>
public enum CheckStatus
{
    /// <summary>The subject satisfies the policy.</summary>
    Pass,

    /// <summary>The subject violates the policy.</summary>
    Fail,

    /// <summary>The policy does not apply to this stack (e.g. a prod-only policy on a dev stack, or no subject exists).</summary>
    NotApplicable,
}

/// <summary>One policy verdict decided from configuration alone.</summary>
/// <param name="Policy">The policy name, the same name the policy pack uses (e.g. <c>mig-config-valid</c>).</param>
/// <param name="Status">Pass, fail or not applicable.</param>
/// <param name="Message">What was found, in a sentence.</param>
/// <param name="Subject">What the verdict is about, e.g. <c>pool/h100-mig</c>, <c>serving/chat</c>, <c>tenant/search</c>, or <c>stack</c>.</param>
public sealed record ConfigCheckVerdict(string Policy, CheckStatus Status, string Message, string Subject);

/// <summary>
/// The stack-level policy checks that can be decided from a bound <see cref="EnvironmentModel"/> without the Pulumi
/// engine. The policy pack's stack rules and the offline plan call these same functions, so a plan and a preview
/// agree. Each check is named after the policy it implements.
/// </summary>
public static class ConfigChecks
{
    /// <summary>Every pool's MIG config resolves to valid layouts for the pool's GPU model.</summary>
    public const string MigConfigValidForGpu = "mig-config-valid";

    /// <summary>The GPU or MIG resource a serving replica requests is advertised by its target pool.</summary>
    public const string GpuResourceOfferedByPool = "gpu-resource-offered";

    /// <summary>A deployment's ScaledObject maximum fits its pool at maximum size.</summary>
    public const string ScaledObjectFitsPoolCapacity = "scaledobject-fits-capacity";

    /// <summary>
    /// ScaledObjects whose targets share GPU pools fit those pools together (the policy pack's counterpart of the
    /// shared-pool budget that <see cref="Autoscaling.ReplicaBudget"/> enforces for the binder and the plan). A pack-only
    /// stack policy: not in <see cref="PolicyNames"/>, whose checks are decided from configuration.
    /// </summary>
    public const string ScaledObjectsSharePoolCapacity = "scaledobjects-share-pool-capacity";

    /// <summary>In production, model buckets are replicated.</summary>
    public const string BucketsReplicatedInProd = "bucket-replication-prod";

    /// <summary>In production, the vector database runs at least <see cref="MinProductionVectorDbReplicas"/> replicas.</summary>
    public const string VectorDbReplicatedInProd = "vector-db-ha";

    /// <summary>Every tenant has a resource quota (and gets a default-deny network policy).</summary>
    public const string TenantHasQuotaAndDefaultDeny = "tenant-isolation";

    /// <summary>Fewest vector database replicas in production.</summary>
    public const int MinProductionVectorDbReplicas = 3;

    /// <summary>The names of every check, in the order <see cref="All"/> reports them.</summary>
    public static readonly ImmutableArray<string> PolicyNames =
    [
        MigConfigValidForGpu,
        GpuResourceOfferedByPool,
        ScaledObjectFitsPoolCapacity,
        BucketsReplicatedInProd,
        VectorDbReplicatedInProd,
        TenantHasQuotaAndDefaultDeny,
    ];

    /// <summary>True for a production stack: environment <c>prod</c> or strict policy enforcement.</summary>
    /// <param name="env">The environment.</param>
    public static bool IsProduction(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.IsProduction;
    }

    /// <summary>Every check's verdicts, in <see cref="PolicyNames"/> order; a check with no subject reports one not-applicable verdict.</summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> All(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return
        [
            .. CheckMigConfigValidForGpu(env),
            .. CheckGpuResourceOfferedByPool(env),
            .. CheckScaledObjectFitsPoolCapacity(env),
            .. CheckBucketsReplicatedInProd(env),
            .. CheckVectorDbReplicatedInProd(env),
            .. CheckTenantHasQuotaAndDefaultDeny(env),
        ];
    }

    /// <summary><see cref="MigConfigValidForGpu"/>: each MIG pool's config resolves (built-in or custom) for its GPU model.</summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> CheckMigConfigValidForGpu(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var verdicts = ImmutableArray.CreateBuilder<ConfigCheckVerdict>();
        foreach (var pool in env.GpuPools.Where(p => p.Mig is not null))
        {
            var subject = "pool/" + pool.Name;
            var mig = pool.Mig!;
            if (pool.Gpu is null)
            {
                verdicts.Add(new(MigConfigValidForGpu, CheckStatus.Fail, $"MIG config \"{mig.ConfigName}\" is set on a pool without GPUs", subject));
                continue;
            }

            var resolution = MigConfigs.Resolve(mig.ConfigName, pool.Gpu, pool.GpusPerNode, env.MigConfigs);
            verdicts.Add(resolution.IsValid
                ? new(MigConfigValidForGpu, CheckStatus.Pass, $"\"{mig.ConfigName}\" is a valid MIG config of {pool.Gpu.Id} × {Count(pool.GpusPerNode)}", subject)
                : new(MigConfigValidForGpu, CheckStatus.Fail, string.Join("; ", resolution.Errors), subject));
        }

        return OrNotApplicable(verdicts, MigConfigValidForGpu, "no pool uses MIG");
    }

    /// <summary><see cref="GpuResourceOfferedByPool"/>: each serving part's resource is advertised by its pool under its cluster's MIG strategy.</summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> CheckGpuResourceOfferedByPool(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var verdicts = ImmutableArray.CreateBuilder<ConfigCheckVerdict>();
        foreach (var (deployment, poolName, resource, burst) in ServingParts(env))
        {
            var subject = "serving/" + deployment + (burst ? " (burst)" : string.Empty);
            var pool = env.GpuPools.FirstOrDefault(p => p.Name == poolName);
            if (pool is null)
            {
                verdicts.Add(new(GpuResourceOfferedByPool, CheckStatus.Fail, $"pool \"{poolName}\" does not exist", subject));
                continue;
            }

            var offered = CapacityPlanner.PerNode(pool, env.Cluster(pool.Cluster).MigStrategy);
            verdicts.Add(offered.ContainsKey(resource)
                ? new(GpuResourceOfferedByPool, CheckStatus.Pass, $"pool \"{pool.Name}\" offers {resource}", subject)
                : new(GpuResourceOfferedByPool, CheckStatus.Fail,
                    $"pool \"{pool.Name}\" does not offer {resource}; it offers {(offered.Count == 0 ? "no GPU resource" : string.Join(", ", offered.Keys))}", subject));
        }

        return OrNotApplicable(verdicts, GpuResourceOfferedByPool, "no serving deployments");
    }

    /// <summary><see cref="ScaledObjectFitsPoolCapacity"/>: each ScaledObject's maximum replicas fit the pool at its maximum size.</summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> CheckScaledObjectFitsPoolCapacity(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var verdicts = ImmutableArray.CreateBuilder<ConfigCheckVerdict>();
        foreach (var fit in CapacityPlanner.Compute(env).Serving)
        {
            var subject = "serving/" + fit.Deployment + (fit.Burst ? " (burst)" : string.Empty);
            var message = $"maxReplicas {Count(fit.MaxReplicas)} × {(fit.UnitsPerReplica > 1 ? Count(fit.UnitsPerReplica) + " " : string.Empty)}{fit.Resource} against {Count(fit.CapacityAtMax)} in pool \"{fit.Pool}\" at maximum size (headroom {Count(fit.Headroom)})";
            verdicts.Add(new(ScaledObjectFitsPoolCapacity, fit.Fits ? CheckStatus.Pass : CheckStatus.Fail, message, subject));
        }

        return OrNotApplicable(verdicts, ScaledObjectFitsPoolCapacity, "no serving deployments");
    }

    /// <summary>
    /// <see cref="BucketsReplicatedInProd"/>: in production the AWS model bucket has a replica in another region, and a
    /// hybrid on-prem store syncs to it. Not applicable outside production.
    /// </summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> CheckBucketsReplicatedInProd(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!IsProduction(env))
        {
            return [new(BucketsReplicatedInProd, CheckStatus.NotApplicable, $"environment \"{env.Environment}\" is not production", "stack")];
        }

        var verdicts = ImmutableArray.CreateBuilder<ConfigCheckVerdict>();
        if (env.Storage.ModelBucket is { } bucket)
        {
            var replicated = !string.IsNullOrEmpty(bucket.ReplicaRegion) && bucket.ReplicaRegion != bucket.Region;
            verdicts.Add(new(
                BucketsReplicatedInProd,
                replicated ? CheckStatus.Pass : CheckStatus.Fail,
                replicated
                    ? $"model bucket \"{bucket.Name}\" in {bucket.Region} replicates to {bucket.ReplicaRegion}"
                    : $"model bucket \"{bucket.Name}\" in {bucket.Region} has no replica in another region",
                "bucket/" + bucket.Name));
        }

        if (env.Storage.OnPrem is { } store && env.Topology == Topology.Hybrid)
        {
            verdicts.Add(new(
                BucketsReplicatedInProd,
                store.SyncToS3 ? CheckStatus.Pass : CheckStatus.Fail,
                store.SyncToS3
                    ? $"on-prem bucket \"{store.BucketName}\" syncs to the S3 model bucket on \"{store.SyncSchedule}\""
                    : $"on-prem bucket \"{store.BucketName}\" is not replicated; set syncToS3: true",
                "bucket/" + store.BucketName));
        }

        return OrNotApplicable(verdicts, BucketsReplicatedInProd, "no model bucket that could be replicated");
    }

    /// <summary><see cref="VectorDbReplicatedInProd"/>: in production the vector database runs at least three replicas.</summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> CheckVectorDbReplicatedInProd(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.VectorDb is not { } db)
        {
            return [new(VectorDbReplicatedInProd, CheckStatus.NotApplicable, "no vector database configured", "stack")];
        }

        const string Subject = "vectordb";
        if (!IsProduction(env))
        {
            return [new(VectorDbReplicatedInProd, CheckStatus.NotApplicable, $"environment \"{env.Environment}\" is not production ({Count(db.Replicas)} replica(s))", Subject)];
        }

        return db.Replicas >= MinProductionVectorDbReplicas
            ? [new(VectorDbReplicatedInProd, CheckStatus.Pass, $"{Count(db.Replicas)} replicas, replication factor {Count(db.ReplicationFactor)}", Subject)]
            : [new(VectorDbReplicatedInProd, CheckStatus.Fail, $"{Count(db.Replicas)} replica(s); production needs at least {Count(MinProductionVectorDbReplicas)}", Subject)];
    }

    /// <summary>
    /// <see cref="TenantHasQuotaAndDefaultDeny"/>: every tenant has a quota that limits GPU, CPU and memory, and every
    /// serving deployment runs in a declared tenant. The default-deny network policy is created for every tenant by the
    /// tenancy component, so configuration cannot turn it off.
    /// </summary>
    /// <param name="env">The bound environment.</param>
    public static ImmutableArray<ConfigCheckVerdict> CheckTenantHasQuotaAndDefaultDeny(EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var verdicts = ImmutableArray.CreateBuilder<ConfigCheckVerdict>();
        foreach (var tenant in env.Tenants)
        {
            var q = tenant.Quota;
            var missing = new List<string>();
            if (string.IsNullOrEmpty(q.Cpu))
            {
                missing.Add("cpu");
            }

            if (string.IsNullOrEmpty(q.Memory))
            {
                missing.Add("memory");
            }

            var gpus = q.GpuResources.Count == 0 ? "no GPU" : string.Join(", ", q.GpuResources.Select(kv => $"{Count(kv.Value)} × {kv.Key}"));
            verdicts.Add(missing.Count == 0
                ? new(TenantHasQuotaAndDefaultDeny, CheckStatus.Pass, $"quota {gpus}, cpu {q.Cpu}, memory {q.Memory}; default-deny network policy", "tenant/" + tenant.Name)
                : new(TenantHasQuotaAndDefaultDeny, CheckStatus.Fail, $"quota does not limit {string.Join(", ", missing)}", "tenant/" + tenant.Name));
        }

        var declared = env.Tenants.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var s in env.Serving.Where(s => !declared.Contains(s.Tenant)))
        {
            verdicts.Add(new(TenantHasQuotaAndDefaultDeny, CheckStatus.Fail, $"runs in \"{s.Tenant}\", which is not a tenant with a quota", "serving/" + s.Name));
        }

        return OrNotApplicable(verdicts, TenantHasQuotaAndDefaultDeny, "no tenants");
    }

    private static IEnumerable<(string Deployment, string Pool, string Resource, bool Burst)> ServingParts(EnvironmentModel env)
    {
        foreach (var s in env.Serving)
        {
            yield return (s.Name, s.Pool, s.Gpu.ResourceName, false);
            if (s.Burst is { } b)
            {
                yield return (s.Name, b.Pool, b.Gpu.ResourceName, true);
            }
        }
    }

    private static ImmutableArray<ConfigCheckVerdict> OrNotApplicable(ImmutableArray<ConfigCheckVerdict>.Builder verdicts, string policy, string why) =>
        verdicts.Count > 0 ? verdicts.ToImmutable() : [new(policy, CheckStatus.NotApplicable, why, "stack")];

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
