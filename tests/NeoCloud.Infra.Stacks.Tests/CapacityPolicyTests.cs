using System.Text.Json;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Gpu;
using NeoCloud.Infra.Policy.Rules.Model;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>The pack's GPU capacity stack policies on the resources each checked-in stack registers.</summary>
public sealed class CapacityPolicyTests
{
    public static TheoryData<string> Stacks => ["dev", "prod", "cloud"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Scaled_objects_sharing_pools_fit_them_together_as_registered(string stack)
    {
        var resources = await Registered(stack);
        Assert.Contains(resources, r => r.Type == "kubernetes:keda.sh/v1alpha1:ScaledObject");
        Assert.Empty(Diagnostics(stack, resources, new SharedPoolCapacityRule()));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task As_registered_the_capacity_rules_agree_with_the_binder(string stack)
    {
        // On-prem NodePatches carry the pool's declared neocloud.io/gpus-per-node (GPU Feature Discovery's
        // nvidia.com/gpu.count exists only on the live node), so the pack computes what the binder computes.
        var resources = await Registered(stack);
        Assert.Empty(Diagnostics(stack, resources, new SharedPoolCapacityRule()));
        var alone = Diagnostics(stack, resources, new ScaledObjectCapacityRule());
        if (stack == "dev")
        {
            // Known limitation of scaledobject-fits-capacity (not of the shared-pool rule, which skips time-sliced pools):
            // dev's l4-shared is time-sliced (4 replicas of 1 L4), the pack counts 1 nvidia.com/gpu, the binder 4.
            Assert.Contains("'tinyllama' to 3 replicas needing nvidia.com/gpu=3 but its pools hold at most nvidia.com/gpu=1", Assert.Single(alone), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(alone);
        }
    }

    private static List<string> Diagnostics(string stack, IReadOnlyList<ResourceSnapshot> resources, params IStackRule[] rules)
    {
        var pack = new PolicyPack("test", "0.0.0", rules);
        var kind = stack == "prod" ? StackKind.Prod : StackKind.Dev;
        return [.. pack.AnalyzeStack(new StackSnapshot(resources), PolicySettings.Defaults(pack.Rules, kind), StackInfo.Unconfigured with { Name = stack, Kind = kind })
            .Select(d => $"{d.PolicyName} ({d.Level}): {d.Message}")];
    }

    // The registered inputs as JSON property values, read by the pack's own decoder.
    private static async Task<IReadOnlyList<ResourceSnapshot>> Registered(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        return [.. run.Mocks.Resources.Where(r => r.Type is not null).Select(r =>
        {
            using var doc = JsonDocument.Parse(JsonSerializer.Serialize(r.Inputs));
            return ResourceSnapshot.Create(r.Type!, r.Name ?? string.Empty, (ObjectValue)PulumiWireValues.DecodeObject(PulumiWireValues.DecodeProperties(doc.RootElement)));
        })];
    }
}
