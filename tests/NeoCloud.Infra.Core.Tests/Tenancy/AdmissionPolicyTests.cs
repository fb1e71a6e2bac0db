using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cel;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Tenancy;

/// <summary>
/// The tenant admission policy's CEL, evaluated by a CEL implementation (telus-oss/cel-net, NuGet <c>Cel</c> 0.3.3), and the
/// same rules' C# evaluation, against the same allowed and denied pods (Fixtures/admission/pods.json). The expressions use
/// standard CEL only (macros, <c>has</c>, <c>in</c>, <c>startsWith</c>, <c>matches</c>), so no Kubernetes-only library
/// function is left untested; <c>variables.*</c> is evaluated first, as the API server does.
/// </summary>
public sealed class AdmissionPolicyTests
{
    private static readonly JsonObject Fixtures = (JsonObject)JsonNode.Parse(File.ReadAllText(RepoFiles.Fixture("admission", "pods.json")))!;

    private static TenantAdmissionSpec Spec { get; } = new(
        (string)Fixtures["tenant"]!,
        [.. Fixtures["pools"]!.AsArray().Select(p => new AdmissionPool(
            (string)p!["name"]!,
            [.. p["gpuResources"]!.AsArray().Select(r => (string)r!)],
            [.. p["taints"]!.AsArray().Select(t => new NodeTaint((string)t!["key"]!, (string)t["value"]!, TaintEffect.NoSchedule))]))]);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixtures["cases"]!.AsArray())
        {
            data.Add((string)c!["name"]!);
        }

        return data;
    }

    private static (JsonObject Pod, ImmutableSortedSet<string> Denied) Case(string name)
    {
        var c = Fixtures["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
        return ((JsonObject)c["pod"]!, [.. c["denied"]!.AsArray().Select(d => (string)d!)]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_CEL_denies_exactly_the_expected_rules(string name)
    {
        var (pod, expected) = Case(name);
        Assert.Equal(expected, CelDenied(pod, TenantAdmissionPlanner.Plan(Spec)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_CSharp_rules_deny_exactly_the_expected_rules(string name)
    {
        var (pod, expected) = Case(name);
        var denied = PodAdmissionRules.Evaluate(pod, Spec);
        Assert.Equal(expected, denied.Select(d => d.Rule).ToImmutableSortedSet());
        Assert.All(denied, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
    }

    [Fact]
    public void The_fixtures_cover_every_rule_allowed_and_denied()
    {
        var denied = Fixtures["cases"]!.AsArray().SelectMany(c => c!["denied"]!.AsArray().Select(d => (string)d!)).ToHashSet();
        Assert.Equal(PodAdmissionRules.All.Select(r => r.Name).ToHashSet(), denied);
        Assert.Contains(Fixtures["cases"]!.AsArray(), c => c!["denied"]!.AsArray().Count == 0);
    }

    [Fact]
    public void A_tenant_with_no_GPU_pool_may_request_no_GPU_and_tolerate_no_GPU_taint()
    {
        var none = new TenantAdmissionSpec("team-c", []);
        var (pod, _) = Case("serving pod on a permitted MIG pool");
        pod = (JsonObject)pod.DeepClone();
        pod["metadata"]!["labels"]!["neocloud.io/tenant"] = "team-c";
        var plan = TenantAdmissionPlanner.Plan(none);
        Assert.Equal(["gpu-pools", "tolerations"], CelDenied(pod, plan));
        Assert.Equal(["gpu-pools", "tolerations"], PodAdmissionRules.Evaluate(pod, none).Select(d => d.Rule).Order());
        Assert.Contains("may use no GPU pool", plan.Validations.Single(v => v.Rule == "gpu-pools").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nvcr.io/nvidia/tritonserver:26.10-py3", true)]
    [InlineData("tritonserver@sha256:abc", true)]
    [InlineData("img:a:latest", true)]
    [InlineData("localhost:5000/img:v1@sha512:ff", true)]
    [InlineData("img", false)]
    [InlineData("img:", false)]
    [InlineData("img:Latest", false)]
    [InlineData("a/b/c:latest", false)]
    [InlineData("localhost:5000/img", false)]
    public void Image_pinning_agrees_in_CEL_and_CSharp(string image, bool pinned)
    {
        Assert.Equal(pinned, PodAdmissionRules.ImageProblem(image) is null);
        var program = new CelEnvironment(null, null).Compile(PodAdmissionRules.ImagePinnedCel("image"));
        Assert.Equal(pinned, (bool)program.Invoke(new Dictionary<string, object?> { ["image"] = image })!);
    }

    [Fact]
    public void The_policy_and_binding_select_the_tenant_namespace_and_deny()
    {
        var plan = TenantAdmissionPlanner.Plan(Spec);
        var labels = ImmutableSortedDictionary<string, string>.Empty.Add("neocloud.io/tenant", "team-a");
        var policy = plan.PolicyManifest(labels);
        var binding = plan.BindingManifest(labels);
        Assert.Equal("neocloud-tenant-team-a", (string)policy["metadata"]!["name"]!);
        Assert.Equal("Fail", (string)policy["spec"]!["failurePolicy"]!);
        Assert.Equal(["pods", "pods/ephemeralcontainers"], policy["spec"]!["matchConstraints"]!["resourceRules"]![0]!["resources"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(PodAdmissionRules.All.Length, policy["spec"]!["validations"]!.AsArray().Count);
        Assert.Equal("neocloud-tenant-team-a", (string)binding["spec"]!["policyName"]!);
        Assert.Equal(["Deny"], binding["spec"]!["validationActions"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("team-a", (string)binding["spec"]!["matchResources"]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!);
    }

    [Fact]
    public void Validate_names_each_broken_field()
    {
        var broken = new TenantAdmissionSpec("Team_A",
        [
            new AdmissionPool("h100", ["nvidia.com/tpu"], [DedicatedPools.Taint("team-b")]),
            new AdmissionPool("h100", [], [new NodeTaint("node.kubernetes.io/not-ready", "", TaintEffect.NoExecute)]),
        ]);
        var paths = TenantAdmissionPlanner.Validate(broken).Select(p => p.PropertyPath).ToList();
        Assert.Equal(["TenantName", "Pools[0].GpuResources", "Pools[0].Taints[0].Value", "Pools[1].Name", "Pools[1].Taints[0].Key"], paths);
        Assert.Empty(TenantAdmissionPlanner.Validate(Spec));
    }

    /// <summary>The rules whose validation expression is false for <paramref name="pod"/>, evaluated as the API server does.</summary>
    internal static ImmutableSortedSet<string> CelDenied(JsonObject pod, TenantAdmissionPlan plan)
    {
        var cel = new CelEnvironment(null, null);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        var activation = new Dictionary<string, object?>(StringComparer.Ordinal) { ["object"] = ToCel(pod), ["variables"] = variables };
        foreach (var v in plan.Variables)
        {
            variables[v.Name] = cel.Compile(v.Expression).Invoke(activation);
        }

        return [.. plan.Validations.Where(v => cel.Compile(v.Expression).Invoke(activation) is not true).Select(v => v.Rule)];
    }

    /// <summary>JSON as the CEL evaluator's values: objects → maps with string keys, arrays → lists.</summary>
    internal static object? ToCel(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => ToCel(kv.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(ToCel).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<double>(),
        _ => null,
    };
}
