using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

public class ReplicaBudgetTests
{
    private const string Mig = "nvidia.com/mig-1g.10gb";

    // Two nodes at max, each 7 × 1g.10gb: 14 slices.
    private static PoolCapacity Pool() => new(
        "inference-mig", "onprem", MigStrategy.Mixed,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Mig, 7)]),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Mig, 7)]),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Mig, 14)]));

    [Fact]
    public void FittingClaimsPass()
    {
        var result = ReplicaBudget.Check(Pool(), [new("llama", Mig, 2, 8, "a.MaxReplicas"), new("mistral", Mig, 1, 6, "b.MaxReplicas")], allowOvercommit: false, "pool");
        Assert.True(result.IsValid);
        Assert.False(result.Overcommitted);
        Assert.Equal(14, Assert.Single(result.Reservations).Reserved);
    }

    [Fact]
    public void OneDeploymentOverThePoolNamesDeploymentPoolAndCapacity()
    {
        var result = ReplicaBudget.Check(Pool(), [new("llama", Mig, 2, 20, "TritonServiceArgs.MaxReplicas")], false, "pool");
        var error = Assert.Single(result.Errors);
        Assert.Equal("TritonServiceArgs.MaxReplicas", error.Path);
        Assert.Equal("deployment \"llama\" asks for up to 20 × nvidia.com/mig-1g.10gb, but pool \"inference-mig\" holds 14 at its maximum size; lower the maximum to 14 or grow the pool", error.Message);
    }

    [Fact]
    public void SharedPoolOverCommitNamesBothDeployments()
    {
        var result = ReplicaBudget.Check(Pool(), [new("llama", Mig, 2, 10, "a"), new("mistral", Mig, 1, 8, "b")], false, "neocloud:gpuPools[0]");
        var error = Assert.Single(result.Errors);
        Assert.Equal("neocloud:gpuPools[0]", error.Path);
        Assert.Equal("deployments \"llama\", \"mistral\" together ask for up to 18 × nvidia.com/mig-1g.10gb, but pool \"inference-mig\" holds 14 at its maximum size; lower their maximum replicas, grow the pool, or allow over-commit", error.Message);
    }

    [Fact]
    public void OvercommitAllowedIsReportedNotRejected()
    {
        var result = ReplicaBudget.Check(Pool(), [new("llama", Mig, 2, 10, "a"), new("mistral", Mig, 1, 8, "b")], true, "pool");
        Assert.True(result.IsValid);
        Assert.True(result.Overcommitted);
    }

    [Fact]
    public void ResourceNotOfferedIsAnError()
    {
        var result = ReplicaBudget.Check(Pool(), [new("llama", "nvidia.com/gpu", 1, 1, "a.GpuResource")], false, "pool");
        Assert.Equal("deployment \"llama\" requests nvidia.com/gpu, but pool \"inference-mig\" does not offer it; it offers nvidia.com/mig-1g.10gb", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void SameRuleAsTheCapacityPlanner()
    {
        // ReplicaBudget builds the planner's own records, so Fits/Overcommitted are one rule.
        var result = ReplicaBudget.Check(Pool(), [new("llama", Mig, 2, 15, "a")], false, "pool");
        var fit = Assert.Single(result.Fits);
        Assert.IsType<ServingFit>(fit);
        Assert.False(fit.Fits);
        Assert.Equal(-1, fit.Headroom);
    }
}
