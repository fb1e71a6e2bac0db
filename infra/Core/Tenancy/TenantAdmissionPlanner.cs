using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>A CEL variable of the policy (<c>spec.variables[]</c>), read by the validations as <c>variables.&lt;name&gt;</c>.</summary>
public sealed record AdmissionVariable(string Name, string Expression);

/// <summary>A validation of the policy (<c>spec.validations[]</c>): the rule's CEL, its static message and status reason.</summary>
public sealed record AdmissionValidation(string Rule, string Expression, string Message, string Reason);

/// <summary>
/// The ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding of one tenant namespace
/// (<c>admissionregistration.k8s.io/v1</c>, GA in Kubernetes 1.30; fields checked against kubernetes/api
/// <c>admissionregistration/v1/types.go</c> at v0.30.0 and 10b39a39b: <c>matchConstraints.resourceRules</c>, <c>variables</c>,
/// <c>validations[].{expression,message,reason}</c>, <c>failurePolicy</c>; binding <c>policyName</c>,
/// <c>matchResources.namespaceSelector</c>, <c>validationActions</c>). Pods only, like Pod Security admission: a controller
/// whose template breaks a rule is created, and its pods are refused (<c>FailedCreate</c> events name the rule).
/// </summary>
/// <param name="PolicyName">Name of both objects (cluster-scoped): <c>neocloud-tenant-&lt;tenant&gt;</c>.</param>
/// <param name="Namespace">The tenant namespace the binding selects (by <see cref="TenantPlan.NamespaceNameLabel"/>).</param>
/// <param name="Variables">The policy's variables, in order.</param>
/// <param name="Validations">One validation per rule of <see cref="PodAdmissionRules.All"/>.</param>
public sealed record TenantAdmissionPlan(string PolicyName, string Namespace, ImmutableArray<AdmissionVariable> Variables, ImmutableArray<AdmissionValidation> Validations)
{
    /// <summary>API version of both objects.</summary>
    public const string ApiVersion = "admissionregistration.k8s.io/v1";

    /// <summary>Operations checked: creating a pod and changing one (tolerations can be added, images replaced).</summary>
    public static readonly ImmutableArray<string> Operations = ["CREATE", "UPDATE"];

    /// <summary>Resources checked: pods and the ephemeral-containers subresource (<c>kubectl debug</c>).</summary>
    public static readonly ImmutableArray<string> Resources = ["pods", "pods/ephemeralcontainers"];

    /// <summary>The policy fails closed: a CEL error or timeout refuses the pod.</summary>
    public const string FailurePolicy = "Fail";

    /// <summary>The binding denies (not only warns or audits).</summary>
    public static readonly ImmutableArray<string> ValidationActions = ["Deny"];

    /// <summary>The ValidatingAdmissionPolicy as its Kubernetes JSON (the strict schema check and the manifest inventory read it).</summary>
    public JsonObject PolicyManifest(ImmutableSortedDictionary<string, string> labels) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "ValidatingAdmissionPolicy",
        ["metadata"] = new JsonObject { ["name"] = PolicyName, ["labels"] = Map(labels) },
        ["spec"] = new JsonObject
        {
            ["failurePolicy"] = FailurePolicy,
            ["matchConstraints"] = new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = Array([string.Empty]),
                    ["apiVersions"] = Array(["v1"]),
                    ["operations"] = Array(Operations),
                    ["resources"] = Array(Resources),
                }),
            },
            ["variables"] = new JsonArray([.. Variables.Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["expression"] = v.Expression })]),
            ["validations"] = new JsonArray([.. Validations.Select(v => (JsonNode)new JsonObject { ["expression"] = v.Expression, ["message"] = v.Message, ["reason"] = v.Reason })]),
        },
    };

    /// <summary>The ValidatingAdmissionPolicyBinding as its Kubernetes JSON.</summary>
    public JsonObject BindingManifest(ImmutableSortedDictionary<string, string> labels) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "ValidatingAdmissionPolicyBinding",
        ["metadata"] = new JsonObject { ["name"] = PolicyName, ["labels"] = Map(labels) },
        ["spec"] = new JsonObject
        {
            ["policyName"] = PolicyName,
            ["validationActions"] = Array(ValidationActions),
            ["matchResources"] = new JsonObject
            {
                ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [TenantPlan.NamespaceNameLabel] = Namespace } },
            },
        },
    };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonObject Map(ImmutableSortedDictionary<string, string> labels) => new([.. labels.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]);
}

/// <summary>Validates a <see cref="TenantAdmissionSpec"/> and plans its policy; the same rules <see cref="PodAdmissionRules"/> evaluate in C#.</summary>
public static class TenantAdmissionPlanner
{
    /// <summary>The policy's variables for <paramref name="spec"/>: the containers, the selected pool and the tenant's pools' GPU resources.</summary>
    public static ImmutableArray<AdmissionVariable> Variables(TenantAdmissionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return
        [
            new("containers", "(has(object.spec.initContainers) ? object.spec.initContainers : []) + object.spec.containers"),
            new("ephemeralContainers", "has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : []"),
            new("pool", $"has(object.spec.nodeSelector) && {PodAdmissionRule.Quote(ResourceLabels.Pool)} in object.spec.nodeSelector ? object.spec.nodeSelector[{PodAdmissionRule.Quote(ResourceLabels.Pool)}] : ''"),
            new("poolResources", PodAdmissionRules.GpuPools.PoolResourcesCel(spec)),
        ];
    }

    /// <summary>Every problem of <paramref name="spec"/> as (property path, reason).</summary>
    public static ImmutableArray<SpecProblem> Validate(TenantAdmissionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.Require(KubernetesNames.IsDnsLabel(spec.TenantName), "TenantName", $"\"{spec.TenantName}\" is not {KubernetesNames.DnsLabelRule}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.Pools.IsDefault ? 0 : spec.Pools.Length); i++)
        {
            var pool = spec.Pools[i];
            problems.Require(KubernetesNames.IsDnsLabel(pool.Name), $"Pools[{i}].Name", $"\"{pool.Name}\" is not {KubernetesNames.DnsLabelRule}");
            problems.Require(names.Add(pool.Name), $"Pools[{i}].Name", $"duplicate pool \"{pool.Name}\"");
            foreach (var resource in pool.GpuResources.Where(r => !PodAdmissionRules.IsGpuResource(r)))
            {
                problems.Add($"Pools[{i}].GpuResources", $"\"{resource}\" is not a GPU resource (nvidia.com/gpu or nvidia.com/mig-<profile>)");
            }

            for (var j = 0; j < pool.Taints.Length; j++)
            {
                var t = pool.Taints[j];
                problems.Require(t.Key.Length > 0 && !t.Key.StartsWith(PodAdmissionRules.NodeConditionTaintPrefix, StringComparison.Ordinal), $"Pools[{i}].Taints[{j}].Key", $"\"{t.Key}\" is empty or a node-condition taint ({PodAdmissionRules.NodeConditionTaintPrefix}*)");
                problems.Require(t.Key != DedicatedPools.TaintKey || t.Value == spec.TenantName, $"Pools[{i}].Taints[{j}].Value", $"pool \"{pool.Name}\" is dedicated to \"{t.Value}\", not to tenant \"{spec.TenantName}\"");
            }
        }

        return problems.ToImmutable();
    }

    /// <summary>The policy and binding of a valid spec.</summary>
    public static TenantAdmissionPlan Plan(TenantAdmissionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TenantAdmissionPlan(
            PolicyName(spec.TenantName),
            spec.TenantName,
            Variables(spec),
            [.. PodAdmissionRules.All.Select(r => new AdmissionValidation(r.Name, r.Cel(spec), r.Message(spec), r.Reason))]);
    }

    /// <summary>The name of a tenant's policy and binding.</summary>
    public static string PolicyName(string tenant) => "neocloud-tenant-" + tenant;
}
