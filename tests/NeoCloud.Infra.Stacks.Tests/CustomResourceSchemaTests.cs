using System.Text.Json.Nodes;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// Strict schemas for the custom resources: every custom resource a checked-in stack registers is checked against the
/// model generated from its CRD (npm @kubernetes-models/keda 2.0.0 = KEDA v2.19.0 APIs; @kubernetes-models/prometheus-operator
/// 6.0.0; @kubernetes-models/gateway-api 2.0.0 for GatewayClass, Gateway, HTTPRoute, GRPCRoute), with unknown fields and wrong types rejected (crd-schemas/check.mjs says how). Kinds no package models are
/// listed in <see cref="NotCovered"/>, so a new unmodelled kind fails here instead of going unchecked silently.
/// </summary>
public sealed class CustomResourceSchemaTests
{
    /// <summary>Custom kinds the stacks register that no installed schema package models (no npm package exists for them).</summary>
    private static readonly HashSet<string> NotCovered =
    [
        "ceph.rook.io/v1 CephObjectStore",
        "objectbucket.io/v1alpha1 ObjectBucketClaim",

        // Envoy Gateway's own APIs (api/v1alpha1 at v1.9.0): no @kubernetes-models package models them; their fields are
        // checked against the Go types in Core (InferenceGatewayPlanner) and its tests.
        "gateway.envoyproxy.io/v1alpha1 EnvoyProxy",
        "gateway.envoyproxy.io/v1alpha1 SecurityPolicy",
        "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy",
        "gateway.envoyproxy.io/v1alpha1 Backend",
    ];

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public async Task Every_registered_custom_resource_matches_its_CRD_schema(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var objects = run.Mocks.Resources
            .Where(r => r.Type is { } t && t.StartsWith("kubernetes:", StringComparison.Ordinal))
            .Select(r => (Id: $"{r.Type} {r.Name}", Object: RegisteredManifests.Manifest(r)))
            .Where(o => CrdSchemaCheck.IsCustomResource(o.Object))
            .ToList();

        var result = CrdSchemaCheck.Run(objects);

        Assert.Empty(result.Problems.Select(p => $"{p.Id}: {p.Message}"));
        var unexpected = objects.Where(o => result.Uncovered.Contains(o.Id)).Select(o => KindOf(o.Object)).Distinct().Where(k => !NotCovered.Contains(k));
        Assert.Empty(unexpected);
        Assert.NotEmpty(result.Covered);
    }

    [Fact]
    public async Task A_registered_scaled_object_and_rule_with_one_field_misspelt_are_rejected()
    {
        var run = await StackRun.StackAsync("prod");
        var scaled = RegisteredManifests.Manifest(run.Mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject")[0]);
        var rule = RegisteredManifests.Manifest(run.Mocks.OfType("kubernetes:monitoring.coreos.com/v1:PrometheusRule")[0]);
        var trigger = (JsonObject)scaled["spec"]!["triggers"]![0]!;
        trigger["metricTyp"] = trigger["metricType"]!.DeepClone();
        trigger.Remove("metricType");
        var alert = (JsonObject)rule["spec"]!["groups"]![0]!["rules"]![0]!;
        alert["for"] = 300;

        var result = CrdSchemaCheck.Run([("scaled", scaled), ("rule", rule), ("original", RegisteredManifests.Manifest(run.Mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject")[0]))]);

        Assert.Contains(result.ProblemsOf("scaled"), m => m.StartsWith("metricTyp:", StringComparison.Ordinal));
        Assert.Contains(result.ProblemsOf("rule"), m => m.Contains("rules/0/for must be string", StringComparison.Ordinal));
        Assert.Empty(result.ProblemsOf("original"));
    }

    [Fact]
    public void A_scaled_object_with_an_unknown_field_is_rejected()
    {
        var result = Check(ScaledObject(spec => spec["maxReplica"] = 3));

        Assert.Contains(result.ProblemsOf("x"), m => m.StartsWith("maxReplica:", StringComparison.Ordinal) && m.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void A_scaled_object_with_a_mistyped_field_is_rejected()
    {
        var result = Check(ScaledObject(spec => spec["maxReplicaCount"] = "3"));

        Assert.Contains(result.ProblemsOf("x"), m => m.Contains("maxReplicaCount must be integer", StringComparison.Ordinal));
    }

    [Fact]
    public void A_scaled_object_without_its_required_target_is_rejected()
    {
        var result = Check(ScaledObject(spec => spec.Remove("scaleTargetRef")));

        Assert.Contains(result.ProblemsOf("x"), m => m.Contains("scaleTargetRef", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_monitor_with_a_misspelt_endpoint_field_is_rejected_and_a_correct_one_passes()
    {
        JsonObject Monitor(string intervalKey) => new()
        {
            ["apiVersion"] = "monitoring.coreos.com/v1",
            ["kind"] = "ServiceMonitor",
            ["metadata"] = new JsonObject { ["name"] = "m", ["labels"] = new JsonObject { ["release"] = "kube-prometheus-stack" } },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "triton" } },
                ["endpoints"] = new JsonArray(new JsonObject { ["port"] = "metrics", [intervalKey] = "30s" }),
            },
        };

        var result = CrdSchemaCheck.Run([("bad", Monitor("intervall")), ("good", Monitor("interval"))]);

        Assert.Contains(result.ProblemsOf("bad"), m => m.StartsWith("intervall:", StringComparison.Ordinal));
        Assert.Empty(result.ProblemsOf("good"));
        Assert.Equal(["bad", "good"], result.Covered);
    }

    [Fact]
    public void A_valid_scaled_object_passes_and_an_unmodelled_kind_is_reported_as_uncovered()
    {
        var rook = new JsonObject { ["apiVersion"] = "ceph.rook.io/v1", ["kind"] = "CephObjectStore", ["metadata"] = new JsonObject { ["name"] = "s" } };

        var result = CrdSchemaCheck.Run([("x", ScaledObject(_ => { })), ("rook", rook)]);

        Assert.Empty(result.Problems);
        Assert.Equal(["x"], result.Covered);
        Assert.Equal(["rook"], result.Uncovered);
    }

    private static CrdSchemaCheck.Result Check(JsonObject scaledObject) => CrdSchemaCheck.Run([("x", scaledObject)]);

    private static JsonObject ScaledObject(Action<JsonObject> edit)
    {
        var spec = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["name"] = "llama" },
            ["minReplicaCount"] = 1,
            ["maxReplicaCount"] = 4,
            ["triggers"] = new JsonArray(new JsonObject
            {
                ["type"] = "prometheus",
                ["metricType"] = "Value",
                ["metadata"] = new JsonObject { ["serverAddress"] = "http://prometheus:9090", ["query"] = "sum(x)", ["threshold"] = "50" },
            }),
        };
        edit(spec);
        return new JsonObject { ["apiVersion"] = "keda.sh/v1alpha1", ["kind"] = "ScaledObject", ["metadata"] = new JsonObject { ["name"] = "llama" }, ["spec"] = spec };
    }

    private static string KindOf(JsonObject manifest) => $"{(string)manifest["apiVersion"]!} {(string)manifest["kind"]!}";
}
