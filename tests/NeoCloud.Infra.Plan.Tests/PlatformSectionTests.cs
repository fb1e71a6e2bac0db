using System.Text.Json;

namespace NeoCloud.Infra.Plan.Tests;

public sealed class PlatformSectionTests
{
    [Fact]
    public void The_human_plan_shows_nodes_per_pool_placement_storage_flows_and_findings()
    {
        var run = PlanRun.Of("cloud");

        Assert.Equal(0, run.ExitCode);
        foreach (var title in new[] { "Platform: nodes per pool", "Platform: placement", "Platform: storage", "Platform: flows", "Platform: findings" })
        {
            Assert.Contains(title, run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("eks-main/kube-system/coredns", run.Out, StringComparison.Ordinal);
        Assert.Contains("StorageClass gp3 (created by the stack)", run.Out, StringComparison.Ordinal); // issue 14: the encrypted gp3 default
        Assert.DoesNotContain("autoscaling simulation", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_lists_the_MIG_scale_down_lock_of_each_autoscaled_cluster_with_MIG_pools()
    {
        var prod = PlanRun.Of("prod");
        var cloud = PlanRun.Of("cloud");

        // Issue 14: prod's burst cluster (cluster-autoscaler over a MIG pool) runs the lock on its system pool; dc1 (no
        // node autoscaler) and the cloud stack (no MIG pool) do not.
        var line = Assert.Single(prod.Out.Split('\n'), l => l.Contains("burst/kube-system/burst-mig-scale-down-lock", StringComparison.Ordinal));
        Assert.Contains("burst-system", line, StringComparison.Ordinal);
        Assert.DoesNotContain("dc1/kube-system/dc1-mig-scale-down-lock", prod.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("mig-scale-down-lock", cloud.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_lists_each_gateway_route_with_its_rate_limit_and_the_hybrid_split_only_where_burst_exists()
    {
        var prod = PlanRun.Of("prod");
        Assert.Contains("Gateways", prod.Out, StringComparison.Ordinal);
        var chat = Assert.Single(prod.Out.Split('\n'), l => l.Contains("llama-8b-chat.inference.example.com", StringComparison.Ordinal));
        Assert.Contains("chat/llama-8b-chat:8000", chat, StringComparison.Ordinal);
        Assert.Contains("600/Second", chat, StringComparison.Ordinal);
        Assert.Contains("llama-8b-chat 36 : llama-8b-chat-burst 48", chat, StringComparison.Ordinal);
        // vLLM has no gRPC endpoint, so the 70B has one HTTP route and no gRPC hostname.
        Assert.DoesNotContain("llama-70b-chat-grpc.", prod.Out, StringComparison.Ordinal);

        var routes = PlanRun.Of("prod", "--json").Json().GetProperty("gateways").EnumerateArray().ToList();
        Assert.Equal(7, routes.Count);
        Assert.Single(routes, r => r.GetProperty("burst").ValueKind == JsonValueKind.String);
        var grpc = Assert.Single(routes, r => r.GetProperty("hostname").GetString() == "embeddings-grpc.inference.example.com");
        Assert.Equal(8001, grpc.GetProperty("port").GetInt32());
        Assert.Equal("search", grpc.GetProperty("tenant").GetString());

        // The cloud stack has no burst cluster: no route is split.
        var cloud = PlanRun.Of("cloud", "--json").Json().GetProperty("gateways").EnumerateArray().ToList();
        Assert.NotEmpty(cloud);
        Assert.All(cloud, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("burst").ValueKind));
    }

    [Fact]
    public void The_json_plan_carries_the_platform_findings_placements_and_pools()
    {
        var platform = PlanRun.Of("prod", "--json").Json().GetProperty("platform");

        // Issues 14 and 15: the burst pool grows through the cluster's node autoscaler, every class exists, every model
        // fits and no replica is CPU-bound: the prod stack passes the platform check.
        Assert.True(platform.GetProperty("passes").GetBoolean());
        Assert.Empty(platform.GetProperty("findings").EnumerateArray());
        var burst = platform.GetProperty("placements").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "llama-8b-chat-burst");
        // 24 × 2g.20gb per p5.48xlarge at 4 CPUs each (96 of 191.45 allocatable): the slices bound the node, not the CPUs.
        Assert.Equal(24, burst.GetProperty("replicasPerNode").GetProperty("burst-h100").GetProperty("replicas").GetInt32());
        Assert.Equal("nvidia.com/mig-2g.20gb", burst.GetProperty("replicasPerNode").GetProperty("burst-h100").GetProperty("limitedBy").GetString());
        var fit = platform.GetProperty("modelFits").EnumerateArray().Single(f => f.GetProperty("deployment").GetString() == "llama-70b-chat");
        Assert.True(fit.GetProperty("fits").GetBoolean());
        Assert.Equal(160, fit.GetProperty("availableGiB").GetDouble());
        var pool = platform.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == "burst/burst-h100");
        Assert.Equal(191450, pool.GetProperty("allocatable").GetProperty("cpu").GetInt64());
        Assert.Equal(2, pool.GetProperty("nodesNeededAtMax").GetInt32());
        Assert.False(platform.TryGetProperty("simulation", out _));
    }

    [Fact]
    public void Simulate_adds_one_result_per_scaled_deployment_in_text_and_json()
    {
        var text = PlanRun.Of("prod", "--simulate", "spike");
        var json = PlanRun.Of("prod", "--json", "--simulate", "spike").Json().GetProperty("platform").GetProperty("simulation");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Platform: autoscaling simulation (spike)", text.Out, StringComparison.Ordinal);
        Assert.Equal("spike", json.GetProperty("trace").GetString());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["llama-8b-chat", "embeddings", "llama-70b-chat"], results.Select(r => r.GetProperty("deployment").GetString()!).ToArray());
        Assert.All(results, r => Assert.Equal(JsonValueKind.Array, r.GetProperty("samples").ValueKind));
    }

    [Fact]
    public void A_trace_file_is_simulated_and_a_bad_one_is_a_usage_error_naming_the_line()
    {
        var dir = Directory.CreateTempSubdirectory("neocloud-trace-");
        try
        {
            var good = Path.Combine(dir.FullName, "burst.csv");
            File.WriteAllText(good, "seconds,requestsPerSecond\n0,5\n600,40\n1200,5\n");
            var bad = Path.Combine(dir.FullName, "bad.csv");
            File.WriteAllText(bad, "seconds,requestsPerSecond\n0,5\nsoon,40\n");

            var ok = PlanRun.Of("dev", "--json", "--simulate", good).Json().GetProperty("platform").GetProperty("simulation");
            var error = PlanRun.Of("dev", "--simulate", bad);
            var unknown = PlanRun.Of("dev", "--simulate", "weekly");

            Assert.Equal("burst", ok.GetProperty("results")[0].GetProperty("trace").GetString());
            Assert.Equal(2, error.ExitCode);
            Assert.Contains("trace bad line 3: \"soon,40\" is not <seconds>,<requestsPerSecond>", error.Err, StringComparison.Ordinal);
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("\"weekly\" is neither a built-in trace (steady, ramp, spike, diurnal) nor an existing trace file", unknown.Err, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_trace_that_is_not_a_regular_file_is_an_input_error_not_a_read()
    {
        var device = PlanRun.Of("dev", "--simulate", "/dev/zero");
        var directory = PlanRun.Of("dev", "--simulate", Path.GetTempPath());

        Assert.Equal(2, device.ExitCode);
        Assert.Contains("only regular files are read", device.Err, StringComparison.Ordinal);
        Assert.Equal(2, directory.ExitCode);
        Assert.Contains("is a directory", directory.Err, StringComparison.Ordinal);
    }
}
