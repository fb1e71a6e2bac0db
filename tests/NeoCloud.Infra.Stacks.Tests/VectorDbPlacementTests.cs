using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.VectorDb;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// Issue 14 (eks request 4): Qdrant runs on the cluster's system pool through the chart's <c>nodeSelector</c>; the
/// platform check's view of the StatefulSet (config inventory) selects exactly what the program passes to the chart.
/// </summary>
public sealed class VectorDbPlacementTests
{
    [Theory]
    [InlineData("cloud", true)]
    [InlineData("prod", true)]
    public async Task Qdrant_selects_the_system_pool_where_its_cluster_has_one(string stack, bool hasSystemPool)
    {
        var m = (await StackRun.StackAsync(stack)).Mocks;
        var chart = Assert.Single(m.OfType("kubernetes:helm.sh/v4:Chart"), c => c.Str("chart") == QdrantChart.Name);
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var qdrant = Assert.Single(ConfigInventory.Build(env).Inventory.Workloads, w => w.Namespace == "vector-db" && w.Kind == "StatefulSet");

        if (hasSystemPool)
        {
            Assert.Equal(CpuPoolPlanner.SystemValue, chart.Str("values", "nodeSelector", CpuPoolPlanner.SystemLabel));
            Assert.Equal(CpuPoolPlanner.SystemValue, qdrant.NodeSelector[CpuPoolPlanner.SystemLabel]);
            Assert.Single(chart.Map("values", "nodeSelector"));
        }
        else
        {
            Assert.Null(chart.At("values", "nodeSelector"));
            Assert.Empty(qdrant.NodeSelector);
        }
    }
}
