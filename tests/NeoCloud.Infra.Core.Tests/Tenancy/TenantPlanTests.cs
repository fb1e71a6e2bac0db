using System.Collections.Immutable;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Tenancy;

public sealed class TenantPlanTests
{
    private static TenantPlan Plan(ImmutableSortedDictionary<string, int> gpus, Dictionary<string, int>? capacity = null) => new(
        "acme",
        "acme-eng",
        "prod",
        "acme",
        PodSecurityLevel.Baseline,
        new TenantQuotaSettings(gpus, "64", null, "256Gi", null, 10, 0),
        capacity,
        ["ingress-nginx"],
        null,
        [],
        []);

    [Fact]
    public void Every_catalog_mig_profile_is_a_known_resource()
    {
        Assert.Contains("nvidia.com/gpu", TenantPlan.KnownGpuResources);
        Assert.Contains("nvidia.com/mig-1g.10gb", TenantPlan.KnownGpuResources);
        Assert.Contains("nvidia.com/mig-7g.80gb", TenantPlan.KnownGpuResources);
    }

    [Fact]
    public void Quota_hard_uses_requests_prefix_for_gpu_resources()
    {
        var hard = Plan(ImmutableSortedDictionary<string, int>.Empty.Add("nvidia.com/mig-2g.20gb", 3)).QuotaHard();
        Assert.Equal("3", hard["requests.nvidia.com/mig-2g.20gb"]);
        Assert.Equal("0", hard["services.nodeports"]);
    }


    [Fact]
    public void Default_deny_comes_first_and_has_no_rules()
    {
        var deny = Plan(ImmutableSortedDictionary<string, int>.Empty).NetworkPolicies()[0];
        Assert.Equal("default-deny", deny.Name);
        Assert.Equal(new[] { PolicyDirection.Ingress, PolicyDirection.Egress }, deny.PolicyTypes.ToArray());
        Assert.Empty(deny.Ingress);
        Assert.Empty(deny.Egress);
    }

    [Fact]
    public void Role_never_lists_secrets()
    {
        var secrets = TenantPlan.RoleRules().Single(r => r.Resources.Contains("secrets"));
        Assert.DoesNotContain("list", secrets.Verbs);
        Assert.DoesNotContain(TenantPlan.RoleRules(), r => r.Verbs.Contains("*"));
    }
}
