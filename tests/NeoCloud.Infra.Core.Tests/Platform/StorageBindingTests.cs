using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

public sealed class StorageBindingTests
{
    private static PlatformInventory With(params PlatformStorageClass[] classes) => PlatformInventory.Empty with
    {
        Clusters = [new PlatformCluster("c", true, false)],
        StorageClasses = [.. classes],
        Claims = [new PlatformClaim("c", "db", "data", "gp3"), new PlatformClaim("c", "db", "scratch", null)],
    };

    [Fact]
    public void A_claim_binds_when_its_class_is_created_or_declared()
    {
        var created = StorageBinding.Evaluate(With(new PlatformStorageClass("c", "gp3", true, StorageClassOrigin.Created, "ebs.csi.aws.com")));
        var declared = StorageBinding.Evaluate(With(new PlatformStorageClass("c", "gp3", true, StorageClassOrigin.Declared)));

        Assert.All(created, v => Assert.True(v.Binds));
        Assert.Equal("StorageClass gp3 (created by the stack)", created[0].Reason);
        Assert.Equal("default StorageClass gp3 (declared pre-existing)", declared[1].Reason);
    }

    [Fact]
    public void A_claim_for_a_missing_class_and_one_without_a_default_do_not_bind()
    {
        var verdicts = StorageBinding.Evaluate(With(new PlatformStorageClass("c", "standard", false, StorageClassOrigin.Declared), new PlatformStorageClass("other", "gp3", true, StorageClassOrigin.Created)));

        Assert.Equal("StorageClass \"gp3\" does not exist on cluster c: nothing creates it and config does not declare it (known: standard)", verdicts[0].Reason);
        Assert.Equal("names no StorageClass and cluster c has no default StorageClass the stack creates or config declares", verdicts[1].Reason);
        Assert.All(verdicts, v => Assert.False(v.Binds));
    }

    [Fact]
    public void VolumeClaimTemplates_of_workloads_are_claims_too()
    {
        var inventory = PlatformInventory.Empty with
        {
            Workloads = [Fixtures.Workload("qdrant", "0", kind: "StatefulSet") with { ClaimTemplates = ["fast-ssd"] }],
        };
        var finding = Assert.Single(PlatformCheck.Run(inventory with { Clusters = [new PlatformCluster("c", false, false)] }).Findings);
        Assert.Equal(PlatformRule.Storage, finding.Rule);
        Assert.Equal("c/apps/qdrant", finding.Subject);
    }
}
