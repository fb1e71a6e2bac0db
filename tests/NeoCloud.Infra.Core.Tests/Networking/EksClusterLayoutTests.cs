using NeoCloud.Infra.Core.Networking;

namespace NeoCloud.Infra.Core.Tests.Networking;

/// <summary>
/// The AWS SDK types an EKS cluster's OIDC issuer and CA data as optional (<c>string?</c>): a missing value is an
/// error naming the cluster and the output, never an empty URL or an empty CA bundle in the kubeconfig.
/// </summary>
public class EksClusterLayoutTests
{
    [Fact]
    public void Oidc_issuer_is_the_first_reported_one()
    {
        Assert.Equal("https://oidc.eks.us-east-1.amazonaws.com/id/A1", EksClusterLayout.OidcIssuer("gpu", [null, "", "https://oidc.eks.us-east-1.amazonaws.com/id/A1", "https://other"]));
    }

    public static TheoryData<string?[]> NoIssuer { get; } = new() { Array.Empty<string?>(), new string?[] { null }, new string?[] { "", " " } };

    [Theory]
    [MemberData(nameof(NoIssuer))]
    public void Missing_oidc_issuer_is_an_error_naming_cluster_and_output(string?[] issuers)
    {
        var e = Assert.Throws<InvalidOperationException>(() => EksClusterLayout.OidcIssuer("gpu-east", issuers));
        Assert.Contains("'gpu-east'", e.Message, StringComparison.Ordinal);
        Assert.Contains("identities[].oidcs[].issuer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_authority_data_passes_through()
    {
        Assert.Equal("bW9jaw==", EksClusterLayout.CertificateAuthorityData("gpu", "bW9jaw=="));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Missing_certificate_authority_data_is_an_error_naming_cluster_and_output(string? data)
    {
        var e = Assert.Throws<InvalidOperationException>(() => EksClusterLayout.CertificateAuthorityData("gpu-east", data));
        Assert.Contains("'gpu-east'", e.Message, StringComparison.Ordinal);
        Assert.Contains("certificateAuthority.data", e.Message, StringComparison.Ordinal);
    }
}
