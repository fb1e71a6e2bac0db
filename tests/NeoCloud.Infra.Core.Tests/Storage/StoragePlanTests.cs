using System.Text.Json;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Tests.Storage;

public sealed class StoragePlanTests
{
    private static ReplicatedBucketSpec Spec(string replica = "us-west-2") =>
        new("acme-models", "us-east-1", replica, new OwnershipSpec("prod", "ml-platform"))
        {
            CheckpointPrefix = "checkpoints/",
            CheckpointExpiryDays = 90,
            ReplicationTimeControl = true,
            ReplicaStorageClass = "STANDARD_IA",
        };

    private static ReplicatedBucketPlan Plan() => ReplicatedBucketPlanner.Plan(Spec());

    [Fact]
    public void Valid_plan_has_no_errors_and_three_lifecycle_rules()
    {
        Assert.Empty(ReplicatedBucketPlanner.Validate(Spec()));
        Assert.Equal(["expire-noncurrent-versions", "abort-incomplete-multipart-uploads", "expire-old-checkpoints"], Plan().LifecycleRules().Select(r => r.Id));
    }

    [Fact]
    public void Replication_rule_uses_rtc_with_metrics_and_the_storage_class()
    {
        var rule = Plan().Replication();
        Assert.Equal(15, rule.ReplicationTimeMinutes);
        Assert.Equal(15, rule.MetricsEventThresholdMinutes);
        Assert.Equal("STANDARD_IA", rule.StorageClass);
        Assert.True(rule.DeleteMarkerReplication && rule.SseKmsEncryptedObjects);
        Assert.Equal(1, rule.Priority);
    }

    [Fact]
    public void Names_fit_s3_limits()
    {
        var longest = new string('a', ReplicatedBucketPlan.MaxPrefixLength);
        Assert.Empty(ReplicatedBucketPlanner.Validate(Spec() with { NamePrefix = longest }));
        Assert.Equal(63, ReplicatedBucketPlanner.Plan(Spec() with { NamePrefix = longest }).ReplicaBucketName("0123abcd").Length);
        Assert.Equal("NamePrefix", Assert.Single(ReplicatedBucketPlanner.Validate(Spec() with { NamePrefix = longest + "a" })).PropertyPath);
    }

    [Fact]
    public void Tls_policy_denies_insecure_transport_on_bucket_and_objects()
    {
        using var doc = JsonDocument.Parse(S3Policies.TlsOnlyBucketPolicy("arn:aws:s3:::b"));
        var s = doc.RootElement.GetProperty("Statement")[0];
        Assert.Equal("Deny", s.GetProperty("Effect").GetString());
        Assert.Equal(["arn:aws:s3:::b", "arn:aws:s3:::b/*"], s.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void Sync_writer_policy_cannot_change_the_bucket()
    {
        var json = S3Policies.SyncWriterPolicy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k", "us-east-1");
        Assert.DoesNotContain("s3:Put" + "BucketPolicy", json);
        Assert.DoesNotContain("s3:*", json);
        Assert.Contains("s3.us-east-1.amazonaws.com", json);
    }

    [Theory]
    [InlineData("*/15 * * * *", true)]
    [InlineData("0 2 * * 1-5", true)]
    [InlineData("every 15 minutes", false)]
    [InlineData("* * * *", false)]
    public void Cron_schedules(string schedule, bool valid) => Assert.Equal(valid, CronSchedule.Problem(schedule) is null);

    [Fact]
    public void Ceph_pools_replicate_per_host_and_prod_needs_three()
    {
        var store = new OnPremObjectStoreSpec("store", "models", new OwnershipSpec("prod", "ml-platform")) { PoolReplicas = 2 };
        Assert.Equal("PoolReplicas", Assert.Single(OnPremObjectStorePlanner.Validate(store)).PropertyPath);
        var plan = OnPremObjectStorePlanner.Plan(store with { PoolReplicas = 3 });
        var spec = plan.CephObjectStoreSpec();
        Assert.True((bool)spec["preservePoolsOnDelete"]);
        Assert.Equal("http://rook-ceph-rgw-models.rook-ceph.svc:80", plan.Endpoint);
    }

    [Fact]
    public void Rgw_gateways_run_on_the_system_pool_through_required_node_affinity()
    {
        var system = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("neocloud.io/node-role", "system")]);
        var store = new OnPremObjectStoreSpec("store", "models", new OwnershipSpec("prod", "ml-platform")) { SystemNodeSelector = system };
        Assert.Empty(OnPremObjectStorePlanner.Validate(store));
        var plan = OnPremObjectStorePlanner.Plan(store);
        var json = JsonSerializer.Serialize(plan.CephObjectStoreSpec());
        using var doc = JsonDocument.Parse(json);
        var term = doc.RootElement.GetProperty("gateway").GetProperty("placement").GetProperty("nodeAffinity")
            .GetProperty("requiredDuringSchedulingIgnoredDuringExecution").GetProperty("nodeSelectorTerms")[0];
        var expression = Assert.Single(term.GetProperty("matchExpressions").EnumerateArray());
        Assert.Equal("neocloud.io/node-role", expression.GetProperty("key").GetString());
        Assert.Equal("In", expression.GetProperty("operator").GetString());
        Assert.Equal(["system"], expression.GetProperty("values").EnumerateArray().Select(v => v.GetString()));

        // The platform check places the gateway pods with the same selector.
        Assert.Equal(system, RookGatewayWorkloads.For(plan).NodeSelector);

        // Without a selector Rook's own placement stays (no placement block at all).
        var unplaced = OnPremObjectStorePlanner.Plan(store with { SystemNodeSelector = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty });
        Assert.False(((System.Collections.Immutable.ImmutableSortedDictionary<string, object>)unplaced.CephObjectStoreSpec()["gateway"]).ContainsKey("placement"));
    }

    [Fact]
    public void A_system_node_selector_that_is_not_a_node_label_is_reported_at_its_key()
    {
        var bad = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("node role", "system")]);
        var store = new OnPremObjectStoreSpec("store", "models", new OwnershipSpec("prod", "ml-platform")) { SystemNodeSelector = bad };
        var problem = Assert.Single(OnPremObjectStorePlanner.Validate(store));
        Assert.Equal("SystemNodeSelector[node role]", problem.PropertyPath);
    }

    [Fact]
    public void OnPremToS3SyncCopiesAndNeverDeletesWhatTheS3SideWrote()
    {
        var plan = new OnPremObjectStorePlan("models", "rook-ceph", "store", "models", 3, 2, true, new S3SyncTarget("neocloud-models-prod", "us-east-1", null, "*/15 * * * *"));
        var args = plan.SyncArgs();
        Assert.Equal("copy", args[0]);
        Assert.DoesNotContain("sync", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--delete", StringComparison.Ordinal) || a.StartsWith("--max-delete", StringComparison.Ordinal));
        Assert.Equal(["ONPREM:$(BUCKET_NAME)", "AWS:neocloud-models-prod"], args.Skip(1).Take(2));
    }
}
