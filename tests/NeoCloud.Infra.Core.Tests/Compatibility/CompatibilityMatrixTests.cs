using System.Text;
using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Core.Tests.Compatibility;

public class CompatibilityMatrixTests
{
    private static CompatibilityMatrix Matrix => CompatibilityMatrix.Default;

    [Fact]
    public void Every_row_names_a_source_of_the_matrix()
    {
        var ids = Matrix.Sources.Select(s => s.Id).ToHashSet();
        Assert.All(Matrix.GpuOperators, g => { Assert.Contains(g.Source, ids); Assert.Contains(g.KubernetesSource, ids); });
        Assert.All(Matrix.CudaDrivers, c => Assert.Contains(c.Source, ids));
        Assert.All(Matrix.ServingImages, i => Assert.Contains(i.Source, ids));
        Assert.All(Matrix.EksAmis, a => Assert.Contains(a.Source, ids));
        Assert.All(Matrix.Sources, s => Assert.StartsWith("https://", s.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void The_pins_are_rows_of_the_matrix()
    {
        var op = Assert.IsType<GpuOperatorRelease>(Matrix.FindGpuOperator(GpuOperatorChart.Version));
        Assert.Equal(GpuOperatorChart.DriverVersion, op.DefaultDriver);
        Assert.Contains(GpuOperatorChart.DriverVersion, op.Drivers);
        var triton = Assert.IsType<ServingImageRequirement>(Matrix.FindImage(TritonImage.Reference));
        Assert.Equal("580", Matrix.MinDriver(triton));
        Assert.NotNull(Matrix.FindImage($"{TritonImage.Registry}/{TritonImage.Image}:{TritonImage.VllmTag}"));
        Assert.NotNull(Matrix.FindImage($"{TritonImage.Registry}/{TritonImage.Image}:{TritonImage.TrtLlmTag}"));
        Assert.Null(CompatibilityChecks.DriverProblem(Matrix, TritonImage.Reference, GpuOperatorChart.DriverVersion, "the GPU Operator"));
        Assert.All(Matrix.EksAmis, a => Assert.Null(CompatibilityChecks.DriverProblem(Matrix, TritonImage.Reference, a.Driver, a.ReleaseVersion)));
    }

    [Theory]
    [InlineData("580", "580.159.03", -1)]
    [InlineData("595.91.07", "580.173.02", 1)]
    [InlineData("535.309.01", "580", -1)]
    [InlineData("580.0.0", "580", 0)]
    public void Driver_versions_compare_by_number(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(CompatibilityMatrix.CompareDrivers(a, b)));

    [Fact]
    public void A_driver_older_than_the_images_cuda_needs_is_rejected_naming_the_minimum()
    {
        var problem = CompatibilityChecks.DriverProblem(Matrix, TritonImage.Reference, "535.309.01", "the host");
        Assert.Equal(
            "driver 535.309.01 of the host cannot run nvcr.io/nvidia/tritonserver:26.10-py3: it is built on CUDA 13.4.3, which needs driver 580 or newer (source triton-rel-26-10); choose a release whose driver is 580 or newer",
            problem);
    }

    [Fact]
    public void An_eks_cluster_outside_the_gpu_operators_kubernetes_versions_is_rejected_naming_the_allowed_ones()
    {
        var errors = Bind(Cloud().Replace("version: \"1.33\"", "version: \"1.32\"", StringComparison.Ordinal));
        var error = Assert.Single(errors);
        Assert.Equal("neocloud:clusters[0].version", error.Path);
        Assert.Equal("Kubernetes 1.32 is outside the compatibility matrix: GPU Operator v26.7.0 is validated on 1.33, 1.34, 1.35, 1.36 (source gpu-operator-26.7-platforms)", error.Message);
    }

    [Fact]
    public void An_eks_pool_with_an_ami_release_outside_the_matrix_is_rejected_naming_the_allowed_releases()
    {
        var yaml = Cloud().Replace("      instanceType: p5.48xlarge\n", "      instanceType: p5.48xlarge\n      amiReleaseVersion: 1.33.5-20250920\n", StringComparison.Ordinal);
        var error = Assert.Single(Bind(yaml));
        Assert.Equal("neocloud:gpuPools[1].amiReleaseVersion", error.Path);
        Assert.Equal("\"1.33.5-20250920\" is not a AL2023_x86_64_NVIDIA release for Kubernetes 1.33 in the compatibility matrix; allowed: 1.33.13-20260714 (driver 580.159.03, source eks-ami-v20260714)", error.Message);

        var otherVersion = Cloud().Replace("      instanceType: p5.48xlarge\n", "      instanceType: p5.48xlarge\n      amiReleaseVersion: 1.34.9-20260714\n", StringComparison.Ordinal);
        Assert.Contains("allowed: 1.33.13-20260714", Assert.Single(Bind(otherVersion)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eks_pools_pin_the_matrix_release_for_their_kubernetes_version_by_default()
    {
        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(Cloud()));
        Assert.All(model.GpuPools.Where(p => p.Gpu is not null), p =>
        {
            Assert.Equal("1.33.13-20260714", p.AmiReleaseVersion);
            Assert.Equal("580.159.03", p.DriverVersion);
        });

        var prod = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(Path.Combine(RepoRoot.FullPath, "Pulumi.prod.yaml")));
        Assert.All(prod.GpuPools.Where(p => p.Substrate == Substrate.Eks && p.Gpu is not null), p => Assert.Equal("1.33.13-20260714", p.AmiReleaseVersion));
        Assert.All(prod.GpuPools.Where(p => p.Substrate == Substrate.OnPrem && p.Gpu is not null), p => Assert.Equal(GpuOperatorChart.DriverVersion, p.DriverVersion));
    }

    [Fact]
    public void A_pinned_ami_whose_driver_cannot_run_the_serving_image_is_rejected()
    {
        // A matrix where the only 1.33 release ships an R575 driver (CUDA 12.9): the Triton 26.10 image needs R580.
        var json = ReadEmbedded().Replace("\"releaseVersion\": \"1.33.13-20260714\", \"driver\": \"580.159.03\"", "\"releaseVersion\": \"1.33.13-20260714\", \"driver\": \"575.57.08\"", StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var matrix = CompatibilityMatrix.Load(stream);
        var result = EnvironmentBinder.Bind(StackConfig.FromYaml(Cloud()), matrix: matrix);
        Assert.Null(result.Model);
        Assert.Equal(["neocloud:gpuPools[0].amiReleaseVersion", "neocloud:gpuPools[1].amiReleaseVersion"], result.Errors.Select(e => e.Path));
        Assert.All(result.Errors, e => Assert.StartsWith("driver 575.57.08 of AMI release 1.33.13-20260714 cannot run nvcr.io/nvidia/tritonserver:26.10-py3", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_matrix_row_without_a_known_source_does_not_load()
    {
        var json = ReadEmbedded().Replace("\"source\": \"eks-ami-v20260714\" }", "\"source\": \"nowhere\" }", StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var ex = Assert.Throws<InvalidDataException>(() => CompatibilityMatrix.Load(stream));
        Assert.Contains("eksAmis[0].source: source \"nowhere\" is not in sources", ex.Message, StringComparison.Ordinal);
    }

    private static string Cloud() => File.ReadAllText(Path.Combine(RepoRoot.FullPath, "Pulumi.cloud.yaml"));

    private static System.Collections.Immutable.ImmutableArray<ConfigError> Bind(string yaml)
    {
        var result = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml));
        Assert.Null(result.Model);
        return result.Errors;
    }

    private static string ReadEmbedded() => File.ReadAllText(Path.Combine(RepoRoot.FullPath, "infra", "Core", "Compatibility", "Data", "compatibility.json"));
}
