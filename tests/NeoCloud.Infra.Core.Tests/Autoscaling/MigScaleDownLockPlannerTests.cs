using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>The MIG scale-down lock's component rules: which clusters get it, its objects, RBAC, image and bad input.</summary>
public sealed class MigScaleDownLockPlannerTests
{
    private static EnvironmentModel Stack(string name) => EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(name)));

    private static MigScaleDownLockSpec Valid() => new()
    {
        Name = "burst-mig-scale-down-lock",
        Ownership = new OwnershipSpec("prod", "inference-platform"),
        KubernetesVersion = "1.33",
        SystemNodeSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("neocloud.io/node-role", "system")]),
    };

    [Fact]
    public void Every_cluster_with_a_node_autoscaler_and_a_MIG_pool_gets_the_lock_and_no_other()
    {
        var prod = Stack("prod");
        var burst = MigScaleDownLockSpec.ForCluster(prod, prod.Cluster("burst"), "burst-mig-scale-down-lock");
        Assert.NotNull(burst);
        Assert.Equal("1.33", burst.KubernetesVersion);
        Assert.Equal("system", burst.SystemNodeSelector["neocloud.io/node-role"]);

        // dc1 (on-prem, MIG pools, no node autoscaler) and the cloud stack's eks-main (autoscaled, no MIG pool): none.
        Assert.Null(MigScaleDownLockSpec.ForCluster(prod, prod.Cluster("dc1"), "dc1-mig-scale-down-lock"));
        var cloud = Stack("cloud");
        Assert.Null(MigScaleDownLockSpec.ForCluster(cloud, cloud.Cluster("eks-main"), "eks-main-mig-scale-down-lock"));
    }

    [Fact]
    public void The_plan_is_one_pinned_image_nodes_only_RBAC_and_the_system_pool()
    {
        var plan = MigScaleDownLockPlanner.Plan(Valid());

        Assert.Equal("docker.io/alpine/k8s:1.33.5", plan.Image);
        Assert.Equal("kube-system", plan.Namespace);
        Assert.Equal("burst-mig-scale-down-lock-script", plan.ConfigMapName);
        var rule = Assert.Single(plan.Rules);
        Assert.Equal([string.Empty], rule.ApiGroups.ToArray());
        Assert.Equal(["nodes"], rule.Resources.ToArray());
        Assert.Equal(["get", "list", "watch", "patch"], rule.Verbs.ToArray());
        Assert.Equal("15", plan.Environment["LOCK_INTERVAL_SECONDS"]);
        Assert.Equal("300", plan.Environment["LOCK_CONFIG_CHANGE_GRACE_SECONDS"]);
        Assert.Equal(MigScaleDownLockPlanner.HeartbeatFile, plan.Environment["LOCK_HEARTBEAT_FILE"]);
        Assert.Equal("mig-scale-down-lock", plan.Labels[ResourceLabels.AppName]);
        Assert.Equal("prod", plan.Labels[ResourceLabels.Environment]);
        Assert.All(plan.SelectorLabels, kv => Assert.Equal(kv.Value, plan.Labels[kv.Key]));
        Assert.Equal(MigNodeLock.Script, plan.Script);
        Assert.Equal(120, MigScaleDownLockPlanner.StaleAfterSeconds(plan));

        var workload = MigScaleDownLockPlanner.Workload(plan);
        Assert.Equal("system", workload.NodeSelector["neocloud.io/node-role"]);
        Assert.Empty(workload.Tolerations);
        Assert.Equal(1, workload.Replicas);
    }

    [Fact]
    public void There_is_an_image_for_every_Kubernetes_minor_the_compatibility_matrix_and_the_autoscaler_support()
    {
        Assert.Equal(ClusterAutoscalerChart.ImageTags.Keys, MigScaleDownLockImage.Tags.Keys);
        Assert.All(MigScaleDownLockImage.Tags, kv => Assert.StartsWith(kv.Key + ".", kv.Value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("(name)", "names the lock's Deployment")]
    [InlineData("KubernetesVersion", "has no pinned kubectl image")]
    [InlineData("IntervalSeconds", "must be 5 to 300 seconds, got 2")]
    [InlineData("ConfigChangeGraceSeconds", "must be 60 to 3600 seconds, got 30")]
    [InlineData("Namespace", "must be")]
    [InlineData("SystemNodeSelector[bad key!]", "is not a node label")]
    public void Bad_input_is_one_problem_at_its_property(string path, string reason)
    {
        var spec = path switch
        {
            "(name)" => Valid() with { Name = "Not_A_Label" },
            "KubernetesVersion" => Valid() with { KubernetesVersion = "1.29" },
            "IntervalSeconds" => Valid() with { IntervalSeconds = 2 },
            "ConfigChangeGraceSeconds" => Valid() with { ConfigChangeGraceSeconds = 30 },
            "Namespace" => Valid() with { Namespace = "Kube_System" },
            _ => Valid() with { SystemNodeSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("bad key!", "x")]) },
        };

        var problem = Assert.Single(MigScaleDownLockPlanner.Validate(spec));
        Assert.Equal(path, problem.PropertyPath);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MigScaleDownLockPlanner.Plan(spec));
    }

    [Fact]
    public void A_grace_shorter_than_four_passes_is_refused()
    {
        var problem = Assert.Single(MigScaleDownLockPlanner.Validate(Valid() with { IntervalSeconds = 60, ConfigChangeGraceSeconds = 120 }));

        Assert.Equal("ConfigChangeGraceSeconds", problem.PropertyPath);
        Assert.Equal("120 s is under 4 passes of IntervalSeconds (60 s): a layout change could be taken as applied before the MIG manager reports pending; set at least 240", problem.Reason);
    }

    [Fact]
    public void The_prod_burst_cluster_runs_the_lock_on_its_system_pool_and_the_check_passes()
    {
        var report = PlatformCheck.ForConfig(Stack("prod"));

        var placement = Assert.Single(report.Placements, p => p.Workload.Cluster == "burst" && p.Workload.Name == "burst-mig-scale-down-lock");
        Assert.Equal("burst-system", Assert.Single(placement.Admitting));
        Assert.Equal(0, placement.UnplacedAtMin);
        Assert.True(MigScaleDownRule.HasLock(report.Inventory, "burst"));
        Assert.False(MigScaleDownRule.HasLock(report.Inventory, "dc1"));
        Assert.Empty(report.Findings);
    }
}
