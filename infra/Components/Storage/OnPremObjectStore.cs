using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Storage;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Storage.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>
/// A Rook-Ceph object store (RGW) with a versioned model bucket, and for hybrid environments a CronJob that syncs the
/// bucket to AWS S3 with rclone. Prerequisite: the Rook operator and a CephCluster in <c>RookNamespace</c> (the
/// component does not install them: the Ceph cluster owns disks and is platform infrastructure).
/// </summary>
public sealed class OnPremObjectStore : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:OnPremObjectStore";

    /// <summary>The type token before issue 17, kept as an alias so existing stacks are not replaced.</summary>
    public const string PreviousTypeToken = "neocloud:storage:OnPremObjectStore";

    /// <summary>Creates the object store, the bucket, its versioning Job and the optional sync CronJob.</summary>
    /// <param name="name">Component name; children are named <c>{name}-…</c>.</param>
    /// <param name="args">Inputs (validated before anything is registered).</param>
    /// <param name="options">Component options (Kubernetes provider).</param>
    /// <exception cref="ComponentArgsException">The arguments are invalid; nothing was registered.</exception>
    public OnPremObjectStore(string name, OnPremObjectStoreArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(OnPremObjectStoreArgs), name, args?.ToSpec(), OnPremObjectStorePlanner.Validate, OnPremObjectStorePlanner.Plan), options)
    {
    }

    private OnPremObjectStore(string name, OnPremObjectStoreArgs args, OnPremObjectStorePlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var labels = plan.Labels(name).ToImmutableDictionary(StringComparer.Ordinal);
        ObjectMetaArgs Meta(string objectName, string ns) => new() { Name = objectName, Namespace = ns, Labels = labels };

        var store = new CephObject($"{name}-store", "CephObjectStore", StoragePins.CephApiVersion, Meta(plan.StoreName, plan.RookNamespace), plan.CephObjectStoreSpec(), new CustomResourceOptions { Parent = this });
        var storageClassName = $"{name}-bucket";
        var storageClass = new K8s.Storage.V1.StorageClass($"{name}-bucket", new StorageClassArgs
        {
            Metadata = new ObjectMetaArgs { Name = storageClassName, Labels = labels },
            Provisioner = StoragePins.BucketProvisioner,
            ReclaimPolicy = "Retain",
            Parameters = plan.BucketStorageClassParameters().ToImmutableDictionary(StringComparer.Ordinal),
        }, new CustomResourceOptions { Parent = this, DependsOn = { store } });
        var claimName = $"{name}-models";
        var claim = new CephObject($"{name}-bucket-claim", "ObjectBucketClaim", StoragePins.ObjectBucketApiVersion, Meta(claimName, plan.BucketNamespace), plan.BucketClaimSpec(storageClassName), new CustomResourceOptions { Parent = this, DependsOn = { storageClass } });

        var versioning = new K8s.Batch.V1.Job($"{name}-versioning", new JobArgs
        {
            Metadata = Meta($"{name}-bucket-versioning", plan.BucketNamespace),
            Spec = new JobSpecArgs
            {
                BackoffLimit = 10,
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = labels },
                    Spec = new PodSpecArgs
                    {
                        RestartPolicy = "OnFailure",
                        SecurityContext = PodSecurity(),
                        NodeSelector = plan.SystemNodeSelector.Count == 0 ? null! : CoreData.ToLabels(plan.SystemNodeSelector),
                        Containers =
                        {
                            new ContainerArgs
                            {
                                Name = "put-bucket-versioning",
                                Image = StoragePins.AwsCliImage,
                                Command = { "/bin/sh", "-c", OnPremObjectStorePlan.VersioningScript() },
                                EnvFrom =
                                {
                                    new EnvFromSourceArgs { SecretRef = new SecretEnvSourceArgs { Name = claimName } },
                                    new EnvFromSourceArgs { ConfigMapRef = new ConfigMapEnvSourceArgs { Name = claimName } },
                                },
                                Env = { new EnvVarArgs { Name = "HOME", Value = "/tmp" } },
                                SecurityContext = ContainerSecurity(),
                                VolumeMounts = { new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" } },
                            },
                        },
                        Volumes = { new VolumeArgs { Name = "tmp", EmptyDir = new EmptyDirVolumeSourceArgs() } },
                    },
                },
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = { claim } });

        Output<string?> syncJobName = Output.Create((string?)null);
        if (args.SyncToS3 is { } sync)
        {
            var credentials = new K8s.Core.V1.Secret($"{name}-s3-sync", new SecretArgs
            {
                Metadata = Meta($"{name}-s3-sync-credentials", plan.BucketNamespace),
                Type = "Opaque",
                StringData =
                {
                    { OnPremObjectStorePlan.AwsAccessKeyIdKey, Output.CreateSecret(sync.AccessKeyId.ToOutput()) },
                    { OnPremObjectStorePlan.AwsSecretAccessKeyKey, Output.CreateSecret(sync.SecretAccessKey.ToOutput()) },
                },
            }, new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "stringData", "data" } });
            var kms = sync.KmsKeyArn?.ToOutput() ?? Output.Create(string.Empty);
            var container = Output.Tuple(sync.BucketName.ToOutput(), kms).Apply(t =>
            {
                var synced = plan with { Sync = plan.Sync! with { BucketName = t.Item1, KmsKeyArn = string.IsNullOrEmpty(t.Item2) ? null : t.Item2 } };
                var env = new List<EnvVarArgs>
                {
                    new() { Name = "BUCKET_HOST", ValueFrom = new EnvVarSourceArgs { ConfigMapKeyRef = new ConfigMapKeySelectorArgs { Name = claimName, Key = "BUCKET_HOST" } } },
                    new() { Name = "BUCKET_PORT", ValueFrom = new EnvVarSourceArgs { ConfigMapKeyRef = new ConfigMapKeySelectorArgs { Name = claimName, Key = "BUCKET_PORT" } } },
                    new() { Name = "BUCKET_NAME", ValueFrom = new EnvVarSourceArgs { ConfigMapKeyRef = new ConfigMapKeySelectorArgs { Name = claimName, Key = "BUCKET_NAME" } } },
                };
                env.AddRange(synced.SyncPlainEnv().Select(kv => new EnvVarArgs { Name = kv.Key, Value = kv.Value }));
                env.AddRange(OnPremObjectStorePlan.SyncSecretEnv().Select(kv => new EnvVarArgs
                {
                    Name = kv.Key,
                    ValueFrom = new EnvVarSourceArgs
                    {
                        SecretKeyRef = new SecretKeySelectorArgs
                        {
                            Name = kv.Value.Source == SyncSecretSource.BucketClaim ? claimName : $"{name}-s3-sync-credentials",
                            Key = kv.Value.Key,
                        },
                    },
                }));
                return (Args: synced.SyncArgs(), Env: env);
            });
            var cron = new K8s.Batch.V1.CronJob($"{name}-s3-sync", new CronJobArgs
            {
                Metadata = Meta($"{name}-s3-sync", plan.BucketNamespace),
                Spec = new CronJobSpecArgs
                {
                    Schedule = sync.Schedule,
                    ConcurrencyPolicy = "Forbid",
                    SuccessfulJobsHistoryLimit = 3,
                    FailedJobsHistoryLimit = 5,
                    JobTemplate = new JobTemplateSpecArgs
                    {
                        Spec = new JobSpecArgs
                        {
                            BackoffLimit = 2,
                            Template = new PodTemplateSpecArgs
                            {
                                Metadata = new ObjectMetaArgs { Labels = labels },
                                Spec = new PodSpecArgs
                                {
                                    RestartPolicy = "Never",
                                    SecurityContext = PodSecurity(),
                                    NodeSelector = plan.SystemNodeSelector.Count == 0 ? null! : CoreData.ToLabels(plan.SystemNodeSelector),
                                    Containers =
                                    {
                                        new ContainerArgs
                                        {
                                            Name = "rclone-sync",
                                            Image = StoragePins.RcloneImage,
                                            Args = container.Apply(c => c.Args),
                                            Env = container.Apply(c => c.Env.ToImmutableArray()),
                                            SecurityContext = ContainerSecurity(),
                                            VolumeMounts = { new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" } },
                                        },
                                    },
                                    Volumes = { new VolumeArgs { Name = "tmp", EmptyDir = new EmptyDirVolumeSourceArgs() } },
                                },
                            },
                        },
                    },
                },
            }, new CustomResourceOptions { Parent = this, DependsOn = { claim, credentials, versioning } });
            syncJobName = cron.Metadata.Apply(m => (string?)m.Name);
            SyncCredentialsSecretName = credentials.Metadata.Apply(m => (string?)m.Name);
        }
        else
        {
            SyncCredentialsSecretName = Output.Create((string?)null);
        }

        Endpoint = Output.Create(plan.Endpoint);
        BucketName = Output.Create(plan.BucketName);
        CredentialsSecretName = Output.Create(claimName);
        ModelRepositoryUrl = Output.Create(plan.ModelRepositoryUrl(plan.ModelPrefix));
        SyncCronJobName = syncJobName;
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["endpoint"] = Endpoint,
            ["bucketName"] = BucketName,
            ["credentialsSecretName"] = CredentialsSecretName,
            ["modelRepositoryUrl"] = ModelRepositoryUrl,
            ["syncCronJobName"] = SyncCronJobName,
            ["syncCredentialsSecretName"] = SyncCredentialsSecretName,
        });
    }

    /// <summary>In-cluster S3 endpoint of the store.</summary>
    [Output("endpoint")]
    public Output<string> Endpoint { get; private set; }

    /// <summary>The model bucket's name.</summary>
    [Output("bucketName")]
    public Output<string> BucketName { get; private set; }

    /// <summary>Secret (created by Rook from the bucket claim) with <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> of the bucket's user.</summary>
    [Output("credentialsSecretName")]
    public Output<string> CredentialsSecretName { get; private set; }

    /// <summary>Triton's model repository URL, <c>s3://host:port/bucket/models</c>.</summary>
    [Output("modelRepositoryUrl")]
    public Output<string> ModelRepositoryUrl { get; private set; }

    /// <summary>The sync CronJob's name, or null without <see cref="OnPremObjectStoreArgs.SyncToS3"/>.</summary>
    [Output("syncCronJobName")]
    public Output<string?> SyncCronJobName { get; private set; }

    /// <summary>The Secret with the AWS writer's keys, or null without sync.</summary>
    [Output("syncCredentialsSecretName")]
    public Output<string?> SyncCredentialsSecretName { get; private set; }

    private static PodSecurityContextArgs PodSecurity() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = 65534,
        RunAsGroup = 65534,
        SeccompProfile = new SeccompProfileArgs { Type = "RuntimeDefault" },
    };

    private static SecurityContextArgs ContainerSecurity() => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        Capabilities = new CapabilitiesArgs { Drop = { "ALL" } },
    };

    /// <summary>A Rook/bucket-provisioner custom resource with a plain-data spec from Core.</summary>
    private sealed class CephObject : K8s.ApiExtensions.CustomResource
    {
        public CephObject(string name, string kind, string apiVersion, ObjectMetaArgs metadata, ImmutableSortedDictionary<string, object> spec, CustomResourceOptions options)
            : base(name, new CustomObjectArgs(apiVersion, kind, metadata, spec), options)
        {
        }
    }
}
