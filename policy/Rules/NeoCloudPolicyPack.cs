using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Governance;
using NeoCloud.Infra.Policy.Rules.Gpu;
using NeoCloud.Infra.Policy.Rules.Monitoring;
using NeoCloud.Infra.Policy.Rules.Security;
using NeoCloud.Infra.Policy.Rules.Serving;
using NeoCloud.Infra.Policy.Rules.Storage;
using NeoCloud.Infra.Policy.Rules.Tenancy;
using NeoCloud.Infra.Policy.Rules.Workloads;

namespace NeoCloud.Infra.Policy.Rules;

/// <summary>The NeoCloud policy pack: its name, version and every rule.</summary>
public static class NeoCloudPolicyPack
{
    /// <summary>Pack name (PulumiPolicy.yaml and the engine).</summary>
    public const string Name = "neocloud-infra";

    /// <summary>Pack version.</summary>
    public const string Version = "0.1.0";

    /// <summary>Every rule of the pack, resource rules first.</summary>
    public static IReadOnlyList<IPolicyRule> Rules() =>
    [
        new ImagesPinnedRule(),
        new GpuWorkloadPlacementRule(),
        new TritonProbesRule(),
        new BucketVersioningRule(),
        new BucketKmsEncryptionRule(),
        new BucketPublicAccessBlockRule(),
        new BucketTlsOnlyRule(),
        new MonitorReleaseLabelRule(),
        new RequiredLabelsRule(),
        new NoPlaintextSecretsRule(),
        new MigBuiltInConfigRule(),
        new BucketCompanionsPresentRule(),
        new BucketLifecycleRule(),
        new BucketReplicationRule(),
        new VectorDbHighAvailabilityRule(),
        new TenantIsolationRule(),
        new MigConfigValidRule(),
        new GpuResourceOfferedRule(),
        new ScaledObjectCapacityRule(),
        new SharedPoolCapacityRule(),
    ];

    /// <summary>A pack with every rule.</summary>
    public static PolicyPack Create() => new(Name, Version, Rules());
}
