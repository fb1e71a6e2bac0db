using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Gpu;
using static NeoCloud.Infra.Policy.Tests.Fixtures;

namespace NeoCloud.Infra.Policy.Tests.Rules;

/// <summary>Issue 18 point 4: impossible built-in MIG names are caught per resource (Analyze); custom names wait for AnalyzeStack.</summary>
public sealed class MigBuiltInConfigTests
{
    private readonly MigBuiltInConfigRule _rule = new();

    private static string NodeGroup(string instanceType, string migConfig) => $$$$$"""
        {"instanceTypes":["{{{{{instanceType}}}}}"],"scalingConfig":{"minSize":0,"maxSize":2,"desiredSize":1},
         "labels":{"neocloud.io/pool":"gpu","nvidia.com/mig.config":{{{{{migConfig}}}}}}}
        """;

    [Theory]
    [InlineData("p5.48xlarge", "all-2g.10gb")] // an A100 40GB profile on H100 80GB nodes (the example)
    [InlineData("p5.48xlarge", "all-1g.5gb")]
    [InlineData("p4d.24xlarge", "all-7g.80gb")] // an H100 profile on A100 40GB nodes
    [InlineData("p5.48xlarge", "all-9g.99gb")]
    public void Built_in_names_invalid_for_the_gpu_fail_in_analyze(string instanceType, string config)
    {
        var d = Assert.Single(Run(_rule, Resource("aws:eks/nodeGroup:NodeGroup", "ng", NodeGroup(instanceType, $"\"{config}\""))));
        Assert.Equal(EnforcementLevel.Mandatory, d.Level);
        Assert.Contains(config, d.Message, StringComparison.Ordinal);
        Assert.Contains("all-disabled", d.Message, StringComparison.Ordinal); // lists Core's valid names
    }

    [Theory]
    [InlineData("p5.48xlarge", "all-1g.10gb")]
    [InlineData("p5.48xlarge", "all-7g.80gb")]
    [InlineData("p5.48xlarge", "all-balanced")]
    [InlineData("p5.48xlarge", "all-disabled")]
    [InlineData("p4d.24xlarge", "all-2g.10gb")]
    public void Built_in_names_valid_for_the_gpu_pass(string instanceType, string config) =>
        Assert.Empty(Run(_rule, Resource("aws:eks/nodeGroup:NodeGroup", "ng", NodeGroup(instanceType, $"\"{config}\""))));

    [Fact]
    public void Custom_names_are_left_to_analyze_stack()
    {
        var nodeGroup = Resource("aws:eks/nodeGroup:NodeGroup", "ng", NodeGroup("p5.48xlarge", "\"inference-mixed\""));
        Assert.Empty(Run(_rule, nodeGroup));
        // ... where mig-config-valid resolves it against the stack's mig-parted ConfigMap (here: there is none).
        var stack = RunStack(new MigConfigValidRule(), [nodeGroup]);
        Assert.Contains("inference-mixed", Assert.Single(stack).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_are_checked_by_their_gpu_model_label()
    {
        var node = Resource("kubernetes:core/v1:Node", "n1", """
            {"metadata":{"name":"n1","labels":{"neocloud.io/gpu-model":"H100-SXM5-80GB","nvidia.com/mig.config":"all-3g.20gb"}}}
            """);
        Assert.Contains("all-3g.20gb", Assert.Single(Run(_rule, node)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_label_value_is_never_printed()
    {
        var nodeGroup = Resource("aws:eks/nodeGroup:NodeGroup", "ng", NodeGroup("p5.48xlarge", Secret($"\"all-2g.10gb-{SecretText}\"")));
        var diagnostics = Run(_rule, nodeGroup);
        Assert.Contains("[secret]", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
        AssertNoSecret(diagnostics);
    }

    [Fact]
    public void Unknown_labels_are_advisory_during_preview()
    {
        var nodeGroup = Resource("aws:eks/nodeGroup:NodeGroup", "ng", $$$$$"""{"instanceTypes":["p5.48xlarge"],"labels":"{{{{{UnknownObject}}}}}"}""");
        Assert.Equal(EnforcementLevel.Advisory, Assert.Single(Run(_rule, nodeGroup)).Level);
    }

    [Fact]
    public void Other_resources_are_ignored() =>
        Assert.Empty(Run(_rule, Deployment("app", """[{"name":"c","image":"a:1"}]""")));
}
