namespace NeoCloud.Infra.Plan.Tests;

/// <summary>
/// The replica budget of pools shared by several deployments left the TritonService Args (issue 17): the plan tool is
/// one of the places that still enforces it, before any program runs.
/// </summary>
public sealed class ServingBudgetTests
{
    [Fact]
    public void Deployments_that_together_exceed_their_shared_pool_fail_the_plan_at_the_pool()
    {
        var run = PlanRun.Of(PlanRun.InvalidFixture("28-shared-pool-overcommit.yaml"), "--json");

        Assert.Equal(2, run.ExitCode);
        var error = Assert.Single(run.Json().GetProperty("errors").EnumerateArray());
        Assert.Equal("neocloud:gpuPools[0]", error.GetProperty("path").GetString());
        Assert.Contains("deployments \"chat\", \"embed\" together ask for up to 120 × nvidia.com/mig-1g.10gb, but pool \"h100-mig\" holds 112", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void One_deployment_over_its_pool_fails_the_plan_at_its_maximum()
    {
        var run = PlanRun.Of(PlanRun.InvalidFixture("14-serving-over-capacity.yaml"), "--json");

        Assert.Equal(2, run.ExitCode);
        var error = Assert.Single(run.Json().GetProperty("errors").EnumerateArray());
        Assert.Equal("neocloud:serving[0].replicas.max", error.GetProperty("path").GetString());
    }
}
