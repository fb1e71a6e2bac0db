using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Components.Storage;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Storage;

public sealed class ReplicatedBucketTests
{
    private static ReplicatedBucketArgs Args(Action<ReplicatedBucketArgs>? change = null)
    {
        var args = new ReplicatedBucketArgs
        {
            NamePrefix = "neocloud-models",
            Region = "us-east-1",
            ReplicaRegion = "us-west-2",
            Environment = "prod",
            CostCenter = "ml-platform",
            NoncurrentVersionDays = 30,
            AbortIncompleteMultipartDays = 7,
            CheckpointPrefix = "checkpoints/",
            CheckpointExpiryDays = 90,
            ReplicationTimeControl = true,
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    private static ImmutableArray<object> List(object o) => (ImmutableArray<object>)o;

    [Fact]
    public async Task Both_buckets_are_versioned_kms_encrypted_private_and_tls_only()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ReplicatedBucket("models", Args()));

        var buckets = mocks.OfType("aws:s3/bucket:Bucket");
        Assert.Equal(["neocloud-models-a1b2c3d4", "neocloud-models-a1b2c3d4-replica"], buckets.Select(b => (string)b.Inputs["bucket"]).Order());
        Assert.All(buckets, b => Assert.Equal("prod", Map(b.Inputs["tags"])["neocloud.io/environment"]));
        Assert.All(buckets, b => Assert.Equal("ml-platform", Map(b.Inputs["tags"])["neocloud.io/cost-center"]));

        var versioning = mocks.OfType("aws:s3/bucketVersioning:BucketVersioning");
        Assert.Equal(2, versioning.Count);
        Assert.Equal(buckets.Select(b => (string)b.Inputs["bucket"]).Order(), versioning.Select(v => (string)v.Inputs["bucket"]).Order());
        Assert.All(versioning, v => Assert.Equal("Enabled", Map(v.Inputs["versioningConfiguration"])["status"]));

        var keys = mocks.OfType("aws:kms/key:Key");
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.True((bool)k.Inputs["enableKeyRotation"]));
        Assert.Equal(2, mocks.OfType("aws:kms/alias:Alias").Count);

        var sse = mocks.OfType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        Assert.Equal(2, sse.Count);
        Assert.All(sse, s =>
        {
            var rule = Map(Assert.Single(List(s.Inputs["rules"])));
            Assert.True((bool)rule["bucketKeyEnabled"]);
            var byDefault = Map(rule["applyServerSideEncryptionByDefault"]);
            Assert.Equal("aws:kms", byDefault["sseAlgorithm"]);
            Assert.StartsWith("arn:aws:mock", (string)byDefault["kmsMasterKeyId"]);
        });
        Assert.Equal(
            ["arn:aws:mock:us-east-1:123456789012:key/models-primary-key", "arn:aws:mock:us-east-1:123456789012:key/models-replica-key"],
            sse.Select(s => (string)Map(Map(List(s.Inputs["rules"])[0])["applyServerSideEncryptionByDefault"])["kmsMasterKeyId"]).Order());

        var blocks = mocks.OfType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        Assert.Equal(2, blocks.Count);
        Assert.All(blocks, b =>
        {
            foreach (var flag in new[] { "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets" })
            {
                Assert.True((bool)b.Inputs[flag], flag);
            }
        });

        var policies = mocks.OfType("aws:s3/bucketPolicy:BucketPolicy");
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p =>
        {
            using var doc = JsonDocument.Parse((string)p.Inputs["policy"]);
            var statement = doc.RootElement.GetProperty("Statement")[0];
            Assert.Equal("Deny", statement.GetProperty("Effect").GetString());
            Assert.Equal("s3:*", statement.GetProperty("Action")[0].GetString());
            Assert.Equal("false", statement.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
            var resources = statement.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()!).ToArray();
            Assert.Equal(2, resources.Length);
            Assert.EndsWith("/*", resources[1]);
            Assert.Equal(resources[0] + "/*", resources[1]);
        });
    }

    [Fact]
    public async Task Each_bucket_lives_in_its_own_region_through_its_own_provider()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ReplicatedBucket("models", Args()));
        var providers = mocks.OfType("pulumi:providers:aws");
        Assert.Equal(["us-east-1", "us-west-2"], providers.Select(p => (string)p.Inputs["region"]).Order());
        var byName = providers.ToDictionary(p => p.Name!, p => p);
        var replicaBucket = mocks.OfType("aws:s3/bucket:Bucket").Single(b => b.Name == "models-replica");
        Assert.Contains("models-replica", replicaBucket.Provider);
        var primaryBucket = mocks.OfType("aws:s3/bucket:Bucket").Single(b => b.Name == "models-primary");
        Assert.Contains("models-primary", primaryBucket.Provider);
        Assert.Equal(2, byName.Count);
    }

    [Fact]
    public async Task Lifecycle_rules_on_both_buckets()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ReplicatedBucket("models", Args()));
        var lifecycles = mocks.OfType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        Assert.Equal(2, lifecycles.Count);
        Assert.All(lifecycles, l =>
        {
            var rules = List(l.Inputs["rules"]).Select(Map).ToDictionary(r => (string)r["id"]);
            Assert.Equal(30.0, Map(rules["expire-noncurrent-versions"]["noncurrentVersionExpiration"])["noncurrentDays"]);
            Assert.Equal(7.0, Map(rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"])["daysAfterInitiation"]);
            Assert.Equal(90.0, Map(rules["expire-old-checkpoints"]["expiration"])["days"]);
            Assert.Equal("checkpoints/", Map(rules["expire-old-checkpoints"]["filter"])["prefix"]);
            Assert.All(rules.Values, r => Assert.Equal("Enabled", r["status"]));
        });
    }

    [Fact]
    public async Task Replication_rule_selects_kms_objects_uses_the_replica_key_and_rtc_with_metrics()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ReplicatedBucket("models", Args()));
        var config = mocks.Single("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        Assert.Equal("arn:aws:mock:us-east-1:123456789012:role/models-replication", config.Inputs["role"]);
        var rule = Map(Assert.Single(List(config.Inputs["rules"])));
        Assert.Equal("Enabled", rule["status"]);
        Assert.Equal(1.0, Convert.ToDouble(rule["priority"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(Map(rule["filter"]));
        Assert.Equal("Enabled", Map(rule["deleteMarkerReplication"])["status"]);
        Assert.Equal("Enabled", Map(Map(rule["sourceSelectionCriteria"])["sseKmsEncryptedObjects"])["status"]);
        var destination = Map(rule["destination"]);
        Assert.Equal("arn:aws:mock:us-east-1:123456789012:bucket/models-replica", destination["bucket"]);
        Assert.Equal("STANDARD", destination["storageClass"]);
        Assert.Equal("arn:aws:mock:us-east-1:123456789012:key/models-replica-key", Map(destination["encryptionConfiguration"])["replicaKmsKeyId"]);
        Assert.Equal(15.0, Map(Map(destination["replicationTime"])["time"])["minutes"]);
        Assert.Equal("Enabled", Map(destination["metrics"])["status"]);
        Assert.Equal(15.0, Map(Map(destination["metrics"])["eventThreshold"])["minutes"]);
    }

    [Fact]
    public async Task Replication_role_is_assumable_by_s3_only_with_least_privilege()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ReplicatedBucket("models", Args()));
        var role = mocks.Single("aws:iam/role:Role");
        using (var trust = JsonDocument.Parse((string)role.Inputs["assumeRolePolicy"]))
        {
            var s = Assert.Single(trust.RootElement.GetProperty("Statement").EnumerateArray());
            Assert.Equal("s3.amazonaws.com", s.GetProperty("Principal").GetProperty("Service").GetString());
            Assert.Equal("sts:AssumeRole", s.GetProperty("Action").GetString());
        }

        var policy = mocks.Single("aws:iam/rolePolicy:RolePolicy");
        using var doc = JsonDocument.Parse((string)policy.Inputs["policy"]);
        var statements = doc.RootElement.GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        static string[] Actions(JsonElement s) => [.. s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)];
        static string[] Resources(JsonElement s) => [.. s.GetProperty("Resource").EnumerateArray().Select(a => a.GetString()!)];
        Assert.All(statements.Values, s => Assert.Equal("Allow", s.GetProperty("Effect").GetString()));
        Assert.All(statements.Values, s => Assert.DoesNotContain(Actions(s), a => a.EndsWith('*')));
        Assert.Equal(["s3:GetReplicationConfiguration", "s3:ListBucket"], Actions(statements["SourceBucketConfiguration"]));
        Assert.Equal(["arn:aws:mock:us-east-1:123456789012:bucket/models-primary"], Resources(statements["SourceBucketConfiguration"]));
        Assert.Equal(["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Actions(statements["SourceObjectVersions"]));
        Assert.Equal(["arn:aws:mock:us-east-1:123456789012:bucket/models-primary/*"], Resources(statements["SourceObjectVersions"]));
        Assert.Equal(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Actions(statements["ReplicateToDestination"]));
        Assert.Equal(["arn:aws:mock:us-east-1:123456789012:bucket/models-replica/*"], Resources(statements["ReplicateToDestination"]));
        Assert.Equal(["kms:Decrypt"], Actions(statements["DecryptWithSourceKey"]));
        Assert.Equal(["arn:aws:mock:us-east-1:123456789012:key/models-primary-key"], Resources(statements["DecryptWithSourceKey"]));
        Assert.Equal("s3.us-east-1.amazonaws.com", statements["DecryptWithSourceKey"].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());
        Assert.Contains("kms:Encrypt", Actions(statements["EncryptWithReplicaKey"]));
        Assert.Equal(["arn:aws:mock:us-east-1:123456789012:key/models-replica-key"], Resources(statements["EncryptWithReplicaKey"]));
        Assert.Equal("s3.us-west-2.amazonaws.com", statements["EncryptWithReplicaKey"].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());
    }

    [Fact]
    public async Task Outputs_name_both_buckets_and_the_triton_url()
    {
        ReplicatedBucket? bucket = null;
        await PulumiTest.RunAsync(() => bucket = new ReplicatedBucket("models", Args()));
        Assert.Equal("neocloud-models-a1b2c3d4", await PulumiTest.ValueAsync(bucket!.BucketName));
        Assert.Equal("neocloud-models-a1b2c3d4-replica", await PulumiTest.ValueAsync(bucket.ReplicaBucketName));
        Assert.Equal("us-west-2", await PulumiTest.ValueAsync(bucket.ReplicaRegion));
        Assert.Equal("s3://neocloud-models-a1b2c3d4/models", await PulumiTest.ValueAsync(bucket.ModelRepositoryUrl));
        Assert.EndsWith("models-replica-key", await PulumiTest.ValueAsync(bucket.ReplicaKmsKeyArn));
    }

    [Fact]
    public async Task Replica_region_equal_to_primary_and_bad_days_fail_with_paths_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new ReplicatedBucket("models", Args(a =>
            {
                a.ReplicaRegion = "us-east-1";
                a.NoncurrentVersionDays = 0;
                a.AbortIncompleteMultipartDays = -1;
            })));
            Assert.Equal(
                ["AbortIncompleteMultipartDays", "NoncurrentVersionDays", "ReplicaRegion"],
                error.Problems.Select(e => e.PropertyPath).Order());
            Assert.Contains("ReplicatedBucketArgs.ReplicaRegion: \"us-east-1\" equals the primary region", error.Message);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Tags_escape_hatch_role_key_storage_class_and_index_token()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ReplicatedBucket("models", Args(a =>
        {
            a.Tags = new() { ["team"] = "ml" };
            a.ReplicaStorageClass = "GLACIER_IR";
        })));
        Assert.Single(mocks.OfType("neocloud:index:ReplicatedBucket"));
        var tags = mocks.OfType("aws:s3/bucket:Bucket").Select(b => Map(b.Inputs["tags"])).ToArray();
        Assert.All(tags, t => Assert.Equal("ml", t["team"]));
        Assert.Equal(["primary", "replica"], tags.Select(t => (string)t[Core.Naming.ResourceLabels.BucketRole]).Order());
        var rule = Map(Assert.Single(List(mocks.Single("aws:s3/bucketReplicationConfig:BucketReplicationConfig").Inputs["rules"])));
        Assert.Equal("GLACIER_IR", Map(rule["destination"])["storageClass"]);
    }

    [Fact]
    public async Task Required_args_left_unset_are_each_reported()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new ReplicatedBucket("models", new ReplicatedBucketArgs { ReplicaStorageClass = "standard" }));
            Assert.Equal(["NamePrefix", "Region", "ReplicaRegion", "ReplicaStorageClass", "Environment", "CostCenter"], error.Problems.Select(p => p.PropertyPath));
            Assert.Contains("ReplicatedBucketArgs.NamePrefix: is required", error.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }
}
