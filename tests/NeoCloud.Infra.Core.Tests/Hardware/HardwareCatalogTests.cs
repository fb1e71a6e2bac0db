using System.Text;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Tests.Hardware;

public sealed class HardwareCatalogTests
{
    private static HardwareCatalog Catalog => HardwareCatalog.Default;

    [Fact]
    public void Default_loads_from_the_embedded_resource_whatever_the_current_directory()
    {
        var previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(Path.GetTempPath());
            Assert.NotEmpty(HardwareCatalog.Default.Gpus);
            Assert.Same(HardwareCatalog.Default, HardwareCatalog.Default);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    [Theory]
    [InlineData("A100-SXM4-40GB")]
    [InlineData("A100-SXM4-80GB")]
    [InlineData("H100-SXM5-80GB")]
    [InlineData("H100-NVL-94GB")]
    [InlineData("H200-SXM-141GB")]
    [InlineData("B200-SXM-180GB")]
    [InlineData("L40S")]
    [InlineData("A10G")]
    [InlineData("L4")]
    public void Catalog_has_the_gpu(string id) => Assert.Equal(id, Catalog.FindGpu(id)?.Id);

    [Fact]
    public void Lookups_are_exact_and_case_sensitive()
    {
        Assert.Null(Catalog.FindGpu("h100-sxm5-80gb"));
        Assert.Null(Catalog.FindInstanceType("P5.48xlarge"));
        Assert.Equal("H100-SXM5-80GB", Catalog.GpuOf(Catalog.FindInstanceType("p5.48xlarge")!).Id);
    }

    [Fact]
    public void Has_every_requested_instance_type()
    {
        var sizes = new[] { "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge" };
        var expected = new[] { "p4d.24xlarge", "p4de.24xlarge", "p5.48xlarge", "p5e.48xlarge", "p5en.48xlarge", "p6-b200.48xlarge" }
            .Concat(new[] { "g5", "g6", "g6e" }.SelectMany(f => sizes.Select(s => $"{f}.{s}")));
        foreach (var name in expected)
        {
            Assert.NotNull(Catalog.FindInstanceType(name));
        }
    }

    [Fact]
    public void Every_instance_types_gpu_exists()
    {
        foreach (var t in Catalog.InstanceTypes)
        {
            Assert.NotNull(Catalog.FindGpu(t.GpuModelId));
            Assert.Equal(t.GpuModelId, Catalog.GpuOf(t).Id);
            if (t.IsPriced)
            {
                Assert.True(t.OnDemandUsdPerHour > 0, t.Name);
                Assert.Equal("us-east-1", t.PriceRegion);
            }
        }
    }

    [Fact]
    public void P5e_is_not_priced_rather_than_given_a_placeholder_figure()
    {
        var p5e = Catalog.FindInstanceType("p5e.48xlarge")!;
        Assert.False(p5e.IsPriced);
        Assert.Null(p5e.OnDemandUsdPerHour);
        Assert.Null(p5e.PriceRegion);
        Assert.Null(p5e.PriceDate);
        Assert.Contains("not priced", Catalog.Sources.Single(s => s.Id == p5e.PriceSource).Title, StringComparison.Ordinal);
        Assert.All(Catalog.InstanceTypes.Where(t => t.Name != "p5e.48xlarge"), t => Assert.True(t.IsPriced, t.Name));
    }

    [Fact]
    public void Every_figure_has_a_source()
    {
        var ids = Catalog.Sources.Select(s => s.Id).ToHashSet();
        foreach (var g in Catalog.Gpus)
        {
            Assert.Contains(g.Source, ids);
            Assert.Contains(g.PciDeviceIdSource, ids);
            Assert.Contains(g.BalancedLayoutSource, ids);
            foreach (var p in g.MigProfiles)
            {
                Assert.Contains(p.Source, ids);
                Assert.Contains(p.PlacementsSource, ids);
            }
        }

        foreach (var t in Catalog.InstanceTypes)
        {
            Assert.Contains(t.Source, ids);
            Assert.Contains(t.PriceSource, ids);
        }

        foreach (var s in Catalog.Sources)
        {
            Assert.StartsWith("https://", s.Url);
            Assert.NotEqual(default, s.Retrieved);
        }
    }

    [Fact]
    public void Balanced_layouts_are_valid_and_match_mig_parted()
    {
        // mig-parted deployments/systemd/config-default.yaml, all-balanced.
        Assert.Equal("1g.10gb×2+2g.20gb×1+3g.40gb×1", MigGeometry.Describe(Catalog.FindGpu("H100-SXM5-80GB")!.BalancedLayout));
        Assert.Equal("1g.5gb×2+2g.10gb×1+3g.20gb×1", MigGeometry.Describe(Catalog.FindGpu("A100-SXM4-40GB")!.BalancedLayout));
        Assert.Equal("1g.23gb×2+2g.45gb×1+3g.90gb×1", MigGeometry.Describe(Catalog.FindGpu("B200-SXM-180GB")!.BalancedLayout));
        foreach (var g in Catalog.Gpus.Where(g => g.MigSupported))
        {
            Assert.True(MigGeometry.Validate(g, g.BalancedLayout).IsValid, g.Id);
        }
    }

    [Fact]
    public void Non_mig_gpus_have_no_profiles()
    {
        foreach (var id in new[] { "L40S", "A10G", "L4" })
        {
            var g = Catalog.FindGpu(id)!;
            Assert.False(g.MigSupported);
            Assert.Empty(g.MigProfiles);
        }
    }

    [Fact]
    public void Load_rejects_dangling_references_with_every_problem_named()
    {
        const string json = """
        {
          "sources": [ { "id": "s", "title": "t", "url": "https://example.org", "retrieved": "2026-01-01" } ],
          "gpus": [ {
            "id": "X", "displayName": "X", "memoryGiB": 80, "pciDeviceId": "0x233010DE", "architecture": "hopper",
            "migSupported": true, "computeSlices": 7, "memorySlices": 8, "source": "nope",
            "migProfiles": [ { "name": "3g.40gb", "computeSlices": 3, "memorySlices": 4, "maxCount": 2, "placements": [0, 6], "source": "s" } ],
            "balancedLayout": { "3g.40gb": 1 }
          } ],
          "instanceTypes": [ { "name": "p", "gpuModelId": "Y", "gpus": 8, "vcpus": 1, "memoryGiB": 1, "onDemandUsdPerHour": 1,
                               "priceRegion": "us-east-1", "priceDate": "2026-01-01", "source": "s" } ]
        }
        """;
        var ex = Assert.Throws<InvalidDataException>(() => HardwareCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains("gpus[0] (\"X\").source \"nope\" is not in sources", ex.Message);
        Assert.Contains("placement at 6 spans memory slices 6-9, outside 0-7", ex.Message);
        Assert.Contains("gpuModelId \"Y\" is not a GPU of the catalog", ex.Message);
    }

    [Fact]
    public void Load_rejects_unknown_members()
    {
        const string json = """{ "sources": [], "gpus": [], "instanceTypes": [], "extra": 1 }""";
        Assert.Throws<InvalidDataException>(() => HardwareCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }
}
