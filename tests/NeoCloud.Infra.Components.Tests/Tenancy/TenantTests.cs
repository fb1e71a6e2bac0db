using System.Collections.Immutable;
using NeoCloud.Infra.Components.Tenancy;
using NeoCloud.Infra.Components.Tests.Testing;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Tenancy;

public sealed class TenantTests
{
    private static TenantArgs Args(Action<TenantArgs>? change = null)
    {
        var args = new TenantArgs
        {
            TenantName = "acme",
            Group = "acme-engineers",
            Environment = "prod",
            CostCenter = "acme",
            GpuQuota = new() { ["nvidia.com/gpu"] = 8, ["nvidia.com/mig-1g.10gb"] = 14, ["nvidia.com/mig-3g.40gb"] = 4 },
            CpuRequests = "64",
            MemoryRequests = "256Gi",
            ClusterGpuCapacity = new() { ["nvidia.com/gpu"] = 16, ["nvidia.com/mig-1g.10gb"] = 56, ["nvidia.com/mig-3g.40gb"] = 16 },
            IngressNamespaces = ["ingress-nginx", "monitoring"],
            ModelStore = new ModelStoreArgs { Namespace = "rook-ceph", PodLabels = new() { ["app"] = "rook-ceph-rgw" }, Port = 8080 },
            ModelStoreCidrs = ["10.0.128.0/24"],
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    private static ImmutableArray<object> List(object o) => (ImmutableArray<object>)o;

    [Fact]
    public async Task Namespace_carries_pod_security_and_cost_labels()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        var ns = mocks.Single("kubernetes:core/v1:Namespace");
        var labels = Map(Map(ns.Inputs["metadata"])["labels"]);
        Assert.Equal("acme", Map(ns.Inputs["metadata"])["name"]);
        Assert.Equal("baseline", labels["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/warn"]);
        Assert.Equal("acme", labels["neocloud.io/tenant"]);
        Assert.Equal("prod", labels["neocloud.io/environment"]);
        Assert.Equal("acme", labels["neocloud.io/cost-center"]);
    }

    [Fact]
    public async Task Quota_limits_gpus_each_mig_profile_cpu_memory_and_pvcs()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        var hard = Map(Map(mocks.Single("kubernetes:core/v1:ResourceQuota").Inputs["spec"])["hard"]);
        Assert.Equal("8", hard["requests.nvidia.com/gpu"]);
        Assert.Equal("14", hard["requests.nvidia.com/mig-1g.10gb"]);
        Assert.Equal("4", hard["requests.nvidia.com/mig-3g.40gb"]);
        Assert.Equal("64", hard["requests.cpu"]);
        Assert.Equal("256Gi", hard["requests.memory"]);
        Assert.Equal("10", hard["persistentvolumeclaims"]);
        Assert.Equal("0", hard["services.loadbalancers"]);
        var limit = Map(Assert.Single(List(Map(mocks.Single("kubernetes:core/v1:LimitRange").Inputs["spec"])["limits"])));
        Assert.Equal("Container", limit["type"]);
        Assert.Equal("100m", Map(limit["defaultRequest"])["cpu"]);
    }

    [Fact]
    public async Task Default_deny_covers_every_pod_both_directions_with_no_rules()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        var policies = mocks.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        var deny = policies.Single(p => (string)Map(p.Inputs["metadata"])["name"] == "default-deny");
        var spec = Map(deny.Inputs["spec"]);
        Assert.Empty(Map(spec["podSelector"]));
        Assert.Equal(["Ingress", "Egress"], List(spec["policyTypes"]).Cast<string>());
        Assert.False(spec.ContainsKey("ingress") && List(spec["ingress"]).Length > 0);
        Assert.False(spec.ContainsKey("egress") && List(spec["egress"]).Length > 0);
        Assert.All(policies, p => Assert.Equal("acme", Map(p.Inputs["metadata"])["namespace"]));
    }

    [Fact]
    public async Task Allowances_dns_same_namespace_ingress_namespaces_and_model_store()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        var byName = mocks.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy").ToDictionary(p => (string)Map(p.Inputs["metadata"])["name"], p => Map(p.Inputs["spec"]));
        Assert.Equal(["allow-dns", "allow-ingress-namespaces", "allow-model-store", "allow-same-namespace", "default-deny"], byName.Keys.Order());

        var dns = Map(Assert.Single(List(byName["allow-dns"]["egress"])));
        var dnsPeer = Map(Assert.Single(List(dns["to"])));
        Assert.Equal("kube-system", Map(Map(dnsPeer["namespaceSelector"])["matchLabels"])["kubernetes.io/metadata.name"]);
        Assert.Equal("kube-dns", Map(Map(dnsPeer["podSelector"])["matchLabels"])["k8s-app"]);
        Assert.Equal(["TCP:53", "UDP:53"], List(dns["ports"]).Select(Map).Select(p => $"{p["protocol"]}:{p["port"]}").Order());

        var ingress = Map(Assert.Single(List(byName["allow-ingress-namespaces"]["ingress"])));
        Assert.Equal(["ingress-nginx", "monitoring"], List(ingress["from"]).Select(Map).Select(p => (string)Map(Map(p["namespaceSelector"])["matchLabels"])["kubernetes.io/metadata.name"]).Order());

        var store = List(byName["allow-model-store"]["egress"]).Select(Map).ToArray();
        Assert.Equal(2, store.Length);
        Assert.Equal("rook-ceph-rgw", Map(Map(Map(List(store[0]["to"])[0])["podSelector"])["matchLabels"])["app"]);
        Assert.Equal("10.0.128.0/24", Map(Map(List(store[1]["to"])[0])["ipBlock"])["cidr"]);
        Assert.DoesNotContain("allow-kube-api", byName.Keys);
    }

    [Fact]
    public async Task Role_is_bound_to_the_group_and_cannot_list_secrets_or_edit_policies()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        var rules = List(mocks.Single("kubernetes:rbac.authorization.k8s.io/v1:Role").Inputs["rules"]).Select(Map).ToArray();
        var secrets = rules.Single(r => List(r["resources"]).Contains("secrets"));
        Assert.DoesNotContain("list", List(secrets["verbs"]));
        Assert.DoesNotContain("watch", List(secrets["verbs"]));
        var policies = rules.Single(r => List(r["resources"]).Contains("networkpolicies"));
        Assert.Equal(["get", "list", "watch"], List(policies["verbs"]).Cast<string>());
        var binding = mocks.Single("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
        var subject = Map(Assert.Single(List(binding.Inputs["subjects"])));
        Assert.Equal("Group", subject["kind"]);
        Assert.Equal("acme-engineers", subject["name"]);
    }

    [Fact]
    public async Task Quota_over_capacity_negative_and_unknown_resources_fail_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new Tenant("acme", Args(a => a.GpuQuota = new()
            {
                ["nvidia.com/gpu"] = 17,
                ["nvidia.com/mig-1g.10gb"] = -1,
                ["nvidia.com/mig-9g.99gb"] = 1,
            })));
            Assert.Equal(3, error.Problems.Length);
            Assert.Contains(error.Problems, e => e.PropertyPath == "GpuQuota[\"nvidia.com/gpu\"]" && e.Reason.Contains("exceeds the cluster's capacity of 16", StringComparison.Ordinal));
            Assert.Contains(error.Problems, e => e.PropertyPath == "GpuQuota[\"nvidia.com/mig-1g.10gb\"]" && e.Reason.Contains("negative", StringComparison.Ordinal));
            Assert.Contains(error.Problems, e => e.PropertyPath == "GpuQuota[\"nvidia.com/mig-9g.99gb\"]" && e.Reason.Contains("not a GPU resource", StringComparison.Ordinal));
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Model_bucket_egress_opens_only_the_given_ranges_on_443_and_is_listed()
    {
        Tenant? tenant = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => tenant = new Tenant("dc1-acme", Args(a => a.ModelBucketEgressCidrs = new InputList<string> { "52.216.0.0/15", "3.5.0.0/19" })));
        Assert.Equal("allow-model-bucket-egress", (await PulumiTest.ValueAsync(tenant!.NetworkPolicyNames))[^1]);
        var policy = mocks.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy").Single(p => p.Name == "dc1-acme-model-bucket-egress");
        var metadata = Map(policy.Inputs["metadata"]);
        Assert.Equal("allow-model-bucket-egress", metadata["name"]);
        Assert.Equal("acme", metadata["namespace"]);
        Assert.Equal("acme", Map(metadata["labels"])["neocloud.io/tenant"]);
        var spec = Map(policy.Inputs["spec"]);
        Assert.Equal(["Egress"], List(spec["policyTypes"]).Cast<string>());
        var rule = Map(Assert.Single(List(spec["egress"])));
        Assert.Equal(["3.5.0.0/19", "52.216.0.0/15"], List(rule["to"]).Select(Map).Select(p => (string)Map(p["ipBlock"])["cidr"]).Order());
        Assert.Equal("TCP:443", List(rule["ports"]).Select(Map).Select(p => $"{p["protocol"]}:{p["port"]}").Single());
    }

    [Fact]
    public async Task Without_ranges_there_is_no_model_bucket_egress()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        Assert.DoesNotContain(mocks.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy"), p => (string)Map(p.Inputs["metadata"])["name"] == "allow-model-bucket-egress");
    }

    [Fact]
    public async Task Args_problems_use_the_args_property_names_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new Tenant("acme", Args(a =>
            {
                a.TenantName = null!;
                a.PodSecurity = "privileged";
                a.CostCenter = "Acme";
                a.Paths = new TenantPathsArgs { AllowFromCidrs = ["10.20.0.1/16"] };
                a.ModelStore = new ModelStoreArgs { Namespace = "rook-ceph", Port = 0 };
            })));
            Assert.Equal(["TenantName", "PodSecurity", "Paths.AllowFromCidrs[0]", "ModelStore.Port", "CostCenter"], error.Problems.Select(p => p.PropertyPath));
            Assert.Contains("TenantArgs.TenantName: is required", error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<ArgumentException>(error);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task Type_token_is_the_index_token()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Tenant("acme", Args()));
        Assert.Single(mocks.OfType("neocloud:index:Tenant"));
        Assert.Equal("neocloud:tenancy:Tenant", Tenant.PreviousTypeToken);
    }
}
