using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Tests.Stacks;

/// <summary>Core's stack decisions (Pulumi-free, so they run in the reduced world too).</summary>
public sealed class StackLayoutTests
{
    [Fact]
    public void Burst_query_is_the_serving_queue_query_restricted_to_the_onprem_cluster_and_gated_on_saturation()
    {
        var query = BurstScaling.Query("chat", "llama", "dc1", 64);
        var expectedQueue = ServingQueries.AverageQueueMs("chat", "llama")
            .Replace("pod=~\"llama-[a-z0-9]+-[a-z0-9]+\"", "pod=~\"llama-[a-z0-9]+-[a-z0-9]+\",neocloud_cluster=\"dc1\"", StringComparison.Ordinal);
        Assert.Equal(
            $"(({expectedQueue}) * (sum(kube_deployment_spec_replicas{{neocloud_cluster=\"dc1\",namespace=\"chat\",deployment=\"llama\"}}) >= bool 64)) or vector(0)",
            query);
    }

    [Fact]
    public void Federation_matches_the_three_series_of_the_burst_namespaces()
    {
        Assert.Equal(
            "{__name__=~\"nv_inference_queue_duration_us|nv_inference_request_success|kube_deployment_spec_replicas\",namespace=~\"chat|search\"}",
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
