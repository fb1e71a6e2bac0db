using NeoCloud.Infra.Components.Tests.Storage.Examples;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Storage;

public sealed class StorageReadmeTests
{
    [Fact]
    public void Readme_snippet_is_the_compiled_example() =>
        ReadmeSnippet.AssertIsTheExample("infra/Components/Storage/README.md", "tests/NeoCloud.Infra.Components.Tests/Storage/Examples/StorageExample.cs");

    [Fact]
    public async Task Example_runs_under_the_mock_engine()
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", """{"acme:syncAccessKeyId":"AKIAEXAMPLE","acme:syncSecretAccessKey":"example"}""");
        try
        {
            var (mocks, _) = await PulumiTest.RunAsync(() =>
            {
                var cluster = new Pulumi.Kubernetes.Provider("onprem", new Pulumi.Kubernetes.ProviderArgs { RenderYamlToDirectory = "/tmp/neocloud-render" });
                StorageExample.Run(cluster);
            });
            Assert.Single(mocks.OfType("aws:s3/bucketReplicationConfig:BucketReplicationConfig"));
            Assert.Single(mocks.OfType("kubernetes:batch/v1:CronJob"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
        }
    }
}
