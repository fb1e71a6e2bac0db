using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Networking;
using Pulumi.Experimental.Provider;

namespace NeoCloud.Infra.Components.Tests.Gpu;

/// <summary>
/// The gpu slice's components are what Pulumi's component analyzer (pulumi-dotnet v3.112.1
/// sdk/Pulumi/Provider/ComponentAnalyzer.cs) accepts: every public member an [Input]/[Output], no enums, no immutable
/// collections, no resources — so the component provider can serve them to every Pulumi language.
/// </summary>
public class GpuSchemaTests
{
    public static TheoryData<Type> Components() => new() { typeof(GpuNodePool), typeof(CpuNodePool), typeof(GpuOperator), typeof(EksCluster) };

    [Theory]
    [MemberData(nameof(Components))]
    public void The_component_analyzer_accepts_the_component(Type component)
    {
        var schema = ComponentAnalyzer.GenerateSchema(new Metadata("neocloud"), component);
        Assert.Contains($"neocloud:index:{component.Name}", schema.Resources.Keys);
    }

    [Fact]
    public void The_pools_publish_one_typed_placement_and_the_operator_takes_pools_as_nested_args()
    {
        var schema = ComponentAnalyzer.GenerateSchema(new Metadata("neocloud"), typeof(GpuNodePool), typeof(CpuNodePool), typeof(GpuOperator));
        foreach (var pool in new[] { "GpuNodePool", "CpuNodePool" })
        {
            var resource = schema.Resources[$"neocloud:index:{pool}"];
            Assert.Equal("#/types/neocloud:index:NodePlacement", resource.Properties["placement"].Ref);
        }

        Assert.Contains("neocloud:index:PlacementToleration", schema.Types.Keys);
        Assert.Contains("neocloud:index:GpuOperatorPool", schema.Types.Keys);
        Assert.Contains("neocloud:index:MigConfig", schema.Types.Keys);
        Assert.Contains("substrate", schema.Resources["neocloud:index:GpuOperator"].RequiredInputs);
    }
}
