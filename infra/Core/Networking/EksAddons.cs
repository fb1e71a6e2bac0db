using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>One EKS managed add-on at a pinned version.</summary>
/// <param name="Name">The add-on's name in the EKS API (<c>aws eks describe-addon-versions --addon-name</c>).</param>
/// <param name="Version">The pinned <c>addonVersion</c>.</param>
/// <param name="Source">Where the version was read (a public AWS page or a public <c>describe-addon-versions</c> result).</param>
/// <param name="Verified">False when no public source names this version for this Kubernetes version: the components then do not send <paramref name="Version"/> (a candidate) but EKS's default build for the version, read with aws.eks.getAddonVersion (Components/Networking README).</param>
public sealed record EksAddonPin(string Name, string Version, string Source, bool Verified = true);

/// <summary>
/// The EKS managed add-ons every cluster the stack creates runs, pinned per Kubernetes version in this one place:
/// <c>vpc-cni</c> (NetworkPolicy enforcement on), <c>kube-proxy</c>, <c>coredns</c>, <c>eks-pod-identity-agent</c>
/// (workload identity: the Triton model readers and the EBS CSI controller) and <c>aws-ebs-csi-driver</c> (no
/// PersistentVolumeClaim binds on EKS without it). A pinned version never floats with EKS's default, so a preview shows
/// every add-on upgrade as a diff.
/// </summary>
public static class EksAddons
{
    /// <summary>The Amazon VPC CNI.</summary>
    public const string VpcCni = "vpc-cni";

    /// <summary>kube-proxy.</summary>
    public const string KubeProxy = "kube-proxy";

    /// <summary>CoreDNS.</summary>
    public const string CoreDns = "coredns";

    /// <summary>The EKS Pod Identity agent (a DaemonSet serving credentials to pods with a Pod Identity association).</summary>
    public const string PodIdentityAgent = "eks-pod-identity-agent";

    /// <summary>The Amazon EBS CSI driver (provisioner <see cref="Storage.EbsStorageClasses.Provisioner"/>).</summary>
    public const string EbsCsiDriver = "aws-ebs-csi-driver";

    /// <summary>Namespace and ServiceAccount of the EBS CSI controller (the add-on's; its Pod Identity association names them).</summary>
    public const string EbsCsiNamespace = "kube-system";

    /// <summary>The EBS CSI controller's ServiceAccount (kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.yaml <c>controller.serviceAccount.name</c>).</summary>
    public const string EbsCsiServiceAccount = "ebs-csi-controller-sa";

    /// <summary>The AWS managed policy the EBS CSI controller's role carries (AWS docs, "Amazon EBS CSI driver" → IAM role).</summary>
    public const string EbsCsiPolicy = "service-role/AmazonEBSCSIDriverPolicy";

    /// <summary>Add-ons created with the cluster, before any node exists (DaemonSets: ACTIVE without nodes).</summary>
    public static readonly ImmutableArray<string> BeforeCompute = [VpcCni, KubeProxy, PodIdentityAgent];

    /// <summary>Add-ons whose Deployments need a node: created after the cluster's system pool (otherwise EKS reports them DEGRADED).</summary>
    public static readonly ImmutableArray<string> AfterCompute = [CoreDns, EbsCsiDriver];

    private const string KubeProxyDocs = "AWS EKS User Guide, managing-kube-proxy (\"kube-proxy versions\" table, ja_jp managing-kube-proxy.md snapshot listing 1.31-1.36)";
    private const string CoreDnsDocs = "AWS EKS User Guide, managing-coredns (\"CoreDNS versions\" table)";
    private const string VpcCniSource = "ministryofjustice/cloud-platform-infrastructure#4678 (2026-07-08): vpc-cni v1.22.3-eksbuild.1 for EKS 1.33";
    private const string EbsCsiSource = "mitodl/ol-infrastructure#5959 (2026-09-21): v1.66.0-eksbuild.1 is the defaultVersion of describe-addon-versions for Kubernetes 1.36";
    private const string PodIdentitySource = "aws/containers-roadmap#2684 (AWS maintainer, 2025-11-24): eks-pod-identity-agent v1.3.10-eksbuild.1 \"is set to default version in all regions\" (it fixes the podLabels schema of v1.3.8-eksbuild.2); earlier pin v1.3.7-eksbuild.2 (awslabs/eks-perf-tests#510)";

    private static readonly ImmutableSortedDictionary<string, ImmutableArray<EksAddonPin>> Pins = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("1.33", Row(
            new(KubeProxy, "v1.33.10-eksbuild.13", KubeProxyDocs),
            new(CoreDns, "v1.13.2-eksbuild.4", CoreDnsDocs + " (zh_cn managing-coredns.md: 1.33, 1.34, 1.35 → v1.13.2-eksbuild.4)"),
            new(VpcCni, "v1.22.3-eksbuild.1", VpcCniSource))),
        KeyValuePair.Create("1.34", Row(
            new(KubeProxy, "v1.34.6-eksbuild.13", KubeProxyDocs),
            new(CoreDns, "v1.13.2-eksbuild.7", CoreDnsDocs + " (en_us managing-coredns.md: 1.34 → v1.13.2-eksbuild.7)"),
            new(VpcCni, "v1.22.3-eksbuild.1", VpcCniSource + "; not verified for 1.34 (the same vpc-cni release serves every supported version)", Verified: false))),
        KeyValuePair.Create("1.35", Row(
            new(KubeProxy, "v1.35.3-eksbuild.13", KubeProxyDocs),
            new(CoreDns, "v1.14.2-eksbuild.4", CoreDnsDocs + " (en_us managing-coredns.md: 1.35 → v1.14.2-eksbuild.4)"),
            new(VpcCni, "v1.22.3-eksbuild.1", VpcCniSource + "; not verified for 1.35", Verified: false))),
        KeyValuePair.Create("1.36", Row(
            new(KubeProxy, "v1.36.0-eksbuild.14", KubeProxyDocs),
            new(CoreDns, "v1.14.3-eksbuild.3", CoreDnsDocs + " (ja_jp managing-coredns.md snapshot listing 1.30-1.36: 1.36 → v1.14.3-eksbuild.3)"),
            new(VpcCni, "v1.22.3-eksbuild.1", VpcCniSource + "; not verified for 1.36", Verified: false))),
    ]);

    /// <summary>The Kubernetes versions with pinned add-ons.</summary>
    public static IEnumerable<string> KubernetesVersions => Pins.Keys;

    /// <summary>The pinned add-ons of Kubernetes <paramref name="kubernetesVersion"/>, or null when none are pinned.</summary>
    /// <param name="kubernetesVersion">A minor version such as <c>1.33</c>.</param>
    public static ImmutableArray<EksAddonPin>? For(string kubernetesVersion) =>
        Pins.TryGetValue(kubernetesVersion ?? string.Empty, out var row) ? row : null;

    /// <summary>The pinned add-on <paramref name="name"/> of <paramref name="kubernetesVersion"/>.</summary>
    /// <exception cref="ArgumentException">No add-on of that name is pinned for that version.</exception>
    public static EksAddonPin Pin(string kubernetesVersion, string name) =>
        For(kubernetesVersion)?.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"no {name} add-on is pinned for Kubernetes {kubernetesVersion}; pinned versions: {string.Join(", ", Pins.Keys)}", nameof(kubernetesVersion));

    /// <summary>Why <paramref name="kubernetesVersion"/> cannot be used for a new EKS cluster, or null.</summary>
    public static string? Problem(string? kubernetesVersion) => kubernetesVersion is not null && Pins.ContainsKey(kubernetesVersion)
        ? null
        : $"\"{kubernetesVersion}\" has no pinned EKS add-on versions (coredns, kube-proxy, vpc-cni, aws-ebs-csi-driver, eks-pod-identity-agent); pinned: {string.Join(", ", Pins.Keys)} (infra/Core/Networking/EksAddons.cs)";

    // The EBS CSI driver and the Pod Identity agent ship one release line for every supported Kubernetes version.
    // Only the 1.36 EBS CSI pin is named for its version by the source; the agent's source names no version.
    private static ImmutableArray<EksAddonPin> Row(EksAddonPin kubeProxy, EksAddonPin coreDns, EksAddonPin vpcCni) =>
    [
        vpcCni,
        kubeProxy,
        new(PodIdentityAgent, "v1.3.10-eksbuild.1", PodIdentitySource + "; the source names no Kubernetes version", Verified: false),
        coreDns,
        new(EbsCsiDriver, "v1.66.0-eksbuild.1", EbsCsiSource, Verified: kubeProxy.Version.StartsWith("v1.36.", StringComparison.Ordinal)),
    ];
}
