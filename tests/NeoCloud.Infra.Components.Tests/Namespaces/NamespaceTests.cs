using System.Collections.Immutable;
using NeoCloud.Infra.Components.Namespaces;
using NeoCloud.Infra.Components.Tests.Testing;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Namespaces;

public sealed class NamespaceTests
{
    private static NamespaceArgs Args(Action<NamespaceArgs>? change = null)
    {
        var args = new NamespaceArgs { NamespaceName = "vector-db", App = "vector-db", Environment = "prod", CostCenter = "ml-platform" };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    [Fact]
    public async Task One_namespace_named_like_the_component_with_recommended_and_cost_labels()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new Namespace("dc1-vector-db", Args(a => a.Tags = new() { ["team"] = "search" })));

        var component = mocks.Single(Namespace.TypeToken);
        Assert.Equal("dc1-vector-db", component.Name);
        var ns = mocks.Single("kubernetes:core/v1:Namespace");
        Assert.Equal("dc1-vector-db", ns.Name);
        var metadata = Map(ns.Inputs["metadata"]);
        Assert.Equal("vector-db", metadata["name"]);
        var labels = Map(metadata["labels"]);
        Assert.Equal("vector-db", labels["app.kubernetes.io/name"]);
        Assert.Equal("vector-db", labels["app.kubernetes.io/instance"]);
        Assert.Equal("prod", labels["neocloud.io/environment"]);
        Assert.Equal("ml-platform", labels["neocloud.io/cost-center"]);
        Assert.Equal("search", labels["team"]);
        Assert.Single(mocks.Resources, r => r.Type?.StartsWith("kubernetes:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_namespace_name_output_is_the_created_name()
    {
        Output<string>? name = null;
        await PulumiTest.RunAsync(() => name = new Namespace("ns", Args()).NamespaceName);
        Assert.Equal("vector-db", await PulumiTest.ValueAsync(name!));
    }

    [Theory]
    [InlineData("kube-system", "NamespaceName", "\"kube-system\" is a Kubernetes system namespace; choose another name")]
    [InlineData("Vector_DB", "NamespaceName", "\"Vector_DB\" is not allowed; expected a DNS-1123 label")]
    public async Task A_bad_name_throws_at_its_property_and_registers_nothing(string namespaceName, string path, string reason)
    {
        var error = Assert.Throws<ComponentArgsException>(() => new Namespace("ns", Args(a => a.NamespaceName = namespaceName)));
        var problem = Assert.Single(error.Problems);
        Assert.Equal(path, problem.PropertyPath);
        Assert.StartsWith(reason, problem.Reason, StringComparison.Ordinal);

        var mocks = new RecordingMocks();
        await Assert.ThrowsAnyAsync<Exception>(() => PulumiTest.RunAsync(() => _ = new Namespace("ns", Args(a => a.NamespaceName = namespaceName)), mocks: mocks));
        Assert.Empty(mocks.Resources);
    }
}
