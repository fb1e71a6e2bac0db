using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>
/// A StorageClass a cluster's config names (<c>clusters[].storageClasses[]</c>): either created by the stack (EKS: an EBS
/// CSI class) or declared pre-existing (<c>existing: true</c>: the cluster's operators created it, e.g. on-prem
/// <c>fast-ssd</c> or kind's <c>standard</c>).
/// </summary>
/// <param name="Name">The StorageClass name (a DNS label).</param>
/// <param name="Existing">True when the class exists already; the stack only checks that claims can use it.</param>
/// <param name="IsDefault">True when it is the cluster's default class (claims without <c>storageClassName</c> get it).</param>
/// <param name="VolumeType">Created EBS classes: <c>gp3</c> (default) or <c>io2</c>.</param>
/// <param name="Iops">Created EBS classes: provisioned IOPS (gp3 3,000–16,000, io2 100–64,000), or null for the type's baseline.</param>
/// <param name="Throughput">Created gp3 classes: MiB/s (125–1,000), or null for 125.</param>
public sealed record StorageClassSpec(string Name, bool Existing, bool IsDefault, string VolumeType = EbsStorageClasses.Gp3, int? Iops = null, int? Throughput = null);

/// <summary>One StorageClass the stack creates on an EKS cluster: name, default flag and the EBS CSI parameters.</summary>
/// <param name="Name">StorageClass name.</param>
/// <param name="IsDefault">Carries <c>storageclass.kubernetes.io/is-default-class: "true"</c>.</param>
/// <param name="Parameters">The EBS CSI driver's CreateVolume parameters.</param>
public sealed record EbsStorageClassPlan(string Name, bool IsDefault, ImmutableSortedDictionary<string, string> Parameters)
{
    /// <summary>The provisioner.</summary>
    public string Provisioner => EbsStorageClasses.Provisioner;

    /// <summary>Volumes are created where the pod lands (its zone), never in a zone no node of the pod's pool runs in.</summary>
    public string VolumeBindingMode => EbsStorageClasses.VolumeBindingMode;

    /// <summary>Volumes grow with the claim (gp3/io2 resize online).</summary>
    public bool AllowVolumeExpansion => true;

    /// <summary>A released volume is deleted with its claim (the default of dynamically provisioned volumes).</summary>
    public string ReclaimPolicy => "Delete";
}

/// <summary>
/// The StorageClasses of an EKS cluster: the stack always creates <see cref="DefaultName"/> (encrypted gp3, the default
/// class unless config makes another class default) and every class <c>clusters[].storageClasses</c> names without
/// <c>existing: true</c>. Parameters from kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md (commit 038816d:
/// <c>type</c>, <c>iops</c>, <c>throughput</c>, <c>encrypted</c>, <c>csi.storage.k8s.io/fstype</c>; gp3 3,000–16,000 IOPS,
/// io2 100–64,000 without Block Express).
/// </summary>
public static class EbsStorageClasses
{
    /// <summary>The EBS CSI driver's provisioner name.</summary>
    public const string Provisioner = "ebs.csi.aws.com";

    /// <summary>Binding mode of every created class.</summary>
    public const string VolumeBindingMode = "WaitForFirstConsumer";

    /// <summary>The class every EKS cluster gets.</summary>
    public const string DefaultName = "gp3";

    /// <summary>General-purpose SSD.</summary>
    public const string Gp3 = "gp3";

    /// <summary>Provisioned-IOPS SSD.</summary>
    public const string Io2 = "io2";

    /// <summary>The annotation that makes a class the cluster default.</summary>
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    /// <summary>The volume types a created class may use.</summary>
    public static readonly ImmutableArray<string> VolumeTypes = [Gp3, Io2];

    /// <summary>The classes the stack creates on an EKS cluster with <paramref name="declared"/> in config.</summary>
    public static ImmutableArray<EbsStorageClassPlan> For(ImmutableArray<StorageClassSpec> declared)
    {
        var list = declared.IsDefault ? [] : declared;
        var otherDefault = list.Any(s => s.IsDefault);
        var result = ImmutableArray.CreateBuilder<EbsStorageClassPlan>();
        result.Add(Plan(new StorageClassSpec(DefaultName, false, !otherDefault)));
        result.AddRange(list.Where(s => !s.Existing && s.Name != DefaultName).Select(Plan));
        return result.ToImmutable();
    }

    /// <summary>The plan of one created class (call <see cref="Problems"/> first).</summary>
    public static EbsStorageClassPlan Plan(StorageClassSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parameters = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        parameters["type"] = spec.VolumeType;
        parameters["encrypted"] = "true";
        parameters["csi.storage.k8s.io/fstype"] = "ext4";
        if (spec.Iops is { } iops)
        {
            parameters["iops"] = iops.ToString(CultureInfo.InvariantCulture);
        }

        if (spec.Throughput is { } throughput)
        {
            parameters["throughput"] = throughput.ToString(CultureInfo.InvariantCulture);
        }

        return new EbsStorageClassPlan(spec.Name, spec.IsDefault, parameters.ToImmutable());
    }

    /// <summary>
    /// Every problem of the classes one cluster declares, paths relative to the list (<c>[i].name</c> style keys are the
    /// binder's: <c>[i].Name</c>, <c>[i].VolumeType</c>, ...). <paramref name="eks"/>: the stack can create EBS classes.
    /// </summary>
    public static IEnumerable<(int Index, string Property, string Reason)> Problems(ImmutableArray<StorageClassSpec> classes, bool eks)
    {
        var list = classes.IsDefault ? [] : classes;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var defaults = 0;
        for (var i = 0; i < list.Length; i++)
        {
            var s = list[i];
            if (!KubernetesNames.IsDnsLabel(s.Name))
            {
                yield return (i, "name", $"\"{s.Name}\" is not {KubernetesNames.DnsLabelRule}");
            }
            else if (!names.Add(s.Name))
            {
                yield return (i, "name", $"\"{s.Name}\" is listed twice");
            }
            else if (eks && s.Name == DefaultName)
            {
                yield return (i, "name", $"\"{DefaultName}\" is the encrypted gp3 class the stack creates on every EKS cluster; choose another name");
            }

            if (s.IsDefault && ++defaults == 2)
            {
                yield return (i, "default", "a second default StorageClass; a cluster has at most one (claims without a class would get either)");
            }

            if (!s.Existing && !eks)
            {
                yield return (i, "existing", "the stack creates no StorageClass on an on-prem cluster (it does not know the cluster's storage); declare the class the cluster has with existing: true");
            }

            if (s.Existing || !eks)
            {
                continue;
            }

            if (!VolumeTypes.Contains(s.VolumeType))
            {
                yield return (i, "volumeType", $"\"{s.VolumeType}\" is not allowed; allowed: {string.Join(", ", VolumeTypes)}");
            }
            else if (s.Iops is { } iops && (s.VolumeType == Gp3 ? iops is < 3000 or > 16000 : iops is < 100 or > 64000))
            {
                yield return (i, "iops", $"{iops} is outside what {s.VolumeType} allows ({(s.VolumeType == Gp3 ? "3000-16000" : "100-64000")}, aws-ebs-csi-driver docs/parameters.md)");
            }

            if (s.Throughput is { } mibs && (s.VolumeType != Gp3 || mibs is < 125 or > 1000))
            {
                yield return (i, "throughput", s.VolumeType != Gp3 ? "is only for volumeType gp3" : $"{mibs} MiB/s is outside what gp3 allows (125-1000)");
            }
        }
    }
}
