using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Autoscaling;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Rbac.V1;
using K8s = Pulumi.Kubernetes;


namespace NeoCloud.Infra.Components.Autoscaling;

/// <summary>Inputs of a <see cref="MigScaleDownLock"/>; validated by Core's <see cref="MigScaleDownLockPlanner"/> before anything is registered.</summary>
public sealed class MigScaleDownLockArgs : NeoCloudArgs
{
    /// <summary>Required. The cluster's Kubernetes minor (e.g. <c>1.33</c>): picks the image with that minor's kubectl.</summary>
    [Input("kubernetesVersion", required: true)]
    public string KubernetesVersion { get; set; } = null!;

    /// <summary>Namespace of the controller (it must exist). Defaults to <c>kube-system</c>, where cluster-autoscaler runs.</summary>
    [Input("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Seconds between two passes over the nodes, 5 to 300. Defaults to 15.</summary>
    [Input("intervalSeconds")]
    public int? IntervalSeconds { get; set; }

    /// <summary>
    /// Seconds a changed <c>nvidia.com/mig.config</c> under the previous <c>success</c> stays locked before it counts as
    /// already applied, 60 to 3600 and at least 4 × <see cref="IntervalSeconds"/>. Defaults to 300.
    /// </summary>
    [Input("configChangeGraceSeconds")]
    public int? ConfigChangeGraceSeconds { get; set; }

    /// <summary>Node selector of the controller's pod, e.g. a system <c>CpuNodePool</c>'s <c>neocloud.io/node-role: system</c>. Defaults to none.</summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>The spec Core validates and plans.</summary>
    /// <param name="name">The component's resource name.</param>
    internal MigScaleDownLockSpec ToSpec(string name) => new()
    {
        Name = name,
        Ownership = ToOwnership(),
        KubernetesVersion = KubernetesVersion,
        Namespace = Namespace,
        IntervalSeconds = IntervalSeconds,
        ConfigChangeGraceSeconds = ConfigChangeGraceSeconds,
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
    };
}

/// <summary>
/// Keeps cluster-autoscaler from removing a node while the GPU Operator's MIG manager applies its MIG layout: a
/// one-replica controller (<see cref="MigScaleDownLockPlanner"/>; image <c>alpine/k8s</c> of the cluster's minor) that
/// annotates every node whose <c>nvidia.com/mig.config.state</c> is not <c>success</c> (or whose layout changed since)
/// with <c>cluster-autoscaler.kubernetes.io/scale-down-disabled: "true"</c> and removes the annotation it set once the
/// layout is applied (Core's <c>MigNodeLock.Decide</c>, which its script implements). Its ServiceAccount may only
/// get, list, watch and patch nodes. Use it on every cluster whose node autoscaler resizes MIG pools.
/// </summary>
public sealed class MigScaleDownLock : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:MigScaleDownLock";

    /// <summary>Creates the lock; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; also the name of its Deployment, ServiceAccount, ClusterRole and ClusterRoleBinding.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public MigScaleDownLock(string name, MigScaleDownLockArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(MigScaleDownLockArgs), name, args?.ToSpec(name), MigScaleDownLockPlanner.Validate, MigScaleDownLockPlanner.Plan), options)
    {
    }

    private MigScaleDownLock(string name, MigScaleDownLockArgs args, MigScaleDownLockPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var child = new CustomResourceOptions { Parent = this };
        ObjectMetaArgs Meta(string objectName, bool namespaced) => new()
        {
            Name = objectName,
            Namespace = namespaced ? plan.Namespace : null!,
            Labels = CoreData.ToLabels(plan.Labels),
        };

        var account = new K8s.Core.V1.ServiceAccount($"{name}-serviceaccount", new ServiceAccountArgs { Metadata = Meta(plan.Name, true) }, child);
        var role = new K8s.Rbac.V1.ClusterRole($"{name}-clusterrole", new ClusterRoleArgs
        {
            Metadata = Meta(plan.Name, false),
            Rules = plan.Rules.Select(r => new PolicyRuleArgs { ApiGroups = r.ApiGroups.ToList(), Resources = r.Resources.ToList(), Verbs = r.Verbs.ToList() }).ToList(),
        }, child);
        var binding = new K8s.Rbac.V1.ClusterRoleBinding($"{name}-clusterrolebinding", new ClusterRoleBindingArgs
        {
            Metadata = Meta(plan.Name, false),
            RoleRef = new RoleRefArgs { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role.Metadata.Apply(m => m.Name) },
            Subjects = new SubjectArgs { Kind = "ServiceAccount", Name = account.Metadata.Apply(m => m.Name), Namespace = plan.Namespace },
        }, child);
        var script = new K8s.Core.V1.ConfigMap($"{name}-script", new ConfigMapArgs
        {
            Metadata = Meta(plan.ConfigMapName, true),
            Data = new InputMap<string> { { plan.ScriptKey, plan.Script } },
        }, child);

        var selector = CoreData.ToLabels(plan.SelectorLabels);
        var deployment = new K8s.Apps.V1.Deployment($"{name}-deployment", new DeploymentArgs
        {
            Metadata = Meta(plan.Name, true),
            Spec = new DeploymentSpecArgs
            {
                Replicas = 1,
                // One controller at a time: the old pod stops before the new one starts.
                Strategy = new DeploymentStrategyArgs { Type = "Recreate" },
                Selector = new LabelSelectorArgs { MatchLabels = selector },
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = CoreData.ToLabels(plan.Labels) },
                    Spec = PodSpec(plan),
                },
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = { binding, script } });

        Namespace = Output.Create(plan.Namespace);
        DeploymentName = deployment.Metadata.Apply(m => m.Name);
        ServiceAccountName = account.Metadata.Apply(m => m.Name);
        Image = Output.Create(plan.Image);
        Annotation = Output.Create(MigNodeLock.ScaleDownDisabledAnnotation);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["namespace"] = Namespace,
            ["deploymentName"] = DeploymentName,
            ["serviceAccountName"] = ServiceAccountName,
            ["image"] = Image,
            ["annotation"] = Annotation,
        });
    }

    /// <summary>Namespace of the controller.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>Name of the controller's Deployment.</summary>
    [Output("deploymentName")]
    public Output<string> DeploymentName { get; private set; }

    /// <summary>Name of its ServiceAccount (bound to nodes get/list/watch/patch).</summary>
    [Output("serviceAccountName")]
    public Output<string> ServiceAccountName { get; private set; }

    /// <summary>The image it runs.</summary>
    [Output("image")]
    public Output<string> Image { get; private set; }

    /// <summary>The node annotation it sets while a layout is applied (cluster-autoscaler's <c>scale-down-disabled</c>).</summary>
    [Output("annotation")]
    public Output<string> Annotation { get; private set; }

    private static PodSpecArgs PodSpec(MigScaleDownLockPlan plan) => new()
    {
        ServiceAccountName = plan.Name,
        PriorityClassName = MigScaleDownLockPlanner.PriorityClassName,
        NodeSelector = CoreData.ToLabels(plan.NodeSelector),
        SecurityContext = new PodSecurityContextArgs
        {
            RunAsNonRoot = true,
            RunAsUser = MigScaleDownLockPlanner.RunAsUser,
            RunAsGroup = MigScaleDownLockPlanner.RunAsUser,
            SeccompProfile = new SeccompProfileArgs { Type = "RuntimeDefault" },
        },
        TerminationGracePeriodSeconds = 10,
        Containers = new ContainerArgs
        {
            Name = "lock",
            Image = plan.Image,
            Command = new InputList<string> { "/bin/sh", $"{MigScaleDownLockPlanner.ScriptDirectory}/{plan.ScriptKey}" },
            Env = plan.Environment.Select(kv => new EnvVarArgs { Name = kv.Key, Value = kv.Value }).ToList(),
            Resources = new ResourceRequirementsArgs
            {
                Requests = new InputMap<string> { { "cpu", MigScaleDownLockPlanner.CpuRequest }, { "memory", MigScaleDownLockPlanner.MemoryRequest } },
                Limits = new InputMap<string> { { "memory", MigScaleDownLockPlanner.MemoryLimit } },
            },
            SecurityContext = new SecurityContextArgs
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new CapabilitiesArgs { Drop = { "ALL" } },
            },
            LivenessProbe = new ProbeArgs
            {
                Exec = new ExecActionArgs { Command = MigScaleDownLockPlanner.LivenessCommand(plan).ToList() },
                InitialDelaySeconds = MigScaleDownLockPlanner.StaleAfterSeconds(plan),
                PeriodSeconds = 30,
                TimeoutSeconds = 5,
            },
            VolumeMounts =
            {
                new VolumeMountArgs { Name = "script", MountPath = MigScaleDownLockPlanner.ScriptDirectory, ReadOnly = true },
                new VolumeMountArgs { Name = "scratch", MountPath = MigScaleDownLockPlanner.ScratchDirectory },
            },
        },
        Volumes =
        {
            new VolumeArgs { Name = "script", ConfigMap = new ConfigMapVolumeSourceArgs { Name = plan.ConfigMapName } },
            new VolumeArgs { Name = "scratch", EmptyDir = new EmptyDirVolumeSourceArgs { SizeLimit = "64Mi" } },
        },
    };
}
