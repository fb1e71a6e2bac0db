using NeoCloud.Infra.Core.Gpu;

namespace NeoCloud.Infra.Core.Compatibility;

/// <summary>
/// The checks a stack must pass against the <see cref="CompatibilityMatrix"/>: each returns null when the combination is
/// in the matrix, else one message naming the allowed versions and the row's source. The binder reports them at the
/// config key they concern.
/// </summary>
public static class CompatibilityChecks
{
    /// <summary>Kubernetes <paramref name="version"/> against the pinned GPU Operator's validated versions.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="version">A Kubernetes minor version such as <c>1.33</c>.</param>
    public static string? KubernetesProblem(CompatibilityMatrix matrix, string version)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(version);
        if (matrix.FindGpuOperator(GpuOperatorChart.Version) is not { } op)
        {
            return $"GPU Operator {GpuOperatorChart.Version} (the pinned chart) is not in the compatibility matrix; its releases: {string.Join(", ", matrix.GpuOperators.Select(g => g.Version))}";
        }

        return op.Kubernetes.Contains(version)
            ? null
            : $"Kubernetes {version} is outside the compatibility matrix: GPU Operator {op.Version} is validated on {string.Join(", ", op.Kubernetes)} (source {op.KubernetesSource})";
    }

    /// <summary>
    /// The AMI release of an EKS pool: <paramref name="requested"/> when it is a matrix row of <paramref name="amiType"/>
    /// for Kubernetes <paramref name="kubernetes"/>, or, when null, the matrix's newest such row.
    /// </summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="amiType">The pool's EKS AMI type.</param>
    /// <param name="kubernetes">The cluster's Kubernetes version.</param>
    /// <param name="requested">The configured release version, or null for the default.</param>
    public static (EksAmiRelease? Release, string? Problem) ResolveAmi(CompatibilityMatrix matrix, string amiType, string kubernetes, string? requested)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var rows = matrix.EksAmisFor(amiType, kubernetes);
        if (rows.IsEmpty)
        {
            return (null, $"the compatibility matrix has no {amiType} AMI release for Kubernetes {kubernetes}; releases it has: {string.Join(", ", matrix.EksAmis.Where(a => a.AmiType == amiType).Select(a => a.ReleaseVersion))}");
        }

        if (requested is null)
        {
            return (rows[^1], null);
        }

        var row = rows.FirstOrDefault(a => a.ReleaseVersion == requested);
        return row is not null
            ? (row, null)
            : (null, $"\"{requested}\" is not a {amiType} release for Kubernetes {kubernetes} in the compatibility matrix; allowed: {string.Join(", ", rows.Select(a => $"{a.ReleaseVersion} (driver {a.Driver}, source {a.Source})"))}");
    }

    /// <summary>Whether <paramref name="driver"/> runs <paramref name="image"/> (the image's CUDA major needs a minimum driver).</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="image">The serving image reference.</param>
    /// <param name="driver">The driver version of the nodes.</param>
    /// <param name="driverOrigin">Where the driver comes from, for the message (e.g. "AMI release 1.33.13-20260714").</param>
    public static string? DriverProblem(CompatibilityMatrix matrix, string image, string driver, string driverOrigin)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.FindImage(image) is not { } row)
        {
            return $"the serving image {image} is not in the compatibility matrix; images it has: {string.Join(", ", matrix.ServingImages.Select(i => i.Image))}";
        }

        var min = matrix.MinDriver(row);
        return min is not null && CompatibilityMatrix.CompareDrivers(driver, min) >= 0
            ? null
            : $"driver {driver} of {driverOrigin} cannot run {image}: it is built on CUDA {row.Cuda}, which needs driver {min} or newer (source {row.Source}); choose a release whose driver is {min} or newer";
    }
}
