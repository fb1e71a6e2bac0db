using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>A GPU model of the hardware catalog.</summary>
/// <param name="Id">Catalog id, e.g. <c>H100-SXM5-80GB</c>; used in configuration and labels.</param>
/// <param name="DisplayName">The product name NVIDIA uses.</param>
/// <param name="MemoryGiB">Device memory in GiB (as marketed: 80, 94, 141 ...).</param>
/// <param name="PciDeviceId">PCI device id as mig-parted's <c>device-filter</c> expects it, e.g. <c>0x233010DE</c>.</param>
/// <param name="Architecture">ampere, ada, hopper, blackwell.</param>
/// <param name="MigSupported">Whether the GPU supports Multi-Instance GPU.</param>
/// <param name="ComputeSlices">Compute (GPC) slices available to MIG; 0 when MIG is not supported.</param>
/// <param name="MemorySlices">Memory slices available to MIG; 0 when MIG is not supported.</param>
/// <param name="MigProfiles">The MIG GPU-instance profiles of this model (empty when MIG is not supported).</param>
/// <param name="BalancedLayout">The <c>all-balanced</c> layout as NVIDIA's mig-parted defines it for this model (profile → count).</param>
/// <param name="Source">Id of the <see cref="CatalogSource"/> the figures come from.</param>
public sealed record GpuModel(
    string Id,
    string DisplayName,
    int MemoryGiB,
    string PciDeviceId,
    string Architecture,
    bool MigSupported,
    int ComputeSlices,
    int MemorySlices,
    ImmutableArray<MigProfile> MigProfiles,
    ImmutableSortedDictionary<string, int> BalancedLayout,
    string Source)
{
    /// <summary>The MIG profile with the given name (e.g. <c>1g.10gb</c>), or null when this model has none.</summary>
    public MigProfile? FindProfile(string name) => MigProfiles.FirstOrDefault(p => p.Name == name);

    /// <summary>Id of the <see cref="CatalogSource"/> of <see cref="PciDeviceId"/>. Defaults to <see cref="Source"/>.</summary>
    public string PciDeviceIdSource { get; init; } = Source;

    /// <summary>Id of the <see cref="CatalogSource"/> of <see cref="BalancedLayout"/>. Defaults to <see cref="Source"/>.</summary>
    public string BalancedLayoutSource { get; init; } = Source;
}

/// <summary>A MIG GPU-instance profile and where it may be placed on the GPU.</summary>
/// <param name="Name">Profile name without the "MIG " prefix, e.g. <c>3g.40gb</c>.</param>
/// <param name="ComputeSlices">Compute slices the instance uses (the "3" of 3g.40gb).</param>
/// <param name="MemorySlices">Memory slices the instance occupies; also the width of a placement.</param>
/// <param name="MaxCount">The most instances of this profile one GPU can hold.</param>
/// <param name="Placements">Allowed start memory slices (<c>nvidia-smi mig -lgipp</c>), e.g. {0,4} for 3g.40gb on H100.</param>
/// <param name="Source">Id of the <see cref="CatalogSource"/> the figures come from.</param>
public sealed record MigProfile(
    string Name,
    int ComputeSlices,
    int MemorySlices,
    int MaxCount,
    ImmutableArray<int> Placements,
    string Source)
{
    /// <summary>The Kubernetes extended resource a pod requests for one instance under the mixed strategy.</summary>
    public string MixedResourceName => "nvidia.com/mig-" + Name;

    /// <summary>Id of the <see cref="CatalogSource"/> of <see cref="Placements"/>. Defaults to <see cref="Source"/>.</summary>
    public string PlacementsSource { get; init; } = Source;
}

/// <summary>An AWS EC2 GPU instance type with its list price.</summary>
/// <param name="Name">EC2 instance type, e.g. <c>p5.48xlarge</c>.</param>
/// <param name="GpuModelId">Catalog id of its GPU model.</param>
/// <param name="Gpus">GPUs per instance.</param>
/// <param name="Vcpus">vCPUs per instance.</param>
/// <param name="MemoryGiB">Instance memory in GiB.</param>
/// <param name="OnDemandUsdPerHour">On-demand hourly list price in USD (Linux) in <paramref name="PriceRegion"/> on <paramref name="PriceDate"/>;
/// null when no published on-demand price was found ("not priced": <see cref="PriceSource"/> says why). Never a placeholder figure.</param>
/// <param name="PriceRegion">AWS region of the price, e.g. <c>us-east-1</c>; null when not priced.</param>
/// <param name="PriceDate">The date the price was read; null when not priced.</param>
/// <param name="Source">Id of the <see cref="CatalogSource"/> the figures come from.</param>
public sealed record InstanceType(
    string Name,
    string GpuModelId,
    int Gpus,
    int Vcpus,
    int MemoryGiB,
    decimal? OnDemandUsdPerHour,
    string? PriceRegion,
    DateOnly? PriceDate,
    string Source)
{
    /// <summary>Id of the <see cref="CatalogSource"/> of <see cref="OnDemandUsdPerHour"/> (or of why it is not priced). Defaults to <see cref="Source"/>.</summary>
    public string PriceSource { get; init; } = Source;

    /// <summary>True when the catalog has an on-demand list price for this type.</summary>
    public bool IsPriced => OnDemandUsdPerHour is not null;
}

/// <summary>Where catalog figures come from.</summary>
/// <param name="Id">Id that figures refer to.</param>
/// <param name="Title">What the source is.</param>
/// <param name="Url">Where to read it.</param>
/// <param name="Retrieved">When it was read.</param>
public sealed record CatalogSource(string Id, string Title, string Url, DateOnly Retrieved)
{
    /// <summary>What was (and was not) verified in this source; null when there is nothing to add.</summary>
    public string? Note { get; init; }
}
