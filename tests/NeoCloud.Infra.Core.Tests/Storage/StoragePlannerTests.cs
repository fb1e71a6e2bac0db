using System.Text.Json;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Tests.Storage;

/// <summary>Every rule of the Storage planners: each case breaks one rule and expects exactly its path.</summary>
public sealed class StoragePlannerTests
{
    private static readonly OwnershipSpec Owner = new("prod", "ml-platform");

    private static ReplicatedBucketSpec Bucket() => new("acme-models", "us-east-1", "us-west-2", Owner);

    private static OnPremObjectStoreSpec Store() => new("model-store", "models", Owner) { SyncToS3 = new S3SyncSpec("us-east-1") };

    private static ModelBucketAccessSpec Access() => new("us-east-1", Owner) { Namespaces = ["chat", "search"] };

    public static TheoryData<string, Func<ReplicatedBucketSpec, ReplicatedBucketSpec>> BrokenBuckets() => new()
    {
        { "NamePrefix", s => s with { NamePrefix = null! } },
        { "NamePrefix", s => s with { NamePrefix = "ab" } },
        { "NamePrefix", s => s with { NamePrefix = "acme--models" } },
        { "Region", s => s with { Region = null! } },
        { "Region", s => s with { Region = "mars-1" } },
        { "ReplicaRegion", s => s with { ReplicaRegion = null! } },
        { "ReplicaRegion", s => s with { ReplicaRegion = "us-east-1" } },
        { "ReplicaRegion", s => s with { ReplicaRegion = "USWEST2" } },
        { "NoncurrentVersionDays", s => s with { NoncurrentVersionDays = 0 } },
        { "NoncurrentVersionDays", s => s with { NoncurrentVersionDays = 3651 } },
        { "AbortIncompleteMultipartDays", s => s with { AbortIncompleteMultipartDays = 366 } },
        { "CheckpointPrefix", s => s with { CheckpointPrefix = "/checkpoints", CheckpointExpiryDays = 30 } },
        { "CheckpointPrefix", s => s with { CheckpointExpiryDays = 30 } },
        { "CheckpointExpiryDays", s => s with { CheckpointPrefix = "checkpoints/" } },
        { "CheckpointExpiryDays", s => s with { CheckpointPrefix = "checkpoints/", CheckpointExpiryDays = 0 } },
        { "ReplicationPrefix", s => s with { ReplicationPrefix = "" } },
        { "ReplicaStorageClass", s => s with { ReplicaStorageClass = "Standard" } },
        { "ReplicaStorageClass", s => s with { ReplicaStorageClass = null! } },
        { "ModelPrefix", s => s with { ModelPrefix = null! } },
        { "Environment", s => s with { Ownership = new("Prod", "ml-platform") } },
        { "Tags[\"app.kubernetes.io/name\"]", s => s with { Ownership = Owner with { Tags = Owner.Tags.Add("app.kubernetes.io/name", "x") } } },
    };

    public static TheoryData<string, Func<OnPremObjectStoreSpec, OnPremObjectStoreSpec>> BrokenStores() => new()
    {
        { "StoreName", s => s with { StoreName = "Models" } },
        { "RookNamespace", s => s with { RookNamespace = null! } },
        { "Namespace", s => s with { Namespace = null! } },
        { "BucketName", s => s with { BucketName = null! } },
        { "BucketName", s => s with { BucketName = "Models_1" } },
        { "PoolReplicas", s => s with { PoolReplicas = 2 } },
        { "PoolReplicas", s => s with { Production = false, PoolReplicas = 0 } },
        { "GatewayInstances", s => s with { GatewayInstances = 1 } },
        { "ModelPrefix", s => s with { ModelPrefix = null! } },
        { "SyncToS3.BucketName", s => s with { SyncToS3 = s.SyncToS3! with { HasBucketName = false } } },
        { "SyncToS3.AccessKeyId", s => s with { SyncToS3 = s.SyncToS3! with { HasAccessKeyId = false } } },
        { "SyncToS3.SecretAccessKey", s => s with { SyncToS3 = s.SyncToS3! with { HasSecretAccessKey = false } } },
        { "SyncToS3.Region", s => s with { SyncToS3 = s.SyncToS3! with { Region = null! } } },
        { "SyncToS3.Region", s => s with { SyncToS3 = s.SyncToS3! with { Region = "east" } } },
        { "SyncToS3.Schedule", s => s with { SyncToS3 = s.SyncToS3! with { Schedule = "hourly" } } },
        { "CostCenter", s => s with { Ownership = new("prod", "") } },
    };

    public static TheoryData<string, Func<ModelBucketAccessSpec, ModelBucketAccessSpec>> BrokenAccess() => new()
    {
        { "Access", s => s with { Access = "admin" } },
        { "BucketArn", s => s with { HasBucketArn = false } },
        { "KmsKeyArn", s => s with { HasKmsKeyArn = false } },
        { "Region", s => s with { Region = null! } },
        { "Region", s => s with { Region = "us-east" } },
        { "Namespaces[1]", s => s with { Namespaces = ["chat", "Search"] } },
        { "Namespaces[1]", s => s with { Namespaces = ["chat", "chat"] } },
        { "SecretName", s => s with { SecretName = "Model_Credentials" } },
        { "Environment", s => s with { Ownership = new(null!, "ml-platform") } },
    };

    [Fact]
    public void Valid_specs_have_no_problem()
    {
        Assert.Empty(ReplicatedBucketPlanner.Validate(Bucket()));
        Assert.Empty(OnPremObjectStorePlanner.Validate(Store()));
        Assert.Empty(ModelBucketAccessPlanner.Validate(Access()));
    }

    [Theory]
    [MemberData(nameof(BrokenBuckets))]
    public void Each_bucket_rule_reports_its_property_path(string path, Func<ReplicatedBucketSpec, ReplicatedBucketSpec> breakIt) =>
        Assert.Equal(path, Assert.Single(ReplicatedBucketPlanner.Validate(breakIt(Bucket()))).PropertyPath);

    [Theory]
    [MemberData(nameof(BrokenStores))]
    public void Each_store_rule_reports_its_property_path(string path, Func<OnPremObjectStoreSpec, OnPremObjectStoreSpec> breakIt) =>
        Assert.Equal(path, Assert.Single(OnPremObjectStorePlanner.Validate(breakIt(Store()))).PropertyPath);

    [Theory]
    [MemberData(nameof(BrokenAccess))]
    public void Each_access_rule_reports_its_property_path(string path, Func<ModelBucketAccessSpec, ModelBucketAccessSpec> breakIt) =>
        Assert.Equal(path, Assert.Single(ModelBucketAccessPlanner.Validate(breakIt(Access()))).PropertyPath);

    [Fact]
    public void Every_bucket_problem_is_reported_at_once()
    {
        var spec = Bucket() with { NamePrefix = "x", Region = "mars", NoncurrentVersionDays = 0, ReplicaStorageClass = "COLD" };
        Assert.Equal(["NamePrefix", "Region", "NoncurrentVersionDays", "ReplicaStorageClass"], ReplicatedBucketPlanner.Validate(spec).Select(p => p.PropertyPath));
    }

    [Fact]
    public void Storage_class_names_are_the_aws_spellings()
    {
        Assert.Equal(["STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"], ReplicaStorageClassExtensions.AwsNames);
        Assert.Equal(ReplicaStorageClass.GlacierInstantRetrieval, ReplicatedBucketPlanner.Plan(Bucket() with { ReplicaStorageClass = "GLACIER_IR" }).ReplicaStorageClass);
    }

    [Fact]
    public void Bucket_tags_carry_the_role_key_of_the_vocabulary()
    {
        var tags = ReplicatedBucketPlanner.Plan(Bucket() with { Ownership = Owner with { Tags = Owner.Tags.Add("team", "ml") } }).Tags("model-bucket", "replica");
        Assert.Equal("replica", tags[ResourceLabels.BucketRole]);
        Assert.Equal("neocloud.io/bucket-role", ResourceLabels.BucketRole);
        Assert.Equal("ml", tags["team"]);
        Assert.Equal("prod", tags[ResourceLabels.Environment]);
    }

    [Fact]
    public void Production_follows_the_environment_unless_set()
    {
        Assert.True(OnPremObjectStorePlanner.IsProduction(Store()));
        Assert.False(OnPremObjectStorePlanner.IsProduction(Store() with { Ownership = new("dev", "ml-platform") }));
        Assert.Empty(OnPremObjectStorePlanner.Validate(Store() with { Ownership = new("dev", "ml-platform"), PoolReplicas = 1, GatewayInstances = 1 }));
    }

    [Fact]
    public void Reader_policy_reads_models_and_writer_policy_cannot_change_the_bucket()
    {
        var reader = ModelBucketAccessPlanner.Plan(Access()).Policy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k");
        using var doc = JsonDocument.Parse(reader);
        Assert.DoesNotContain("s3:PutObject", reader, StringComparison.Ordinal);
        Assert.Contains("s3:GetObject", reader, StringComparison.Ordinal);
        var writer = ModelBucketAccessPlanner.Plan(Access() with { Access = ModelBucketAccessPlanner.Write }).Policy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k");
        Assert.Contains("s3:PutObject", writer, StringComparison.Ordinal);
        Assert.DoesNotContain("s3:PutBucketPolicy", writer, StringComparison.Ordinal);
    }

    [Fact]
    public void Access_tags_name_the_identity_and_secret_labels_name_the_tenant()
    {
        var plan = ModelBucketAccessPlanner.Plan(Access());
        Assert.Equal("dc1-model-reader", plan.Tags("dc1-model-reader")["Name"]);
        Assert.Equal("chat", plan.SecretLabels("dc1-model-reader", "chat")[ResourceLabels.Tenant]);
        Assert.Equal(new[] { "chat", "search" }, plan.Namespaces.ToArray());
    }
}
