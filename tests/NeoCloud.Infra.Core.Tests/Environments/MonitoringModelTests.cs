using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>The model's monitoring section is the PrometheusStack component's spec (issue 17: the model's specs are the components').</summary>
public sealed class MonitoringModelTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public void The_model_carries_the_spec_the_component_validates(string stack)
    {
        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var spec = model.Monitoring.Stack;

        Assert.Empty(PrometheusStackPlanner.Validate(spec));
        Assert.Equal((model.Environment, model.CostCenter), (spec.Ownership.Environment, spec.Ownership.CostCenter));
        Assert.Equal(StackLayout.MonitoringNamespace, spec.Namespace);
        Assert.Equal((spec.Retention, spec.StorageSize, spec.StorageClass, spec.ReleaseName, spec.GrafanaAdminUser),
            (model.Monitoring.Retention, model.Monitoring.StorageSize, model.Monitoring.StorageClass, model.Monitoring.ReleaseLabel, model.Monitoring.GrafanaAdminUser));

        // One receiver per configured receiver, each with its secret key (environment-only), never a secret value in the spec.
        Assert.Equal(model.Monitoring.Receivers.Select(r => r.Name), spec.AlertReceivers.Select(r => r.Name));
        Assert.All(spec.AlertReceivers, r => Assert.True(r.HasSecret));
    }

    [Fact]
    public void Without_a_monitoring_section_the_defaults_are_the_components_spec()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("dev"));
        var start = yaml.IndexOf("  neocloud:monitoring:", StringComparison.Ordinal);
        Assert.True(start > 0, "dev has a monitoring section");
        var end = yaml.IndexOf("\n  neocloud:", start + 1, StringComparison.Ordinal);
        var without = yaml[..start] + (end < 0 ? "" : yaml[(end + 1)..]);

        var model = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(without, "dev"));

        Assert.Empty(PrometheusStackPlanner.Validate(model.Monitoring.Stack));
        Assert.Equal(("15d", "50Gi", "kube-prometheus-stack", "admin"), (model.Monitoring.Retention, model.Monitoring.StorageSize, model.Monitoring.ReleaseLabel, model.Monitoring.GrafanaAdminUser));
    }
}
