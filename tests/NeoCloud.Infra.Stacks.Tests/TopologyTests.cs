using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>Each checked-in stack's full program under the mock engine: what it registers, by type.</summary>
public sealed class TopologyTests
{
    [Fact]
    public async Task Dev_renders_an_onprem_cluster_with_one_time_sliced_pool_and_no_aws()
    {
        var run = await StackRun.StackAsync("dev");
        var m = run.Mocks;
        var provider = m.Single("pulumi:providers:kubernetes");
        Assert.Equal("rendered/dev", provider.Str("renderYamlToDirectory"));
        Assert.DoesNotContain(m.Resources, r => r.Type!.StartsWith("aws:", StringComparison.Ordinal));
        Counts(m, new()
        {
            ["neocloud:index:GpuNodePool"] = 1,
            ["kubernetes:core/v1:NodePatch"] = 1,
            ["neocloud:index:GpuOperator"] = 1,
            ["neocloud:index:PrometheusStack"] = 1,
            ["neocloud:index:PrometheusFederation"] = 0,
            ["neocloud:index:KedaOperator"] = 1,
            ["neocloud:index:OnPremObjectStore"] = 1,
            ["neocloud:index:Tenant"] = 1,
            ["neocloud:index:VectorDatabase"] = 1,
            ["neocloud:index:TritonService"] = 1,
            ["kubernetes:keda.sh/v1alpha1:ScaledObject"] = 1,
            ["kubernetes:helm.sh/v4:Chart"] = 5,
            ["neocloud:index:InferenceGateway"] = 1,
            ["neocloud:index:EksCluster"] = 0,
            ["neocloud:index:ReplicatedBucket"] = 0,
            ["kubernetes:batch/v1:CronJob"] = 0,
        });
        Assert.Equal(72, m.Resources.Count); // incl. (issue 16, +13) the InferenceGateway (component, Namespace, chart, GatewayClass, EnvoyProxy, Gateway, HTTPRoute + GRPCRoute, SecurityPolicy, BackendTrafficPolicy, the tenant's RandomPassword + Secret) and playground's allow-gateway policy; the ServingPriorityClasses component and its 3 PriorityClasses; the tenant admission policy + binding (playground), the two Namespace components (model-store, vector-db), the Grafana admin password (RandomPassword) and its Secret; declared paths: playground allow-from-declared + allow-vector-db, qdrant-ingress
    }

    [Fact]
    public async Task Prod_is_hybrid_two_clusters_each_with_its_gpu_operator_and_a_burst_deployment()
    {
        var run = await StackRun.StackAsync("prod");
        var m = run.Mocks;
        Counts(m, new()
        {
            ["pulumi:providers:kubernetes"] = 2,
            ["neocloud:index:EksCluster"] = 1,
            ["neocloud:index:GpuNodePool"] = 5,
            ["neocloud:index:CpuNodePool"] = 2,
            ["kubernetes:core/v1:NodePatch"] = 11,
            ["aws:eks/nodeGroup:NodeGroup"] = 3,
            ["neocloud:index:GpuOperator"] = 2,
            ["neocloud:index:PrometheusStack"] = 2,
            ["neocloud:index:PrometheusFederation"] = 1,
            ["neocloud:index:KedaOperator"] = 2,
            ["neocloud:index:TritonService"] = 5,
            ["kubernetes:keda.sh/v1alpha1:ScaledObject"] = 5,
            ["neocloud:index:Tenant"] = 5,
            ["neocloud:index:ReplicatedBucket"] = 1,
            ["neocloud:index:OnPremObjectStore"] = 1,
            ["kubernetes:batch/v1:CronJob"] = 1,
            ["kubernetes:monitoring.coreos.com/v1alpha1:ScrapeConfig"] = 1,
            ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"] = 1,
            ["neocloud:index:VectorDatabase"] = 1,
            ["neocloud:index:InferenceGateway"] = 1,
            ["kubernetes:gateway.envoyproxy.io/v1alpha1:Backend"] = 2,
        });
        Assert.Equal(352, m.Resources.Count); // incl. (issue 15, +1) the embeddings load-request ConfigMap; incl. (issue 16, +26) dc1's InferenceGateway (component, Namespace, chart, GatewayClass, EnvoyProxy, Gateway, 4 HTTPRoutes + 3 GRPCRoutes, the hybrid split's 2 Backends, per tenant chat and search a SecurityPolicy, a BackendTrafficPolicy, a RandomPassword and a Secret) and 3 allow-gateway policies (dc1: chat, search; incl. dc1's label-only system pool dc1-system (component + 3 NodePatches); incl. the burst MigScaleDownLock (component, ServiceAccount, ClusterRole, ClusterRoleBinding, script ConfigMap, Deployment), per cluster the ServingPriorityClasses component and its 3 PriorityClasses, the 2 triton-vllm model-config ConfigMaps (llama-8b-chat, -burst); 5 tenant admission policies + bindings (chat ×2, search, research ×2), the two Namespace components (model-store, vector-db), the burst ClusterAutoscaler (component, Pod Identity role, its policy, association, chart) and 34 node-template tags on the burst node groups' Auto Scaling groups (burst-h100 13, burst-train 12, burst-system 9), the PrometheusFederation component, the two ModelBucketAccess components (model-sync, burst-model-reader), the burst system pool (component, node role, 3 policy attachments, node group), 9 declared-path policies (chat: from ×2, to-search, vector-db; search: from, vector-db; research: to-chat ×2; qdrant-ingress), 2 model-bucket egress policies (burst: chat, research), the S3 gateway endpoint and, per cluster, the Grafana admin password and Secret; and (issue 14) the internal serving endpoint of llama-8b-chat-burst (component + Service), the burst cluster's Secrets key + its role policy, kube-proxy and eks-pod-identity-agent add-ons, 2 access entries + 2 policy associations, the EksClusterAddons component (EBS CSI role + attachment, coredns and aws-ebs-csi-driver add-ons, StorageClasses gp3 and fast-ssd), the burst reader's role + policy + ServiceAccount + Pod Identity association instead of its user, policy and key; incl. the PrometheusFederation component, the two ModelBucketAccess components (model-sync, burst-model-reader), the burst system pool (component, node role, 3 policy attachments, node group), 9 declared-path policies (chat: from ×2, to-search, vector-db; search: from, vector-db; research: to-chat ×2; qdrant-ingress), 2 model-bucket egress policies (burst: chat, research), the S3 gateway endpoint and, per cluster, the Grafana admin password and Secret

        var gpuOperators = m.OfType("kubernetes:helm.sh/v4:Chart").Where(c => c.Str("chart") == "gpu-operator").ToList();
        Assert.Equal(2, gpuOperators.Count);
        var driver = gpuOperators.Select(c => c.At("values", "driver", "enabled")).ToList();
        Assert.Contains(true, driver);  // on-prem: the operator installs the driver
        Assert.Contains(false, driver); // EKS GPU AMIs ship it
    }

    [Fact]
    public async Task Cloud_is_one_new_eks_cluster_with_spot_training_and_on_demand_inference()
    {
        var run = await StackRun.StackAsync("cloud");
        var m = run.Mocks;
        Counts(m, new()
        {
            ["neocloud:index:EksCluster"] = 1,
            ["neocloud:index:CpuNodePool"] = 1,
            ["aws:eks/nodeGroup:NodeGroup"] = 3,
            ["kubernetes:core/v1:NodePatch"] = 0,
            ["neocloud:index:ReplicatedBucket"] = 1,
            ["neocloud:index:OnPremObjectStore"] = 0,
            ["neocloud:index:TritonService"] = 1,
            ["neocloud:index:Tenant"] = 2,
            ["neocloud:index:InferenceGateway"] = 1,
            ["kubernetes:gateway.envoyproxy.io/v1alpha1:Backend"] = 0,
        });
        var groups = m.OfType("aws:eks/nodeGroup:NodeGroup").ToDictionary(g => g.Map("labels")["neocloud.io/pool"], g => g.Str("capacityType"));
        Assert.Equal("ON_DEMAND", groups["l40s-serve"]);
        Assert.Equal("SPOT", groups["h100-train"]);
        // The system pool: a standard AL2023 node group of a catalog CPU type, the system label, no GPU taint.
        var system = Assert.Single(m.OfType("aws:eks/nodeGroup:NodeGroup"), g => Equals(g.Map("labels")["neocloud.io/pool"], "system"));
        Assert.Equal("AL2023_x86_64_STANDARD", system.Str("amiType"));
        Assert.Equal("system", (string)system.Map("labels")["neocloud.io/node-role"]);
        Assert.False(system.Inputs.ContainsKey("taints") && system.Inputs["taints"] is System.Collections.ICollection { Count: > 0 });
        Assert.All(m.OfType("aws:eks/nodeGroup:NodeGroup").Where(g => !Equals(g.Map("labels")["neocloud.io/pool"], "system")), g => Assert.NotEmpty((System.Collections.ICollection)g.Inputs["taints"]));
        Assert.Equal(200, m.Resources.Count); // incl. (issue 16, +12) the InferenceGateway (component, Namespace, chart, GatewayClass, EnvoyProxy, Gateway, HTTPRoute (vLLM: no GRPCRoute), SecurityPolicy, BackendTrafficPolicy, apps' RandomPassword + Secret) and apps' allow-gateway policy; the ServingPriorityClasses component and its 3 PriorityClasses; 2 tenant admission policies + bindings (apps, research), the Namespace component vector-db, the ClusterAutoscaler (component, Pod Identity role, its policy, association, chart) and 33 node-template tags on the node groups' Auto Scaling groups (l40s-serve 12, h100-train 12, system 9), the ModelBucketAccess component eks-main-model-reader; incl. the system pool (component, node role, 3 policy attachments, node group), 3 declared-path policies (apps: from, vector-db; qdrant-ingress), 2 model-bucket egress policies (apps, research), the S3 gateway endpoint, the Grafana admin password and Secret; and (issue 14) the Secrets key + its role policy, kube-proxy and eks-pod-identity-agent add-ons, 2 access entries + 2 policy associations, the EksClusterAddons component (EBS CSI role + attachment, coredns and aws-ebs-csi-driver add-ons, StorageClass gp3), the reader's role + policy + ServiceAccount + Pod Identity association instead of its user, policy and key; incl. the ModelBucketAccess component eks-main-model-reader; incl. the system pool (component, node role, 3 policy attachments, node group), 3 declared-path policies (apps: from, vector-db; qdrant-ingress), 2 model-bucket egress policies (apps, research), the S3 gateway endpoint, the Grafana admin password and Secret
        // EKS pools pin the compatibility matrix's AMI release for the cluster's Kubernetes version (no floating driver).
        Assert.All(m.OfType("aws:eks/nodeGroup:NodeGroup").Where(n => n.Inputs.ContainsKey("amiType") && ((string)n.Inputs["amiType"]).Contains("NVIDIA", StringComparison.Ordinal)),
            n => Assert.Equal("1.33.13-20260714", n.Inputs["releaseVersion"]));
    }

    [Theory]
    [InlineData("dev", "onprem", "policy/config/dev.json")]
    [InlineData("prod", "hybrid", "policy/config/prod.json")]
    [InlineData("cloud", "cloud", "policy/config/dev.json")]
    public async Task Outputs_name_endpoints_capacity_buckets_and_the_policy_pack(string stack, string topology, string packConfig)
    {
        var run = await StackRun.StackAsync(stack);
        var o = run.Outputs;
        Assert.Equal(topology, o["topology"]);
        var policy = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(o["policyPack"]);
        Assert.Equal("policy", policy["path"]);
        Assert.Equal(packConfig, policy["config"]);
        Assert.Equal($"pulumi preview --policy-pack policy --policy-pack-config {packConfig}", policy["previewCommand"]);
        var capacity = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(o["capacity"]);
        Assert.NotEmpty(capacity);
        var endpoints = Assert.IsType<Dictionary<string, object?>>(o["endpoints"]);
        var serving = Assert.IsType<Dictionary<string, object?>>(endpoints["serving"]);
        Assert.All(serving.Values, e => Assert.StartsWith("http://", (string)((Dictionary<string, object?>)e!)["http"]!, StringComparison.Ordinal));
        Assert.True(o.ContainsKey("buckets"));
    }

    [Fact]
    public async Task Prod_capacity_output_comes_from_the_capacity_planner()
    {
        var run = await StackRun.StackAsync("prod");
        var capacity = (IReadOnlyDictionary<string, object>)run.Outputs["capacity"]!;
        var mig = (IReadOnlyDictionary<string, object>)capacity["h100-mig"];
        Assert.Equal("dc1", mig["cluster"]);
        Assert.Equal(40, ((IReadOnlyDictionary<string, object>)mig["atMax"])["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(24 + 16, ((IReadOnlyDictionary<string, object>)mig["reservedAtMax"])["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(36, ((IReadOnlyDictionary<string, object>)mig["reservedAtMax"])["nvidia.com/mig-2g.20gb"]);
        var whole = (IReadOnlyDictionary<string, object>)capacity["h100-mixed"];
        Assert.Equal(8 * 2, ((IReadOnlyDictionary<string, object>)whole["reservedAtMax"])["nvidia.com/gpu"]); // 8 replicas × 2 GPUs
    }

    private static void Counts(Components.Tests.Testing.RecordingMocks mocks, Dictionary<string, int> expected)
    {
        foreach (var (type, count) in expected)
        {
            Assert.True(mocks.OfType(type).Count == count, $"{type}: expected {count}, registered {mocks.OfType(type).Count}");
        }
    }
}
