using System.Collections.Immutable;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Components.Tests.Gpu;

public class GpuOperatorTests
{
    private static GpuOperatorPoolArgs Eks(string name, string gpuModel, string? mig = null, int timeSlicing = 1) =>
        new() { PoolName = name, GpuModel = gpuModel, GpusPerNode = 8, MigConfig = mig, TimeSlicingReplicas = timeSlicing };

    private static GpuOperatorPoolArgs OnPrem(string name, string gpu, string? mig = null, int timeSlicing = 1, string? driver = null) =>
        new() { PoolName = name, GpuModel = gpu, GpusPerNode = 8, MigConfig = mig, TimeSlicingReplicas = timeSlicing, Driver = driver };

    private static ImmutableDictionary<string, object> Map(object value) => Assert.IsAssignableFrom<ImmutableDictionary<string, object>>(value);

    private static object At(ImmutableDictionary<string, object> values, string path) =>
        path.Split('.').Aggregate((object)values, (node, key) => Map(node)[key]);

    private static async Task<(RecordingMocks Mocks, GpuOperator Operator)> Run(GpuOperatorArgs args)
    {
        GpuOperator? op = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => op = new GpuOperator("gpu", args));
        return (mocks, op!);
    }

    [Fact]
    public async Task Eks_mixed_cluster_disables_driver_and_toolkit_and_ships_core_rendered_mig_config()
    {
        var h100 = Eks("h100", "H100-SXM5-80GB", "all-1g.10gb");
        var l40s = Eks("l40s", "L40S");
        var (mocks, op) = await Run(new GpuOperatorArgs
        {
            Substrate = "eks",
            Pools = [h100, l40s],
            Environment = "prod",
            CostCenter = "ml",
            PrometheusReleaseLabel = "monitoring",
        });

        var chart = mocks.Single("kubernetes:helm.sh/v4:Chart");
        Assert.Equal("gpu-chart", chart.Name);
        Assert.Equal(GpuOperatorChart.Chart, chart.Inputs["chart"]);
        Assert.Equal(GpuOperatorChart.Version, chart.Inputs["version"]);
        Assert.Equal(GpuOperatorChart.Repository, Map(chart.Inputs["repositoryOpts"])["repo"]);
        Assert.Equal("gpu-operator", chart.Inputs["namespace"]);
        var values = Map(chart.Inputs["values"]);
        Assert.Equal(false, At(values, "driver.enabled"));
        Assert.Equal(false, At(values, "toolkit.enabled"));
        Assert.Equal("mixed", At(values, "mig.strategy"));
        Assert.Equal(true, At(values, "migManager.enabled"));
        Assert.Equal(GpuOperatorChart.MigPartedConfigMapName, At(values, "migManager.config.name"));
        Assert.Equal("all-disabled", At(values, "migManager.config.default"));
        var env = Map(Assert.Single(Assert.IsAssignableFrom<ImmutableArray<object>>(At(values, "migManager.env"))));
        Assert.Equal("WITH_REBOOT", env["name"]);
        Assert.Equal("true", env["value"]);
        Assert.Equal(true, At(values, "dcgmExporter.serviceMonitor.enabled"));
        Assert.Equal("monitoring", At(values, "dcgmExporter.serviceMonitor.additionalLabels.release"));
        Assert.False(Map(At(values, "devicePlugin")).ContainsKey("config"));

        var cm = Assert.Single(mocks.OfType("kubernetes:core/v1:ConfigMap"));
        Assert.Equal(GpuOperatorChart.MigPartedConfigMapName, Map(cm.Inputs["metadata"])["name"]);
        var expected = MigPartedConfig.Render([new MigConfigUse("all-1g.10gb", HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!) { GpusPerNode = 8 }]);
        Assert.Equal(expected, Map(cm.Inputs["data"])["config.yaml"]);
        Assert.Contains("all-1g.10gb", expected);

        var ns = mocks.Single("kubernetes:core/v1:Namespace");
        Assert.Equal("privileged", Map(Map(ns.Inputs["metadata"])["labels"])["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("mixed", await PulumiTest.ValueAsync(op.MigStrategy));
        Assert.Equal(GpuOperatorChart.Version, await PulumiTest.ValueAsync(op.ChartVersion));
        Assert.Equal("gpu-operator", await PulumiTest.ValueAsync(op.Namespace));
    }

    [Fact]
    public async Task Onprem_single_strategy_installs_driver_and_toolkit_without_reboots()
    {
        var dgx = OnPrem("dgx", "H100-SXM5-80GB", "all-3g.40gb");
        var (mocks, _) = await Run(new GpuOperatorArgs
        {
            Substrate = "onprem",
            Pools = [dgx],
            MigStrategy = "single",
            Environment = "dev",
            CostCenter = "ml",
        });
        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        Assert.Equal(true, At(values, "driver.enabled"));
        Assert.Equal(GpuOperatorChart.DriverVersion, At(values, "driver.version"));
        Assert.Equal(true, At(values, "toolkit.enabled"));
        Assert.Equal("single", At(values, "mig.strategy"));
        var env = Map(Assert.Single(Assert.IsAssignableFrom<ImmutableArray<object>>(At(values, "migManager.env"))));
        Assert.Equal("false", env["value"]);
        Assert.Equal("kube-prometheus-stack", At(values, "dcgmExporter.serviceMonitor.additionalLabels.release"));
    }

    [Fact]
    public async Task Onprem_cluster_of_preinstalled_driver_nodes_turns_the_operators_driver_and_toolkit_off()
    {
        var dgxOs = OnPrem("dgx-os", "H100-SXM5-80GB", driver: "preinstalled");
        var (mocks, _) = await Run(new GpuOperatorArgs { Substrate = "onprem", Pools = [dgxOs], Environment = "dev", CostCenter = "ml" });
        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        Assert.Equal(false, At(values, "driver.enabled"));
        Assert.Equal(false, At(values, "toolkit.enabled"));
    }

    [Fact]
    public async Task Time_sliced_pool_gets_its_own_device_plugin_config()
    {
        var l40s = OnPrem("l40s", "L40S", timeSlicing: 4);
        var (mocks, op) = await Run(new GpuOperatorArgs { Substrate = "onprem", Pools = [l40s], Environment = "dev", CostCenter = "ml" });

        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        Assert.Equal("none", At(values, "mig.strategy"));
        Assert.Equal(false, At(values, "migManager.enabled"));
        Assert.Equal(GpuOperatorChart.DevicePluginConfigMapName, At(values, "devicePlugin.config.name"));
        Assert.Equal("default", At(values, "devicePlugin.config.default"));
        Assert.Equal(false, At(values, "devicePlugin.config.create"));

        var cm = Assert.Single(mocks.OfType("kubernetes:core/v1:ConfigMap"));
        var data = Map(cm.Inputs["data"]);
        Assert.Equal(
            "version: v1\nflags:\n  migStrategy: none\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 4\n",
            data["l40s"]);
        Assert.Equal("version: v1\nflags:\n  migStrategy: none\n", data["default"]);
        Assert.Equal(GpuOperatorChart.DevicePluginConfigMapName, await PulumiTest.ValueAsync(op.DevicePluginConfigMapName));
        Assert.Null(await PulumiTest.ValueAsync(op.MigConfigMapName));
    }

    [Fact]
    public async Task Service_monitor_can_be_turned_off()
    {
        var (mocks, _) = await Run(new GpuOperatorArgs { Substrate = "eks", Pools = [Eks("l4", "L4")], ServiceMonitor = false, Environment = "prod", CostCenter = "ml" });
        var values = Map(mocks.Single("kubernetes:helm.sh/v4:Chart").Inputs["values"]);
        Assert.Equal(false, At(values, "dcgmExporter.serviceMonitor.enabled"));
    }

    [Fact]
    public async Task Forcing_single_with_a_mixed_pool_fails_with_every_problem_and_registers_nothing()
    {
        var (ex, mocks) = await GpuNodePoolTests.RunFailing(() => new GpuOperator("gpu", new GpuOperatorArgs
        {
            Substrate = "eks",
            Pools = [Eks("h100", "H100-SXM5-80GB", "all-balanced"), OnPrem("dgx", "A100-SXM4-80GB", driver: "host")],
            MigStrategy = "single",
            Environment = "prod",
            CostCenter = "ml",
        }));
        Assert.Contains("GpuOperator \"gpu\": invalid GpuOperatorArgs (2 problems); nothing was registered:", ex.Message);
        Assert.Contains("GpuOperatorArgs.Pools[1].Driver: \"host\" is not allowed; allowed: operator, preinstalled", ex.Message);
        Assert.Contains("GpuOperatorArgs.MigStrategy: single is not possible: the cluster's MIG pools use several profiles (", ex.Message);
        Assert.Empty(mocks.Resources);
    }

    [Fact]
    public async Task The_operator_registers_under_the_index_token()
    {
        var (mocks, _) = await Run(new GpuOperatorArgs { Substrate = "eks", Environment = "prod", CostCenter = "ml" });
        Assert.Equal("gpu", mocks.Single("neocloud:index:GpuOperator").Name);
    }

    [Fact]
    public void Missing_required_args_are_each_reported()
    {
        var ex = Assert.Throws<ComponentArgsException>(() => new GpuOperator("gpu", new GpuOperatorArgs { Pools = [new GpuOperatorPoolArgs()] }));
        Assert.Equal(
            ["CostCenter", "Environment", "Pools[0].GpuModel", "Pools[0].GpusPerNode", "Pools[0].PoolName", "Substrate"],
            ex.Problems.Select(p => p.PropertyPath).Order(StringComparer.Ordinal).ToArray());
    }
}
