using System.Collections.Immutable;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Tests.Hardware;

public sealed class GpuResourcesTests
{
    private static readonly Dictionary<string, MigConfigDefinition> NoCustom = [];

    private static GpuModel H100 => HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!;

    private static ImmutableArray<ImmutableSortedDictionary<string, int>> Resolve(string name) =>
        MigConfigs.Resolve(name, H100, 8, NoCustom).PerDevice;

    [Fact]
    public void H100_all_1g_mixed()
    {
        var r = GpuResources.PerNode(H100, 8, Resolve("all-1g.10gb"), MigStrategy.Mixed);
        Assert.Equal(56, Assert.Single(r, kv => kv.Key == "nvidia.com/mig-1g.10gb").Value);
        Assert.Single(r);
    }

    [Fact]
    public void H100_all_balanced_mixed()
    {
        var r = GpuResources.PerNode(H100, 8, Resolve("all-balanced"), MigStrategy.Mixed);
        Assert.Equal(
            new Dictionary<string, int> { ["nvidia.com/mig-1g.10gb"] = 16, ["nvidia.com/mig-2g.20gb"] = 8, ["nvidia.com/mig-3g.40gb"] = 8 },
            r);
    }

    [Fact]
    public void H100_all_1g_single()
    {
        var layouts = Resolve("all-1g.10gb");
        Assert.True(GpuResources.IsHomogeneous(layouts));
        Assert.Equal(MigStrategy.Single, GpuResources.MinimalStrategy(layouts));
        var r = GpuResources.PerNode(H100, 8, layouts, MigStrategy.Single);
        Assert.Equal(new Dictionary<string, int> { ["nvidia.com/gpu"] = 56 }, r);
    }

    [Fact]
    public void Single_rejects_mixed_layouts()
    {
        var layouts = Resolve("all-balanced");
        Assert.False(GpuResources.IsHomogeneous(layouts));
        Assert.Equal(MigStrategy.Mixed, GpuResources.MinimalStrategy(layouts));
        var ex = Assert.Throws<ArgumentException>(() => GpuResources.PerNode(H100, 8, layouts, MigStrategy.Single));
        Assert.Contains("single strategy requires homogeneous layouts: the node mixes profiles 1g.10gb, 2g.20gb, 3g.40gb", ex.Message);
    }

    [Fact]
    public void Single_rejects_a_mig_disabled_gpu()
    {
        var custom = new MigConfigDefinition("half", [new MigDeviceLayout([0, 1, 2, 3], Resolve("all-1g.10gb")[0])]);
        var layouts = MigConfigs.Resolve("half", H100, 8, new Dictionary<string, MigConfigDefinition> { ["half"] = custom }).PerDevice;
        Assert.False(GpuResources.IsHomogeneous(layouts));
        var ex = Assert.Throws<ArgumentException>(() => GpuResources.PerNode(H100, 8, layouts, MigStrategy.Single));
        Assert.Contains("GPU 4, 5, 6, 7 have MIG disabled", ex.Message);

        var mixed = GpuResources.PerNode(H100, 8, layouts, MigStrategy.Mixed);
        Assert.Equal(new Dictionary<string, int> { ["nvidia.com/gpu"] = 4, ["nvidia.com/mig-1g.10gb"] = 28 }, mixed);
    }

    [Fact]
    public void Time_slicing_on_one_L4()
    {
        var l4 = HardwareCatalog.Default.FindGpu("L4")!;
        Assert.Equal(new Dictionary<string, int> { ["nvidia.com/gpu"] = 4 }, GpuResources.PerNode(l4, 1, null, MigStrategy.None, timeSlicingReplicas: 4));
    }

    [Fact]
    public void No_mig_gives_whole_gpus_under_any_strategy()
    {
        foreach (var s in Enum.GetValues<MigStrategy>())
        {
            Assert.Equal(8, GpuResources.PerNode(H100, 8, Resolve("all-disabled"), s)["nvidia.com/gpu"]);
        }
    }

    [Fact]
    public void Guards()
    {
        Assert.Throws<ArgumentException>(() => GpuResources.PerNode(H100, 4, Resolve("all-1g.10gb"), MigStrategy.Mixed));
        Assert.Throws<ArgumentException>(() => GpuResources.PerNode(H100, 8, Resolve("all-1g.10gb"), MigStrategy.None));
        Assert.Equal("gpusPerNode", Assert.Throws<ArgumentOutOfRangeException>(() => GpuResources.PerNode(H100, 0, null, MigStrategy.None)).ParamName);
        Assert.Equal("none", MigStrategy.None.ToChartValue());
        Assert.Equal("mixed", MigStrategy.Mixed.ToChartValue());
    }
}
