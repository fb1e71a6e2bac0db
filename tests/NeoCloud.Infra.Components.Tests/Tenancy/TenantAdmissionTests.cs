using System.Collections.Immutable;
using NeoCloud.Infra.Components.Tenancy;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Components.Tests.Tenancy;

/// <summary><see cref="TenantArgs.Admission"/>: the ValidatingAdmissionPolicy and binding as registered, from Core's plan.</summary>
public sealed class TenantAdmissionTests
{
    private static TenantArgs Args(TenantAdmissionArgs? admission) => new()
    {
        TenantName = "acme",
        Group = "acme-engineers",
        Environment = "prod",
        CostCenter = "acme",
        GpuQuota = new() { ["nvidia.com/mig-1g.10gb"] = 14 },
        CpuRequests = "64",
        MemoryRequests = "256Gi",
        Admission = admission,
    };

    private static TenantAdmissionArgs H100Mig() => new()
    {
        Pools =
        [
            new AdmissionPoolArgs
            {
                Name = "h100-mig",
                GpuResources = ["nvidia.com/mig-1g.10gb"],
                Taints = [new AdmissionTaintArgs { Key = "nvidia.com/gpu", Value = "true" }],
            },
            new AdmissionPoolArgs
            {
                Name = "l4-acme",
                GpuResources = ["nvidia.com/gpu"],
                Taints = [new AdmissionTaintArgs { Key = "nvidia.com/gpu", Value = "true" }, new AdmissionTaintArgs { Key = DedicatedPools.TaintKey, Value = "acme" }],
            },
        ],
    };

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    private static ImmutableArray<object> List(object o) => (ImmutableArray<object>)o;

    [Fact]
    public async Task The_policy_carries_every_rule_of_the_Core_plan_and_the_binding_denies_in_the_tenant_namespace_only()
    {
        Tenant? tenant = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => tenant = new Tenant("dc1-acme", Args(H100Mig())));
        var expected = TenantAdmissionPlanner.Plan(new TenantAdmissionSpec("acme",
        [
            new AdmissionPool("h100-mig", ["nvidia.com/mig-1g.10gb"], [Core.Gpu.GpuPoolPlanner.GpuTaint]),
            new AdmissionPool("l4-acme", ["nvidia.com/gpu"], [Core.Gpu.GpuPoolPlanner.GpuTaint, DedicatedPools.Taint("acme")]),
        ]));

        var policy = mocks.Single("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy");
        Assert.Equal("dc1-acme-admission", policy.Name);
        var metadata = Map(policy.Inputs["metadata"]);
        Assert.Equal("neocloud-tenant-acme", metadata["name"]);
        Assert.False(metadata.ContainsKey("namespace"));
        Assert.Equal("acme", Map(metadata["labels"])["neocloud.io/tenant"]);
        var spec = Map(policy.Inputs["spec"]);
        Assert.Equal("Fail", spec["failurePolicy"]);
        var rule = Map(Assert.Single(List(Map(spec["matchConstraints"])["resourceRules"])));
        Assert.Equal(["CREATE", "UPDATE"], List(rule["operations"]).Cast<string>());
        Assert.Equal(["pods", "pods/ephemeralcontainers"], List(rule["resources"]).Cast<string>());
        Assert.Equal(expected.Variables.Select(v => (v.Name, v.Expression)), List(spec["variables"]).Select(Map).Select(v => ((string)v["name"], (string)v["expression"])));
        Assert.Equal(expected.Validations.Select(v => (v.Expression, v.Message, v.Reason)), List(spec["validations"]).Select(Map).Select(v => ((string)v["expression"], (string)v["message"], (string)v["reason"])));
        Assert.Contains("'l4-acme': ['nvidia.com/gpu']", (string)List(spec["variables"]).Select(Map).Single(v => (string)v["name"] == "poolResources")["expression"], StringComparison.Ordinal);

        var binding = mocks.Single("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding");
        var bindingSpec = Map(binding.Inputs["spec"]);
        Assert.Equal("neocloud-tenant-acme", bindingSpec["policyName"]);
        Assert.Equal(["Deny"], List(bindingSpec["validationActions"]).Cast<string>());
        Assert.Equal("acme", Map(Map(Map(bindingSpec["matchResources"])["namespaceSelector"])["matchLabels"])["kubernetes.io/metadata.name"]);
        Assert.Equal("neocloud-tenant-acme", await PulumiTest.ValueAsync(tenant!.AdmissionPolicyName));
    }

    [Fact]
    public async Task Without_admission_there_is_no_policy()
    {
        Tenant? tenant = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => tenant = new Tenant("acme", Args(null)));
        Assert.Empty(mocks.OfType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"));
        Assert.Empty(mocks.OfType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding"));
        Assert.Null(await PulumiTest.ValueAsync(tenant!.AdmissionPolicyName));
    }

    [Fact]
    public async Task Bad_pools_fail_at_their_args_paths_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new Tenant("acme", Args(new TenantAdmissionArgs
            {
                Pools =
                [
                    new AdmissionPoolArgs { Name = "H100", GpuResources = ["amd.com/gpu"] },
                    new AdmissionPoolArgs { Name = "l4", Taints = [new AdmissionTaintArgs { Key = DedicatedPools.TaintKey, Value = "other" }] },
                ],
            })));
            Assert.Equal(["Admission.Pools[0].Name", "Admission.Pools[0].GpuResources", "Admission.Pools[1].Taints[0].Value"], error.Problems.Select(p => p.PropertyPath));
            Assert.Contains("dedicated to \"other\"", error.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }
}
