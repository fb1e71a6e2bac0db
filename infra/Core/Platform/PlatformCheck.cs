using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>The rule a finding belongs to.</summary>
public enum PlatformRule
{
    /// <summary>A workload does not schedule (no pool admits it, it does not fit a node, its pool cannot grow).</summary>
    Placement,

    /// <summary>A volume does not bind.</summary>
    Storage,

    /// <summary>An intended flow is closed or an unintended one open (NetworkPolicies, RBAC).</summary>
    Reachability,

    /// <summary>Autoscaling cannot track load.</summary>
    Autoscaling,

    /// <summary>A model does not fit the GPU memory of one replica.</summary>
    ModelFit,

    /// <summary>A workload the stack deploys into a tenant namespace would be refused by that tenant's admission policy.</summary>
    Admission,
}

/// <summary>One defect the check sees.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Subject">What it concerns (cluster/namespace/name, a flow, a pool).</param>
/// <param name="Message">What is wrong, with the numbers.</param>
public sealed record PlatformFinding(PlatformRule Rule, string Subject, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Rule.ToString().ToLowerInvariant()}: {Subject}: {Message}";
}

/// <summary>Everything the check decided.</summary>
/// <param name="Inventory">The inventory checked (scalers with their pods per node filled in from placement).</param>
/// <param name="Placements">Per-workload placement.</param>
/// <param name="Pools">Nodes needed per pool.</param>
/// <param name="Claims">Per-claim storage verdicts.</param>
/// <param name="Flows">Per-flow reachability verdicts.</param>
/// <param name="Accesses">Per-access RBAC verdicts.</param>
/// <param name="Findings">Every defect, ordered by rule and subject.</param>
public sealed record PlatformReport(
    PlatformInventory Inventory,
    ImmutableArray<WorkloadPlacement> Placements,
    ImmutableArray<PoolNeed> Pools,
    ImmutableArray<ClaimVerdict> Claims,
    ImmutableArray<FlowVerdict> Flows,
    ImmutableArray<AccessVerdict> Accesses,
    ImmutableArray<PlatformFinding> Findings)
{
    /// <summary>True when the check sees no defect.</summary>
    public bool Passes => Findings.IsEmpty;
}

/// <summary>
/// The platform check: decides from an inventory whether every workload schedules on a pool that admits and fits it, every
/// volume binds, every intended path is open and every other closed, and whether autoscaling can track load.
/// </summary>
public static class PlatformCheck
{
    /// <summary>Checks what config decides for <paramref name="env"/>.</summary>
    public static PlatformReport ForConfig(EnvironmentModel env, HardwareCatalog? catalog = null, double tokensPerRequest = 500)
    {
        var built = ConfigInventory.Build(env, catalog, tokensPerRequest);
        return Run(built.Inventory, built.Findings);
    }

    /// <summary>
    /// Each workload in a tenant namespace against its tenant's admission policy: the rules the inventory can decide
    /// (<see cref="PodAdmissionRules.PlacementRules"/>: labels, GPU pools, tolerations; it holds no images or security contexts).
    /// </summary>
    public static IEnumerable<PlatformFinding> AdmissionFindings(PlatformInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        foreach (var admission in inventory.Admissions)
        {
            foreach (var w in inventory.Workloads.Where(w => w.Cluster == admission.Cluster && w.Namespace == admission.Spec.TenantName))
            {
                var pod = AdmissionPod.From(w, image: string.Empty);
                foreach (var rule in PodAdmissionRules.PlacementRules)
                {
                    if (rule.Violation(pod, admission.Spec) is { } reason)
                    {
                        yield return new(PlatformRule.Admission, $"{w.Cluster}/{w.Id}", $"refused by {TenantAdmissionPlanner.PolicyName(admission.Spec.TenantName)} ({rule.Name}): {reason}");
                    }
                }
            }
        }
    }

    /// <summary>Checks <paramref name="inventory"/>; <paramref name="extra"/> findings (from whoever built it) are kept.</summary>
    public static PlatformReport Run(PlatformInventory inventory, IEnumerable<PlatformFinding>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var findings = new List<PlatformFinding>(extra ?? []);
        findings.AddRange(AdmissionFindings(inventory));
        findings.AddRange(MigScaleDownRule.Findings(inventory));
        var (placements, pools) = Placement.Place(inventory);
        var byCluster = inventory.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);

        foreach (var p in placements)
        {
            var w = p.Workload;
            var subject = $"{w.Cluster}/{w.Id}";
            if (p.OnExistingNodes)
            {
                continue;
            }

            if (p.Admitting.IsEmpty)
            {
                if (!w.DaemonSet)
                {
                    findings.Add(new(PlatformRule.Placement, subject, "no pool admits it: " + Summary(p.Rejections, inventory.Pools.Count(x => x.Cluster == w.Cluster))));
                }

                continue;
            }

            if (p.PerNode.Values.All(f => f.Replicas == 0))
            {
                findings.Add(new(PlatformRule.Placement, subject, "does not fit a node: " + string.Join("; ", p.PerNode.Select(kv => $"pool {kv.Key} {kv.Value.LimitedBy}"))));
                continue;
            }

            if (p.UnplacedAtMin > 0)
            {
                findings.Add(new(PlatformRule.Placement, subject, $"{p.UnplacedAtMin} of its {w.MinReplicas} minimum replicas fit no node of {string.Join(", ", p.Admitting)} at maximum pool size"));
            }
            else if (p.UnplacedAtMax > 0)
            {
                findings.Add(new(PlatformRule.Placement, subject, $"{p.UnplacedAtMax} of its {w.MaxReplicas} maximum replicas fit no node of {string.Join(", ", p.Admitting)} at maximum pool size"));
            }

            // A GPU workload whose node fit is decided by CPU, memory or disk, not by the GPU resources the capacity counts.
            var gpu = w.Requests.Keys.FirstOrDefault(k => k.StartsWith("nvidia.com/", StringComparison.Ordinal));
            if (gpu is not null && !w.DaemonSet)
            {
                foreach (var (pool, fit) in p.PerNode.Where(kv => kv.Value.Replicas > 0 && kv.Value.LimitedBy is Quantities.Cpu or Quantities.Memory or Quantities.EphemeralStorage or Quantities.Pods))
                {
                    var offered = inventory.Pools.Single(x => x.Cluster == w.Cluster && x.Name == pool).Allocatable.GetValueOrDefault(gpu) / Math.Max(1, w.Requests[gpu]);
                    if (fit.Replicas < offered)
                    {
                        findings.Add(new(PlatformRule.Placement, subject, string.Create(CultureInfo.InvariantCulture,
                            $"a node of {pool} holds {fit.Replicas} replicas (limited by {fit.LimitedBy}: {Quantities.Format(fit.LimitedBy, w.Requests.GetValueOrDefault(fit.LimitedBy, 1))} each) although it offers {offered} {gpu}")));
                    }
                }
            }
        }

        foreach (var need in pools)
        {
            var cluster = byCluster[need.Pool.Split('/')[0]];
            if (cluster.NodeAutoscaler)
            {
                continue;
            }

            if (need.NodesAtMin > need.Desired)
            {
                findings.Add(new(PlatformRule.Placement, need.Pool, $"needs {need.NodesAtMin} nodes at minimum replicas but has {need.Desired} and no node autoscaler adds any"));
            }
            else if (need.NodesAtMax > need.Desired)
            {
                findings.Add(new(PlatformRule.Placement, need.Pool, $"needs {need.NodesAtMax} nodes at maximum replicas (pool max {need.Max}) but stays at {need.Desired}: no node autoscaler adds any"));
            }
        }

        var claims = StorageBinding.Evaluate(inventory);
        findings.AddRange(claims.Where(c => !c.Binds).Select(c => new PlatformFinding(PlatformRule.Storage, $"{c.Claim.Cluster}/{c.Claim.Namespace}/{c.Claim.Name}", c.Reason)));

        var flows = Reachability.Evaluate(inventory);
        findings.AddRange(flows.Where(f => !f.AsIntended).Select(f => new PlatformFinding(PlatformRule.Reachability, f.Flow.Name,
            f.Flow.Intended ? $"intended flow is closed (port {f.Flow.Port}/{f.Flow.Protocol}): egress {f.Egress}; ingress {f.Ingress}" : $"unintended flow is open (port {f.Flow.Port}/{f.Flow.Protocol}): egress {f.Egress}; ingress {f.Ingress}")));
        var accesses = Reachability.EvaluateAccess(inventory);
        findings.AddRange(accesses.Where(a => !a.AsIntended).Select(a => new PlatformFinding(PlatformRule.Reachability, a.Access.Name,
            a.Access.Intended ? $"intended access denied: {a.By}" : $"unintended access granted: {a.By}")));

        // Scalers: pods per node from placement; the HPA semantics of the trigger.
        var scalers = inventory.Scalers.Select(s =>
        {
            var placement = placements.FirstOrDefault(p => p.Workload.Cluster == s.Cluster && p.Workload.Namespace == s.Namespace && p.Workload.Name == s.Deployment);
            var perNode = placement?.PerNode.Values.Where(f => f.Replicas > 0).Select(f => f.Replicas).DefaultIfEmpty(0).Max() ?? 0;
            return s with { PodsPerNode = perNode == int.MaxValue ? s.MaxReplicas : perNode, NodeAutoscaler = byCluster.TryGetValue(s.Cluster, out var c) && c.NodeAutoscaler };
        }).ToImmutableArray();
        foreach (var s in scalers.Where(s => s.MetricType == "AverageValue" && s.AveragedMetric))
        {
            var subject = $"{s.Cluster}/{s.Namespace}/{s.Deployment}";
            var text = string.Create(CultureInfo.InvariantCulture,
                $"metricType AverageValue on a mean per request: the HPA computes desired = ceil(metric ÷ {s.Threshold:0.###}) whatever the load, so {s.MaxReplicas} replicas need a mean queue time above {(s.MaxReplicas - 1) * s.Threshold:0} ms (p95 SLO {s.SloP95Ms:0} ms)");
            if (s.Burst is { } gate)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"; the burst gate opens only at {gate} on-prem replicas, i.e. above {(gate - 1) * s.Threshold:0} ms");
            }

            findings.Add(new(PlatformRule.Autoscaling, subject, text));
        }

        findings.AddRange(inventory.ModelFits.Where(f => !f.Fits).Select(f => new PlatformFinding(PlatformRule.ModelFit, f.Deployment,
            $"{f.Model} does not fit one replica: {f.Describe()}")));

        var ordered = findings.OrderBy(f => f.Rule).ThenBy(f => f.Subject, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal).ToImmutableArray();
        return new PlatformReport(inventory with { Scalers = scalers }, placements, pools, claims, flows, accesses, ordered);
    }

    /// <summary>
    /// Simulates a trace on every scaler with a known service rate. <paramref name="trace"/> is a built-in name (steady,
    /// ramp, spike, diurnal: scaled per deployment, see <see cref="LoadTrace.BuiltIn"/>) or a trace file.
    /// </summary>
    public static ImmutableArray<SimulationResult> Simulate(PlatformReport report, string trace, SimulationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(trace);
        var file = LoadTrace.BuiltIns.Contains(trace) ? null : LoadTrace.FromFile(trace);
        var results = ImmutableArray.CreateBuilder<SimulationResult>();
        foreach (var s in report.Inventory.Scalers.Where(s => s.ServiceRatePerReplica is > 0 && s.BurstOf is null))
        {
            var mu = s.ServiceRatePerReplica!.Value;
            var t = file ?? LoadTrace.BuiltIn(trace, 0.6 * mu * Math.Max(1, s.MinReplicas), 0.8 * mu * s.MaxReplicas);
            var provisioning = report.Inventory.Clusters.FirstOrDefault(c => c.Name == s.Cluster)?.NodeProvisioningSeconds ?? 300;
            results.Add(AutoscalingSimulator.Run(s, t, settings, nodeProvisioningSeconds: provisioning));
        }

        return results.ToImmutable();
    }

    private static string Summary(ImmutableSortedDictionary<string, string> rejections, int pools)
    {
        if (pools == 0 || rejections.IsEmpty)
        {
            return "the cluster has no node pool";
        }

        var reasons = rejections.Values.Distinct().ToList();
        return reasons.Count == 1 && rejections.Count > 1
            ? $"every pool ({string.Join(", ", rejections.Keys)}): {reasons[0]}"
            : string.Join("; ", rejections.Select(kv => $"{kv.Key}: {kv.Value}"));
    }
}
