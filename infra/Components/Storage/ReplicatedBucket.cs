using System.Collections.Immutable;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Storage;
using Pulumi;
using Pulumi.Aws.S3.Inputs;
using Aws = Pulumi.Aws;
using Random = Pulumi.Random;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>
/// A versioned, SSE-KMS encrypted, TLS-only model bucket replicated to a second region. The component creates one
/// AWS provider per region from <see cref="ReplicatedBucketArgs.Region"/> and <see cref="ReplicatedBucketArgs.ReplicaRegion"/>
/// (an options.Providers map holds one provider per package, so it cannot carry two regions); the providers use the
/// ambient AWS credentials of the program.
/// </summary>
public sealed class ReplicatedBucket : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:ReplicatedBucket";

    /// <summary>The type token before issue 17, kept as an alias so existing stacks are not replaced.</summary>
    public const string PreviousTypeToken = "neocloud:storage:ReplicatedBucket";

    /// <summary>Creates the buckets, keys, policies, lifecycle rules and replication.</summary>
    /// <param name="name">Component name; children are named <c>{name}-…</c>.</param>
    /// <param name="args">Inputs (validated before anything is registered).</param>
    /// <param name="options">Component options.</param>
    /// <exception cref="ComponentArgsException">The arguments are invalid; nothing was registered.</exception>
    public ReplicatedBucket(string name, ReplicatedBucketArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(ReplicatedBucketArgs), name, args?.ToSpec(), ReplicatedBucketPlanner.Validate, ReplicatedBucketPlanner.Plan), options)
    {
    }

    private ReplicatedBucket(string name, ReplicatedBucketArgs args, ReplicatedBucketPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        InputMap<string> Tags(string role) => plan.Tags(name, role).ToImmutableDictionary(StringComparer.Ordinal);

        var primaryProvider = new Aws.Provider($"{name}-primary", new Aws.ProviderArgs { Region = plan.Region }, new CustomResourceOptions { Parent = this });
        var replicaProvider = new Aws.Provider($"{name}-replica", new Aws.ProviderArgs { Region = plan.ReplicaRegion }, new CustomResourceOptions { Parent = this });
        CustomResourceOptions In(ProviderResource provider, params Resource[] dependsOn) =>
            new() { Parent = this, Provider = provider, DependsOn = dependsOn };

        var suffix = new Random.RandomId($"{name}-suffix", new Random.RandomIdArgs { ByteLength = ReplicatedBucketPlan.SuffixLength / 2 }, new CustomResourceOptions { Parent = this });

        var primary = Side(name, "primary", plan.Region, suffix.Hex.Apply(plan.PrimaryBucketName), primaryProvider, Tags("primary"), plan, In);
        var replica = Side(name, "replica", plan.ReplicaRegion, suffix.Hex.Apply(plan.ReplicaBucketName), replicaProvider, Tags(ResourceLabels.BucketRoleReplica), plan, In);

        var role = new Aws.Iam.Role($"{name}-replication", new Aws.Iam.RoleArgs
        {
            AssumeRolePolicy = S3Policies.ReplicationTrustPolicy(),
            Description = $"S3 replication of {plan.NamePrefix} from {plan.Region} to {plan.ReplicaRegion}",
            Tags = Tags("replication"),
        }, In(primaryProvider));
        var rolePolicy = new Aws.Iam.RolePolicy($"{name}-replication", new Aws.Iam.RolePolicyArgs
        {
            Role = role.Id,
            Policy = Output.Tuple(primary.Bucket.Arn, replica.Bucket.Arn, primary.Key.Arn, replica.Key.Arn).Apply(t =>
                S3Policies.ReplicationRolePolicy(new ReplicationPolicyInputs(t.Item1, t.Item2, t.Item3, t.Item4, plan.Region, plan.ReplicaRegion))),
        }, In(primaryProvider));

        var rule = plan.Replication();
        var destination = new BucketReplicationConfigRuleDestinationArgs
        {
            Bucket = replica.Bucket.Arn,
            StorageClass = rule.StorageClass,
            EncryptionConfiguration = new BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs { ReplicaKmsKeyId = replica.Key.Arn },
        };
        if (rule.ReplicationTimeMinutes is int minutes)
        {
            destination.ReplicationTime = new BucketReplicationConfigRuleDestinationReplicationTimeArgs
            {
                Status = "Enabled",
                Time = new BucketReplicationConfigRuleDestinationReplicationTimeTimeArgs { Minutes = minutes },
            };
        }

        if (rule.MetricsEventThresholdMinutes is int metricMinutes)
        {
            destination.Metrics = new BucketReplicationConfigRuleDestinationMetricsArgs
            {
                Status = "Enabled",
                EventThreshold = new BucketReplicationConfigRuleDestinationMetricsEventThresholdArgs { Minutes = metricMinutes },
            };
        }

        var replication = new Aws.S3.BucketReplicationConfig($"{name}-replication", new Aws.S3.BucketReplicationConfigArgs
        {
            Bucket = primary.Bucket.Id,
            Role = role.Arn,
            Rules =
            {
                new BucketReplicationConfigRuleArgs
                {
                    Id = rule.Id,
                    Priority = rule.Priority,
                    Status = "Enabled",
                    Filter = rule.Prefix is null ? new BucketReplicationConfigRuleFilterArgs() : new BucketReplicationConfigRuleFilterArgs { Prefix = rule.Prefix },
                    DeleteMarkerReplication = new BucketReplicationConfigRuleDeleteMarkerReplicationArgs { Status = rule.DeleteMarkerReplication ? "Enabled" : "Disabled" },
                    SourceSelectionCriteria = new BucketReplicationConfigRuleSourceSelectionCriteriaArgs
                    {
                        SseKmsEncryptedObjects = new BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs { Status = rule.SseKmsEncryptedObjects ? "Enabled" : "Disabled" },
                    },
                    Destination = destination,
                },
            },
        }, In(primaryProvider, primary.Versioning, replica.Versioning, rolePolicy));

        BucketName = primary.Bucket.BucketName;
        BucketArn = primary.Bucket.Arn;
        Region = Output.Create(plan.Region);
        ReplicaBucketName = replica.Bucket.BucketName;
        ReplicaBucketArn = replica.Bucket.Arn;
        ReplicaRegion = Output.Create(plan.ReplicaRegion);
        KmsKeyArn = primary.Key.Arn;
        ReplicaKmsKeyArn = replica.Key.Arn;
        ReplicationRoleArn = role.Arn;
        ReplicationRuleId = replication.Id.Apply(_ => rule.Id);
        ModelRepositoryUrl = primary.Bucket.BucketName.Apply(b => ReplicatedBucketPlan.ModelRepositoryUrl(b, plan.ModelPrefix));
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["bucketName"] = BucketName,
            ["bucketArn"] = BucketArn,
            ["region"] = Region,
            ["replicaBucketName"] = ReplicaBucketName,
            ["replicaBucketArn"] = ReplicaBucketArn,
            ["replicaRegion"] = ReplicaRegion,
            ["kmsKeyArn"] = KmsKeyArn,
            ["replicaKmsKeyArn"] = ReplicaKmsKeyArn,
            ["replicationRoleArn"] = ReplicationRoleArn,
            ["replicationRuleId"] = ReplicationRuleId,
            ["modelRepositoryUrl"] = ModelRepositoryUrl,
        });
    }

    /// <summary>Primary bucket name.</summary>
    [Output("bucketName")]
    public Output<string> BucketName { get; private set; }

    /// <summary>Primary bucket ARN.</summary>
    [Output("bucketArn")]
    public Output<string> BucketArn { get; private set; }

    /// <summary>Primary region.</summary>
    [Output("region")]
    public Output<string> Region { get; private set; }

    /// <summary>Replica bucket name.</summary>
    [Output("replicaBucketName")]
    public Output<string> ReplicaBucketName { get; private set; }

    /// <summary>Replica bucket ARN.</summary>
    [Output("replicaBucketArn")]
    public Output<string> ReplicaBucketArn { get; private set; }

    /// <summary>Replica region.</summary>
    [Output("replicaRegion")]
    public Output<string> ReplicaRegion { get; private set; }

    /// <summary>The primary bucket's KMS key ARN (readers need kms:Decrypt on it).</summary>
    [Output("kmsKeyArn")]
    public Output<string> KmsKeyArn { get; private set; }

    /// <summary>The replica bucket's KMS key ARN.</summary>
    [Output("replicaKmsKeyArn")]
    public Output<string> ReplicaKmsKeyArn { get; private set; }

    /// <summary>The IAM role S3 replicates with.</summary>
    [Output("replicationRoleArn")]
    public Output<string> ReplicationRoleArn { get; private set; }

    /// <summary>The replication rule id (known once the replication configuration exists; CloudWatch replication metrics use it).</summary>
    [Output("replicationRuleId")]
    public Output<string> ReplicationRuleId { get; private set; }

    /// <summary>Triton's model repository URL, <c>s3://bucket/models</c>.</summary>
    [Output("modelRepositoryUrl")]
    public Output<string> ModelRepositoryUrl { get; private set; }

    private sealed record BucketSide(Aws.S3.Bucket Bucket, Aws.Kms.Key Key, Aws.S3.BucketVersioning Versioning);

    private BucketSide Side(
        string name,
        string role,
        string region,
        Output<string> bucketName,
        ProviderResource provider,
        InputMap<string> tags,
        ReplicatedBucketPlan plan,
        Func<ProviderResource, Resource[], CustomResourceOptions> options)
    {
        var key = new Aws.Kms.Key($"{name}-{role}-key", new Aws.Kms.KeyArgs
        {
            Description = $"SSE-KMS key of the {role} model bucket of {name} ({region})",
            EnableKeyRotation = true,
            DeletionWindowInDays = 30,
            Tags = tags,
        }, options(provider, []));
        _ = new Aws.Kms.Alias($"{name}-{role}-key", new Aws.Kms.AliasArgs
        {
            Name = bucketName.Apply(b => $"alias/{b}"),
            TargetKeyId = key.KeyId,
        }, options(provider, []));
        var bucket = new Aws.S3.Bucket($"{name}-{role}", new Aws.S3.BucketArgs
        {
            BucketName = bucketName,
            ForceDestroy = plan.ForceDestroy,
            Tags = tags,
        }, options(provider, []));
        var publicAccess = new Aws.S3.BucketPublicAccessBlock($"{name}-{role}", new Aws.S3.BucketPublicAccessBlockArgs
        {
            Bucket = bucket.Id,
            BlockPublicAcls = true,
            BlockPublicPolicy = true,
            IgnorePublicAcls = true,
            RestrictPublicBuckets = true,
        }, options(provider, []));
        var versioning = new Aws.S3.BucketVersioning($"{name}-{role}", new Aws.S3.BucketVersioningArgs
        {
            Bucket = bucket.Id,
            VersioningConfiguration = new BucketVersioningVersioningConfigurationArgs { Status = "Enabled" },
        }, options(provider, []));
        _ = new Aws.S3.BucketServerSideEncryptionConfiguration($"{name}-{role}", new Aws.S3.BucketServerSideEncryptionConfigurationArgs
        {
            Bucket = bucket.Id,
            Rules =
            {
                new BucketServerSideEncryptionConfigurationRuleArgs
                {
                    BucketKeyEnabled = true,
                    ApplyServerSideEncryptionByDefault = new BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
                    {
                        SseAlgorithm = "aws:kms",
                        KmsMasterKeyId = key.Arn,
                    },
                },
            },
        }, options(provider, []));
        _ = new Aws.S3.BucketPolicy($"{name}-{role}", new Aws.S3.BucketPolicyArgs
        {
            Bucket = bucket.Id,
            Policy = bucket.Arn.Apply(S3Policies.TlsOnlyBucketPolicy),
        }, options(provider, [publicAccess]));
        var lifecycle = new Aws.S3.BucketLifecycleConfigurationArgs { Bucket = bucket.Id };
        foreach (var rule in plan.LifecycleRules())
        {
            var args = new BucketLifecycleConfigurationRuleArgs
            {
                Id = rule.Id,
                Status = "Enabled",
                Filter = rule.Prefix is null ? new BucketLifecycleConfigurationRuleFilterArgs() : new BucketLifecycleConfigurationRuleFilterArgs { Prefix = rule.Prefix },
            };
            if (rule.NoncurrentVersionExpirationDays is int noncurrent)
            {
                args.NoncurrentVersionExpiration = new BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs { NoncurrentDays = noncurrent };
            }

            if (rule.AbortIncompleteMultipartUploadDays is int abort)
            {
                args.AbortIncompleteMultipartUpload = new BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs { DaysAfterInitiation = abort };
            }

            if (rule.ExpirationDays is int expire)
            {
                args.Expiration = new BucketLifecycleConfigurationRuleExpirationArgs { Days = expire };
            }

            lifecycle.Rules.Add(args);
        }

        _ = new Aws.S3.BucketLifecycleConfiguration($"{name}-{role}", lifecycle, options(provider, [versioning]));
        return new BucketSide(bucket, key, versioning);
    }
}
