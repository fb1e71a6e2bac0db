using System.Reflection;
using NeoCloud.Infra.Stacks.Tests.Testing;
using Pulumi;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>Every Kubernetes object is labelled and every taggable AWS resource is tagged with environment and cost center.</summary>
public sealed class LabelsAndTagsTests
{
    private static readonly string[] Required = ["neocloud.io/environment", "neocloud.io/cost-center"];

    public static TheoryData<string> Stacks => ["dev", "prod", "cloud"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Every_kubernetes_object_carries_environment_and_cost_center(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var objects = run.Mocks.Resources.Where(r => r.Type!.StartsWith("kubernetes:", StringComparison.Ordinal) && r.Type != "kubernetes:helm.sh/v4:Chart").ToList();
        Assert.NotEmpty(objects);
        var missing = objects.Where(o => !Required.All(k => o.Map("metadata", "labels").ContainsKey(k))).Select(o => $"{o.Type} {o.Name}").ToList();
        Assert.True(missing.Count == 0, "unlabelled: " + string.Join(", ", missing));
        var environment = run.Outputs["environment"];
        Assert.All(objects, o => Assert.Equal(environment, o.Map("metadata", "labels")["neocloud.io/environment"]));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Every_taggable_aws_resource_carries_environment_and_cost_center(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var taggable = TaggableAwsTypes();
        var aws = run.Mocks.Resources.Where(r => r.Type!.StartsWith("aws:", StringComparison.Ordinal)).ToList();
        if (stack == "dev")
        {
            Assert.Empty(aws);
            return;
        }

        var checkedCount = 0;
        foreach (var r in aws.Where(r => taggable.Contains(r.Type!)))
        {
            checkedCount++;
            var tags = r.Map("tags");
            Assert.True(Required.All(tags.ContainsKey), $"{r.Type} {r.Name} lacks {string.Join('/', Required)} tags");
        }

        Assert.True(checkedCount > 20, $"only {checkedCount} taggable AWS resources checked");
    }

    /// <summary>Type tokens of AWS resources whose Args have a <c>tags</c> input (from the SDK's own attributes).</summary>
    private static HashSet<string> TaggableAwsTypes()
    {
        var assembly = typeof(Pulumi.Aws.Provider).Assembly;
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes().Where(t => typeof(CustomResource).IsAssignableFrom(t)))
        {
            var token = type.GetCustomAttribute<ResourceTypeAttribute>()?.Type;
            var args = assembly.GetType(type.FullName + "Args");
            if (token is not null && args is not null && args.GetProperty("Tags") is not null)
            {
                result.Add(token);
            }
        }

        return result;
    }
}
