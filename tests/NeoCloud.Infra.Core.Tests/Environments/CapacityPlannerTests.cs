using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Tests.Environments;

public sealed class CapacityPlannerTests
{
    private static readonly EnvironmentModel Prod = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));

    [Fact]
    public void Mig_pool_capacity_is_instances_per_gpu_times_gpus_times_nodes_at_min_and_max()
    {
        var report = CapacityPlanner.Compute(Prod);

        var burst = report.Pools.Single(p => p.Pool == "burst-h100");
        Assert.Equal(7 * 8, burst.PerNode["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(0, burst.AtMin["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(7 * 8 * 2, burst.AtMax["nvidia.com/mig-1g.10gb"]);
        var mixed = report.Pools.Single(p => p.Pool == "h100-mixed");
        Assert.Equal(2 * 4 * 7, mixed.AtMax["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(2 * 4 * 2, mixed.AtMax["nvidia.com/mig-3g.40gb"]);
        Assert.False(mixed.AtMax.ContainsKey("nvidia.com/gpu"));
        var train = report.Pools.Single(p => p.Pool == "h100-train");
        Assert.Equal(32, train.AtMax["nvidia.com/gpu"]);
    }

    [Fact]
    public void Serving_fits_report_headroom_and_the_burst_part_separately()
    {
        var report = CapacityPlanner.Compute(Prod);

        var chat = report.Serving.Single(f => f.Deployment == "llama-8b-chat" && !f.Burst);
        Assert.True(chat.Fits);
        Assert.Equal(112 - 64, chat.Headroom);
        var chatBurst = report.Serving.Single(f => f.Deployment == "llama-8b-chat" && f.Burst);
        Assert.Equal("burst-h100", chatBurst.Pool);
        Assert.Equal(112 - 56, chatBurst.Headroom);
        var shared = report.Reservations.Single(r => r.Pool == "h100-mig");
        Assert.Equal(64 + 32, shared.Reserved);
        Assert.False(shared.Overcommitted);
    }

    [Fact]
    public void Tenant_quota_use_counts_every_tenant_of_the_cluster()
    {
        var report = CapacityPlanner.Compute(Prod);

        var chat = report.Tenants.Single(t => t.Tenant == "chat" && t.Cluster == "dc1" && t.Resource == "nvidia.com/mig-1g.10gb");
        Assert.Equal(112, chat.Quota);
        Assert.Equal(112 + 56, chat.ClusterCapacity);
        Assert.Equal(112 + 96, chat.AllTenantsQuota);
        Assert.True(chat.OverSubscribed);
    }

    [Fact]
    public void Overcommit_is_allowed_only_where_the_pool_says_so()
    {
        var yaml = File.ReadAllText(RepoFiles.Fixture("invalid", "28-shared-pool-overcommit.yaml"))
            .Replace("    mig:\n      config: all-1g.10gb\n", "    mig:\n      config: all-1g.10gb\n    allowOvercommit: true\n", StringComparison.Ordinal);

        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml));

        var reservation = CapacityPlanner.Compute(env).Reservations.Single(r => r.Pool == "h100-mig");
        Assert.True(reservation.Overcommitted);
        Assert.True(reservation.OvercommitAllowed);
        Assert.Equal(120, reservation.Reserved);
    }
}
