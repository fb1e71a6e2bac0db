using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Tests.Stacks;

/// <summary>Core's stack decisions (Pulumi-free, so they run in the reduced world too).</summary>
public sealed class StackLayoutTests
{
    [Fact]
    public void Federation_matches_the_two_series_of_the_burst_namespaces()
    {
        Assert.Equal(
            "{__name__=~\"nv_inference_request_duration_us|kube_deployment_spec_replicas\",namespace=~\"chat|search\"}",
            BurstScaling.FederationMatch(["search", "chat", "chat"]));
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "meta-llama_Llama-3.1-8B-Instruct")]
    [InlineData("BAAI/bge-large-en-v1.5", "BAAI_bge-large-en-v1.5")]
    [InlineData("/weird/", "weird")]
    public void Model_ids_become_label_values(string model, string label) => Assert.Equal(label, StackLayout.ModelLabel(model));

    [Fact]
    public void Model_reader_policy_reads_only_the_model_prefix_and_decrypts_via_s3()
    {
        var policy = StackLayout.ModelReaderPolicy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k", "us-east-1");
        Assert.Contains("\"arn:aws:s3:::b/models/*\"", policy, StringComparison.Ordinal);
        Assert.Contains("\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("s3:PutObject", policy, StringComparison.Ordinal);
    }
}
