using NeoCloud.Infra.Components.Monitoring;
using NeoCloud.Infra.Components.VectorDb;
using Pulumi.Experimental.Provider;

namespace NeoCloud.Infra.Components.Tests.Monitoring;

/// <summary>
/// Pulumi's own ComponentAnalyzer (pulumi-dotnet v3.112.1 sdk/Pulumi/Provider/ComponentAnalyzer.cs) accepts this slice's
/// components, which is what serves them to other languages; the schema names the outputs consumers take.
/// </summary>
public class ObserveSchemaTests
{
    [Fact]
    public void The_analyzer_accepts_the_monitoring_and_vector_db_components_under_their_tokens()
    {
        var schema = ComponentAnalyzer.GenerateSchema(new Metadata("neocloud"), typeof(PrometheusStack), typeof(PrometheusFederation), typeof(VectorDatabase));
        Assert.Equal([PrometheusFederation.TypeToken, PrometheusStack.TypeToken, VectorDatabase.TypeToken], schema.Resources.Keys);

        var stack = schema.Resources[PrometheusStack.TypeToken];
        Assert.Equal(["environment", "costCenter"], stack.RequiredInputs.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(["address", "chartVersion", "namespace", "releaseLabel"], stack.Required);
        Assert.Contains("federationTarget", stack.Properties.Keys);
        Assert.True(stack.InputProperties["retention"].Plain);
        Assert.Null(stack.InputProperties["grafanaAdminPassword"].Plain); // an Input<string>: another resource may produce it
        Assert.Equal(["kind", "name", "secret"], schema.Types["neocloud:index:AlertReceiver"].Required);

        var federation = schema.Resources[PrometheusFederation.TypeToken];
        Assert.Equal(["costCenter", "environment", "namespaces", "releaseLabel", "sourceCluster", "target"], federation.RequiredInputs);
        Assert.Null(federation.InputProperties["target"].Plain);
        Assert.Null(federation.InputProperties["releaseLabel"].Plain);

        Assert.Equal(["costCenter", "environment", "namespace", "storageClass"], schema.Resources[VectorDatabase.TypeToken].RequiredInputs);
    }
}
