using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Compatibility;

/// <summary>A GPU Operator release: the drivers it supports and the Kubernetes minor versions it is validated on.</summary>
/// <param name="Version">Chart version as the NGC repository tags it, e.g. <c>v26.7.0</c>.</param>
/// <param name="Drivers">Data-center driver versions of its component matrix.</param>
/// <param name="DefaultDriver">The driver its chart installs by default.</param>
/// <param name="Kubernetes">Kubernetes minor versions (e.g. <c>1.33</c>).</param>
/// <param name="Source">Source id of the drivers.</param>
/// <param name="KubernetesSource">Source id of the Kubernetes versions.</param>
public sealed record GpuOperatorRelease(string Version, ImmutableArray<string> Drivers, string DefaultDriver, ImmutableArray<string> Kubernetes, string Source, string KubernetesSource);

/// <summary>The oldest driver that runs a CUDA major version (minor version compatibility).</summary>
/// <param name="CudaMajor">CUDA major version, e.g. 13.</param>
/// <param name="MinDriver">Minimum driver, e.g. <c>580</c>.</param>
/// <param name="Source">Source id.</param>
public sealed record CudaDriverRequirement(int CudaMajor, string MinDriver, string Source);

/// <summary>A serving image and the CUDA it is built on.</summary>
/// <param name="Image">Full image reference.</param>
/// <param name="Cuda">CUDA version, e.g. <c>13.4.3</c>.</param>
/// <param name="PackagedDriver">The driver the image's CUDA ships with, when the source states it; null otherwise.</param>
/// <param name="Source">Source id.</param>
public sealed record ServingImageRequirement(string Image, string Cuda, string? PackagedDriver, string Source)
{
    /// <summary>The CUDA major version.</summary>
    public int CudaMajor => int.Parse(Cuda.Split('.')[0], CultureInfo.InvariantCulture);
}

/// <summary>An EKS GPU AMI release (the node group's <c>releaseVersion</c>) and the NVIDIA driver it ships.</summary>
/// <param name="AmiType">EKS AMI type, e.g. <c>AL2023_x86_64_NVIDIA</c>.</param>
/// <param name="Kubernetes">Kubernetes minor version.</param>
/// <param name="ReleaseVersion">The AMI release version, e.g. <c>1.33.13-20260714</c>.</param>
/// <param name="Driver">The NVIDIA driver version the AMI ships.</param>
/// <param name="Source">Source id.</param>
public sealed record EksAmiRelease(string AmiType, string Kubernetes, string ReleaseVersion, string Driver, string Source);

/// <summary>
/// The version-compatibility matrix: GPU Operator ↔ driver ↔ Kubernetes, CUDA ↔ minimum driver, serving image ↔ CUDA
/// (hence minimum driver), EKS GPU AMI release ↔ driver; every row with its source. <see cref="Default"/> is the
/// matrix embedded in this assembly (<c>Compatibility/Data/compatibility.json</c>); <see cref="Load"/> reads and
/// validates any matrix document. The binder rejects a stack outside it.
/// </summary>
public sealed class CompatibilityMatrix
{
    /// <summary>Manifest name of the embedded matrix document.</summary>
    internal const string ResourceName = "NeoCloud.Infra.Core.Compatibility.Data.compatibility.json";

    private static readonly Lazy<CompatibilityMatrix> DefaultMatrix = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private CompatibilityMatrix(
        ImmutableArray<CatalogSource> sources,
        ImmutableArray<GpuOperatorRelease> gpuOperators,
        ImmutableArray<CudaDriverRequirement> cudaDrivers,
        ImmutableArray<ServingImageRequirement> servingImages,
        ImmutableArray<EksAmiRelease> eksAmis)
    {
        Sources = sources;
        GpuOperators = gpuOperators;
        CudaDrivers = cudaDrivers;
        ServingImages = servingImages;
        EksAmis = eksAmis;
    }

    /// <summary>The matrix embedded in this assembly; loaded once, on first use.</summary>
    public static CompatibilityMatrix Default => DefaultMatrix.Value;

    /// <summary>Sources the rows refer to.</summary>
    public ImmutableArray<CatalogSource> Sources { get; }

    /// <summary>GPU Operator releases.</summary>
    public ImmutableArray<GpuOperatorRelease> GpuOperators { get; }

    /// <summary>CUDA major version → minimum driver.</summary>
    public ImmutableArray<CudaDriverRequirement> CudaDrivers { get; }

    /// <summary>Serving images.</summary>
    public ImmutableArray<ServingImageRequirement> ServingImages { get; }

    /// <summary>EKS GPU AMI releases, in document order (per Kubernetes version, the last is the default).</summary>
    public ImmutableArray<EksAmiRelease> EksAmis { get; }

    /// <summary>The GPU Operator release with this chart version, or null.</summary>
    /// <param name="version">Chart version, e.g. <c>v26.7.0</c>.</param>
    public GpuOperatorRelease? FindGpuOperator(string version) => GpuOperators.FirstOrDefault(g => g.Version == version);

    /// <summary>The serving image row of this reference, or null.</summary>
    /// <param name="image">Full image reference.</param>
    public ServingImageRequirement? FindImage(string image) => ServingImages.FirstOrDefault(i => i.Image == image);

    /// <summary>The minimum driver of <paramref name="image"/> (from its CUDA major), or null when the matrix has no CUDA row for it.</summary>
    /// <param name="image">The image row.</param>
    public string? MinDriver(ServingImageRequirement image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return CudaDrivers.FirstOrDefault(c => c.CudaMajor == image.CudaMajor)?.MinDriver;
    }

    /// <summary>The AMI releases of <paramref name="amiType"/> for Kubernetes <paramref name="kubernetes"/>, in document order.</summary>
    /// <param name="amiType">EKS AMI type.</param>
    /// <param name="kubernetes">Kubernetes minor version.</param>
    public ImmutableArray<EksAmiRelease> EksAmisFor(string amiType, string kubernetes) =>
        [.. EksAmis.Where(a => a.AmiType == amiType && a.Kubernetes == kubernetes)];

    /// <summary>Compares two driver versions numerically, segment by segment (<c>580</c> &lt; <c>580.159.03</c> &lt; <c>595.91.07</c>).</summary>
    /// <param name="a">A driver version.</param>
    /// <param name="b">Another driver version.</param>
    public static int CompareDrivers(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var p = i < x.Length ? int.Parse(x[i], CultureInfo.InvariantCulture) : 0;
            var q = i < y.Length ? int.Parse(y[i], CultureInfo.InvariantCulture) : 0;
            if (p != q)
            {
                return p.CompareTo(q);
            }
        }

        return 0;
    }

    /// <summary>Reads and validates a matrix document.</summary>
    /// <param name="json">The UTF-8 JSON document.</param>
    /// <exception cref="InvalidDataException">The document is malformed or inconsistent; the message lists every problem.</exception>
    public static CompatibilityMatrix Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        MatrixDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, CompatibilityJsonContext.Default.MatrixDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"compatibility matrix is not valid JSON for the matrix schema: {ex.Message}", ex);
        }

        if (doc is null)
        {
            throw new InvalidDataException("compatibility matrix is empty (JSON null)");
        }

        var errors = new List<string>();
        var sources = HardwareCatalog.ToSources(doc.Sources, errors);
        var ids = sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        void Source(string path, string? id)
        {
            if (string.IsNullOrWhiteSpace(id) || !ids.Contains(id))
            {
                errors.Add($"{path}: source \"{id}\" is not in sources");
            }
        }

        void Driver(string path, string? version)
        {
            if (string.IsNullOrEmpty(version) || !version.Split('.').All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            {
                errors.Add($"{path}: \"{version}\" is not a driver version such as 595.91.07");
            }
        }

        var operators = ImmutableArray.CreateBuilder<GpuOperatorRelease>();
        foreach (var (g, i) in (doc.GpuOperators ?? []).Select((g, i) => (g, i)))
        {
            var path = $"gpuOperators[{i}]";
            var drivers = g.Drivers ?? [];
            drivers.ForEach(d => Driver(path + ".drivers", d));
            if (g.DefaultDriver is null || !drivers.Contains(g.DefaultDriver))
            {
                errors.Add($"{path}.defaultDriver \"{g.DefaultDriver}\" is not one of its drivers");
            }

            if (g.Kubernetes is not { Count: > 0 })
            {
                errors.Add($"{path}.kubernetes must list at least one Kubernetes version");
            }

            Source(path + ".source", g.Source);
            Source(path + ".kubernetesSource", g.KubernetesSource);
            operators.Add(new GpuOperatorRelease(g.Version ?? "", [.. drivers], g.DefaultDriver ?? "", [.. g.Kubernetes ?? []], g.Source ?? "", g.KubernetesSource ?? ""));
        }

        var cuda = ImmutableArray.CreateBuilder<CudaDriverRequirement>();
        foreach (var (c, i) in (doc.CudaDrivers ?? []).Select((c, i) => (c, i)))
        {
            Driver($"cudaDrivers[{i}].minDriver", c.MinDriver);
            Source($"cudaDrivers[{i}].source", c.Source);
            cuda.Add(new CudaDriverRequirement(c.CudaMajor, c.MinDriver ?? "", c.Source ?? ""));
        }

        var images = ImmutableArray.CreateBuilder<ServingImageRequirement>();
        foreach (var (s, i) in (doc.ServingImages ?? []).Select((s, i) => (s, i)))
        {
            var path = $"servingImages[{i}]";
            if (s.Cuda is null || !int.TryParse(s.Cuda.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || cuda.All(c => c.CudaMajor != major))
            {
                errors.Add($"{path}.cuda \"{s.Cuda}\" has no cudaDrivers row for its major version");
            }

            if (s.PackagedDriver is not null)
            {
                Driver(path + ".packagedDriver", s.PackagedDriver);
            }

            Source(path + ".source", s.Source);
            images.Add(new ServingImageRequirement(s.Image ?? "", s.Cuda ?? "0", s.PackagedDriver, s.Source ?? ""));
        }

        var amis = ImmutableArray.CreateBuilder<EksAmiRelease>();
        foreach (var (a, i) in (doc.EksAmis ?? []).Select((a, i) => (a, i)))
        {
            var path = $"eksAmis[{i}]";
            if (a.ReleaseVersion is null || a.Kubernetes is null || !a.ReleaseVersion.StartsWith(a.Kubernetes + ".", StringComparison.Ordinal))
            {
                errors.Add($"{path}.releaseVersion \"{a.ReleaseVersion}\" is not a release of Kubernetes {a.Kubernetes}");
            }

            Driver(path + ".driver", a.Driver);
            Source(path + ".source", a.Source);
            amis.Add(new EksAmiRelease(a.AmiType ?? "", a.Kubernetes ?? "", a.ReleaseVersion ?? "", a.Driver ?? "", a.Source ?? ""));
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException(
                $"compatibility matrix is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):"
                + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e)));
        }

        return new CompatibilityMatrix(sources, operators.ToImmutable(), cuda.ToImmutable(), images.ToImmutable(), amis.ToImmutable());
    }

    private static CompatibilityMatrix LoadEmbedded()
    {
        using var stream = typeof(CompatibilityMatrix).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(CompatibilityMatrix).Assembly.GetName().Name}");
        return Load(stream);
    }

    internal sealed class MatrixDocument
    {
        public List<HardwareCatalog.SourceDto>? Sources { get; set; }

        public List<GpuOperatorDto>? GpuOperators { get; set; }

        public List<CudaDto>? CudaDrivers { get; set; }

        public List<ImageDto>? ServingImages { get; set; }

        public List<AmiDto>? EksAmis { get; set; }
    }

    internal sealed class GpuOperatorDto
    {
        public string? Version { get; set; }

        public List<string>? Drivers { get; set; }

        public string? DefaultDriver { get; set; }

        public List<string>? Kubernetes { get; set; }

        public string? Source { get; set; }

        public string? KubernetesSource { get; set; }
    }

    internal sealed class CudaDto
    {
        public int CudaMajor { get; set; }

        public string? MinDriver { get; set; }

        public string? Source { get; set; }
    }

    internal sealed class ImageDto
    {
        public string? Image { get; set; }

        public string? Cuda { get; set; }

        public string? PackagedDriver { get; set; }

        public string? Source { get; set; }
    }

    internal sealed class AmiDto
    {
        public string? AmiType { get; set; }

        public string? Kubernetes { get; set; }

        public string? ReleaseVersion { get; set; }

        public string? Driver { get; set; }

        public string? Source { get; set; }
    }
}

/// <summary>Source-generated JSON metadata for the matrix document.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(CompatibilityMatrix.MatrixDocument))]
internal sealed partial class CompatibilityJsonContext : JsonSerializerContext;
