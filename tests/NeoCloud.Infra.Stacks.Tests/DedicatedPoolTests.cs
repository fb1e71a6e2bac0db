using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Stacks.Tests.Testing;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// <c>gpuPools[].dedicatedTo</c> on the registered program: prod with its EKS pool burst-h100 dedicated to tenant chat.
/// The node group carries the dedicated taint, chat's burst Triton tolerates it (from the pool's placement), and the
/// platform check on the registered objects still reports exactly prod's pinned findings (chat's Tritons place).
/// </summary>
public sealed class DedicatedPoolTests
{
    private static string DedicatedProdYaml()
    {
        var yaml = File.ReadAllText(RepoFiles.StackFile("prod"));
        const string entry = "    - name: burst-h100\n";
        Assert.Contains(entry, yaml, StringComparison.Ordinal);
        return yaml.Replace(entry, entry + "      dedicatedTo: chat\n", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dedicated_node_group_is_tainted_and_only_the_tenants_Triton_tolerates_it()
    {
        var yaml = DedicatedProdYaml();
        var run = await StackRun.RunAsync(CliConfig.FromYaml(yaml), null, "prod");
        var m = run.Mocks;

        var group = Assert.Single(m.OfType("aws:eks/nodeGroup:NodeGroup"), g => Equals(g.Map("labels")["neocloud.io/pool"], "burst-h100"));
        var taints = group.List("taints").Select(t => Inputs.At(t, "key") + "=" + Inputs.At(t, "value") + ":" + Inputs.At(t, "effect")).ToList();
        Assert.Equal(["nvidia.com/gpu=true:NO_SCHEDULE", $"{DedicatedPools.TaintKey}=chat:NO_SCHEDULE"], taints);
        var shared = Assert.Single(m.OfType("aws:eks/nodeGroup:NodeGroup"), g => Equals(g.Map("labels")["neocloud.io/pool"], "burst-train"));
        Assert.Equal(["nvidia.com/gpu"], shared.List("taints").Select(t => Inputs.At(t, "key") as string));

        var dedicatedTolerations = m.OfType("kubernetes:apps/v1:Deployment")
            .Where(d => (d.At("spec", "template", "spec", "tolerations") as IEnumerable<object>)?.Any(t => Equals(Inputs.At(t, "key"), DedicatedPools.TaintKey)) == true)
            .Select(d => (d.Str("metadata", "namespace"), d.Str("spec", "template", "spec", "nodeSelector", "neocloud.io/pool")))
            .ToList();
        Assert.Equal([("chat", "burst-h100")], dedicatedTolerations);
        var triton = Assert.Single(m.OfType("kubernetes:apps/v1:Deployment"), d => d.Str("spec", "template", "spec", "nodeSelector", "neocloud.io/pool") == "burst-h100");
        var toleration = Assert.Single(triton.List("spec", "template", "spec", "tolerations"), t => Equals(Inputs.At(t, "key"), DedicatedPools.TaintKey));
        Assert.Equal("Equal", Inputs.At(toleration, "operator"));
        Assert.Equal("chat", Inputs.At(toleration, "value"));

        // The platform check on what the program registered: prod's pinned findings, nothing new (placement, admission).
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(yaml, "prod"));
        var config = ConfigInventory.Build(env);
        var inventory = ManifestInventory.Merge(config.Inventory, PlatformCheckTests.Registered(m.Resources, env)) with
        {
            Flows = [.. config.Inventory.Flows.Select(f => f.To.Address is { Value: var a } && a.StartsWith("prefix-list:", StringComparison.Ordinal)
                ? f with { To = f.To with { Address = new NetworkAddress("52.216.0.1") } }
                : f)],
        };
        var report = PlatformCheck.Run(inventory, config.Findings);
        var expected = File.ReadAllLines(Path.Combine(RepoRoot.FullPath, "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "platform", "prod.findings.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(expected, report.Findings.Select(f => f.ToString()).ToArray());
        Assert.Contains(report.Placements, p => p.Workload.Source == "stack" && p.Workload.Namespace == "chat" && p.Workload.Cluster == "burst" && p.Admitting.SequenceEqual(["burst-h100"]));
    }
}
