using System.Collections.Immutable;
using NeoCloud.Infra.Components.Networking;
using NeoCloud.Infra.Components.Tests.Testing;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Networking;

/// <summary>
/// The real AWS SDK types <c>Eks.Outputs.ClusterIdentityOidc.Issuer</c> and <c>ClusterCertificateAuthority.Data</c> as
/// <c>string?</c> (pulumi/pulumi-aws sdk/dotnet/Eks/Outputs/*.cs): the cluster passes them on when present and fails
/// the program with the cluster and output named when EKS reports none.
/// </summary>
public class EksClusterTests
{
    private static EksCluster Cluster() => new("gpu", new EksClusterArgs
    {
        AvailabilityZones = ["us-east-1a", "us-east-1b"],
        VpcCidr = "10.40.0.0/16",
        KubernetesVersion = "1.33",
        Environment = "dev",
        CostCenter = "ml",
    });

    [Fact]
    public async Task Reported_issuer_becomes_the_oidc_provider_url_and_output()
    {
        Output<string>? issuer = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => issuer = Cluster().OidcIssuerUrl);
        Assert.Equal("https://oidc.eks.mock/id/gpu-cluster", mocks.Single("aws:iam/openIdConnectProvider:OpenIdConnectProvider").Inputs["url"]);
        Assert.Equal("https://oidc.eks.mock/id/gpu-cluster", await PulumiTest.ValueAsync(issuer!));
    }

    [Fact]
    public async Task Missing_oidc_issuer_fails_with_the_cluster_and_output_named()
    {
        var mocks = new RecordingMocks
        {
            AdjustOutputs = (type, _, outputs) =>
            {
                if (type == "aws:eks/cluster:Cluster")
                {
                    // An identity whose oidc block has no issuer: valid for the SDK (string?), unusable for IRSA.
                    outputs["identities"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("oidcs", ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty)));
                }
            },
        };
        var e = await Assert.ThrowsAnyAsync<Exception>(() => PulumiTest.RunAsync(() => Cluster(), mocks: mocks));
        Assert.Contains("EKS cluster 'gpu' reported no OIDC issuer", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_certificate_authority_data_fails_instead_of_an_empty_kubeconfig()
    {
        var mocks = new RecordingMocks
        {
            AdjustOutputs = (type, _, outputs) =>
            {
                if (type == "aws:eks/cluster:Cluster")
                {
                    outputs["certificateAuthority"] = ImmutableDictionary<string, object>.Empty;
                }
            },
        };
        var e = await Assert.ThrowsAnyAsync<Exception>(() => PulumiTest.RunAsync(() => Cluster(), mocks: mocks));
        Assert.Contains("EKS cluster 'gpu' reported no certificate authority data", e.ToString(), StringComparison.Ordinal);
    }
}
