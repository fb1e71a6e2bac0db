using Pulumi.Experimental.Provider;

namespace NeoCloud.Infra.Provider.Tests;

/// <summary>
/// Pulumi's <see cref="ComponentAnalyzer"/> (pulumi-dotnet v3.112.1 sdk/Pulumi/Provider/ComponentAnalyzer.cs), the
/// code behind the provider's GetSchema, accepts every component: every public member of the component is an
/// <c>[Output]</c> of a supported type, every public member of its Args an <c>[Input]</c> of a supported type (no C#
/// enums, Immutable* collections, resources or Core records), and it has one (string, XArgs, options) constructor.
/// </summary>
public sealed class AnalyzerAcceptanceTests
{
    /// <summary>The analyzer's verdict on one component: null when accepted, else its message.</summary>
    public static string? Analyze(Type component)
    {
        try
        {
            ComponentAnalyzer.GenerateSchema(ComponentCatalog.Metadata, component);
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    [Theory]
    [MemberData(nameof(ComponentCatalog.Names), MemberType = typeof(ComponentCatalog))]
    public void The_analyzer_accepts_the_component(string name) =>
        ComponentCatalog.AssertOutcome(name, ContractCheck.Analyzer, Analyze(ComponentCatalog.Find(name)));

    [Fact]
    public void Every_rejected_component_is_reported_at_once_and_only_pending_ones_are_rejected()
    {
        var rejected = ComponentCatalog.Types.Select(t => (t.Name, Error: Analyze(t))).Where(r => r.Error is not null).ToList();
        var report = string.Concat(rejected.Select(r => $"\n  - {r.Name}: {r.Error}"));
        var pending = ComponentCatalog.PendingOn(ContractCheck.Analyzer);
        Assert.True(rejected.Select(r => r.Name).SequenceEqual(pending),
            $"ComponentAnalyzer rejects {rejected.Count} of {ComponentCatalog.Types.Count} components:{report}\n"
            + $"expected exactly the pending ones: [{string.Join(", ", pending)}]");
    }

    [Fact]
    public void The_pending_list_names_only_components_that_exist()
    {
        var unknown = ComponentCatalog.PendingContract.Keys.Except(ComponentCatalog.Types.Select(t => t.Name)).ToList();
        Assert.True(unknown.Count == 0, $"ComponentCatalog.PendingContract names no component: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_capability_is_found_by_reflection()
    {
        // Guards the reflection itself: a catalog that finds nothing would make every theory vacuous.
        Assert.Contains(ComponentCatalog.Types, t => t.Name == "GpuNodePool");
        Assert.Contains(ComponentCatalog.Types, t => t.Name == "TritonService");
        Assert.True(ComponentCatalog.Types.Count >= 10, $"only {ComponentCatalog.Types.Count} components found");
    }
}
