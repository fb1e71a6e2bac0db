using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Gpu;

namespace NeoCloud.Infra.Core.Autoscaling;

/// <summary>What the lock reads of one node: its name, its MIG labels and its annotations.</summary>
/// <param name="Name">The node name.</param>
/// <param name="MigConfig">The <c>nvidia.com/mig.config</c> label (the layout asked for), or null.</param>
/// <param name="State">The <c>nvidia.com/mig.config.state</c> label the MIG manager writes, or null.</param>
/// <param name="Annotations">The node's annotations.</param>
public sealed record MigNodeState(string Name, string? MigConfig, string? State, ImmutableSortedDictionary<string, string> Annotations)
{
    /// <summary>A node from its labels and annotations.</summary>
    /// <param name="name">The node name.</param>
    /// <param name="labels">Its labels.</param>
    /// <param name="annotations">Its annotations.</param>
    public static MigNodeState Of(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(annotations);
        return new(name, labels.GetValueOrDefault(GpuNodeLabels.MigConfig), labels.GetValueOrDefault(GpuNodeLabels.MigConfigState),
            annotations.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }
}

/// <summary>What the lock does to one node.</summary>
/// <param name="Locked">Whether the node must not be scaled down now.</param>
/// <param name="Reason">Why, as the controller logs it.</param>
/// <param name="Patch">The annotations that change: key → new value, or null to remove; empty when nothing changes.</param>
public sealed record MigLockDecision(bool Locked, string Reason, ImmutableSortedDictionary<string, string?> Patch);

/// <summary>
/// The MIG scale-down lock's decision (issue 14: "never removes a node while its MIG layout is being applied"): which
/// nodes carry cluster-autoscaler's <c>scale-down-disabled</c> annotation, given the labels the GPU Operator's MIG manager
/// writes. The in-cluster controller (<see cref="Script"/>, run by <see cref="MigScaleDownLockPlanner"/>'s Deployment)
/// implements exactly this function; a Core test runs the script against every state of it.
/// </summary>
/// <remarks>
/// <para>Upstream facts, verified in source:</para>
/// <list type="bullet">
/// <item>cluster-autoscaler skips a node from scale-down when its annotation
/// <c>cluster-autoscaler.kubernetes.io/scale-down-disabled</c> is exactly <c>"true"</c> (kubernetes/autoscaler tags
/// cluster-autoscaler-1.33.6, -1.34.5, -1.35.2, -1.36.1, <c>cluster-autoscaler/core/scaledown/eligibility/eligibility.go</c>:
/// <c>ScaleDownDisabledKey</c>, <c>HasNoScaleDownAnnotation</c> compares to <c>"true"</c>, checked in
/// <c>unremovableReasonAndNodeUtilization</c> for every scale-down candidate, unready ones included; FAQ "How can I prevent
/// Cluster Autoscaler from scaling down a particular node?").</item>
/// <item>The MIG manager of GPU Operator v26.7.0 (<c>migManager.version: v0.15.0</c> in its values.yaml; NVIDIA/mig-parted tag
/// v0.15.0 <c>pkg/mig/reconfigure/reconfigure.go</c>) writes <c>nvidia.com/mig.config.state</c>: <c>pending</c> before it
/// evicts the GPU clients, <c>rebooting</c> before a reboot for a MIG mode change, <c>success</c> at the end or when the
/// layout was already applied, <c>failed</c> on any error. Between a change of <c>nvidia.com/mig.config</c> and
/// <c>pending</c> the label still says <c>success</c> of the previous layout: the lock covers that window by remembering
/// the layout it last saw succeed (<see cref="AppliedConfigAnnotation"/>).</item>
/// <item>Why not the MIG manager's own hooks: mig-parted's <c>apply</c> runs hooks (<c>apply-start</c>, <c>pre-apply-mode</c>,
/// <c>pre-apply-config</c>, <c>apply-exit</c>; <c>api/hooks/v1/hooks.go</c>, <c>cmd/nvidia-mig-parted/apply/hooks.go</c>) from
/// <c>--hooks-file</c>/<c>MIG_PARTED_HOOKS_FILE</c>, but the Kubernetes MIG manager v0.15.0 invokes <c>nvidia-mig-parted apply</c>
/// without one; the ClusterPolicy's <c>migManager</c> (v26.7.0 <c>api/nvidia/v1/clusterpolicy_types.go</c> <c>MIGManagerSpec</c>)
/// has no hooks field or extra volume to mount a hooks file; the image (<c>deployments/container/Dockerfile</c>: distroless
/// plus a static busybox) has no kubectl or HTTP client that can PATCH a node; and the hooks would bracket only the
/// <c>apply</c> calls, not the eviction and the reboot around them.</item>
/// </list>
/// <para>The decision, for a node with layout M (<c>nvidia.com/mig.config</c>) and state S:</para>
/// <list type="number">
/// <item>No M: not a MIG-managed node; a lock this controller set is removed.</item>
/// <item>S missing (the MIG manager has not reported yet: a node cluster-autoscaler just added), or S is <c>pending</c>,
/// <c>rebooting</c>, <c>failed</c> or anything but <c>success</c>: locked, and the applied layout is forgotten.</item>
/// <item>S = <c>success</c> and no applied layout remembered, or the same M: unlocked, M remembered as applied.</item>
/// <item>S = <c>success</c> but M differs from the applied layout: M changed and the MIG manager has not started yet; locked,
/// with the time the change was first seen (<see cref="ChangedAtAnnotation"/>). After the grace period without any other
/// state the MIG manager found M already applied (it then writes <c>success</c> without <c>pending</c>): unlocked.</item>
/// </list>
/// The lock never takes over a <c>scale-down-disabled</c> annotation someone else set: it removes only the one it set
/// (marked <see cref="OwnerAnnotation"/>). A <c>failed</c> node stays locked until an operator fixes its layout: it is the
/// node the MIG manager's log explains, and removing it would hide the failure.
/// </remarks>
public static partial class MigNodeLock
{
    /// <summary>cluster-autoscaler's annotation that excludes a node from scale-down when it is <c>"true"</c>.</summary>
    public const string ScaleDownDisabledAnnotation = "cluster-autoscaler.kubernetes.io/scale-down-disabled";

    /// <summary><c>"true"</c> when this controller set <see cref="ScaleDownDisabledAnnotation"/> (and may remove it).</summary>
    public const string OwnerAnnotation = "neocloud.io/mig-scale-down-lock";

    /// <summary>The <c>nvidia.com/mig.config</c> value the controller last saw with state <c>success</c>.</summary>
    public const string AppliedConfigAnnotation = "neocloud.io/mig-applied-config";

    /// <summary>When (epoch seconds) the controller first saw <c>nvidia.com/mig.config</c> differ from the applied layout under state <c>success</c>.</summary>
    public const string ChangedAtAnnotation = "neocloud.io/mig-config-changed-at";

    /// <summary>The MIG manager's state when the layout is applied.</summary>
    public const string SuccessState = "success";

    /// <summary>Resource name of the embedded controller script.</summary>
    public const string ScriptResource = "NeoCloud.Infra.Core.Autoscaling.Scripts.mig-scale-down-lock.sh";

    [GeneratedRegex("^[0-9]{1,15}$")]
    private static partial Regex EpochSeconds();

    /// <summary>The controller script (POSIX sh + kubectl + jq), the implementation of <see cref="Decide"/> that runs in the cluster.</summary>
    public static string Script { get; } = LoadScript();

    /// <summary>The lock's decision for one node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="now">Now, in epoch seconds.</param>
    /// <param name="graceSeconds">How long a changed layout under a stale <c>success</c> stays locked before it counts as already applied.</param>
    public static MigLockDecision Decide(MigNodeState node, long now, int graceSeconds)
    {
        ArgumentNullException.ThrowIfNull(node);
        var a = node.Annotations;
        var applied = a.GetValueOrDefault(AppliedConfigAnnotation);
        var since = a.GetValueOrDefault(ChangedAtAnnotation);
        var (locked, wantApplied, wantSince, reason) = Desired(node.MigConfig, node.State, applied, since, now, graceSeconds);

        var patch = ImmutableSortedDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        Put(patch, AppliedConfigAnnotation, applied, wantApplied);
        Put(patch, ChangedAtAnnotation, since, wantSince);
        var disabled = a.GetValueOrDefault(ScaleDownDisabledAnnotation) == "true";
        if (locked)
        {
            if (!disabled)
            {
                patch[ScaleDownDisabledAnnotation] = "true";
                patch[OwnerAnnotation] = "true";
            }
        }
        else if (a.GetValueOrDefault(OwnerAnnotation) == "true")
        {
            patch[OwnerAnnotation] = null;
            if (disabled)
            {
                patch[ScaleDownDisabledAnnotation] = null;
            }
        }

        return new MigLockDecision(locked, reason, patch.ToImmutable());
    }

    private static (bool Locked, string? Applied, string? Since, string Reason) Desired(string? m, string? s, string? applied, string? since, long now, int grace)
    {
        if (m is null)
        {
            return (false, null, null, "no nvidia.com/mig.config label: not a MIG-managed node");
        }

        if (s is null)
        {
            return (true, null, null, $"no nvidia.com/mig.config.state yet: the MIG manager has not reported on {m}");
        }

        if (s != SuccessState)
        {
            return (true, null, null, $"nvidia.com/mig.config.state is {s} for {m}");
        }

        if (applied is null || applied == m)
        {
            return (false, m, null, $"{m} applied (state success)");
        }

        var waiting = $"nvidia.com/mig.config changed from {applied} to {m}; waiting for the MIG manager";
        if (since is null || !EpochSeconds().IsMatch(since))
        {
            return (true, applied, now.ToString(CultureInfo.InvariantCulture), waiting);
        }

        var elapsed = now - long.Parse(since, CultureInfo.InvariantCulture);
        return elapsed >= grace
            ? (false, m, null, string.Create(CultureInfo.InvariantCulture, $"{m} reported success for {elapsed}s without a new apply: already applied"))
            : (true, applied, since, waiting);
    }

    private static void Put(ImmutableSortedDictionary<string, string?>.Builder patch, string key, string? current, string? want)
    {
        if (want is null)
        {
            if (current is not null)
            {
                patch[key] = null;
            }
        }
        else if (current != want)
        {
            patch[key] = want;
        }
    }

    private static string LoadScript()
    {
        using var stream = typeof(MigNodeLock).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"embedded resource {ScriptResource} is missing from {typeof(MigNodeLock).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
