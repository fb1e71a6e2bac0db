using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>
/// The image the MIG scale-down lock runs: one with a POSIX shell, <c>kubectl</c> and <c>jq</c>, its kubectl of the
/// cluster's Kubernetes minor (kubectl is supported within one minor of the API server).
/// </summary>
/// <remarks>
/// <c>docker.io/alpine/k8s</c> (github.com/alpine-docker/k8s, <c>Dockerfile</c> at c1eab3a: <c>FROM alpine</c>, <c>apk add ... curl
/// ca-certificates bash</c>, kubectl from <c>dl.k8s.io/release/v${KUBECTL_VERSION}</c>, <c>apk add ... jq yq</c>), tagged by
/// its kubectl version (<c>build.sh</c>: <c>-t ${image}:${tag}</c> with <c>KUBECTL_VERSION=${tag}</c>, the newest patch of each
/// of the four newest Kubernetes minors, built only when the tag does not exist yet). No <c>latest</c> tag (its README).
/// The Kubernetes project's own <c>registry.k8s.io/kubectl</c> has no shell (kubernetes/kubernetes <c>build/common.sh</c>:
/// kubectl is statically linked, base <c>gcr.io/distroless/static-debian13</c>), and <c>bitnami/kubectl</c>'s versioned tags
/// left Docker Hub in 2025. The tags below are ones public manifests pull (1.34.1 also named by the image repository's
/// own commit 9431d53, "alpine/k8s:1.34.1 includes non-stable helm"); the registry itself cannot be queried from here,
/// so no digest is pinned: pin one (<c>@sha256:</c>) where your registry mirror records it.
/// </remarks>
public static class MigScaleDownLockImage
{
    /// <summary>Registry and repository.</summary>
    public const string Repository = "docker.io/alpine/k8s";

    /// <summary>The image tag (kubectl version) per Kubernetes minor.</summary>
    public static readonly ImmutableSortedDictionary<string, string> Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("1.33", "1.33.5"),
        KeyValuePair.Create("1.34", "1.34.1"),
        KeyValuePair.Create("1.35", "1.35.8"),
        KeyValuePair.Create("1.36", "1.36.2"),
    ]);

    /// <summary>The image reference for a Kubernetes minor.</summary>
    /// <param name="kubernetesVersion">A key of <see cref="Tags"/>.</param>
    public static string For(string kubernetesVersion) => $"{Repository}:{Tags[kubernetesVersion]}";
}

/// <summary>The plain part of <c>MigScaleDownLockArgs</c>, under the same property names.</summary>
public sealed record MigScaleDownLockSpec
{
    /// <summary>Default <see cref="Namespace"/>: where cluster-autoscaler runs.</summary>
    public const string DefaultNamespace = "kube-system";

    /// <summary>Default <see cref="IntervalSeconds"/>.</summary>
    public const int DefaultIntervalSeconds = 15;

    /// <summary>Default <see cref="ConfigChangeGraceSeconds"/>.</summary>
    public const int DefaultConfigChangeGraceSeconds = 300;

    /// <summary>The component's resource name, also the name of its objects (cluster-scoped ones too); problem path <c>(name)</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Environment, cost center and extra tags.</summary>
    public required OwnershipSpec Ownership { get; init; }

    /// <summary>Required. The cluster's Kubernetes minor (e.g. <c>1.33</c>): picks the kubectl of the image (<see cref="MigScaleDownLockImage"/>).</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>Namespace of the controller. Defaults to <see cref="DefaultNamespace"/>.</summary>
    public string? Namespace { get; init; }

    /// <summary>Seconds between two passes over the nodes (5–300). Defaults to <see cref="DefaultIntervalSeconds"/>.</summary>
    public int? IntervalSeconds { get; init; }

    /// <summary>
    /// Seconds a changed <c>nvidia.com/mig.config</c> under a stale <c>success</c> stays locked before the layout counts as
    /// already applied (60–3600; at least 4 passes). Defaults to <see cref="DefaultConfigChangeGraceSeconds"/>.
    /// </summary>
    public int? ConfigChangeGraceSeconds { get; init; }

    /// <summary>Node selector of the controller's pod: the cluster's system pools. Empty: no selector.</summary>
    public ImmutableSortedDictionary<string, string> SystemNodeSelector { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>
    /// The lock of an environment's cluster: every cluster that runs a node autoscaler (<see cref="ClusterAutoscalerSpec.ForCluster"/>)
    /// and has a MIG pool (a pool with a MIG config, whose nodes carry <c>nvidia.com/mig.config</c>); null otherwise.
    /// </summary>
    /// <param name="env">The bound environment.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="name">The component name.</param>
    public static MigScaleDownLockSpec? ForCluster(EnvironmentModel env, ClusterSpec cluster, string name)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(cluster);
        if (ClusterAutoscalerSpec.ForCluster(env, cluster, name) is null || !env.PoolsOf(cluster.Name).Any(p => p.Mig is not null))
        {
            return null;
        }

        return new MigScaleDownLockSpec
        {
            Name = name,
            Ownership = new OwnershipSpec(env.Environment, env.CostCenter),
            KubernetesVersion = cluster.KubernetesVersion,
            SystemNodeSelector = SystemAddonPlacement.NodeSelector(env, cluster.Name),
        };
    }
}

/// <summary>One rule of the controller's ClusterRole.</summary>
/// <param name="ApiGroups">API groups (<c>""</c> = core).</param>
/// <param name="Resources">Resources.</param>
/// <param name="Verbs">Verbs.</param>
public sealed record LockRbacRule(ImmutableArray<string> ApiGroups, ImmutableArray<string> Resources, ImmutableArray<string> Verbs);

/// <summary>The decisions of a MIG scale-down lock: its objects' names, image, RBAC, script and pod shape.</summary>
/// <param name="Name">Name of the Deployment, ServiceAccount, ClusterRole and ClusterRoleBinding.</param>
/// <param name="Namespace">Namespace of the namespaced objects.</param>
/// <param name="Image">The image reference.</param>
/// <param name="ConfigMapName">The ConfigMap holding the script.</param>
/// <param name="Labels">Labels of every object.</param>
/// <param name="SelectorLabels">The Deployment's selector (a subset of <paramref name="Labels"/>).</param>
/// <param name="Rules">The ClusterRole's rules: nodes get/list/watch/patch, nothing else.</param>
/// <param name="Environment">The container's environment variables.</param>
/// <param name="NodeSelector">The pod's node selector.</param>
/// <param name="IntervalSeconds">Seconds between passes.</param>
/// <param name="ConfigChangeGraceSeconds">The grace of a changed layout under a stale success.</param>
public sealed record MigScaleDownLockPlan(
    string Name,
    string Namespace,
    string Image,
    string ConfigMapName,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, string> SelectorLabels,
    ImmutableArray<LockRbacRule> Rules,
    ImmutableSortedDictionary<string, string> Environment,
    ImmutableSortedDictionary<string, string> NodeSelector,
    int IntervalSeconds,
    int ConfigChangeGraceSeconds)
{
    /// <summary>The script (<see cref="MigNodeLock.Script"/>).</summary>
    public string Script => MigNodeLock.Script;

    /// <summary>Key of the script in the ConfigMap, mounted at <see cref="MigScaleDownLockPlanner.ScriptDirectory"/>.</summary>
    public string ScriptKey => MigScaleDownLockPlanner.ScriptKey;
}

/// <summary>
/// The MIG scale-down lock (issue 14 item 2, "never removes a node while its MIG layout is being applied"): a one-replica
/// controller on the system pool that keeps cluster-autoscaler's <c>scale-down-disabled</c> annotation on every node
/// whose MIG layout is not applied (<see cref="MigNodeLock.Decide"/>), with only the RBAC that needs (nodes
/// get/list/watch/patch). The time bounds of <see cref="ClusterAutoscalerPlanner"/> stay: they cover a node's first boot,
/// the lock covers every apply, including a layout change on a running node.
/// </summary>
public static class MigScaleDownLockPlanner
{
    /// <summary>Longest name (its ConfigMap adds <c>-script</c> to a 63-character DNS label).</summary>
    public const int MaxNameLength = 56;

    /// <summary>Key of the script in its ConfigMap.</summary>
    public const string ScriptKey = "lock.sh";

    /// <summary>Where the script's ConfigMap is mounted.</summary>
    public const string ScriptDirectory = "/opt/mig-scale-down-lock";

    /// <summary>The writable scratch directory (an emptyDir: the root file system is read-only): kubectl's cache, temp files, the heartbeat.</summary>
    public const string ScratchDirectory = "/tmp";

    /// <summary>The file the script touches after each successful pass; the liveness probe reads its age.</summary>
    public const string HeartbeatFile = ScratchDirectory + "/heartbeat";

    /// <summary>The app name of its labels (<c>app.kubernetes.io/name</c>), how the platform check recognises the lock.</summary>
    public const string AppName = "mig-scale-down-lock";

    /// <summary>Requests of the controller: CPU.</summary>
    public const string CpuRequest = "20m";

    /// <summary>Requests of the controller: memory (also its limit is <see cref="MemoryLimit"/>).</summary>
    public const string MemoryRequest = "64Mi";

    /// <summary>Memory limit (one <c>kubectl get nodes -o json</c> and its jq pass).</summary>
    public const string MemoryLimit = "256Mi";

    /// <summary>UID the container runs as (nobody): it needs no root.</summary>
    public const int RunAsUser = 65534;

    /// <summary>Priority class: the lock must run whenever cluster-autoscaler runs.</summary>
    public const string PriorityClassName = "system-cluster-critical";

    /// <summary>Every problem of <paramref name="spec"/>; empty when valid.</summary>
    /// <param name="spec">The spec.</param>
    public static ImmutableArray<SpecProblem> Validate(MigScaleDownLockSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new SpecProblems();
        p.Require(
            spec.Name is { Length: > 0 and <= MaxNameLength } && KubernetesNames.IsDnsLabel(spec.Name),
            "(name)",
            $"{Show(spec.Name)} names the lock's Deployment, ServiceAccount and ClusterRole: a DNS label of at most {MaxNameLength} characters");
        p.AddRange(OwnershipPlanner.Validate(spec.Ownership));
        p.Require(
            spec.KubernetesVersion is not null && MigScaleDownLockImage.Tags.ContainsKey(spec.KubernetesVersion),
            "KubernetesVersion",
            $"{Show(spec.KubernetesVersion)} has no pinned kubectl image (one per Kubernetes minor); pinned: {string.Join(", ", MigScaleDownLockImage.Tags.Select(kv => $"{kv.Key} → {MigScaleDownLockImage.Repository}:{kv.Value}"))}");
        p.Require(spec.Namespace is null || KubernetesNames.IsDnsLabel(spec.Namespace), "Namespace", $"{Show(spec.Namespace)} must be {KubernetesNames.DnsLabelRule}");
        var interval = spec.IntervalSeconds ?? MigScaleDownLockSpec.DefaultIntervalSeconds;
        p.Require(interval is >= 5 and <= 300, "IntervalSeconds", string.Create(CultureInfo.InvariantCulture, $"must be 5 to 300 seconds, got {interval}"));
        var grace = spec.ConfigChangeGraceSeconds ?? MigScaleDownLockSpec.DefaultConfigChangeGraceSeconds;
        p.Require(grace is >= 60 and <= 3600, "ConfigChangeGraceSeconds", string.Create(CultureInfo.InvariantCulture, $"must be 60 to 3600 seconds, got {grace}"));
        if (interval is >= 5 and <= 300 && grace is >= 60 and <= 3600 && grace < 4 * interval)
        {
            p.Add("ConfigChangeGraceSeconds", string.Create(CultureInfo.InvariantCulture,
                $"{grace} s is under 4 passes of IntervalSeconds ({interval} s): a layout change could be taken as applied before the MIG manager reports pending; set at least {4 * interval}"));
        }
        p.AddRange(SystemAddonPlacement.SelectorProblems(spec.SystemNodeSelector));
        return p.ToImmutable();
    }

    /// <summary>The decisions of a valid spec.</summary>
    /// <param name="spec">A spec without problems.</param>
    /// <exception cref="ArgumentException">The spec has problems.</exception>
    public static MigScaleDownLockPlan Plan(MigScaleDownLockSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = Validate(spec);
        if (!problems.IsEmpty)
        {
            throw new ArgumentException($"invalid MigScaleDownLockSpec: {string.Join("; ", problems)}", nameof(spec));
        }

        var name = spec.Name!;
        var labels = spec.Ownership.Tags.SetItems(ResourceLabels.For(AppName, name, "node-autoscaler", spec.Ownership.Environment, spec.Ownership.CostCenter));
        var interval = spec.IntervalSeconds ?? MigScaleDownLockSpec.DefaultIntervalSeconds;
        var grace = spec.ConfigChangeGraceSeconds ?? MigScaleDownLockSpec.DefaultConfigChangeGraceSeconds;
        var env = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
            KeyValuePair.Create("HOME", ScratchDirectory),
            KeyValuePair.Create("LOCK_CONFIG_CHANGE_GRACE_SECONDS", grace.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("LOCK_HEARTBEAT_FILE", HeartbeatFile),
            KeyValuePair.Create("LOCK_INTERVAL_SECONDS", interval.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("TMPDIR", ScratchDirectory),
        ]);
        LockRbacRule[] rules = [new([string.Empty], ["nodes"], ["get", "list", "watch", "patch"])];
        return new MigScaleDownLockPlan(
            name,
            spec.Namespace ?? MigScaleDownLockSpec.DefaultNamespace,
            MigScaleDownLockImage.For(spec.KubernetesVersion!),
            name + "-script",
            labels,
            ResourceLabels.Selector(AppName, name),
            [.. rules],
            env,
            spec.SystemNodeSelector,
            interval,
            grace);
    }

    /// <summary>
    /// The seconds after which the liveness probe restarts the controller: no successful pass for 4 intervals (at least
    /// 2 minutes: listing a large cluster's nodes takes time).
    /// </summary>
    /// <param name="plan">The plan.</param>
    public static int StaleAfterSeconds(MigScaleDownLockPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Math.Max(120, 4 * plan.IntervalSeconds);
    }

    /// <summary>The liveness command: fails when the heartbeat is older than <see cref="StaleAfterSeconds"/> (or missing).</summary>
    /// <param name="plan">The plan.</param>
    public static ImmutableArray<string> LivenessCommand(MigScaleDownLockPlan plan) =>
        ["/bin/sh", "-c", string.Create(CultureInfo.InvariantCulture,
            $"test -f {HeartbeatFile} && test $(( $(date +%s) - $(stat -c %Y {HeartbeatFile}) )) -lt {StaleAfterSeconds(plan)}")];

    /// <summary>
    /// The controller's pod as the platform check places it (one replica, its requests, the system selector, no
    /// tolerations); source <c>stack</c>: an object the program registers, which the registered manifest replaces.
    /// </summary>
    /// <param name="plan">The plan.</param>
    public static WorkloadShape Workload(MigScaleDownLockPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new WorkloadShape("Deployment", plan.Namespace, plan.Name, "stack", plan.Labels, [], WorkloadShape.CpuMemory(CpuRequest, MemoryRequest))
        {
            NodeSelector = plan.NodeSelector,
        };
    }

    private static string Show(string? value) => value is null ? "a missing value" : $"\"{value}\"";
}
