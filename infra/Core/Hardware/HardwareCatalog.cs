using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Core.Hardware;

/// <summary>
/// The hardware catalog: GPU models with their MIG geometry, AWS GPU instance types with list prices, and the
/// sources every figure comes from. <see cref="Default"/> is the catalog embedded in this assembly
/// (<c>Hardware/Data/catalog.json</c>); <see cref="Load"/> reads and validates any catalog document.
/// </summary>
public sealed partial class HardwareCatalog
{
    /// <summary>Manifest name of the embedded catalog document.</summary>
    internal const string ResourceName = "NeoCloud.Infra.Core.Hardware.Data.catalog.json";

    private static readonly Lazy<HardwareCatalog> DefaultCatalog = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);


    private static readonly ImmutableHashSet<string> Architectures =
        ImmutableHashSet.Create(StringComparer.Ordinal, "ampere", "ada", "hopper", "blackwell");

    private readonly ImmutableDictionary<string, GpuModel> _gpusById;
    private readonly ImmutableDictionary<string, InstanceType> _instanceTypesByName;

    private HardwareCatalog(
        ImmutableArray<GpuModel> gpus,
        ImmutableArray<InstanceType> instanceTypes,
        ImmutableArray<CatalogSource> sources,
        ImmutableArray<CpuInstanceType> cpuInstanceTypes)
    {
        Gpus = gpus;
        CpuInstanceTypes = cpuInstanceTypes;
        _cpuInstanceTypesByName = cpuInstanceTypes.ToImmutableDictionary(t => t.Name, StringComparer.Ordinal);
        InstanceTypes = instanceTypes;
        Sources = sources;
        _gpusById = gpus.ToImmutableDictionary(g => g.Id, StringComparer.Ordinal);
        _instanceTypesByName = instanceTypes.ToImmutableDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The catalog embedded in this assembly; loaded once, on first use, from any working directory.</summary>
    public static HardwareCatalog Default => DefaultCatalog.Value;

    /// <summary>GPU models, in document order.</summary>
    public ImmutableArray<GpuModel> Gpus { get; }

    /// <summary>AWS instance types, in document order.</summary>
    public ImmutableArray<InstanceType> InstanceTypes { get; }

    /// <summary>Sources the figures refer to, in document order.</summary>
    public ImmutableArray<CatalogSource> Sources { get; }

    /// <summary>The GPU model with this exact (case-sensitive) id, or null.</summary>
    /// <param name="id">Catalog id such as <c>H100-SXM5-80GB</c>.</param>
    public GpuModel? FindGpu(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _gpusById.GetValueOrDefault(id);
    }

    /// <summary>The instance type with this exact (case-sensitive) name, or null.</summary>
    /// <param name="name">EC2 instance type such as <c>p5.48xlarge</c>.</param>
    public InstanceType? FindInstanceType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _instanceTypesByName.GetValueOrDefault(name);
    }

    /// <summary>The source with this id, or null.</summary>
    /// <param name="id">Source id.</param>
    public CatalogSource? FindSource(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Sources.FirstOrDefault(s => s.Id == id);
    }

    /// <summary>The GPU model of an instance type of this catalog.</summary>
    /// <param name="t">The instance type.</param>
    /// <exception cref="ArgumentException">The instance type's GPU model is not in this catalog.</exception>
    public GpuModel GpuOf(InstanceType t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return FindGpu(t.GpuModelId)
            ?? throw new ArgumentException(
                $"instance type \"{t.Name}\" refers to GPU model \"{t.GpuModelId}\", which is not in the catalog", nameof(t));
    }

    /// <summary>Reads and validates a catalog document (JSON: <c>sources</c>, <c>gpus</c>, <c>instanceTypes</c>).</summary>
    /// <param name="json">The UTF-8 JSON document.</param>
    /// <exception cref="InvalidDataException">The document is malformed or inconsistent; the message lists every problem.</exception>
    public static HardwareCatalog Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        CatalogDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.CatalogDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"hardware catalog is not valid JSON for the catalog schema: {ex.Message}", ex);
        }

        if (doc is null)
        {
            throw new InvalidDataException("hardware catalog is empty (JSON null)");
        }

        var errors = new List<string>();
        var sources = ToSources(doc.Sources, errors);
        var sourceIds = sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var gpus = ToGpus(doc.Gpus, sourceIds, errors);
        var gpuIds = gpus.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var instanceTypes = ToInstanceTypes(doc.InstanceTypes, sourceIds, gpuIds, errors);
        var cpuInstanceTypes = ToCpuInstanceTypes(doc.CpuInstanceTypes, sourceIds, instanceTypes, errors);

        if (errors.Count > 0)
        {
            throw new InvalidDataException(
                $"hardware catalog is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):"
                + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e)));
        }

        return new HardwareCatalog(gpus, instanceTypes, sources, cpuInstanceTypes);
    }

    private static HardwareCatalog LoadEmbedded()
    {
        using var stream = typeof(HardwareCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(HardwareCatalog).Assembly.GetName().Name}");
        return Load(stream);
    }

    internal static ImmutableArray<CatalogSource> ToSources(List<SourceDto>? dtos, List<string> errors)
    {
        if (dtos is null || dtos.Count == 0)
        {
            errors.Add("sources: at least one source is required");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<CatalogSource>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dtos.Count; i++)
        {
            var d = dtos[i];
            var path = $"sources[{i}]";
            if (string.IsNullOrWhiteSpace(d.Id))
            {
                errors.Add($"{path}.id is required");
                continue;
            }

            path = $"sources[{i}] (\"{d.Id}\")";
            if (!seen.Add(d.Id))
            {
                errors.Add($"{path}: duplicate source id");
            }

            if (string.IsNullOrWhiteSpace(d.Title))
            {
                errors.Add($"{path}.title is required");
            }

            if (!Uri.TryCreate(d.Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add($"{path}.url must be an absolute https URL, got \"{d.Url}\"");
            }

            if (d.Retrieved is null)
            {
                errors.Add($"{path}.retrieved (date) is required");
            }

            result.Add(new CatalogSource(d.Id, d.Title ?? "", d.Url ?? "", d.Retrieved ?? default) { Note = d.Note });
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<GpuModel> ToGpus(List<GpuDto>? dtos, HashSet<string> sourceIds, List<string> errors)
    {
        if (dtos is null || dtos.Count == 0)
        {
            errors.Add("gpus: at least one GPU model is required");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<GpuModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dtos.Count; i++)
        {
            var d = dtos[i];
            if (string.IsNullOrWhiteSpace(d.Id))
            {
                errors.Add($"gpus[{i}].id is required");
                continue;
            }

            var path = $"gpus[{i}] (\"{d.Id}\")";
            if (!seen.Add(d.Id))
            {
                errors.Add($"{path}: duplicate GPU id");
            }

            CheckSource(path + ".source", d.Source, sourceIds, errors);
            CheckSource(path + ".pciDeviceIdSource", d.PciDeviceIdSource ?? d.Source, sourceIds, errors);
            CheckSource(path + ".balancedLayoutSource", d.BalancedLayoutSource ?? d.Source, sourceIds, errors);
            if (string.IsNullOrWhiteSpace(d.DisplayName))
            {
                errors.Add($"{path}.displayName is required");
            }

            if (d.MemoryGiB <= 0)
            {
                errors.Add($"{path}.memoryGiB must be positive, got {d.MemoryGiB}");
            }

            if (d.PciDeviceId is null || !PciDeviceIdPattern().IsMatch(d.PciDeviceId))
            {
                errors.Add($"{path}.pciDeviceId must look like 0x233010DE (device id then vendor 10DE, upper-case hex), got \"{d.PciDeviceId}\"");
            }

            if (d.Architecture is null || !Architectures.Contains(d.Architecture))
            {
                errors.Add($"{path}.architecture must be one of {string.Join(", ", Architectures.Order(StringComparer.Ordinal))}, got \"{d.Architecture}\"");
            }

            var profiles = ToProfiles(path, d, sourceIds, errors);
            var balanced = (d.BalancedLayout ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);
            var gpu = new GpuModel(
                d.Id,
                d.DisplayName ?? "",
                d.MemoryGiB,
                d.PciDeviceId ?? "",
                d.Architecture ?? "",
                d.MigSupported,
                d.ComputeSlices,
                d.MemorySlices,
                profiles,
                balanced,
                d.Source ?? "")
            {
                PciDeviceIdSource = d.PciDeviceIdSource ?? d.Source ?? "",
                BalancedLayoutSource = d.BalancedLayoutSource ?? d.Source ?? "",
            };

            if (d.MigSupported && balanced.Count == 0)
            {
                errors.Add($"{path}.balancedLayout is required when MIG is supported (mig-parted defines all-balanced for every MIG GPU)");
            }

            if (!d.MigSupported && balanced.Count > 0)
            {
                errors.Add($"{path}.balancedLayout must be empty when MIG is not supported");
            }

            if (d.MigSupported && balanced.Count > 0 && profiles.Length == d.MigProfiles?.Count)
            {
                var check = MigGeometry.Validate(gpu, balanced);
                errors.AddRange(check.Errors.Select(e => $"{path}.balancedLayout: {e}"));
            }

            result.Add(gpu);
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<MigProfile> ToProfiles(string gpuPath, GpuDto d, HashSet<string> sourceIds, List<string> errors)
    {
        var dtos = d.MigProfiles ?? [];
        if (!d.MigSupported)
        {
            if (dtos.Count > 0 || d.ComputeSlices != 0 || d.MemorySlices != 0)
            {
                errors.Add($"{gpuPath}: migSupported is false, so migProfiles must be empty and computeSlices/memorySlices 0");
            }

            return [];
        }

        if (d.ComputeSlices <= 0 || d.MemorySlices <= 0)
        {
            errors.Add($"{gpuPath}: a MIG GPU needs positive computeSlices and memorySlices, got {d.ComputeSlices} and {d.MemorySlices}");
        }

        if (dtos.Count == 0)
        {
            errors.Add($"{gpuPath}.migProfiles: a MIG GPU needs at least one profile");
        }

        var result = ImmutableArray.CreateBuilder<MigProfile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < dtos.Count; j++)
        {
            var p = dtos[j];
            var path = $"{gpuPath}.migProfiles[{j}] (\"{p.Name}\")";
            var before = errors.Count;
            if (p.Name is null || !ProfileNamePattern().IsMatch(p.Name))
            {
                errors.Add($"{path}.name must look like 3g.40gb, got \"{p.Name}\"");
            }
            else
            {
                if (!seen.Add(p.Name))
                {
                    errors.Add($"{path}: duplicate profile name");
                }

                var prefix = int.Parse(p.Name[..p.Name.IndexOf('g', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                if (prefix != p.ComputeSlices)
                {
                    errors.Add($"{path}.computeSlices is {p.ComputeSlices} but the name says {prefix}");
                }
            }

            CheckSource(path + ".source", p.Source, sourceIds, errors);
            CheckSource(path + ".placementsSource", p.PlacementsSource ?? p.Source, sourceIds, errors);
            if (p.ComputeSlices <= 0 || p.ComputeSlices > d.ComputeSlices)
            {
                errors.Add($"{path}.computeSlices must be 1..{d.ComputeSlices}, got {p.ComputeSlices}");
            }

            if (p.MemorySlices <= 0 || p.MemorySlices > d.MemorySlices)
            {
                errors.Add($"{path}.memorySlices must be 1..{d.MemorySlices}, got {p.MemorySlices}");
            }

            var placements = (p.Placements ?? []).ToImmutableArray();
            if (placements.IsEmpty)
            {
                errors.Add($"{path}.placements must list at least one start slice");
            }

            if (placements.Distinct().Count() != placements.Length || !placements.SequenceEqual(placements.Order()))
            {
                errors.Add($"{path}.placements must be distinct and ascending, got [{string.Join(", ", placements)}]");
            }

            foreach (var start in placements)
            {
                if (start < 0 || start + p.MemorySlices > d.MemorySlices)
                {
                    errors.Add($"{path}: placement at {start} spans memory slices {start}-{start + p.MemorySlices - 1}, outside 0-{d.MemorySlices - 1}");
                }
            }

            if (p.MaxCount <= 0 || p.MaxCount > placements.Length)
            {
                errors.Add($"{path}.maxCount must be 1..{placements.Length} (the number of placements), got {p.MaxCount}");
            }

            if (errors.Count == before)
            {
                result.Add(new MigProfile(p.Name!, p.ComputeSlices, p.MemorySlices, p.MaxCount, placements, p.Source!)
                {
                    PlacementsSource = p.PlacementsSource ?? p.Source!,
                });
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<InstanceType> ToInstanceTypes(
        List<InstanceTypeDto>? dtos, HashSet<string> sourceIds, HashSet<string> gpuIds, List<string> errors)
    {
        if (dtos is null)
        {
            errors.Add("instanceTypes is required (may be empty)");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<InstanceType>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dtos.Count; i++)
        {
            var d = dtos[i];
            if (string.IsNullOrWhiteSpace(d.Name))
            {
                errors.Add($"instanceTypes[{i}].name is required");
                continue;
            }

            var path = $"instanceTypes[{i}] (\"{d.Name}\")";
            if (!seen.Add(d.Name))
            {
                errors.Add($"{path}: duplicate instance type");
            }

            if (d.GpuModelId is null || !gpuIds.Contains(d.GpuModelId))
            {
                errors.Add($"{path}.gpuModelId \"{d.GpuModelId}\" is not a GPU of the catalog (gpus: {string.Join(", ", gpuIds.Order(StringComparer.Ordinal))})");
            }

            CheckSource(path + ".source", d.Source, sourceIds, errors);
            CheckSource(path + ".priceSource", d.PriceSource ?? d.Source, sourceIds, errors);
            if (d.Gpus <= 0 || d.Vcpus <= 0 || d.MemoryGiB <= 0)
            {
                errors.Add($"{path}: gpus, vcpus and memoryGiB must be positive, got {d.Gpus}, {d.Vcpus}, {d.MemoryGiB}");
            }

            CheckPrice(path, d.OnDemandUsdPerHour, d.PriceRegion, d.PriceDate, d.PriceSource, errors);

            result.Add(new InstanceType(
                d.Name, d.GpuModelId ?? "", d.Gpus, d.Vcpus, d.MemoryGiB, d.OnDemandUsdPerHour,
                d.PriceRegion, d.PriceDate, d.Source ?? "")
            {
                PriceSource = d.PriceSource ?? d.Source ?? "",
            });
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// One price rule for GPU and CPU instance types: a positive figure with its region and date, or not priced (null)
    /// with a price source that says why and no region or date (a placeholder price would be billed as if it were real).
    /// </summary>
    private static void CheckPrice(string path, decimal? usdPerHour, string? region, DateOnly? date, string? priceSource, List<string> errors)
    {
        if (usdPerHour is null)
        {
            if (region is not null || date is not null)
            {
                errors.Add($"{path}: priceRegion and priceDate belong to a price; onDemandUsdPerHour is null (not priced), remove them");
            }

            if (priceSource is null)
            {
                errors.Add($"{path}.priceSource is required when onDemandUsdPerHour is null: a source that says why there is no price");
            }

            return;
        }

        if (usdPerHour <= 0)
        {
            errors.Add($"{path}.onDemandUsdPerHour must be positive or null (not priced), got {usdPerHour}");
        }

        if (string.IsNullOrWhiteSpace(region))
        {
            errors.Add($"{path}.priceRegion is required");
        }

        if (date is null)
        {
            errors.Add($"{path}.priceDate is required");
        }
    }

    private static void CheckSource(string path, string? sourceId, HashSet<string> sourceIds, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(sourceId))
        {
            errors.Add($"{path} is required");
        }
        else if (!sourceIds.Contains(sourceId))
        {
            errors.Add($"{path} \"{sourceId}\" is not in sources");
        }
    }

    [GeneratedRegex("^0x[0-9A-F]{4}10DE$")]
    private static partial Regex PciDeviceIdPattern();

    [GeneratedRegex("^[1-9]g\\.[0-9]+gb$")]
    private static partial Regex ProfileNamePattern();

    internal sealed class CatalogDocument
    {
        public List<SourceDto>? Sources { get; set; }

        public List<GpuDto>? Gpus { get; set; }

        public List<InstanceTypeDto>? InstanceTypes { get; set; }

        public List<CpuInstanceTypeDto>? CpuInstanceTypes { get; set; }
    }

    internal sealed class SourceDto
    {
        public string? Id { get; set; }

        public string? Title { get; set; }

        public string? Url { get; set; }

        public DateOnly? Retrieved { get; set; }

        public string? Note { get; set; }
    }

    internal sealed class GpuDto
    {
        public string? Id { get; set; }

        public string? DisplayName { get; set; }

        public int MemoryGiB { get; set; }

        public string? PciDeviceId { get; set; }

        public string? Architecture { get; set; }

        public bool MigSupported { get; set; }

        public int ComputeSlices { get; set; }

        public int MemorySlices { get; set; }

        public List<MigProfileDto>? MigProfiles { get; set; }

        public Dictionary<string, int>? BalancedLayout { get; set; }

        public string? Source { get; set; }

        public string? PciDeviceIdSource { get; set; }

        public string? BalancedLayoutSource { get; set; }
    }

    internal sealed class MigProfileDto
    {
        public string? Name { get; set; }

        public int ComputeSlices { get; set; }

        public int MemorySlices { get; set; }

        public int MaxCount { get; set; }

        public List<int>? Placements { get; set; }

        public string? Source { get; set; }

        public string? PlacementsSource { get; set; }
    }

    internal sealed class InstanceTypeDto
    {
        public string? Name { get; set; }

        public string? GpuModelId { get; set; }

        public int Gpus { get; set; }

        public int Vcpus { get; set; }

        public int MemoryGiB { get; set; }

        public decimal? OnDemandUsdPerHour { get; set; }

        public string? PriceRegion { get; set; }

        public DateOnly? PriceDate { get; set; }

        public string? Source { get; set; }

        public string? PriceSource { get; set; }
    }
}

/// <summary>Source-generated JSON metadata for the catalog document, so loading needs no reflection at start-up.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(HardwareCatalog.CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
