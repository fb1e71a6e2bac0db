using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>The storage and tenants sections on the prod stack: each planner rule lands at its key with the planner's reason.</summary>
public sealed class StorageTenantsSectionTests
{
    [Theory]
    [InlineData("      bucket: models\n", "      bucket: Models_1\n", "neocloud:storage.onprem.bucket", "\"Models_1\" is not an S3 bucket name")]
    [InlineData("      syncSchedule: \"*/15 * * * *\"\n", "      syncSchedule: \"every 15 minutes\"\n", "neocloud:storage.onprem.syncSchedule", "is not a cron schedule of five fields")]
    [InlineData("      region: us-east-1\n      replicaRegion: us-west-2\n", "      region: us-east-1\n      replicaRegion: mars-2\n", "neocloud:storage.modelBucket.replicaRegion", "\"mars-2\" is not an AWS region name")]
    [InlineData("      checkpointExpiryDays: 90\n", "", "neocloud:storage.modelBucket.checkpointExpiryDays", "is required when checkpointPrefix is set")]
    [InlineData("      abortIncompleteMultipartDays: 7\n", "      abortIncompleteMultipartDays: 400\n", "neocloud:storage.modelBucket.abortIncompleteMultipartDays", "400 is out of range; allowed: 1..365 days")]
    public void A_storage_rule_is_reported_at_its_key(string from, string to, string path, string message) =>
        AssertOneError(from, to, path, message);

    [Fact]
    public void A_tenant_named_like_a_system_namespace_is_reported_at_its_name() =>
        AssertOneError("  - name: chat\n", "  - name: kube-system\n", "neocloud:tenants[0].name", "\"kube-system\" is a Kubernetes system namespace");

    private static void AssertOneError(string from, string to, string path, string message)
    {
        var prod = File.ReadAllText(RepoFiles.StackFile("prod"));
        var yaml = prod.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(prod, yaml);

        var errors = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, "prod")).Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }
}
