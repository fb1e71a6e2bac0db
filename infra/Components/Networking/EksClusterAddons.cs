using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Networking;
using NeoCloud.Infra.Core.Storage;
using Pulumi;
using Pulumi.Aws;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Eks.Inputs;
using Pulumi.Aws.Iam;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Networking;

/// <summary>Inputs of <see cref="EksClusterAddons"/>; validated by Core's <see cref="EksClusterAddonsPlanner.Validate"/>.</summary>
public sealed class EksClusterAddonsArgs : NeoCloudArgs
{
    /// <summary>The EKS cluster's name (<see cref="EksCluster.ClusterName"/>). Required.</summary>
    [Input("clusterName", required: true)]
    public Input<string> ClusterName { get; set; } = null!;

    /// <summary>The cluster's Kubernetes minor version (plain: it decides the add-on pins). Defaults to "1.33".</summary>
    [Input("kubernetesVersion")]
    public string? KubernetesVersion { get; set; }

    /// <summary>
    /// Whether the component installs CoreDNS and the EBS CSI driver as managed add-ons. False for a cluster the stack
    /// does not create (its owner manages its add-ons; it must run the aws-ebs-csi-driver add-on for the classes to
    /// provision). Defaults to true.
    /// </summary>
    [Input("manageAddons")]
    public bool? ManageAddons { get; set; }

    /// <summary>
    /// The CoreDNS add-on's <c>configurationValues</c> (JSON of the add-on's schema, e.g. nodeSelector and tolerations
    /// that place it on the system pool). Defaults to none (EKS's defaults).
    /// </summary>
    [Input("coreDnsConfiguration")]
    public Input<string>? CoreDnsConfiguration { get; set; }

    /// <summary>StorageClasses to create besides the encrypted gp3 default (EBS CSI). Defaults to none.</summary>
    [Input("storageClasses")]
    public List<EbsStorageClassArgs>? StorageClasses { get; set; }

    internal EksClusterAddonsSpec ToSpec() => new()
    {
        Ownership = ToOwnership(),
        HasClusterName = ClusterName is not null,
        KubernetesVersion = KubernetesVersion,
        ManageAddons = ManageAddons ?? true,
        StorageClasses = [.. (StorageClasses ?? []).Select(c => new StorageClassSpec(c?.Name ?? string.Empty, false, c?.Default ?? false, c?.VolumeType ?? EbsStorageClasses.Gp3, c?.Iops, c?.Throughput))],
    };
}

/// <summary>One StorageClass of <see cref="EksClusterAddonsArgs.StorageClasses"/> (EBS CSI, encrypted, WaitForFirstConsumer).</summary>
public sealed class EbsStorageClassArgs : ResourceArgs
{
    /// <summary>The StorageClass name (a DNS label, not <c>gp3</c>). Required.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary>Whether it is the cluster's default class instead of gp3. Defaults to false.</summary>
    [Input("default")]
    public bool? Default { get; set; }

    /// <summary><c>gp3</c> or <c>io2</c>. Defaults to gp3.</summary>
    [Input("volumeType")]
    public string? VolumeType { get; set; }

    /// <summary>Provisioned IOPS (gp3 3,000–16,000; io2 100–64,000). Defaults to the type's baseline.</summary>
    [Input("iops")]
    public int? Iops { get; set; }

    /// <summary>gp3 throughput in MiB/s (125–1,000). Defaults to 125.</summary>
    [Input("throughput")]
    public int? Throughput { get; set; }
}

/// <summary>
/// The add-ons of an EKS cluster that need a node, created once the cluster's system pool exists (pass the pools as
/// <c>DependsOn</c>; EKS reports CoreDNS DEGRADED without nodes): CoreDNS and the Amazon EBS CSI driver at Core's pins,
/// the EBS CSI controller's IAM role through EKS Pod Identity (no key, no IRSA annotation), and the cluster's
/// StorageClasses — <c>gp3</c> (encrypted, WaitForFirstConsumer, the default) and any in
/// <see cref="EksClusterAddonsArgs.StorageClasses"/>. The AWS resources use the options' <c>aws</c> provider, the
/// StorageClasses the <c>kubernetes</c> one.
/// </summary>
public sealed class EksClusterAddons : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:EksClusterAddons";

    /// <summary>Creates the add-ons and classes; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Options: the cluster's aws and kubernetes providers; <c>DependsOn</c> the system pool.</param>
    public EksClusterAddons(string name, EksClusterAddonsArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(EksClusterAddonsArgs), name, args?.ToSpec(), EksClusterAddonsPlanner.Validate, EksClusterAddonsPlanner.Plan), options)
    {
    }

    private EksClusterAddons(string name, EksClusterAddonsArgs args, EksClusterAddonsPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var parent = new CustomResourceOptions { Parent = this };
        InputMap<string> Tags(string resource)
        {
            var map = new InputMap<string>();
            foreach (var (k, v) in plan.Tags)
            {
                map.Add(k, v);
            }

            map.Add("Name", $"{name}-{resource}");
            return map;
        }

        Resource? ebsDriver = null;
        var addons = new List<string>();
        if (plan.Addons.Length > 0)
        {
            var partition = GetPartition.Invoke(new GetPartitionInvokeArgs(), new InvokeOptions { Parent = this }).Apply(p => p.Partition);
            var ebsRole = new Role($"{name}-ebs-csi", new RoleArgs
            {
                AssumeRolePolicy = EksClusterLayout.PodIdentityTrustPolicy(),
                Description = "EBS CSI controller (kube-system/ebs-csi-controller-sa) through EKS Pod Identity",
                Tags = Tags("ebs-csi"),
            }, parent);
            var attachment = new RolePolicyAttachment($"{name}-ebs-csi", new RolePolicyAttachmentArgs
            {
                Role = ebsRole.Name,
                PolicyArn = partition.Apply(p => EksClusterLayout.ManagedPolicyArn(p, EksAddons.EbsCsiPolicy)),
            }, parent);

            foreach (var addon in plan.Addons)
            {
                var addonArgs = new AddonArgs
                {
                    ClusterName = args.ClusterName,
                    AddonName = addon.Name,
                    AddonVersion = AddonVersions.Of(addon, plan.KubernetesVersion, new InvokeOptions { Parent = this }),
                    ResolveConflictsOnCreate = "OVERWRITE",
                    ResolveConflictsOnUpdate = "OVERWRITE",
                    Tags = Tags(addon.Name),
                };
                var addonOptions = new CustomResourceOptions { Parent = this };
                if (addon.Name == EksAddons.CoreDns && args.CoreDnsConfiguration is not null)
                {
                    addonArgs.ConfigurationValues = args.CoreDnsConfiguration;
                }

                if (addon.Name == EksAddons.EbsCsiDriver)
                {
                    addonArgs.PodIdentityAssociations.Add(new AddonPodIdentityAssociationArgs { RoleArn = ebsRole.Arn, ServiceAccount = EksAddons.EbsCsiServiceAccount });
                    addonOptions.DependsOn.Add(attachment);
                }

                var created = new Addon($"{name}-{addon.Name}", addonArgs, addonOptions);
                addons.Add(addon.Name);
                if (addon.Name == EksAddons.EbsCsiDriver)
                {
                    ebsDriver = created;
                }
            }
        }

        var classes = new List<string>();
        foreach (var storageClass in plan.StorageClasses)
        {
            var metadata = new ObjectMetaArgs { Name = storageClass.Name, Labels = CoreData.ToLabels(plan.Labels(name, storageClass.Name)) };
            if (storageClass.IsDefault)
            {
                metadata.Annotations = new InputMap<string> { { EbsStorageClasses.DefaultClassAnnotation, "true" } };
            }

            var classOptions = new CustomResourceOptions { Parent = this };
            if (ebsDriver is not null)
            {
                classOptions.DependsOn.Add(ebsDriver);
            }

            _ = new K8s.Storage.V1.StorageClass($"{name}-{storageClass.Name}", new K8s.Types.Inputs.Storage.V1.StorageClassArgs
            {
                Metadata = metadata,
                Provisioner = storageClass.Provisioner,
                Parameters = CoreData.ToLabels(storageClass.Parameters),
                VolumeBindingMode = storageClass.VolumeBindingMode,
                AllowVolumeExpansion = storageClass.AllowVolumeExpansion,
                ReclaimPolicy = storageClass.ReclaimPolicy,
            }, classOptions);
            classes.Add(storageClass.Name);
        }

        Addons = Output.Create(addons);
        StorageClassNames = Output.Create(classes);
        DefaultStorageClass = Output.Create(plan.StorageClasses.First(c => c.IsDefault || plan.StorageClasses.All(o => !o.IsDefault)).Name);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["addons"] = Addons,
            ["storageClassNames"] = StorageClassNames,
            ["defaultStorageClass"] = DefaultStorageClass,
        });
    }

    /// <summary>The managed add-ons this component created (empty when <see cref="EksClusterAddonsArgs.ManageAddons"/> is false).</summary>
    [Output("addons")]
    public Output<List<string>> Addons { get; private set; }

    /// <summary>The StorageClasses created, gp3 first.</summary>
    [Output("storageClassNames")]
    public Output<List<string>> StorageClassNames { get; private set; }

    /// <summary>The cluster's default StorageClass.</summary>
    [Output("defaultStorageClass")]
    public Output<string> DefaultStorageClass { get; private set; }
}
