using System.Collections.Immutable;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Tenancy;

/// <summary>Every rule of <see cref="TenantPlanner.Validate"/>: each case breaks one rule and expects exactly its path.</summary>
public sealed class TenantPlannerTests
{
    private static TenantSpec Valid() => new("acme", "acme-eng", "64", "256Gi", new OwnershipSpec("prod", "acme"))
    {
        GpuQuota = ImmutableSortedDictionary<string, int>.Empty.Add("nvidia.com/gpu", 8),
        ClusterGpuCapacity = ImmutableSortedDictionary<string, int>.Empty.Add("nvidia.com/gpu", 16),
        IngressNamespaces = ["monitoring"],
        ModelStore = new ModelStoreService("rook-ceph", ImmutableSortedDictionary<string, string>.Empty.Add("app", "rook-ceph-rgw"), 8080),
        ModelStoreCidrs = ["10.0.128.0/24"],
        KubeApiCidrs = ["10.0.0.0/28"],
        Paths = new TenantPaths(["research"], ["10.20.0.0/16"], ["search"], [TenantPaths.VectorDb]),
    };

    public static TheoryData<string, Func<TenantSpec, TenantSpec>> Broken() => new()
    {
        { "TenantName", s => s with { TenantName = null! } },
        { "TenantName", s => s with { TenantName = "Acme_1" } },
        { "TenantName", s => s with { TenantName = "kube-system" } },
        { "Group", s => s with { Group = " " } },
        { "PodSecurity", s => s with { PodSecurity = "privileged" } },
        { "GpuQuota[\"nvidia.com/tpu\"]", s => s with { GpuQuota = s.GpuQuota.Add("nvidia.com/tpu", 1) } },
        { "GpuQuota[\"nvidia.com/gpu\"]", s => s with { GpuQuota = s.GpuQuota.SetItem("nvidia.com/gpu", -2) } },
        { "GpuQuota[\"nvidia.com/gpu\"]", s => s with { GpuQuota = s.GpuQuota.SetItem("nvidia.com/gpu", 17) } },
        { "GpuQuota[\"nvidia.com/mig-1g.10gb\"]", s => s with { GpuQuota = s.GpuQuota.Add("nvidia.com/mig-1g.10gb", 1) } },
        { "CpuRequests", s => s with { CpuRequests = null! } },
        { "CpuRequests", s => s with { CpuRequests = "-1" } },
        { "CpuLimits", s => s with { CpuLimits = "lots" } },
        { "MemoryRequests", s => s with { MemoryRequests = "256 GB" } },
        { "MemoryLimits", s => s with { MemoryLimits = "1Zi" } },
        { "PersistentVolumeClaims", s => s with { PersistentVolumeClaims = -1 } },
        { "LoadBalancers", s => s with { LoadBalancers = -1 } },
        { "IngressNamespaces[0]", s => s with { IngressNamespaces = ["Monitoring"] } },
        { "Paths.AllowFromNamespaces[0]", s => s with { Paths = s.Paths with { AllowFromNamespaces = ["-x"] } } },
        { "Paths.AllowFromCidrs[0]", s => s with { Paths = s.Paths with { AllowFromCidrs = ["10.20.0.1/16"] } } },
        { "Paths.AllowToNamespaces[0]", s => s with { Paths = s.Paths with { AllowToNamespaces = [""] } } },
        { "Paths.Uses[0]", s => s with { Paths = s.Paths with { Uses = [TenantPaths.VectorDb with { Ports = [70000] }] } } },
        { "ModelStoreCidrs[0]", s => s with { ModelStoreCidrs = ["10.0.128.0"] } },
        { "KubeApiCidrs[0]", s => s with { KubeApiCidrs = ["10.0.0.0/33"] } },
        { "ModelStore.Namespace", s => s with { ModelStore = s.ModelStore! with { Namespace = "Rook" } } },
        { "ModelStore.Port", s => s with { ModelStore = s.ModelStore! with { Port = 0 } } },
        { "Environment", s => s with { Ownership = new OwnershipSpec("Prod", "acme") } },
        { "CostCenter", s => s with { Ownership = new OwnershipSpec("prod", null!) } },
    };

    [Fact]
    public void A_valid_spec_has_no_problem_and_plans()
    {
        Assert.Empty(TenantPlanner.Validate(Valid()));
        var plan = TenantPlanner.Plan(Valid() with { PodSecurity = "restricted", ModelBucketEgress = true });
        Assert.Equal(PodSecurityLevel.Restricted, plan.PodSecurity);
        Assert.True(plan.ModelBucketEgress);
        Assert.Equal("8", plan.QuotaHard()["requests.nvidia.com/gpu"]);
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Each_rule_reports_its_property_path(string path, Func<TenantSpec, TenantSpec> breakIt)
    {
        var problem = Assert.Single(TenantPlanner.Validate(breakIt(Valid())));
        Assert.Equal(path, problem.PropertyPath);
        Assert.False(string.IsNullOrWhiteSpace(problem.Reason));
    }

    [Fact]
    public void Over_capacity_counts_a_missing_resource_as_zero()
    {
        var spec = Valid() with { GpuQuota = Valid().GpuQuota.Add("nvidia.com/mig-1g.10gb", 1) };
        Assert.Contains("capacity of 0", Assert.Single(TenantPlanner.Validate(spec)).Reason, StringComparison.Ordinal);
        Assert.Empty(TenantPlanner.Validate(spec with { ClusterGpuCapacity = null }));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var spec = Valid() with { TenantName = "X", Group = "", CpuRequests = "x", PodSecurity = "none" };
        Assert.Equal(["TenantName", "Group", "PodSecurity", "CpuRequests"], TenantPlanner.Validate(spec).Select(p => p.PropertyPath));
    }

    [Fact]
    public void Extra_tags_label_every_object_without_overriding_the_library_keys()
    {
        var plan = TenantPlanner.Plan(Valid() with { Ownership = new OwnershipSpec("prod", "acme", ImmutableSortedDictionary<string, string>.Empty.Add("team", "ml")) });
        var labels = plan.Labels("quota");
        Assert.Equal("ml", labels["team"]);
        Assert.Equal("acme", labels[ResourceLabels.Tenant]);
    }
}
