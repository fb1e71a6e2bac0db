using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Environments;

public sealed class EnvironmentBinderTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void Checked_in_stack_configs_are_valid(string stack)
    {
        var result = EnvironmentBinder.Bind(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void The_engine_form_and_the_raw_stack_file_bind_to_the_same_model(string stack)
    {
        // The fixture is the PULUMI_CONFIG document the CLI would hand the program for this stack file,
        // produced by another YAML implementation: scalars as text, objects and arrays as JSON text.
        var engine = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(RepoFiles.Fixture("engine", $"{stack}.pulumi-config.json")))!;

        var fromEngine = EnvironmentBinder.BindOrThrow(StackConfig.FromEngine(engine, stackName: stack));
        var fromFile = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));

        Assert.Equal(Canonical(fromFile), Canonical(fromEngine));
    }

    [Fact]
    public void Prod_binds_the_hybrid_topology_with_resolved_mig_layouts_and_strategies()
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));

        Assert.Equal(Topology.Hybrid, env.Topology);
        Assert.Equal(MigStrategy.Mixed, env.Cluster("dc1").MigStrategy);
        Assert.True(env.Cluster("burst").Burst);
        Assert.False(env.Cluster("dc1").Burst);
        var chatPool = env.Pool("h100-mig");
        Assert.Equal("serving-chat", chatPool.Mig!.ConfigName);
        Assert.Equal(8, chatPool.Mig.PerDevice.Length);
        Assert.Equal(3, chatPool.Mig.PerDevice[0]["2g.20gb"]);
        Assert.Equal(1, chatPool.Mig.PerDevice[0]["1g.10gb"]);
        Assert.Equal(7, chatPool.Mig.PerDevice[7]["1g.10gb"]);
        Assert.Null(env.Pool("h100-mixed").Mig);
        var burst = env.Pool("burst-h100");
        Assert.Equal("H100-SXM5-80GB", burst.Gpu!.Id);
        Assert.Equal(8, burst.GpusPerNode);
        Assert.Equal((0, 0, 2), (burst.MinSize, burst.DesiredSize, burst.MaxSize));
        var train = env.Pool("burst-train");
        Assert.Equal(CapacityType.Spot, train.CapacityType);
        Assert.True(train.Interruptible);
        var chat = env.Serving.Single(s => s.Name == "llama-8b-chat");
        Assert.Equal("nvidia.com/mig-2g.20gb", chat.Gpu.ResourceName);
        Assert.Equal("burst-h100", chat.Burst!.Pool);
        Assert.Equal(ServingRuntime.TritonVllm, chat.Runtime);
        Assert.Equal(ServingRuntime.Vllm, env.Serving.Single(s => s.Name == "llama-70b-chat").Runtime);
        Assert.Equal(new ModelSize(8.03, ModelPrecision.Fp8, null, 8192, 4), chat.Size);
        var big = env.Serving.Single(s => s.Name == "llama-70b-chat");
        Assert.Equal(new GpuRequest(GpuRequestKind.Gpu, null, "nvidia.com/gpu", 2), big.Gpu);
        Assert.Equal(PolicyEnforcement.Strict, env.Policy.Enforcement);
        Assert.Equal(3, env.VectorDb!.Replicas);
    }

    [Fact]
    public void Dev_binds_a_time_sliced_render_only_environment()
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("dev")));

        var cluster = Assert.Single(env.Clusters);
        Assert.Equal("rendered/dev", cluster.RenderDirectory);
        Assert.Null(cluster.Kubeconfig);
        var pool = Assert.Single(env.GpuPools);
        Assert.True(pool.TimeSliced);
        Assert.Equal(4, pool.TimeSlicingReplicas);
        Assert.Equal(MigStrategy.None, cluster.MigStrategy);
    }

    public static TheoryData<string> InvalidFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoFiles.Fixture("invalid"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void There_are_at_least_25_invalid_fixtures() =>
        Assert.True(InvalidFixtures().Count >= 25, $"only {InvalidFixtures().Count} fixtures");

    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public void Each_invalid_fixture_reports_exactly_its_expected_errors(string fixture)
    {
        var path = RepoFiles.Fixture("invalid", fixture + ".yaml");
        var expected = File.ReadLines(path)
            .Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => l["# expect: ".Length..].Split(" :: ", 2))
            .Select(p => (Path: p[0], Message: p[1]))
            .ToList();
        Assert.NotEmpty(expected);

        var result = EnvironmentBinder.Bind(StackConfig.FromYamlFile(path));

        Assert.False(result.IsValid);
        var errors = string.Join("\n", result.Errors);
        Assert.True(expected.Count == result.Errors.Length, $"expected {expected.Count} error(s), got {result.Errors.Length}:\n{errors}");
        foreach (var (expectedPath, message) in expected)
        {
            Assert.True(
                result.Errors.Any(e => e.Path == expectedPath && e.Message.Contains(message, StringComparison.Ordinal)),
                $"no error at {expectedPath} containing '{message}'; got:\n{errors}");
        }
    }

    [Fact]
    public void A_config_with_several_independent_errors_reports_all_of_them_in_one_exception()
    {
        var config = StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", "30-three-independent-errors.yaml"));

        var ex = Assert.Throws<EnvironmentConfigException>(() => EnvironmentBinder.BindOrThrow(config));

        Assert.True(ex.Errors.Length >= 3);
        Assert.StartsWith($"invalid stack configuration ({ex.Errors.Length} problems); nothing was created:", ex.Message);
        foreach (var error in ex.Errors)
        {
            Assert.Contains(error.ToString(), ex.Message);
        }
    }

    [Fact]
    public void Secret_values_are_never_read_and_show_as_secret_keys()
    {
        var config = StackConfig.FromYaml("""
            config:
              neocloud:onpremKubeconfig:
                secure: v1:abc
              neocloud:environment: dev
            """);

        Assert.Contains("onpremKubeconfig", config.SecretKeys);
        Assert.Null(config.Values["onpremKubeconfig"]);
    }

    [Fact]
    public void A_kubeconfig_held_in_a_secret_key_binds()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod"))
            .Replace("        path: ~/.kube/dc1.yaml\n        context: dc1-admin\n", "        secretKey: onpremKubeconfig\n", StringComparison.Ordinal)
            .Replace("\nconfig:\n", "\nconfig:\n  neocloud:onpremKubeconfig:\n    secure: v1:AAAA\n", StringComparison.Ordinal);

        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml, "prod"));

        Assert.Equal("onpremKubeconfig", env.Cluster("dc1").Kubeconfig!.SecretKey);
    }

    [Fact]
    public void Yaml_that_does_not_parse_is_one_error_naming_the_file_and_line()
    {
        var ex = Assert.Throws<EnvironmentConfigException>(() => StackConfig.FromYaml("config:\n  neocloud:topology: [onprem\n", sourceName: "Pulumi.broken.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("Pulumi.broken.yaml", error.Path);
        Assert.Contains("is not valid YAML (line", error.Message);
    }

    [Fact]
    public void Quoted_numbers_stay_strings_and_are_rejected_where_numbers_are_required()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("cloud")).Replace("      maxSize: 4\n", "      maxSize: \"4\"\n", StringComparison.Ordinal);

        var result = EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, "cloud"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("neocloud:gpuPools[0].maxSize", error.Path);
        Assert.Contains("got the string \"4\"", error.Message);
    }

    [Fact]
    public void The_model_bucket_name_follows_the_same_rule_as_the_replicated_bucket_component()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod")).Replace("      name: neocloud-models\n", "      name: ab\n", StringComparison.Ordinal);

        var error = Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, "prod")).Errors);

        Assert.Equal("neocloud:storage.modelBucket.name", error.Path);
        Assert.Equal(NeoCloud.Infra.Core.Storage.ReplicatedBucketPlanner.NamePrefixProblem("ab"), error.Message);
        Assert.Contains("use 3-46 lower-case letters", error.Message);
    }

    [Fact]
    public void Pools_inherit_the_clusters_driver_and_may_override_it()
    {
        var yaml = File.ReadAllText(Path.Combine(NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath, "Pulumi.dev.yaml"))
            .Replace("      renderDirectory: rendered/dev\n", "      renderDirectory: rendered/dev\n      driver: preinstalled\n", StringComparison.Ordinal);
        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml));
        Assert.Equal(NeoCloud.Infra.Core.Gpu.GpuDriver.Preinstalled, model.Clusters[0].Driver);
        Assert.Equal(NeoCloud.Infra.Core.Gpu.GpuDriver.Preinstalled, model.GpuPools[0].Driver);

        var overridden = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml.Replace("      gpusPerNode: 1\n", "      gpusPerNode: 1\n      driver: operator\n", StringComparison.Ordinal)));
        Assert.Equal(NeoCloud.Infra.Core.Gpu.GpuDriver.Operator, overridden.GpuPools[0].Driver);

        var checkedIn = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(Path.Combine(NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath, "Pulumi.prod.yaml")));
        Assert.All(checkedIn.GpuPools, p => Assert.Equal(p.Substrate == Substrate.Eks ? NeoCloud.Infra.Core.Gpu.GpuDriver.Preinstalled : NeoCloud.Infra.Core.Gpu.GpuDriver.Operator, p.Driver));
    }

    [Fact]
    public void Monitoring_binds_grafana_admin_and_secret_alert_receivers()
    {
        var yaml = File.ReadAllText(Path.Combine(NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath, "Pulumi.dev.yaml"))
            .Replace("    storageSize: 10Gi\n", """
                    storageSize: 10Gi
                    grafana: {adminUser: ops, adminPasswordSecretKey: grafanaPassword}
                    receivers:
                      - {name: oncall, kind: pagerduty, secretKey: pagerdutyKey}
                      - {name: chat, kind: slack, secretKey: slackUrl, channel: "#gpu"}

                """, StringComparison.Ordinal)
            .Replace("config:\n", "config:\n  neocloud:grafanaPassword: {secure: v1:AAAA}\n  neocloud:pagerdutyKey: {secure: v1:BBBB}\n  neocloud:slackUrl: {secure: v1:CCCC}\n", StringComparison.Ordinal);
        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml));
        Assert.Equal("ops", model.Monitoring.GrafanaAdminUser);
        Assert.Equal("grafanaPassword", model.Monitoring.GrafanaAdminPasswordSecretKey);
        Assert.Equal(
            [new NeoCloud.Infra.Core.Monitoring.AlertReceiverSpec("oncall", NeoCloud.Infra.Core.Monitoring.AlertReceiverKind.PagerDuty, "pagerdutyKey"),
             new NeoCloud.Infra.Core.Monitoring.AlertReceiverSpec("chat", NeoCloud.Infra.Core.Monitoring.AlertReceiverKind.Slack, "slackUrl", "#gpu")],
            model.Monitoring.Receivers.ToArray());

        var defaults = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(Path.Combine(NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath, "Pulumi.dev.yaml")));
        Assert.Equal("admin", defaults.Monitoring.GrafanaAdminUser);
        Assert.Null(defaults.Monitoring.GrafanaAdminPasswordSecretKey);
        Assert.Empty(defaults.Monitoring.Receivers);
    }

    private static string Canonical(EnvironmentModel model) => JsonSerializer.Serialize(model, CanonicalOptions);

    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
