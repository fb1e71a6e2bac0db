using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// The tenant admission policies the prod stack registers: one ValidatingAdmissionPolicy + binding per tenant namespace per
/// cluster, each the Core plan of that tenant's pools on that cluster (whose CEL the Core suite evaluates), and each
/// deserializing strictly into the KubernetesClient model of its kind.
/// </summary>
public sealed class AdmissionPolicyTests
{
    [Fact]
    public async Task Each_tenant_namespace_gets_the_Core_plan_of_its_pools_on_its_cluster()
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));
        var run = await StackRun.StackAsync("prod");
        var policies = run.Mocks.Resources.Where(r => r.Type == "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").ToList();
        var bindings = run.Mocks.Resources.Where(r => r.Type == "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding").ToList();
        var expected = env.Tenants.SelectMany(t => t.Clusters.Select(c => (Cluster: c, Tenant: t))).ToList();
        Assert.Equal(expected.Count, policies.Count);
        Assert.Equal(expected.Count, bindings.Count);

        var options = Strict();
        foreach (var (cluster, tenant) in expected)
        {
            var plan = TenantAdmissionPlanner.Plan(TenantPools.Admission(env, tenant, cluster));
            var policy = policies.Single(p => RegisteredManifests.ClusterOf(p, env) == cluster && (string)((IReadOnlyDictionary<string, object>)p.Inputs["metadata"])["name"] == plan.PolicyName);
            var manifest = RegisteredManifests.Manifest(policy);
            var model = JsonSerializer.Deserialize<V1ValidatingAdmissionPolicy>(manifest.ToJsonString(), options)!;
            Assert.Equal(plan.Validations.Select(v => v.Expression), model.Spec.Validations.Select(v => v.Expression));
            Assert.Equal(plan.Variables.Select(v => v.Expression), model.Spec.Variables.Select(v => v.Expression));

            var binding = bindings.Single(b => RegisteredManifests.ClusterOf(b, env) == cluster && (string)((IReadOnlyDictionary<string, object>)b.Inputs["metadata"])["name"] == plan.PolicyName);
            var bound = JsonSerializer.Deserialize<V1ValidatingAdmissionPolicyBinding>(RegisteredManifests.Manifest(binding).ToJsonString(), options)!;
            Assert.Equal(plan.PolicyName, bound.Spec.PolicyName);
            Assert.Equal(tenant.Name, bound.Spec.MatchResources.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        }

        // chat's quota grants whole GPUs and 2g.20gb slices: on the burst cluster the burst MIG pool and the whole-GPU
        // training pool, never a pool of the other cluster.
        var chatBurst = TenantPools.Admission(env, env.Tenants.Single(t => t.Name == "chat"), "burst");
        Assert.Equal(["burst-h100", "burst-train"], chatBurst.Pools.Select(p => p.Name));
    }

    private static JsonSerializerOptions Strict()
    {
        var options = new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        KubernetesJson.AddJsonOptions(o =>
        {
            foreach (var converter in o.Converters.Where(c => !options.Converters.Contains(c)))
            {
                options.Converters.Add(converter);
            }

            options.PropertyNamingPolicy = o.PropertyNamingPolicy;
            options.DefaultIgnoreCondition = o.DefaultIgnoreCondition;
        });
        return options;
    }

    [Fact]
    public void A_misspelt_policy_field_is_rejected_by_the_strict_model()
    {
        var plan = TenantAdmissionPlanner.Plan(new TenantAdmissionSpec("acme", []));
        var manifest = plan.PolicyManifest(System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty);
        _ = JsonSerializer.Deserialize<V1ValidatingAdmissionPolicy>(manifest.ToJsonString(), Strict());
        manifest["spec"]!["validations"]![0]!.AsObject().Add("expresion", "true");
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<V1ValidatingAdmissionPolicy>(manifest.ToJsonString(), Strict()));
        Assert.Contains("expresion", ex.Message, StringComparison.Ordinal);
        var binding = plan.BindingManifest(System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty);
        Assert.Equal(["Deny"], JsonSerializer.Deserialize<V1ValidatingAdmissionPolicyBinding>(binding.ToJsonString(), Strict())!.Spec.ValidationActions);
    }
}
