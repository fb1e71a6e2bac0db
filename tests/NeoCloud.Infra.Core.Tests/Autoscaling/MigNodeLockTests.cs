using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>
/// The MIG scale-down lock's decision (issue 14: "never removes a node while its MIG layout is being applied"), over
/// every node state it distinguishes (<see cref="MigLockStates"/>).
/// </summary>
public sealed class MigNodeLockTests
{
    private const string Disabled = MigNodeLock.ScaleDownDisabledAnnotation;
    private const string Owner = MigNodeLock.OwnerAnnotation;

    private static MigLockDecision Decide(MigNodeState node) => MigNodeLock.Decide(node, MigLockStates.Now, MigLockStates.Grace);

    private static ImmutableSortedDictionary<string, string> After(MigNodeState node) => MigLockStates.Apply(node.Annotations, Decide(node).Patch);

    [Fact]
    public void A_node_whose_layout_is_not_reported_applied_is_never_left_without_the_annotation()
    {
        foreach (var (node, _) in MigLockStates.All.Where(n => n.Node.MigConfig is not null && n.Node.State != "success"))
        {
            var d = Decide(node);
            Assert.True(d.Locked, $"{node}: {d.Reason}");
            Assert.Equal("true", After(node).GetValueOrDefault(Disabled));
        }
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("rebooting")]
    [InlineData("failed")]
    public void A_node_the_MIG_manager_is_applying_gets_the_annotation_and_the_owner_mark(string state)
    {
        var node = new MigNodeState("n", "all-1g.10gb", state, ImmutableSortedDictionary<string, string>.Empty);

        var d = Decide(node);

        Assert.True(d.Locked);
        Assert.Equal($"nvidia.com/mig.config.state is {state} for all-1g.10gb", d.Reason);
        Assert.Equal(new Dictionary<string, string?> { [Disabled] = "true", [Owner] = "true" }, d.Patch);
    }

    [Fact]
    public void A_new_node_is_locked_until_the_MIG_manager_reports_then_released_on_success()
    {
        var fresh = new MigNodeState("n", "all-2g.20gb", null, ImmutableSortedDictionary<string, string>.Empty);
        var locked = MigLockStates.Apply(fresh.Annotations, Decide(fresh).Patch);
        Assert.Equal("true", locked[Disabled]);

        var applied = fresh with { State = "success", Annotations = locked };
        var d = Decide(applied);

        Assert.False(d.Locked);
        Assert.Equal(new Dictionary<string, string?> { [Disabled] = null, [Owner] = null, [MigNodeLock.AppliedConfigAnnotation] = "all-2g.20gb" }, d.Patch);
    }

    [Fact]
    public void A_layout_change_under_the_previous_success_is_locked_until_the_MIG_manager_reports_or_the_grace_ends()
    {
        var applied = ImmutableSortedDictionary<string, string>.Empty.Add(MigNodeLock.AppliedConfigAnnotation, "all-1g.10gb");
        var changed = new MigNodeState("n", "all-2g.20gb", "success", applied);

        var first = Decide(changed);
        Assert.True(first.Locked);
        Assert.Equal("nvidia.com/mig.config changed from all-1g.10gb to all-2g.20gb; waiting for the MIG manager", first.Reason);
        Assert.Equal(MigLockStates.Now.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Patch[MigNodeLock.ChangedAtAnnotation]);

        // The MIG manager starts: pending, then success of the new layout.
        var pending = changed with { State = "pending", Annotations = MigLockStates.Apply(applied, first.Patch) };
        var during = Decide(pending);
        Assert.True(during.Locked);
        var done = pending with { State = "success", Annotations = MigLockStates.Apply(pending.Annotations, during.Patch) };
        var released = Decide(done);
        Assert.False(released.Locked);
        Assert.Equal("all-2g.20gb", MigLockStates.Apply(done.Annotations, released.Patch)[MigNodeLock.AppliedConfigAnnotation]);

        // Or the MIG manager found the layout already applied (success without pending): released after the grace.
        var waited = changed with { Annotations = MigLockStates.Apply(applied, first.Patch) };
        Assert.True(MigNodeLock.Decide(waited, MigLockStates.Now + MigLockStates.Grace - 1, MigLockStates.Grace).Locked);
        var late = MigNodeLock.Decide(waited, MigLockStates.Now + MigLockStates.Grace, MigLockStates.Grace);
        Assert.False(late.Locked);
        Assert.Equal("all-2g.20gb reported success for 300s without a new apply: already applied", late.Reason);
    }

    [Fact]
    public void An_annotation_someone_else_set_is_never_removed_nor_taken_over()
    {
        foreach (var (node, _) in MigLockStates.All.Where(n => n.Node.Annotations.GetValueOrDefault(Disabled) == "true" && n.Node.Annotations.GetValueOrDefault(Owner) != "true"))
        {
            var d = Decide(node);
            Assert.False(d.Patch.ContainsKey(Disabled), node.ToString());
            Assert.False(d.Patch.ContainsKey(Owner), node.ToString());
        }
    }

    [Fact]
    public void A_node_without_a_MIG_layout_loses_only_the_lock_this_controller_set()
    {
        foreach (var (node, _) in MigLockStates.All.Where(n => n.Node.MigConfig is null))
        {
            var d = Decide(node);
            var after = After(node);
            Assert.False(d.Locked);
            Assert.False(after.ContainsKey(Owner) && after[Owner] == "true", node.ToString());
            Assert.False(after.ContainsKey(MigNodeLock.AppliedConfigAnnotation));
            Assert.False(after.ContainsKey(MigNodeLock.ChangedAtAnnotation));
            var ownedLock = node.Annotations.GetValueOrDefault(Owner) == "true" && node.Annotations.GetValueOrDefault(Disabled) == "true";
            Assert.Equal(ownedLock ? null : node.Annotations.GetValueOrDefault(Disabled), after.GetValueOrDefault(Disabled));
        }
    }

    [Fact]
    public void One_pass_reaches_a_fixed_point_every_other_annotation_untouched()
    {
        foreach (var (node, _) in MigLockStates.All)
        {
            var first = Decide(node);
            var second = Decide(node with { Annotations = After(node) });
            Assert.True(second.Patch.IsEmpty, $"{node}: second pass patches {string.Join(", ", second.Patch)}");
            Assert.Equal(first.Locked, second.Locked);
            Assert.Equal("0", After(node)["node.alpha.kubernetes.io/ttl"]);
            Assert.All(first.Patch.Keys, k => Assert.Contains(k, new[] { Disabled, Owner, MigNodeLock.AppliedConfigAnnotation, MigNodeLock.ChangedAtAnnotation }));
            if (first.Locked)
            {
                Assert.Equal("true", After(node).GetValueOrDefault(Disabled));
            }
        }
    }

    [Fact]
    public void The_script_is_embedded_and_names_every_key_the_decision_uses()
    {
        foreach (var key in new[] { Disabled, Owner, MigNodeLock.AppliedConfigAnnotation, MigNodeLock.ChangedAtAnnotation, "nvidia.com/mig.config", "nvidia.com/mig.config.state" })
        {
            Assert.Contains($"\"{key}\"", MigNodeLock.Script, StringComparison.Ordinal);
        }

        Assert.StartsWith("#!/bin/sh\n", MigNodeLock.Script, StringComparison.Ordinal);
    }
}
