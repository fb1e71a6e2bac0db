using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Tests.Hardware;

/// <summary>The CPU instance types of the catalog: sizes and, where a source states it, the on-demand price.</summary>
public sealed class CpuCatalogPriceTests
{
    private static readonly HardwareCatalog Catalog = HardwareCatalog.Default;

    [Theory]
    [InlineData("m7i.large", 2, 8, 0.1008)]
    [InlineData("m7i.xlarge", 4, 16, 0.2016)]
    [InlineData("m7i.2xlarge", 8, 32, 0.4032)]
    [InlineData("m7i.4xlarge", 16, 64, 0.8064)]
    public void M7i_sizes_are_priced_from_their_cited_us_east_1_rate(string name, int vcpus, int memoryGiB, double price)
    {
        var type = Catalog.FindCpuInstanceType(name)!;
        Assert.Equal((vcpus, memoryGiB), (type.Vcpus, type.MemoryGiB));
        Assert.Equal((decimal)price, type.OnDemandUsdPerHour);
        Assert.Equal("us-east-1", type.PriceRegion);
        var source = Assert.Single(Catalog.Sources, s => s.Id == type.PriceSource);
        Assert.Contains("m7i.large", source.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m7a.xlarge")]
    [InlineData("c7i.2xlarge")]
    [InlineData("r7i.2xlarge")]
    public void Sizes_no_source_prices_stay_not_priced_with_the_reason(string name)
    {
        var type = Catalog.FindCpuInstanceType(name)!;
        Assert.Null(type.OnDemandUsdPerHour);
        Assert.Contains("not priced", Catalog.Sources.Single(s => s.Id == type.PriceSource).Title, StringComparison.Ordinal);
    }
}
