using NeoCloud.Infra.Core.Networking;
using Pulumi;
using Pulumi.Aws.Eks;

namespace NeoCloud.Infra.Components.Networking;

/// <summary>
/// The <c>addonVersion</c> a managed add-on is created with. A pin Core marks verified (a public source names that build
/// for that Kubernetes version, <see cref="EksAddons"/>) is used as it is. An unverified one is not sent to EKS, where a
/// build that does not exist for the cluster's version would fail the update: the version is EKS's default for the
/// cluster's Kubernetes version, read at preview time with <c>aws.eks.getAddonVersion</c> (Pulumi AWS registry
/// docs, eks/getaddonversion: without <c>mostRecent</c> it returns the default version; the Result's <c>version</c>), so
/// the preview shows the exact build and a later change of EKS's default shows up as a diff.
/// </summary>
internal static class AddonVersions
{
    /// <summary>The version of <paramref name="pin"/> on a cluster of <paramref name="kubernetesVersion"/>.</summary>
    public static Input<string> Of(EksAddonPin pin, string kubernetesVersion, InvokeOptions options) =>
        pin.Verified
            ? pin.Version
            : GetAddonVersion.Invoke(new GetAddonVersionInvokeArgs { AddonName = pin.Name, KubernetesVersion = kubernetesVersion }, options).Apply(r => r.Version);
}
