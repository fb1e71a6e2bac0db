using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Storage;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>
/// Parity (issue 17): for each invalid fixture whose errors are in <c>neocloud:storage.modelBucket</c> or
/// <c>neocloud:tenants</c>, the component's planner, given the same values, reports the same reason at the same key
/// (through the section's key table) as the binder.
/// </summary>
public sealed class StorageTenantsParityTests
{
    public static TheoryData<string> Fixtures() =>
        ["08-replica-region-equals-primary", "24-lifecycle-days-zero", "30-three-independent-errors", "09-negative-quota", "35-allow-from-invalid-cidr"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_component_reports_what_the_binder_reports(string fixture)
    {
        var config = StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", fixture + ".yaml"));
        var binder = EnvironmentBinder.Bind(config).Errors
            .Where(e => e.Path.StartsWith("neocloud:storage.modelBucket", StringComparison.Ordinal) || e.Path.StartsWith("neocloud:tenants[", StringComparison.Ordinal))
            .Select(e => (e.Path, e.Message))
            .ToList();
        Assert.NotEmpty(binder);

        var component = new List<(string, string)>();
        var owner = new OwnershipSpec("test", "ml-platform");
        if (config.Values["storage"]?["modelBucket"] is JsonObject b)
        {
            var spec = new ReplicatedBucketSpec(Str(b, "name")!, Str(b, "region")!, Str(b, "replicaRegion")!, owner)
            {
                NoncurrentVersionDays = Int(b, "noncurrentVersionDays") ?? 30,
                AbortIncompleteMultipartDays = Int(b, "abortIncompleteMultipartDays") ?? 7,
                CheckpointPrefix = Str(b, "checkpointPrefix"),
                CheckpointExpiryDays = Int(b, "checkpointExpiryDays"),
            };
            component.AddRange(ReplicatedBucketPlanner.Validate(spec).Select(p => ($"neocloud:storage.modelBucket.{EnvironmentBinder.ModelBucketKeys[p.PropertyPath]}", p.Reason)));
        }

        var tenants = config.Values.TryGetValue("tenants", out var t) && t is JsonArray list ? list : [];
        for (var i = 0; i < tenants.Count; i++)
        {
            var tenant = (JsonObject)tenants[i]!;
            var quota = (JsonObject)tenant["quota"]!;
            var allowFrom = EnvironmentBinder.TenantAllowFrom([.. (tenant["allowFrom"] as JsonArray ?? []).Select(n => n!.GetValue<string>())]);
            var gpus = ImmutableSortedDictionary<string, int>.Empty;
            if (Int(quota, "gpu") is { } g)
            {
                gpus = gpus.Add("nvidia.com/gpu", g);
            }

            var spec = new NeoCloud.Infra.Core.Tenancy.TenantSpec(Str(tenant, "name")!, Str(tenant, "group")!, Str(quota, "cpu")!, Str(quota, "memory")!, owner)
            {
                GpuQuota = gpus,
                PersistentVolumeClaims = Int(quota, "persistentVolumeClaims") ?? 10,
                Paths = new TenantPaths([.. allowFrom.Namespaces.Select(n => n.Value)], [.. allowFrom.Cidrs.Select(c => c.Value)], [], []),
            };
            component.AddRange(TenantPlanner.Validate(spec).Select(p =>
                ($"neocloud:tenants[{i}].{EnvironmentBinder.TenantKeys.GetValueOrDefault(p.PropertyPath) ?? EnvironmentBinder.TenantKey(p.PropertyPath, allowFrom.Namespaces, allowFrom.Cidrs)}", p.Reason)));
        }

        // Every binder error of these sections comes from the component's rule, word for word; cross-references
        // (an allowFrom namespace the stack does not have) are the binder's own and not in these fixtures.
        Assert.Equal(binder.Order(), component.Order());
    }

    private static string? Str(JsonObject o, string key) => o[key]?.GetValue<string>();

    private static int? Int(JsonObject o, string key) => o[key] is JsonValue v ? checked((int)v.GetValue<long>()) : null;
}

/// <summary>The storage and tenants sections on the prod stack: each planner rule lands at its key with the planner's reason.</summary>
public sealed class StorageTenantsSectionTests
{
    [Theory]
    [InlineData("      bucket: models\n", "      bucket: Models_1\n", "neocloud:storage.onprem.bucket", "\"Models_1\" is not an S3 bucket name")]
    [InlineData("      syncSchedule: \"*/15 * * * *\"\n", "      syncSchedule: \"every 15 minutes\"\n", "neocloud:storage.onprem.syncSchedule", "is not a cron schedule of five fields")]
    [InlineData("      region: us-east-1\n      replicaRegion: us-west-2\n", "      region: us-east-1\n      replicaRegion: mars-2\n", "neocloud:storage.modelBucket.replicaRegion", "\"mars-2\" is not an AWS region name")]
    [InlineData("      checkpointExpiryDays: 90\n", "", "neocloud:storage.modelBucket.checkpointExpiryDays", "is required when CheckpointPrefix is set")]
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
