using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Stacks.Tests.Testing;
using NeoCloud.Infra.Tests.Shared;
using Pulumi.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// The platform check on what each checked-in stack registers under the mock engine: the Kubernetes objects the program
/// registers (per cluster, by their provider) replace the config's view of the stack's own objects; pools and the
/// charts' workloads (charts render in the provider, not in the program) come from config. While the platform issues
/// are open it must report exactly what the Core suite pins for the same stack from config
/// (tests/NeoCloud.Infra.Core.Tests/Fixtures/platform/&lt;stack&gt;.findings.txt), so the program and the plan agree.
/// </summary>
public sealed class PlatformCheckTests
{
    /// <summary>An address inside the S3 prefix list the mock engine returns (52.216.0.0/15).</summary>
    private const string MockS3Address = "52.216.0.1";

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public async Task The_check_on_the_registered_objects_reports_the_pinned_findings(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var config = ConfigInventory.Build(env);
        var registered = Registered(run.Mocks.Resources, env);

        var inventory = ManifestInventory.Merge(config.Inventory, registered) with
        {
            Flows = [.. config.Inventory.Flows.Select(f => f.To.Address is { Value: var a } && a.StartsWith("prefix-list:", StringComparison.Ordinal)
                ? f with { To = f.To with { Address = new NetworkAddress(MockS3Address) } }
                : f)],
        };
        var report = PlatformCheck.Run(inventory, config.Findings);

        var expected = File.ReadAllLines(Path.Combine(RepoRoot.FullPath, "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "platform", $"{stack}.findings.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(expected, report.Findings.Select(f => f.ToString()).ToArray());
        Assert.Contains(report.Placements, p => p.Workload.Source == "stack" && p.Workload.Kind == "Deployment");
        Assert.NotEmpty(registered.NetworkPolicies);
    }

    /// <summary>The registered Kubernetes objects of every cluster, as plain manifests.</summary>
    internal static PlatformInventory Registered(IReadOnlyList<MockResourceArgs> resources, EnvironmentModel env)
    {
        var byCluster = resources
            .Where(r => r.Type is { } t && t.StartsWith("kubernetes:", StringComparison.Ordinal) && !t.StartsWith("kubernetes:helm.sh/", StringComparison.Ordinal))
            .GroupBy(r => RegisteredManifests.ClusterOf(r, env));
        var parts = byCluster.Select(g => ManifestInventory.FromKubernetesObjects(g.Key, g.Select(RegisteredManifests.Manifest))).ToList();
        return PlatformInventory.Empty with
        {
            Workloads = [.. parts.SelectMany(p => p.Workloads)],
            Claims = [.. parts.SelectMany(p => p.Claims)],
            StorageClasses = [.. parts.SelectMany(p => p.StorageClasses)],
            Namespaces = [.. parts.SelectMany(p => p.Namespaces)],
            NetworkPolicies = [.. parts.SelectMany(p => p.NetworkPolicies)],
            Bindings = [.. parts.SelectMany(p => p.Bindings)],
            Scalers = [.. parts.SelectMany(p => p.Scalers)],
        };
    }
}
