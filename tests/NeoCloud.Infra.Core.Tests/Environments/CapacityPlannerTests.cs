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
        Assert.Equal(3 * 8, burst.PerNode["nvidia.com/mig-2g.20gb"]);
        Assert.Equal(0, burst.AtMin["nvidia.com/mig-2g.20gb"]);
        Assert.Equal(3 * 8 * 2, burst.AtMax["nvidia.com/mig-2g.20gb"]);
        var chat = report.Pools.Single(p => p.Pool == "h100-mig");
        Assert.Equal(2 * 6 * 3, chat.AtMax["nvidia.com/mig-2g.20gb"]);
        Assert.Equal(2 * ((6 * 1) + (2 * 7)), chat.AtMax["nvidia.com/mig-1g.10gb"]);
        Assert.False(chat.AtMax.ContainsKey("nvidia.com/gpu"));
        var whole = report.Pools.Single(p => p.Pool == "h100-mixed");
        Assert.Equal(16, whole.AtMax["nvidia.com/gpu"]);
        var train = report.Pools.Single(p => p.Pool == "h100-train");
        Assert.Equal(32, train.AtMax["nvidia.com/gpu"]);
    }

    [Fact]
    public void Serving_fits_report_headroom_and_the_burst_part_separately()
    {
        var report = CapacityPlanner.Compute(Prod);

        var chat = report.Serving.Single(f => f.Deployment == "llama-8b-chat" && !f.Burst);
        Assert.True(chat.Fits);
        Assert.Equal(36 - 36, chat.Headroom);
        var chatBurst = report.Serving.Single(f => f.Deployment == "llama-8b-chat" && f.Burst);
        Assert.Equal("burst-h100", chatBurst.Pool);
        Assert.Equal(48 - 48, chatBurst.Headroom);
        var shared = report.Reservations.Single(r => r.Pool == "h100-mig" && r.Resource == "nvidia.com/mig-1g.10gb");
        Assert.Equal(24 + 16, shared.Reserved);
        Assert.False(shared.Overcommitted);
    }

    [Fact]
    public void A_tensor_parallel_replica_counts_its_gpus_against_the_pool()
    {
        var report = CapacityPlanner.Compute(Prod);

        var big = report.Serving.Single(f => f.Deployment == "llama-70b-chat");
        Assert.Equal((2, 8, 16), (big.UnitsPerReplica, big.MaxReplicas, big.UnitsAtMax));
        Assert.Equal(16 - 16, big.Headroom);
        Assert.Equal(16, report.Reservations.Single(r => r.Pool == "h100-mixed").Reserved);

        var over = EnvironmentBinder.Bind(StackConfig.FromYaml(File.ReadAllText(RepoFiles.StackFile("prod"))
            .Replace("      gpu: 2\n      replicas: {min: 1, max: 8}", "      gpu: 2\n      replicas: {min: 1, max: 9}", StringComparison.Ordinal)));
        var error = Assert.Single(over.Errors);
        Assert.Equal("neocloud:serving[2].replicas.max", error.Path);
        Assert.Equal("deployment \"llama-70b-chat\" asks for up to 9 replicas × 2 nvidia.com/gpu = 18, but pool \"h100-mixed\" holds 16 at its maximum size; lower the maximum to 8 or grow the pool", error.Message);
    }

    [Fact]
    public void Tenant_quota_use_counts_every_tenant_of_the_cluster()
    {
        var report = CapacityPlanner.Compute(Prod);

        var chat = report.Tenants.Single(t => t.Tenant == "chat" && t.Cluster == "burst" && t.Resource == "nvidia.com/gpu");
        Assert.Equal(16, chat.Quota);
        Assert.Equal(16, chat.ClusterCapacity);
        Assert.Equal(16 + 16, chat.AllTenantsQuota);
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
