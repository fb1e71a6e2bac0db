using NeoCloud.Infra.Stacks.Tests.Testing;
using Pulumi;
using Pulumi.Testing;
using PlatformNamespace = NeoCloud.Infra.Components.Namespaces.Namespace;
using PlatformNamespaceArgs = NeoCloud.Infra.Components.Namespaces.NamespaceArgs;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// The shared services' namespaces moved from raw root resources into the Namespace component (issue 17). The child keeps
/// the root resource's name and gets an alias without parent, so an existing stack's Namespace is updated in place.
/// </summary>
public sealed class NamespaceMoveTests
{
    [Theory]
    [InlineData("prod", new[] { "dc1-model-store", "dc1-vector-db" })]
    [InlineData("dev", new[] { "dev-model-store", "dev-vector-db" })]
    public async Task Each_shared_service_namespace_is_a_component_whose_child_has_the_former_root_name(string stack, string[] names)
    {
        var run = await StackAsync(stack);

        Assert.Equal(names, run.Mocks.OfType(PlatformNamespace.TypeToken).Select(c => c.Name!).Order(StringComparer.Ordinal));
        var children = run.Mocks.OfType("kubernetes:core/v1:Namespace").Where(n => names.Contains(n.Name)).ToList();
        Assert.Equal(names, children.Select(n => n.Name!).Order(StringComparer.Ordinal));
        Assert.All(children, n => Assert.Equal(n.Str("metadata", "name"), n.Str("metadata", "labels", "app.kubernetes.io/name")));
    }

    [Fact]
    public async Task The_stacks_transformation_aliases_the_child_to_the_root_urn()
    {
        var aliases = new List<(string Name, bool NoParent)>();
        await Deployment.TestAsync(new StackMocks(), new TestOptions { StackName = "t", ProjectName = "p" }, () =>
        {
            // What EnvironmentStack.Namespace passes: the cluster's options plus LegacyRoot.Aliases(n => n), then a probe.
            var options = new ComponentResourceOptions { ResourceTransformations = { LegacyRoot.Aliases(n => n) } };
            options.ResourceTransformations.Add(args =>
            {
                if (args.Resource.GetResourceType() == "kubernetes:core/v1:Namespace")
                {
                    foreach (var alias in args.Options.Aliases)
                    {
                        alias.ToOutput().Apply(a => a.Name!.ToOutput().Apply(n =>
                        {
                            lock (aliases)
                            {
                                aliases.Add((n, a.NoParent));
                            }

                            return n;
                        }));
                    }
                }

                return null;
            });
            _ = new PlatformNamespace("dc1-vector-db", new PlatformNamespaceArgs { NamespaceName = "vector-db", App = "vector-db", Environment = "prod", CostCenter = "ml-platform" }, options);
        });

        Assert.Equal([("dc1-vector-db", true)], aliases);
    }

    private static Task<StackRunResult> StackAsync(string stack) => StackRun.StackAsync(stack);
}
