using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

/// <summary>
/// What the platform check reports for the checked-in stacks today (issue 13 "Why"). The issues that fix these findings
/// change the expected files (Fixtures/platform/&lt;stack&gt;.findings.txt) deliberately, down to "no findings".
/// </summary>
public sealed class CheckedInStacksTests
{
    private static PlatformReport Check(string stack) =>
        PlatformCheck.ForConfig(EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack))));

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void Reports_exactly_the_findings_pinned_for_the_stack(string stack)
    {
        var expected = File.ReadAllLines(RepoFiles.Fixture("platform", $"{stack}.findings.txt")).Where(l => l.Length > 0).ToArray();

        Assert.Equal(expected, Check(stack).Findings.Select(f => f.ToString()).ToArray());
    }

    [Fact]
    public void On_EKS_CoreDNS_the_GPU_Operator_KEDA_Prometheus_and_Qdrant_are_admitted_only_by_the_system_pool()
    {
        var cloud = Check("cloud");
        foreach (var subject in new[] { "kube-system/coredns", "gpu-operator/gpu-operator", "keda/keda-operator", "monitoring/prometheus-kube-prometheus-stack-prometheus", "vector-db/qdrant" })
        {
            Assert.DoesNotContain(cloud.Findings, f => f.Rule == PlatformRule.Placement && f.Subject == "eks-main/" + subject);
            var placement = Assert.Single(cloud.Placements, p => p.Workload.Cluster == "eks-main" && $"{p.Workload.Namespace}/{p.Workload.Name}" == subject);
            Assert.Equal("system", Assert.Single(placement.Admitting));
        }

        var system = Assert.Single(cloud.Inventory.Pools, p => p.Name == "system");
        Assert.Empty(system.Taints);
        Assert.Equal("system", system.Labels["neocloud.io/node-role"]);
        Assert.Equal(8000 - 90, system.Allocatable["cpu"]);
    }

    [Fact]
    public void An_onprem_cpu_pool_is_composed_with_its_pool_label_and_no_gpu_taint()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod")).Replace("  neocloud:serving:", """
    - name: system
      cluster: dc1
      substrate: onprem
      purpose: cpu
      nodes: [dc1-cpu-11, dc1-cpu-12]
  neocloud:serving:
""", StringComparison.Ordinal);
        var bound = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml));
        Assert.True(bound.Model is not null, string.Join("; ", bound.Errors.Select(e => e.Message)));

        var report = PlatformCheck.ForConfig(bound.Model!);
        Assert.DoesNotContain(report.Findings, f => f.Subject == "dc1/system");
        var pool = Assert.Single(report.Inventory.Pools, p => p.Name == "system");
        Assert.Equal("system", pool.Labels["neocloud.io/pool"]);
        Assert.False(pool.Labels.ContainsKey("neocloud.io/node-role"));
        Assert.Empty(pool.Taints);
        Assert.Equal(2, pool.MaxNodes);
    }

    [Fact]
    public void The_prod_burst_pool_starts_at_zero_nodes_and_the_clusters_node_autoscaler_adds_them()
    {
        var prod = Check("prod");
        Assert.True(Assert.Single(prod.Inventory.Clusters, c => c.Name == "burst").NodeAutoscaler);
        Assert.False(Assert.Single(prod.Inventory.Clusters, c => c.Name == "dc1").NodeAutoscaler);
        Assert.Equal(0, Assert.Single(prod.Inventory.Pools, p => p.Name == "burst-h100").DesiredNodes);
        Assert.DoesNotContain(prod.Findings, f => f.Message.Contains("no node autoscaler", StringComparison.Ordinal));
        Assert.Contains(prod.Inventory.Workloads, w => w.Cluster == "burst" && w.Namespace == "kube-system" && w.Name == "burst-node-autoscaler-aws-cluster-autoscaler");
    }

    [Fact]
    public void Gp3_volumes_bind_to_the_encrypted_class_the_stack_creates_and_on_prem_classes_are_declared()
    {
        var cloud = Check("cloud");
        Assert.Equal(2, cloud.Claims.Count(c => c.Claim.StorageClass == "gp3"));
        Assert.All(cloud.Claims.Where(c => c.Claim.StorageClass == "gp3"), c => Assert.Equal("StorageClass gp3 (created by the stack)", c.Reason));
        var gp3 = Assert.Single(cloud.Inventory.StorageClasses, s => s.Name == "gp3");
        Assert.True(gp3.IsDefault);
        Assert.Equal("ebs.csi.aws.com", gp3.Provisioner);

        var prod = Check("prod");
        Assert.Contains(prod.Claims, c => c.Claim.Cluster == "burst" && c.Claim.StorageClass == "fast-ssd" && c.Reason == "StorageClass fast-ssd (created by the stack)");
        Assert.All(prod.Claims.Where(c => c.Claim.Cluster == "dc1" && c.Claim.StorageClass == "fast-ssd"), c => Assert.Equal("StorageClass fast-ssd (declared pre-existing)", c.Reason));

        // dev: Prometheus names no class and gets kind's default "standard", which config declares.
        Assert.Contains(Check("dev").Claims, c => c.Claim.StorageClass is null && c.Binds && c.Reason == "default StorageClass standard (declared pre-existing)");
    }

    [Fact]
    public void Declared_clients_reach_Triton_declared_users_reach_the_vector_DB_and_other_tenants_stay_out()
    {
        var prod = Check("prod");
        var client = prod.Flows.Single(f => f.Flow.Name == "dc1: research → chat/llama-8b-chat");
        var scrape = prod.Flows.Single(f => f.Flow.Name == "dc1: Prometheus → chat/llama-8b-chat metrics");
        var vectorDb = prod.Flows.Single(f => f.Flow.Name == "dc1: chat → vector DB");
        var crossTenant = prod.Flows.Single(f => f.Flow.Name == "dc1: search → chat/llama-8b-chat");

        Assert.True(client.Allowed);
        Assert.Equal("allowed by chat/allow-from-declared", client.Ingress);
        Assert.True(scrape.Allowed);
        Assert.Equal("allowed by chat/allow-ingress-namespaces", scrape.Ingress);
        Assert.True(vectorDb.Allowed);
        Assert.False(crossTenant.Allowed);
        Assert.True(crossTenant.AsIntended);
        Assert.All(prod.Flows, f => Assert.True(f.AsIntended, f.Flow.Name));
        Assert.All(prod.Flows.Where(f => f.Flow.Name.EndsWith("→ DNS", StringComparison.Ordinal)), f => Assert.True(f.Allowed));
        Assert.All(prod.Accesses, a => Assert.True(a.AsIntended));
    }

    [Fact]
    public void Prod_fits_its_models_and_a_p5_node_holds_24_two_slice_replicas_limited_by_its_slices()
    {
        var prod = Check("prod");
        var burst = prod.Placements.Single(p => p.Workload.Name == "llama-8b-chat-burst");

        // 24 × 2g.20gb per p5.48xlarge at 4 CPUs each: the slices, not the 191 allocatable vCPUs, bound the node now.
        Assert.Equal(24, burst.PerNode["burst-h100"].Replicas);
        Assert.DoesNotContain(prod.Findings, f => f.Rule == PlatformRule.ModelFit);
        var big = prod.Inventory.ModelFits.Single(f => f.Deployment == "llama-70b-chat");
        Assert.Equal((2, "H100-SXM5-80GB", 160.0), (big.Gpus, big.Device, big.AvailableGiB));
        Assert.InRange(big.NeededGiB, 100, 130);
        Assert.True(big.Fits);
    }

    [Fact]
    public void The_previous_prod_placement_of_Llama_70B_on_a_40GB_slice_is_a_modelfit_finding_with_needed_and_available_GiB()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod"))
            .Replace("      gpu: 2\n      replicas: {min: 1, max: 8}", "      gpu: 1\n      replicas: {min: 1, max: 8}", StringComparison.Ordinal);

        var bound = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml));

        var error = Assert.Single(bound.Errors);
        Assert.Equal("neocloud:serving[2].gpu", error.Path);
        Assert.StartsWith("model meta-llama/Llama-3.3-70B-Instruct does not fit: it needs 114.7 GiB per replica but 1 × H100-SXM5-80GB on pool \"h100-mixed\" has 80.0 GiB", error.Message, StringComparison.Ordinal);
    }
}
