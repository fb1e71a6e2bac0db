using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

public sealed class ManifestInventoryTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly JsonObject Deployment = Parse("""
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "chat", "namespace": "t"},
         "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "chat"}}, "spec": {
           "nodeSelector": {"neocloud.io/pool": "gpu"},
           "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
           "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}},
           "initContainers": [{"name": "fetch", "resources": {"requests": {"cpu": "6"}}}],
           "containers": [
             {"name": "triton", "resources": {"limits": {"nvidia.com/gpu": "1", "cpu": "4", "memory": "16Gi"}}},
             {"name": "sidecar", "resources": {"requests": {"cpu": "500m"}, "limits": {"cpu": "1"}}}]}}}}
        """);

    [Fact]
    public void Reads_a_Deployment_pod_template_with_Kubernetes_request_defaulting()
    {
        var w = Assert.Single(ManifestInventory.FromKubernetesObjects("c", [Deployment]).Workloads);

        Assert.Equal(("Deployment", "t/chat", 2, 2), (w.Kind, w.Id, w.MinReplicas, w.MaxReplicas));
        Assert.Equal(6000, w.Requests["cpu"]); // max(init 6, 4 + 0.5): a request defaults to its limit, a request wins
        Assert.Equal(1, w.Requests["nvidia.com/gpu"]);
        Assert.Equal(16L << 30, w.Requests["memory"]);
        Assert.Equal("gpu", w.NodeSelector["neocloud.io/pool"]);
        Assert.True(Assert.Single(w.Tolerations).Tolerates(new NodeTaint("nvidia.com/gpu", "true", TaintEffect.NoSchedule)));
        Assert.Equal("zone", Assert.Single(Assert.Single(w.RequiredNodeAffinity)).Key);
    }

    [Fact]
    public void A_ScaledObject_gives_its_target_the_replica_range_and_becomes_a_scaler()
    {
        var so = Parse("""
            {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "chat", "namespace": "t"},
             "spec": {"scaleTargetRef": {"name": "chat"}, "minReplicaCount": 4, "maxReplicaCount": 64, "fallback": {"failureThreshold": 3, "replicas": 8},
               "triggers": [{"type": "prometheus", "metricType": "AverageValue", "metadata": {"threshold": "40", "activationThreshold": "5",
                 "query": "sum(rate(nv_inference_queue_duration_us{a=\"b\"}[1m])) / clamp_min(sum(rate(nv_inference_request_success{a=\"b\"}[1m])), 1) / 1000"}}]}}
            """);
        var inventory = ManifestInventory.FromKubernetesObjects("c", [Deployment, so]);

        var w = Assert.Single(inventory.Workloads);
        Assert.Equal((4, 64), (w.MinReplicas, w.MaxReplicas));
        var s = Assert.Single(inventory.Scalers);
        Assert.Equal(("AverageValue", 40.0, 5.0, 8), (s.MetricType, s.Threshold, s.ActivationThreshold, s.FallbackReplicas));
        Assert.True(s.AveragedMetric);
    }

    [Fact]
    public void Reads_NetworkPolicies_claims_classes_namespaces_and_group_bindings()
    {
        var objects = new[]
        {
            Parse("""{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "t", "labels": {"team": "a"}}}"""),
            Parse("""{"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "gp3", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "ebs.csi.aws.com"}"""),
            Parse("""{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "namespace": "t"}, "spec": {"storageClassName": "gp3"}}"""),
            Parse("""
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "t"},
                 "spec": {"podSelector": {}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}], "ports": [{"port": "metrics"}, {"protocol": "UDP", "port": 53, "endPort": 54}]}]}}
                """),
            Parse("""{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "member", "namespace": "t"}, "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}"""),
            Parse("""{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "member", "namespace": "t"}, "roleRef": {"kind": "Role", "name": "member"}, "subjects": [{"kind": "Group", "name": "team-a"}]}"""),
        };
        var inventory = ManifestInventory.FromKubernetesObjects("c", objects);

        Assert.Equal("a", Assert.Single(inventory.Namespaces).Labels["team"]);
        Assert.Equal("t", inventory.Namespaces[0].Labels["kubernetes.io/metadata.name"]);
        Assert.True(Assert.Single(inventory.StorageClasses).IsDefault);
        Assert.True(Assert.Single(StorageBinding.Evaluate(inventory with { Clusters = [new PlatformCluster("c", true, false)] })).Binds);
        var policy = Assert.Single(inventory.NetworkPolicies);
        Assert.Equal((true, true), (policy.Ingress, policy.Egress)); // no policyTypes: Ingress, plus Egress because it has egress rules
        var rule = Assert.Single(policy.EgressRules);
        Assert.Equal(["10.1.0.0/16"], Assert.Single(rule.Peers).IpBlock!.Except.ToArray());
        Assert.Equal([new NetworkPolicyPort("TCP", null, "metrics"), new NetworkPolicyPort("UDP", 53, null, 54)], rule.Ports.ToArray());
        Assert.Equal("get", Assert.Single(Assert.Single(inventory.Bindings).Rules).Verbs[0]);
    }

    [Fact]
    public void An_object_without_a_pod_template_or_with_a_bad_quantity_is_named_in_the_error()
    {
        var noTemplate = Parse("""{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "namespace": "t"}, "spec": {}}""");
        var badCpu = Parse("""{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "t"}, "spec": {"containers": [{"resources": {"requests": {"cpu": "four"}}}]}}""");

        Assert.Equal("Deployment t/x: no pod template (spec.template)", Assert.Throws<FormatException>(() => ManifestInventory.FromKubernetesObjects("c", [noTemplate])).Message);
        Assert.Equal("Pod t/p: resources.cpu \"four\" is not a Kubernetes quantity", Assert.Throws<FormatException>(() => ManifestInventory.FromKubernetesObjects("c", [badCpu])).Message);
    }

    [Fact]
    public void Merged_with_the_config_inventory_the_registered_objects_replace_the_configs_view_of_the_stacks_own()
    {
        var config = PlatformInventory.Empty with
        {
            Workloads = [Fixtures.Workload("chat", "4") with { Source = "stack" }, Fixtures.Workload("keda-operator", "0.1") with { Source = "keda 2.17.2" }],
        };
        var merged = ManifestInventory.Merge(config, ManifestInventory.FromKubernetesObjects("c", [Deployment]));

        Assert.Equal(["keda-operator", "chat"], merged.Workloads.Select(w => w.Name).ToArray());
        Assert.Equal(6000, merged.Workloads[1].Requests["cpu"]);
    }
}
