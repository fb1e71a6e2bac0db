using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>
/// The <c>neocloud:serving</c> section: the binder reads YAML and the TritonService planner's rules speak, mapped to
/// key paths by the section's table (EnvironmentBinder.Serving.cs).
/// </summary>
public sealed class ServingSectionTests
{
    // Fixture 19 with its one error (embed's p95 above p99) fixed: a valid hybrid stack with a burst deployment.
    private static string Valid() => File.ReadAllText(RepoFiles.Fixture("invalid", "19-p95-above-p99.yaml"))
        .Replace("      p95Ms: 500\n      p99Ms: 100\n", "      p95Ms: 500\n      p99Ms: 900\n", StringComparison.Ordinal);

    private static ConfigError SingleError(string yaml) => Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(yaml)).Errors);

    [Fact]
    public void TheBaseStackIsValid() => Assert.Empty(EnvironmentBinder.Bind(StackConfig.FromYaml(Valid())).Errors);

    [Fact]
    public void ADeploymentNameThatIsNotADnsLabelIsTheComponentsNameRule()
    {
        var error = SingleError(Valid().Replace("  - name: embed\n", "  - name: Embed_1\n", StringComparison.Ordinal));
        Assert.Equal("neocloud:serving[1].name", error.Path);
        Assert.StartsWith("\"Embed_1\" must be a DNS label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameTooLongForItsBurstDeploymentIsReportedOnTheName()
    {
        // 44 characters: the deployment's own name fits (≤ 47), "<name>-burst" (50) does not.
        var name = new string('c', 44);
        var error = SingleError(Valid().Replace("  - name: chat\n", $"  - name: {name}\n", StringComparison.Ordinal));
        Assert.Equal("neocloud:serving[0].name", error.Path);
        Assert.Contains($"\"{name}-burst\" must be a DNS label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinAboveMaxIsReportedOnMax()
    {
        var error = SingleError(Valid().Replace("      min: 1\n      max: 4\n", "      min: 5\n      max: 4\n", StringComparison.Ordinal));
        Assert.Equal("neocloud:serving[1].replicas.max", error.Path);
        Assert.Equal("must be at least 1 and at least replicas.min (5), was 4", error.Message);
    }

    [Fact]
    public void AFallbackAboveTheMaximumIsTheComponentsRule()
    {
        var yaml = Valid().Replace("      p95Ms: 500\n      p99Ms: 900\n", "      p95Ms: 500\n      p99Ms: 900\n    autoscaling:\n      fallbackReplicas: 9\n", StringComparison.Ordinal);
        var error = SingleError(yaml);
        Assert.Equal("neocloud:serving[1].autoscaling.fallbackReplicas", error.Path);
        Assert.Equal("must be between 1 and replicas.max (4), was 9", error.Message);
    }

    /// <summary>Parity: for the serving fixtures, the binder's message is the component planner's reason for the same spec.</summary>
    [Theory]
    [InlineData("19-p95-above-p99.yaml", "neocloud:serving[1].slo.p95Ms", "Slo.P95Ms")]
    [InlineData("21-scale-to-zero-without-external-metric.yaml", "neocloud:serving[1].replicas.min", "MinReplicas")]
    public void TheBindersMessageIsTheComponentsReason(string fixture, string keyPath, string propertyPath)
    {
        var bound = EnvironmentBinder.Bind(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", fixture)));
        var error = Assert.Single(bound.Errors);
        Assert.Equal(keyPath, error.Path);

        // The same deployment as TritonServiceArgs would carry it (fixture values: embed on l40s, gpu: 1).
        var spec = fixture.StartsWith("19", StringComparison.Ordinal)
            ? Spec(min: 1, max: 4, new LatencySlo(500, 100))
            : Spec(min: 0, max: 4, new LatencySlo(50, 100));
        var problem = Assert.Single(TritonServicePlanner.Validate(spec));
        Assert.Equal(propertyPath, problem.PropertyPath);
        Assert.Equal(problem.Reason, error.Message);
    }

    /// <summary>Parity for capacity: the binder's message (CapacityPlanner) is the component's placement check's reason.</summary>
    [Fact]
    public void TheBindersCapacityMessageIsTheComponentsPlacementReason()
    {
        var bound = EnvironmentBinder.Bind(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", "14-serving-over-capacity.yaml")));
        var error = Assert.Single(bound.Errors);

        // The same deployment as TritonServiceArgs would carry it, placed on h100-mig (112 slices at its maximum size).
        var plan = TritonServicePlanner.Plan(Spec(min: 2, max: 200, new LatencySlo(300, 800)) with { Name = "chat", GpuResource = "nvidia.com/mig-1g.10gb" });
        var problem = Assert.Single(TritonServicePlanner.CheckPlacement(plan, "h100-mig", new Dictionary<string, int> { ["nvidia.com/mig-1g.10gb"] = 112 }));
        Assert.Equal("MaxReplicas", problem.PropertyPath);
        Assert.Equal("neocloud:serving[0].replicas.max", error.Path);
        Assert.Equal(problem.Reason, error.Message);
    }

    [Fact]
    public void TheSharedPoolBudgetIsTheBindersCheck()
    {
        // Capacity per deployment and the cross-deployment budget of a shared pool: CapacityPlanner.Validate, after binding.
        var shared = EnvironmentBinder.Bind(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", "28-shared-pool-overcommit.yaml")));
        var budget = Assert.Single(shared.Errors);
        Assert.Equal("neocloud:gpuPools[0]", budget.Path);
        Assert.Contains("together ask for up to 120 × nvidia.com/mig-1g.10gb", budget.Message, StringComparison.Ordinal);
        var alone = EnvironmentBinder.Bind(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", "14-serving-over-capacity.yaml")));
        Assert.Equal("neocloud:serving[0].replicas.max", Assert.Single(alone.Errors).Path);
    }

    private static TritonServiceSpec Spec(int min, int max, LatencySlo slo) => new(
        "embed", new OwnershipSpec("test", "ml-platform"), "team-a", "BAAI_bge-large-en-v1.5", "team-a", "nvidia.com/gpu",
        true, new ModelRepositorySpec(null, null, "embed"), true, true, null, [], min, max, slo,
        new QueueTimeScaling(50, 10, Math.Max(min, 1)), true, true, null, "4", "16Gi", 900);
}
