using System.Collections.Immutable;
using NeoCloud.Infra.Components.Storage;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Components.Tests.Storage;

public sealed class OnPremObjectStoreTests
{
    private static OnPremObjectStoreArgs Args(Action<OnPremObjectStoreArgs>? change = null)
    {
        var args = new OnPremObjectStoreArgs
        {
            Namespace = "model-store",
            BucketName = "models",
            Environment = "prod",
            CostCenter = "ml-platform",
            SyncToS3 = new S3SyncArgs
            {
                BucketName = "neocloud-models-a1b2c3d4",
                Region = "us-east-1",
                KmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/abc",
                Schedule = "*/15 * * * *",
                AccessKeyId = "AKIAEXAMPLE",
                SecretAccessKey = "example-secret-value",
            },
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    private static ImmutableArray<object> List(object o) => (ImmutableArray<object>)o;

    [Fact]
    public async Task Ceph_object_store_replicates_pools_across_hosts_and_the_bucket_is_claimed_and_versioned()
    {
        OnPremObjectStore? store = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => store = new OnPremObjectStore("onprem", Args()));
        var ceph = mocks.Single("kubernetes:ceph.rook.io/v1:CephObjectStore");
        var spec = Map(ceph.Inputs["spec"]);
        foreach (var pool in new[] { "dataPool", "metadataPool" })
        {
            Assert.Equal("host", Map(spec[pool])["failureDomain"]);
            Assert.Equal(3.0, Map(Map(spec[pool])["replicated"])["size"]);
        }

        Assert.Equal("rook-ceph", Map(ceph.Inputs["metadata"])["namespace"]);
        var claim = mocks.Single("kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim");
        Assert.Equal("models", Map(claim.Inputs["spec"])["bucketName"]);
        Assert.Equal(StoragePins.BucketProvisioner, mocks.Single("kubernetes:storage.k8s.io/v1:StorageClass").Inputs["provisioner"]);

        var job = mocks.Single("kubernetes:batch/v1:Job");
        var container = Map(List(Map(Map(Map(job.Inputs["spec"])["template"])["spec"])["containers"])[0]);
        Assert.Equal(StoragePins.AwsCliImage, container["image"]);
        Assert.Contains("put-bucket-versioning", (string)List(container["command"])[2]);
        Assert.Contains("Status=Enabled", (string)List(container["command"])[2]);

        Assert.Equal("http://rook-ceph-rgw-models.rook-ceph.svc:80", await PulumiTest.ValueAsync(store!.Endpoint));
        Assert.Equal("s3://rook-ceph-rgw-models.rook-ceph.svc:80/models/models", await PulumiTest.ValueAsync(store.ModelRepositoryUrl));
        Assert.Equal("onprem-models", await PulumiTest.ValueAsync(store.CredentialsSecretName));
    }

    [Fact]
    public async Task A_system_node_selector_places_the_rgw_gateways_and_both_jobs_and_none_leaves_rooks_placement()
    {
        var args = Args();
        args.SystemNodeSelector = new Dictionary<string, string> { ["neocloud.io/node-role"] = "system" };
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new OnPremObjectStore("onprem", args));
        var gateway = Map(Map(mocks.Single("kubernetes:ceph.rook.io/v1:CephObjectStore").Inputs["spec"])["gateway"]);
        var terms = List(Map(Map(Map(gateway["placement"])["nodeAffinity"])["requiredDuringSchedulingIgnoredDuringExecution"])["nodeSelectorTerms"]);
        var expression = Map(Assert.Single(List(Map(Assert.Single(terms))["matchExpressions"])));
        Assert.Equal("neocloud.io/node-role", expression["key"]);
        Assert.Equal("In", expression["operator"]);
        Assert.Equal(["system"], List(expression["values"]).Cast<string>());
        var jobPod = Map(Map(Map(mocks.Single("kubernetes:batch/v1:Job").Inputs["spec"])["template"])["spec"]);
        Assert.Equal("system", Map(jobPod["nodeSelector"])["neocloud.io/node-role"]);
        var cronPod = Map(Map(Map(Map(Map(mocks.Single("kubernetes:batch/v1:CronJob").Inputs["spec"])["jobTemplate"])["spec"])["template"])["spec"]);
        Assert.Equal("system", Map(cronPod["nodeSelector"])["neocloud.io/node-role"]);

        var (plain, _) = await PulumiTest.RunAsync(() => _ = new OnPremObjectStore("onprem", Args()));
        Assert.False(Map(Map(plain.Single("kubernetes:ceph.rook.io/v1:CephObjectStore").Inputs["spec"])["gateway"]).ContainsKey("placement"));
        Assert.False(Map(Map(Map(plain.Single("kubernetes:batch/v1:Job").Inputs["spec"])["template"])["spec"]).ContainsKey("nodeSelector"));
    }

    [Fact]
    public async Task Hybrid_sync_is_a_cronjob_whose_credentials_come_only_from_secrets()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new OnPremObjectStore("onprem", Args()));
        var secret = mocks.Single("kubernetes:core/v1:Secret");
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], Map(secret.Inputs["stringData"]).Keys.Order());

        var cron = mocks.Single("kubernetes:batch/v1:CronJob");
        var spec = Map(cron.Inputs["spec"]);
        Assert.Equal("*/15 * * * *", spec["schedule"]);
        Assert.Equal("Forbid", spec["concurrencyPolicy"]);
        var pod = Map(Map(Map(Map(spec["jobTemplate"])["spec"])["template"])["spec"]);
        var container = Map(Assert.Single(List(pod["containers"])));
        Assert.Equal(StoragePins.RcloneImage, container["image"]);
        Assert.Equal(["copy", "ONPREM:$(BUCKET_NAME)", "AWS:neocloud-models-a1b2c3d4"], List(container["args"]).Take(3).Cast<string>());
        var env = List(container["env"]).Select(Map).ToDictionary(e => (string)e["name"]);
        foreach (var key in new[] { "RCLONE_CONFIG_ONPREM_ACCESS_KEY_ID", "RCLONE_CONFIG_ONPREM_SECRET_ACCESS_KEY", "RCLONE_CONFIG_AWS_ACCESS_KEY_ID", "RCLONE_CONFIG_AWS_SECRET_ACCESS_KEY" })
        {
            Assert.False(env[key].ContainsKey("value"), key);
            Assert.True(Map(env[key]["valueFrom"]).ContainsKey("secretKeyRef"), key);
        }

        Assert.Equal("onprem-s3-sync-credentials", Map(Map(env["RCLONE_CONFIG_AWS_SECRET_ACCESS_KEY"]["valueFrom"])["secretKeyRef"])["name"]);
        Assert.Equal("onprem-models", Map(Map(env["RCLONE_CONFIG_ONPREM_SECRET_ACCESS_KEY"]["valueFrom"])["secretKeyRef"])["name"]);
        Assert.Equal("aws:kms", env["RCLONE_CONFIG_AWS_SERVER_SIDE_ENCRYPTION"]["value"]);
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/abc", env["RCLONE_CONFIG_AWS_SSE_KMS_KEY_ID"]["value"]);
        Assert.DoesNotContain(env.Values, e => e.TryGetValue("value", out var v) && (string)v == "example-secret-value");
    }

    [Fact]
    public async Task Without_sync_no_cronjob_or_aws_secret()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new OnPremObjectStore("onprem", Args(a => a.SyncToS3 = null)));
        Assert.Empty(mocks.OfType("kubernetes:batch/v1:CronJob"));
        Assert.Empty(mocks.OfType("kubernetes:core/v1:Secret"));
    }

    [Fact]
    public async Task Small_pools_in_prod_and_a_bad_schedule_fail_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new OnPremObjectStore("onprem", Args(a =>
            {
                a.PoolReplicas = 2;
                a.SyncToS3!.Schedule = "every 15 minutes";
            })));
            Assert.Equal(["PoolReplicas", "SyncToS3.Schedule"], error.Problems.Select(e => e.PropertyPath).Order());
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Missing_sync_inputs_are_each_reported_and_nothing_is_registered()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new OnPremObjectStore("onprem", Args(a => a.SyncToS3 = new S3SyncArgs { Region = "us-east-1" })));
            Assert.Equal(["SyncToS3.BucketName", "SyncToS3.AccessKeyId", "SyncToS3.SecretAccessKey"], error.Problems.Select(e => e.PropertyPath));
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Extra_tags_label_the_objects_and_the_token_is_the_index_token()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new OnPremObjectStore("onprem", Args(a => a.Tags = new() { ["team"] = "ml" })));
        Assert.Single(mocks.OfType("neocloud:index:OnPremObjectStore"));
        var job = mocks.Single("kubernetes:batch/v1:Job");
        Assert.Equal("ml", Map(Map(job.Inputs["metadata"])["labels"])["team"]);
        Assert.Equal("prod", Map(Map(job.Inputs["metadata"])["labels"])["neocloud.io/environment"]);
    }
}
