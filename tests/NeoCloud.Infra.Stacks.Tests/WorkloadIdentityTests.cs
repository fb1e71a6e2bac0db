using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// Issue 14 item 5, over every checked-in stack as the program registers it: nothing on EKS uses an IAM user or a
/// long-lived key; every EKS namespace whose pods read AWS has a Pod Identity association for the ServiceAccount its pods
/// run as; the only IAM user is the on-prem sync's, and its key lands only on the on-prem cluster.
/// </summary>
public sealed class WorkloadIdentityTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public async Task No_iam_user_or_access_key_serves_a_workload_on_eks(string stack)
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile(stack)));
        var run = await StackRun.StackAsync(stack);
        bool OnEks(Pulumi.Testing.MockResourceArgs r) => env.Cluster(RegisteredManifests.ClusterOf(r, env)).Substrate == Substrate.Eks;

        // The only IAM user (and key) is the on-prem → S3 sync's writer.
        Assert.All(run.Mocks.OfType("aws:iam/user:User"), u => Assert.Equal("model-sync", u.Name));
        Assert.All(run.Mocks.OfType("aws:iam/accessKey:AccessKey"), k => Assert.Equal("model-sync", k.Name));

        // No Secret on an EKS cluster holds an AWS key; no container on EKS reads one.
        foreach (var secret in run.Mocks.OfType("kubernetes:core/v1:Secret").Where(OnEks))
        {
            var data = secret.At("stringData") as IReadOnlyDictionary<string, object>;
            Assert.False(data?.ContainsKey("AWS_ACCESS_KEY_ID") ?? false, $"{secret.Name} holds an AWS access key on EKS");
            Assert.False(data?.ContainsKey("AWS_SECRET_ACCESS_KEY") ?? false, $"{secret.Name} holds an AWS secret key on EKS");
        }

        var associations = run.Mocks.OfType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
            .Select(a => (Namespace: (string)a.Inputs["namespace"], ServiceAccount: (string)a.Inputs["serviceAccount"])).ToHashSet();
        var eksTriton = run.Mocks.OfType("kubernetes:apps/v1:Deployment").Where(OnEks).Where(d => d.Str("metadata", "labels", "app.kubernetes.io/name") == "triton").ToList();
        Assert.Equal(stack != "dev", eksTriton.Count > 0); // prod: the burst deployment; cloud: mistral-7b
        foreach (var deployment in eksTriton)
        {
            var pod = deployment.Map("spec", "template", "spec");
            var account = Assert.IsType<string>(pod["serviceAccountName"]);
            Assert.Contains((deployment.Str("metadata", "namespace")!, account), associations);
            var env0 = deployment.List("spec", "template", "spec", "containers").Cast<IReadOnlyDictionary<string, object>>().SelectMany(c => (IEnumerable<object>)c["env"]).Cast<IReadOnlyDictionary<string, object>>();
            Assert.DoesNotContain(env0, e => (string)e["name"] is "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY");
        }

        // The EBS CSI controller gets its role through Pod Identity too, on every cluster the stack creates.
        var ebs = run.Mocks.OfType("aws:eks/addon:Addon").Where(a => (string)a.Inputs["addonName"] == "aws-ebs-csi-driver").ToList();
        Assert.Equal(env.Clusters.Count(c => c.Substrate == Substrate.Eks && c.Network is not null), ebs.Count);
        Assert.All(ebs, a => Assert.Equal("ebs-csi-controller-sa", ((IReadOnlyDictionary<string, object>)((IEnumerable<object>)a.Inputs["podIdentityAssociations"]).Single())["serviceAccount"]));
    }

    [Fact]
    public async Task The_burst_serving_endpoint_is_an_internal_load_balancer_open_to_the_private_link_only()
    {
        var run = await StackRun.StackAsync("prod");
        var service = Assert.Single(run.Mocks.OfType("kubernetes:core/v1:Service"), s => s.Str("metadata", "name") == "llama-8b-chat-burst-internal");
        Assert.Equal("chat", service.Str("metadata", "namespace"));
        Assert.Equal("true", service.Str("metadata", "annotations", "service.beta.kubernetes.io/aws-load-balancer-internal"));
        Assert.Equal(["10.10.0.0/16", "10.20.0.0/16"], service.List("spec", "loadBalancerSourceRanges").Cast<string>());
        Assert.Equal("llama-8b-chat-burst", service.Str("spec", "selector", "app.kubernetes.io/instance"));

        // No LoadBalancer Service on EKS is open to every address.
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYamlFile(RepoFiles.StackFile("prod")));
        foreach (var lb in run.Mocks.OfType("kubernetes:core/v1:Service").Where(s => s.Str("spec", "type") == "LoadBalancer"))
        {
            var ranges = lb.At("spec", "loadBalancerSourceRanges") as IEnumerable<object>;
            Assert.True(ranges is not null && ranges.Any() && !ranges.Contains("0.0.0.0/0"), $"{lb.Name} on {RegisteredManifests.ClusterOf(lb, env)} admits every address");
        }
    }
}
