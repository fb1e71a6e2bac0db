using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>
/// An AWS EC2 general-purpose (CPU-only) instance type for system and CPU pools (<c>gpuPools[].purpose: cpu</c>).
/// </summary>
/// <param name="Name">EC2 instance type, e.g. <c>m7i.xlarge</c>.</param>
/// <param name="Vcpus">vCPUs per instance.</param>
/// <param name="MemoryGiB">Instance memory in GiB.</param>
/// <param name="OnDemandUsdPerHour">On-demand hourly list price in USD, or null when not priced (<see cref="PriceSource"/> says why). Never a placeholder.</param>
/// <param name="PriceRegion">AWS region of the price; null when not priced.</param>
/// <param name="PriceDate">The date the price was read; null when not priced.</param>
/// <param name="Source">Id of the <see cref="CatalogSource"/> of the vCPU and memory figures.</param>
public sealed record CpuInstanceType(
    string Name,
    int Vcpus,
    int MemoryGiB,
    decimal? OnDemandUsdPerHour,
    string? PriceRegion,
    DateOnly? PriceDate,
    string Source)
{
    /// <summary>Id of the <see cref="CatalogSource"/> of the price (or of why there is none). Defaults to <see cref="Source"/>.</summary>
    public string PriceSource { get; init; } = Source;
}

/// <summary>CPU instance types of the catalog (<c>cpuInstanceTypes</c>).</summary>
public sealed partial class HardwareCatalog
{
    private readonly ImmutableDictionary<string, CpuInstanceType> _cpuInstanceTypesByName;

    /// <summary>General-purpose (CPU-only) instance types, in document order.</summary>
    public ImmutableArray<CpuInstanceType> CpuInstanceTypes { get; }

    /// <summary>The CPU instance type with this exact (case-sensitive) name, or null.</summary>
    /// <param name="name">EC2 instance type such as <c>m7i.xlarge</c>.</param>
    public CpuInstanceType? FindCpuInstanceType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _cpuInstanceTypesByName.GetValueOrDefault(name);
    }

    private static ImmutableArray<CpuInstanceType> ToCpuInstanceTypes(
        List<CpuInstanceTypeDto>? dtos, HashSet<string> sourceIds, ImmutableArray<InstanceType> gpuTypes, List<string> errors)
    {
        var result = ImmutableArray.CreateBuilder<CpuInstanceType>();
        var seen = gpuTypes.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < (dtos?.Count ?? 0); i++)
        {
            var d = dtos![i];
            if (string.IsNullOrWhiteSpace(d.Name))
            {
                errors.Add($"cpuInstanceTypes[{i}].name is required");
                continue;
            }

            var path = $"cpuInstanceTypes[{i}] (\"{d.Name}\")";
            if (!seen.Add(d.Name))
            {
                errors.Add($"{path}: duplicate instance type (instance type names are unique across instanceTypes and cpuInstanceTypes)");
            }

            CheckSource(path + ".source", d.Source, sourceIds, errors);
            CheckSource(path + ".priceSource", d.PriceSource ?? d.Source, sourceIds, errors);
            if (d.Vcpus <= 0 || d.MemoryGiB <= 0)
            {
                errors.Add($"{path}: vcpus and memoryGiB must be positive, got {d.Vcpus}, {d.MemoryGiB}");
            }

            CheckPrice(path, d.OnDemandUsdPerHour, d.PriceRegion, d.PriceDate, d.PriceSource, errors);

            result.Add(new CpuInstanceType(d.Name, d.Vcpus, d.MemoryGiB, d.OnDemandUsdPerHour, d.PriceRegion, d.PriceDate, d.Source ?? "")
            {
                PriceSource = d.PriceSource ?? d.Source ?? "",
            });
        }

        return result.ToImmutable();
    }

    internal sealed class CpuInstanceTypeDto
    {
        public string? Name { get; set; }

        public int Vcpus { get; set; }

        public int MemoryGiB { get; set; }

        public decimal? OnDemandUsdPerHour { get; set; }

        public string? PriceRegion { get; set; }

        public DateOnly? PriceDate { get; set; }

        public string? Source { get; set; }

        public string? PriceSource { get; set; }
    }
}
