using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Policy;

namespace NeoCloud.Infra.Plan.Tests;

/// <summary>The failing paths of Core's ConfigChecks, on prod models altered after binding (the binder rejects most of these first).</summary>
public sealed class ConfigChecksTests
{
    private static readonly Lazy<EnvironmentModel> Prod = new(() => Bind("prod"));

    [Fact]
    public void Valid_prod_passes_every_check()
    {
        var verdicts = ConfigChecks.All(Prod.Value);

        Assert.All(verdicts, v => Assert.Equal(CheckStatus.Pass, v.Status));
        Assert.Equal(ConfigChecks.PolicyNames, verdicts.Select(v => v.Policy).Distinct());
    }

    [Fact]
    public void An_invalid_mig_config_fails_mig_config_valid_for_gpu()
    {
        var pools = Prod.Value.GpuPools.Select(p => p.Name == "h100-mig" ? p with { Mig = p.Mig! with { ConfigName = "all-2g.10gb" } } : p);

        var verdict = ConfigChecks.CheckMigConfigValidForGpu(Prod.Value with { GpuPools = [.. pools] }).Single(v => v.Subject == "pool/h100-mig");

        Assert.Equal(CheckStatus.Fail, verdict.Status);
        Assert.Contains("\"all-2g.10gb\" is not a MIG config of H100-SXM5-80GB", verdict.Message);
    }

    [Fact]
    public void A_resource_the_pool_does_not_offer_fails_offered_and_scaledobject_checks()
    {
        var serving = Prod.Value.Serving.Select(s => s.Name == "embeddings" ? s with { Gpu = new GpuRequest(GpuRequestKind.Mig, "7g.80gb", "nvidia.com/mig-7g.80gb") } : s);
        var env = Prod.Value with { Serving = [.. serving] };

        var offered = ConfigChecks.CheckGpuResourceOfferedByPool(env).Single(v => v.Subject == "serving/embeddings");
        var scaled = ConfigChecks.CheckScaledObjectFitsPoolCapacity(env).Single(v => v.Subject == "serving/embeddings");

        Assert.Equal(CheckStatus.Fail, offered.Status);
        Assert.Contains("does not offer nvidia.com/mig-7g.80gb; it offers nvidia.com/mig-1g.10gb", offered.Message);
        Assert.Equal(CheckStatus.Fail, scaled.Status);
    }

    [Fact]
    public void Prod_only_checks_fail_in_prod_and_do_not_apply_in_dev()
    {
        var storage = Prod.Value.Storage with { ModelBucket = Prod.Value.Storage.ModelBucket! with { ReplicaRegion = "us-east-1" } };
        var env = Prod.Value with { Storage = storage, VectorDb = Prod.Value.VectorDb! with { Replicas = 2 } };
        var dev = Bind("dev");

        Assert.Equal(CheckStatus.Fail, ConfigChecks.CheckBucketsReplicatedInProd(env).Single(v => v.Subject == "bucket/neocloud-models").Status);
        Assert.Equal(CheckStatus.Fail, Assert.Single(ConfigChecks.CheckVectorDbReplicatedInProd(env)).Status);
        Assert.Equal(CheckStatus.NotApplicable, Assert.Single(ConfigChecks.CheckBucketsReplicatedInProd(dev)).Status);
        Assert.Equal(CheckStatus.NotApplicable, Assert.Single(ConfigChecks.CheckVectorDbReplicatedInProd(dev)).Status);
        Assert.True(ConfigChecks.IsProduction(Prod.Value));
        Assert.False(ConfigChecks.IsProduction(dev));
    }

    [Fact]
    public void A_tenant_without_cpu_quota_and_a_deployment_outside_any_tenant_fail()
    {
        var tenants = Prod.Value.Tenants.Select(t => t.Name == "search" ? t with { Quota = t.Quota with { Cpu = "" } } : t);
        var serving = Prod.Value.Serving.Select(s => s.Name == "reranker" ? s with { Tenant = "nobody" } : s);

        var verdicts = ConfigChecks.CheckTenantHasQuotaAndDefaultDeny(Prod.Value with { Tenants = [.. tenants], Serving = [.. serving] });

        Assert.Equal(CheckStatus.Fail, verdicts.Single(v => v.Subject == "tenant/search").Status);
        Assert.Equal(CheckStatus.Fail, verdicts.Single(v => v.Subject == "serving/reranker").Status);
        Assert.Equal(CheckStatus.Pass, verdicts.Single(v => v.Subject == "tenant/chat").Status);
    }

    private static EnvironmentModel Bind(string stack) =>
        EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(Path.Combine(PlanRun.Root, $"Pulumi.{stack}.yaml")));
}
