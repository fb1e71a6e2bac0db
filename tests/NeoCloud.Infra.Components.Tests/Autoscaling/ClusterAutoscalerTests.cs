using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Gpu;

namespace NeoCloud.Infra.Components.Tests.Autoscaling;

/// <summary>cluster-autoscaler under the mock engine: chart values, the Pod Identity role, the node-template tags of the pools.</summary>
public sealed class ClusterAutoscalerTests
{
    private static ClusterAutoscalerArgs Args(Action<ClusterAutoscalerArgs>? change = null)
    {
        var args = new ClusterAutoscalerArgs
        {
            Environment = "prod",
            CostCenter = "ml-platform",
            ClusterName = "burst-eks",
            Region = "us-east-1",
            KubernetesVersion = "1.33",
            Pools =
            [
                new AutoscaledPoolArgs { PoolName = "burst-h100", MinSize = 0, MaxSize = 2 },
                new AutoscaledPoolArgs { PoolName = "burst-train", MinSize = 0, MaxSize = 2, CapacityType = "SPOT" },
                new AutoscaledPoolArgs { PoolName = "burst-system", MinSize = 2, MaxSize = 3 },
            ],
            SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system" },
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object value) => Assert.IsAssignableFrom<ImmutableDictionary<string, object>>(value);

    private static object At(ImmutableDictionary<string, object> values, string path) =>
        path.Split('.').Aggregate((object)values, (node, key) => Map(node)[key]);

    [Fact]
    public async Task The_chart_runs_the_clusters_minor_on_the_system_pool_and_discovers_the_clusters_node_groups()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ClusterAutoscaler("burst-node-autoscaler", Args()));

        var chart = mocks.Single("kubernetes:helm.sh/v4:Chart");
        Assert.Equal(ClusterAutoscalerChart.Chart, chart.Inputs["chart"]);
        Assert.Equal("9.59.0", chart.Inputs["version"]);
        Assert.Equal("kube-system", chart.Inputs["namespace"]);
        var values = Map(chart.Inputs["values"]);
        Assert.Equal("aws", values["cloudProvider"]);
        Assert.Equal("us-east-1", values["awsRegion"]);
        Assert.Equal("burst-eks", At(values, "autoDiscovery.clusterName"));
        Assert.Equal("v1.33.6", At(values, "image.tag"));
        Assert.Equal("cluster-autoscaler", At(values, "rbac.serviceAccount.name"));
        Assert.Equal("system", Map(values["nodeSelector"])["neocloud.io/node-role"]);
        var flags = Map(values["extraArgs"]);
        Assert.Equal("7", flags["max-nodes-total"]);
        Assert.Equal("false", flags["skip-nodes-with-local-storage"]);
        Assert.Equal("true", flags["balance-similar-node-groups"]);
    }

    [Fact]
    public async Task Its_AWS_identity_is_a_Pod_Identity_role_that_resizes_only_this_clusters_node_groups_and_no_key()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ClusterAutoscaler("burst-node-autoscaler", Args()));

        var role = mocks.Single("aws:iam/role:Role");
        using var trust = JsonDocument.Parse((string)role.Inputs["assumeRolePolicy"]);
        var statement = trust.RootElement.GetProperty("Statement")[0];
        Assert.Equal("pods.eks.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToArray());

        var policy = mocks.Single("aws:iam/rolePolicy:RolePolicy");
        Assert.Equal(ClusterAutoscalerPlanner.PolicyDocument("burst-eks"), policy.Inputs["policy"]);

        var association = mocks.Single("aws:eks/podIdentityAssociation:PodIdentityAssociation");
        Assert.Equal("burst-eks", association.Inputs["clusterName"]);
        Assert.Equal("kube-system", association.Inputs["namespace"]);
        Assert.Equal("cluster-autoscaler", association.Inputs["serviceAccount"]);
        Assert.Empty(mocks.OfType("aws:iam/user:User"));
        Assert.Empty(mocks.OfType("aws:iam/accessKey:AccessKey"));
    }

    [Fact]
    public async Task A_max_nodes_total_below_the_pools_maximum_sizes_is_one_error_at_maxNodesTotal_and_registers_nothing()
    {
        var ex = Assert.Throws<ComponentArgsException>(() => new ClusterAutoscaler("burst-node-autoscaler", Args(a => a.MaxNodesTotal = 4)));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal("MaxNodesTotal", problem.PropertyPath);
        Assert.StartsWith("4 is below the pools' maximum sizes (burst-h100 2 + burst-train 2 + burst-system 3 = 7 nodes)", problem.Reason, StringComparison.Ordinal);

        var (error, mocks) = await Gpu.GpuNodePoolTests.RunFailing(() => _ = new ClusterAutoscaler("burst-node-autoscaler", Args(a => a.MaxNodesTotal = 4)));
        Assert.Contains("ClusterAutoscalerArgs.MaxNodesTotal: 4 is below", error.Message, StringComparison.Ordinal);
        Assert.Empty(mocks.Resources);
    }

    [Fact]
    public async Task A_burst_GPU_pool_writes_Cores_node_template_on_its_node_group_and_its_Auto_Scaling_group()
    {
        var mocks = new RecordingMocks
        {
            AdjustOutputs = (type, _, outputs) =>
            {
                if (type == "aws:eks/nodeGroup:NodeGroup")
                {
                    var asg = ImmutableDictionary<string, object>.Empty.Add("name", "eks-burst-h100-asg");
                    outputs["resources"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("autoscalingGroups", ImmutableArray.Create<object>(asg)));
                }
            },
        };
        await PulumiTest.RunAsync(() => _ = new GpuNodePool("burst-h100", new GpuNodePoolArgs
        {
            Substrate = "eks",
            Environment = "prod",
            CostCenter = "ml-platform",
            ClusterName = "burst-eks",
            NodeSubnetIds = new[] { "subnet-a", "subnet-b" },
            InstanceType = "p5.48xlarge",
            AmiReleaseVersion = "1.33.13-20260714",
            MinSize = 0,
            DesiredSize = 0,
            MaxSize = 2,
            MigConfig = "all-1g.10gb",
        }), mocks: mocks);

        var resource = AutoscalerNodeTemplate.Prefix + "resources/nvidia.com/mig-1g.10gb";
        var nodeGroup = mocks.Single("aws:eks/nodeGroup:NodeGroup");
        Assert.Equal("56", Map(nodeGroup.Inputs["tags"])[resource]);
        var tags = mocks.OfType("aws:autoscaling/tag:Tag");
        Assert.All(tags, t => Assert.Equal("eks-burst-h100-asg", t.Inputs["autoscalingGroupName"]));
        var mig = Assert.Single(tags, t => Equals(Map(t.Inputs["tag"])["key"], resource));
        Assert.Equal("56", Map(mig.Inputs["tag"])["value"]);
        Assert.Equal(false, Map(mig.Inputs["tag"])["propagateAtLaunch"]);
        Assert.Contains(tags, t => Equals(Map(t.Inputs["tag"])["key"], AutoscalerNodeTemplate.Prefix + "taint/nvidia.com/gpu") && Equals(Map(t.Inputs["tag"])["value"], "true:NoSchedule"));
        Assert.Contains(tags, t => Equals(Map(t.Inputs["tag"])["key"], AutoscalerNodeTemplate.Prefix + "label/neocloud.io/pool") && Equals(Map(t.Inputs["tag"])["value"], "burst-h100"));
        Assert.Equal(Map(nodeGroup.Inputs["tags"]).Count(kv => kv.Key.StartsWith(AutoscalerNodeTemplate.Prefix, StringComparison.Ordinal)), tags.Count);
    }
}
