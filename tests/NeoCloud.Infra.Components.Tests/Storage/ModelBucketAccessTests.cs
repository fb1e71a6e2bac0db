using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Components.Storage;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Storage;

public sealed class ModelBucketAccessTests
{
    private static ModelBucketAccessArgs Args(Action<ModelBucketAccessArgs>? change = null)
    {
        var args = new ModelBucketAccessArgs
        {
            BucketArn = "arn:aws:s3:::neocloud-models-a1b2c3d4",
            KmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k",
            Region = "us-east-1",
            Namespaces = ["chat", "search"],
            Environment = "prod",
            CostCenter = "ml-platform",
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    [Fact]
    public async Task Reader_is_a_user_with_a_read_policy_a_key_and_a_secret_per_namespace()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ModelBucketAccess("dc1-model-reader", Args()));

        Assert.Single(mocks.OfType("neocloud:index:ModelBucketAccess"));
        var user = mocks.Single("aws:iam/user:User");
        Assert.Equal("dc1-model-reader", user.Name);
        Assert.Equal("dc1-model-reader", Map(user.Inputs["tags"])["Name"]);
        Assert.Equal("prod", Map(user.Inputs["tags"])["neocloud.io/environment"]);
        var policy = mocks.Single("aws:iam/userPolicy:UserPolicy");
        Assert.Equal("dc1-model-reader", policy.Name);
        using var doc = JsonDocument.Parse((string)policy.Inputs["policy"]);
        var actions = doc.RootElement.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Action").EnumerateArray()).Select(a => a.GetString()).ToArray();
        Assert.Contains("s3:GetObject", actions);
        Assert.DoesNotContain("s3:PutObject", actions);
        Assert.Contains("arn:aws:s3:::neocloud-models-a1b2c3d4", (string)policy.Inputs["policy"], StringComparison.Ordinal);
        Assert.Equal("dc1-model-reader", mocks.Single("aws:iam/accessKey:AccessKey").Name);

        var secrets = mocks.OfType("kubernetes:core/v1:Secret");
        Assert.Equal(["dc1-model-reader-chat", "dc1-model-reader-search"], secrets.Select(s => s.Name).Order());
        Assert.All(secrets, s =>
        {
            var metadata = Map(s.Inputs["metadata"]);
            Assert.Equal("model-store-credentials", metadata["name"]);
            Assert.Equal(metadata["namespace"], Map(metadata["labels"])["neocloud.io/tenant"]);
            // The mock engine gives the access key an id but no secret (an unknown output), so AWS_SECRET_ACCESS_KEY is absent here.
            Assert.Equal("dc1-model-reader-id", Map(s.Inputs["stringData"])["AWS_ACCESS_KEY_ID"]);
            Assert.Equal("us-east-1", Map(s.Inputs["stringData"])["AWS_DEFAULT_REGION"]);
        });
    }

    [Fact]
    public async Task Writer_gets_the_sync_policy_and_no_secret_without_namespaces()
    {
        ModelBucketAccess? writer = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => writer = new ModelBucketAccess("model-sync", Args(a =>
        {
            a.Access = "write";
            a.Namespaces = [];
        })));
        Assert.Contains("s3:PutObject", (string)mocks.Single("aws:iam/userPolicy:UserPolicy").Inputs["policy"], StringComparison.Ordinal);
        Assert.Empty(mocks.OfType("kubernetes:core/v1:Secret"));
        Assert.Empty(await PulumiTest.ValueAsync(writer!.SecretNamespaces));
    }

    [Fact]
    public async Task Invalid_args_list_every_problem_and_register_nothing()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            var error = Assert.Throws<ComponentArgsException>(() => new ModelBucketAccess("r", new ModelBucketAccessArgs { Access = "admin", Namespaces = ["chat", "chat"] }));
            Assert.Equal(["Access", "BucketArn", "KmsKeyArn", "Region", "Namespaces[1]", "Environment", "CostCenter"], error.Problems.Select(p => p.PropertyPath));
            Assert.Contains("ModelBucketAccessArgs.Access: \"admin\" is not allowed; allowed: read, write", error.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }
}
