using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tests.Platform;

public sealed class QuantitiesTests
{
    [Theory]
    [InlineData("cpu", "4", 4000)]
    [InlineData("cpu", "500m", 500)]
    [InlineData("cpu", "0.25", 250)]
    [InlineData("memory", "16Gi", 17179869184)]
    [InlineData("memory", "128M", 128000000)]
    [InlineData("memory", "1e3", 1000)]
    [InlineData("nvidia.com/gpu", "2", 2)]
    public void Parses_Kubernetes_quantities_into_canonical_units(string resource, string text, long expected)
    {
        Assert.Equal(expected, Quantities.Parse(resource, text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4 cores")]
    [InlineData("Gi")]
    [InlineData("-1")]
    public void Rejects_text_that_is_not_a_quantity(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Quantities.Parse("cpu", text));
        Assert.Contains("is not a Kubernetes quantity (resource cpu)", ex.Message, StringComparison.Ordinal);
    }
}
