using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Policy.Rules.Workloads;

namespace NeoCloud.Infra.Policy.Tests.Rules;

/// <summary>
/// The pack's <c>images-pinned</c> and the tenant admission policy's rule of the same name decide every image alike
/// (the pack delegates to <see cref="PodAdmissionRules.ImageProblem"/>); only the pack's <c>requireDigest</c> is stricter.
/// </summary>
public sealed class ImagesPinnedParityTests
{
    public static TheoryData<string> Images() =>
    [
        "nvcr.io/nvidia/tritonserver:24.08-py3", "registry:5000/team/app:1.2.3", "registry:5000/team/app", "nginx", "nginx:",
        "nginx:latest", "nginx:LATEST", "ghcr.io/org/app:Latest", "app:1", "localhost:5000/app:v2",
        "qdrant/qdrant@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "qdrant/qdrant:latest@sha512:00", "a/b/c:d",
    ];

    [Theory]
    [MemberData(nameof(Images))]
    public void Pack_and_admission_decide_alike(string image) =>
        Assert.Equal(PodAdmissionRules.ImageProblem(image), ImagesPinnedRule.Problem(image, requireDigest: false));

    [Theory]
    [MemberData(nameof(Images))]
    public void RequireDigest_only_adds_refusals(string image)
    {
        var strict = ImagesPinnedRule.Problem(image, requireDigest: true);
        var digest = image.Contains("@sha256:", StringComparison.Ordinal) || image.Contains("@sha512:", StringComparison.Ordinal);
        Assert.Equal(digest, strict is null);
        if (PodAdmissionRules.ImageProblem(image) is not null)
        {
            Assert.NotNull(strict);
        }
    }
}
