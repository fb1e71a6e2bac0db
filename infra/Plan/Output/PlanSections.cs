using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Plan.Costing;
using NeoCloud.Infra.Plan.Diff;
using NeoCloud.Infra.Plan.Planning;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>The tables of a plan, shared by the human and the markdown output so both always show the same facts.</summary>
internal static class PlanSections
{
    /// <summary>The one-line summary of a plan.</summary>
    public static string Summary(StackPlan plan)
    {
        var m = plan.Model;
        return $"stack {plan.Stack} · environment {m.Environment} · topology {Topology(m.Topology)} · cost center {m.CostCenter} · file {Path.GetFileName(plan.FilePath)}";
    }

    /// <summary>Every section of a plan, in output order.</summary>
    public static IEnumerable<ReportSection> All(StackPlan plan, PlanDiff? diff, string? simulate = null)
    {
        yield return Clusters(plan);
        yield return Pools(plan);
        yield return Serving(plan);
        yield return Reservations(plan);
        yield return Tenants(plan);
        yield return GatewaySections.Section(plan);
        yield return Cost(plan);
        yield return TokenCosts(plan);
        if (diff is not null)
        {
            yield return Diff(diff);
        }

        foreach (var section in PlatformSections.Sections(plan, simulate))
        {
            yield return section;
        }

        yield return Policy(plan);
    }

    /// <summary>Topology and clusters.</summary>
    public static ReportSection Clusters(StackPlan plan)
    {
        var rows = plan.Model.Clusters.Select(c => Row(
            c.Name,
            Substrate(c.Substrate),
            c.Region ?? "-",
            c.KubernetesVersion ?? "-",
            c.MigStrategy.ToChartValue(),
            c.Burst ? "burst" : c.RenderDirectory is { } dir ? $"renders to {dir}" : c.Existing is { } e ? $"existing EKS {e.ClusterName}" : c.Substrate == Core.Environments.Substrate.Eks ? "new EKS" : "existing nodes"));
        var notes = new List<string>();
        if (!plan.SecretKeys.IsEmpty)
        {
            notes.Add("secrets: " + string.Join(", ", plan.SecretKeys.Select(k => $"neocloud:{k} = {StackConfig.SecretPlaceholder}")));
        }

        if (!plan.OtherKeys.IsEmpty)
        {
            notes.Add("other config keys: " + string.Join(", ", plan.OtherKeys));
        }

        notes.Add(AlertingNote(plan.Model.Monitoring));

        return new ReportSection($"Clusters (topology {Topology(plan.Model.Topology)})", ["CLUSTER", "SUBSTRATE", "REGION", "K8S", "MIG STRATEGY", "ROLE"], [.. rows], [.. notes]);
    }

    /// <summary>Where alerts go, and a warning when they go nowhere (no <c>monitoring.receivers</c>).</summary>
    internal static string AlertingNote(MonitoringSpec monitoring) => monitoring.Receivers.IsEmpty
        ? "warning: no alert receiver (neocloud:monitoring.receivers): alerts fire in Prometheus but Alertmanager notifies no one"
        : "alert receivers: " + string.Join(", ", monitoring.Receivers.Select(r => $"{r.Name} ({r.Kind.ToString().ToLowerInvariant()}, neocloud:{r.SecretKey})"));

    /// <summary>GPU pools with their allocatable resources at min and max size.</summary>
    public static ReportSection Pools(StackPlan plan)
    {
        var caps = plan.Capacity.Pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);
        var rows = plan.Model.GpuPools.Select(p => Row(
            p.Name,
            p.Cluster,
            Substrate(p.Substrate) + (p.InstanceType is { } t ? $" {t}" : string.Empty),
            Purpose(p.Purpose),
            Hardware(p),
            p.Mig is { } mig ? MigText(mig) : "-",
            p.TimeSliced ? $"{Int(p.TimeSlicingReplicas)} per GPU" : "-",
            p.Substrate == Core.Environments.Substrate.Eks ? CapacityTypeText(p.CapacityType) : "owned",
            ResourceCounts.Format(caps[p.Name].AtMin),
            ResourceCounts.Format(caps[p.Name].AtMax)));
        return new ReportSection("GPU pools", ["POOL", "CLUSTER", "SUBSTRATE", "PURPOSE", "GPU × PER NODE × NODES (MIN–MAX)", "MIG CONFIG", "TIME-SLICING", "CAPACITY", "ALLOCATABLE AT MIN", "ALLOCATABLE AT MAX"], [.. rows], []);
    }

    /// <summary>Serving deployments: fit and headroom; burst parts on their own rows.</summary>
    public static ReportSection Serving(StackPlan plan)
    {
        var rows = plan.Capacity.Serving.Select(f => Row(
            f.Deployment,
            f.Burst ? "burst" : "main",
            f.Pool,
            f.UnitsPerReplica > 1 ? $"{Int(f.UnitsPerReplica)} × {ResourceCounts.Short(f.Resource)}" : ResourceCounts.Short(f.Resource),
            $"{Int(f.MinReplicas)}–{Int(f.MaxReplicas)}",
            $"{Int(f.CapacityAtMin)} / {Int(f.CapacityAtMax)}",
            f.Fits ? "yes" : "NO",
            f.MinFitsAtMinSize ? "yes" : f.Burst ? "scales from 0" : "no (pool must scale)",
            ResourceCounts.Signed(f.Headroom)));
        return new ReportSection("Serving", ["DEPLOYMENT", "PART", "POOL", "PER REPLICA", "REPLICAS", "POOL UNITS MIN / MAX", "FITS", "MIN FITS AT MIN SIZE", "HEADROOM AT MAX"], [.. rows],
            ["headroom = pool units at maximum size − this deployment's maximum replicas × units per replica (shared pools: see reservations)"]);
    }

    /// <summary>What all deployments sharing a pool reserve.</summary>
    public static ReportSection Reservations(StackPlan plan)
    {
        var rows = plan.Capacity.Reservations.Select(r => Row(
            r.Pool,
            ResourceCounts.Short(r.Resource),
            $"{Int(r.Reserved)} / {Int(r.Capacity)}",
            string.Join(", ", r.Deployments),
            r.Overcommitted ? (r.OvercommitAllowed ? "yes (allowed)" : "YES") : "no"));
        return new ReportSection("Shared-pool reservations", ["POOL", "RESOURCE", "RESERVED / CAPACITY AT MAX", "DEPLOYMENTS", "OVER-COMMITTED"], [.. rows], []);
    }

    /// <summary>Tenant quotas against cluster capacity.</summary>
    public static ReportSection Tenants(StackPlan plan)
    {
        var rows = plan.Capacity.Tenants.Select(t => Row(
            t.Tenant,
            t.Cluster,
            ResourceCounts.Short(t.Resource),
            Int(t.Quota),
            Int(t.AllTenantsQuota),
            Int(t.ClusterCapacity),
            t.OverSubscribed ? "yes" : "no"));
        var quotas = plan.Model.Tenants.Select(t => $"{t.Name}: cpu {t.Quota.Cpu}, memory {t.Quota.Memory}, PVCs {Int(t.Quota.PersistentVolumeClaims)}, clusters {string.Join(", ", t.Clusters)}");
        return new ReportSection("Tenants", ["TENANT", "CLUSTER", "RESOURCE", "QUOTA", "ALL TENANTS", "CLUSTER CAPACITY AT MAX", "OVER-SUBSCRIBED"], [.. rows],
            [.. quotas, "over-subscription (all tenants' quotas > capacity) is allowed and reported; a single quota above capacity is a config error"]);
    }

    /// <summary>Cost per pool and total.</summary>
    public static ReportSection Cost(StackPlan plan)
    {
        var c = plan.Cost;
        var rows = c.Pools.Select(p => Row(
            p.Pool,
            Basis(p.Basis),
            p.NodeHourlyUsd is { } n ? Usd.Format(n) : "not priced",
            p.GpuHourlyUsd is { } g ? Usd.Format(g) : "-",
            Usd.Format(p.Hourly),
            Usd.Format(p.Monthly),
            p.Note ?? string.Empty)).ToList();
        rows.Add(Row("TOTAL", string.Empty, string.Empty, string.Empty, Usd.Format(c.TotalHourly), Usd.Format(c.TotalMonthly), string.Empty));
        var notes = new List<string>
        {
            $"range = min nodes – max nodes; month = {c.HoursPerMonth.ToString("0.##", CultureInfo.InvariantCulture)} h; spot discount {c.SpotDiscount.ToString("0.###", CultureInfo.InvariantCulture)}{(c.SpotDiscountOverridden ? " (--spot-discount)" : string.Empty)}",
        };
        notes.AddRange(c.Caveats);
        return new ReportSection("Cost (USD)", ["POOL", "BASIS", "PER NODE-HOUR", "PER GPU-HOUR", "HOURLY", "MONTHLY", "NOTE"], [.. rows], [.. notes]);
    }

    /// <summary>Cost per 1M tokens.</summary>
    public static ReportSection TokenCosts(StackPlan plan)
    {
        var rows = plan.Cost.PerMillionTokens.Select(t => Row(
            t.Deployment + (t.Burst ? " (burst)" : string.Empty),
            t.Pool,
            t.TokensPerSecond.ToString("#,0.##", CultureInfo.InvariantCulture),
            $"{t.GpuShare.ToString("0.####", CultureInfo.InvariantCulture)} ({t.ShareBasis})",
            t.ReplicaHourlyUsd is { } r ? Usd.Format(r) : "not priced",
            t.UsdPerMillionTokens is { } u ? Usd.Format(u) : "not priced"));
        var notes = new List<string> { "formula: " + CostEstimator.TokenFormula };
        var without = plan.Model.Serving.Where(s => s.ThroughputTokensPerSecond is null or <= 0).Select(s => s.Name).ToList();
        if (without.Count > 0)
        {
            notes.Add("no throughputTokensPerSecond stated: " + string.Join(", ", without));
        }

        return new ReportSection("Cost per 1M tokens", ["DEPLOYMENT", "POOL", "TOKENS/S PER REPLICA", "GPU SHARE", "REPLICA $/HOUR", "$ PER 1M TOKENS"], [.. rows], [.. notes]);
    }

    /// <summary>Capacity and cost deltas against a baseline file.</summary>
    public static ReportSection Diff(PlanDiff diff)
    {
        var rows = new List<ImmutableArray<string>>();
        foreach (var p in diff.Pools)
        {
            var nodes = $"{NodesText(p.Before)} → {NodesText(p.After)}";
            var capacity = string.Join(", ", p.CapacityAtMax().Where(c => c.Before != c.After || p.Change != PoolChange.Unchanged)
                .Select(c => $"{ResourceCounts.Short(c.Resource)} {Int(c.Before)} → {Int(c.After)} ({ResourceCounts.Signed(c.After - c.Before)})"));
            rows.Add(Row(p.Pool, Change(p.Change), nodes, capacity.Length == 0 ? "-" : capacity, Usd.Delta(p.HourlyDelta), Usd.Delta(p.MonthlyDelta)));
        }

        rows.Add(Row("TOTAL", string.Empty, string.Empty, string.Empty, Usd.Delta(diff.HourlyDelta), Usd.Delta(diff.MonthlyDelta)));
        return new ReportSection($"Diff against {Path.GetFileName(diff.AgainstFile)}", ["POOL", "CHANGE", "NODES (MIN–MAX)", "CAPACITY AT MAX", "HOURLY Δ", "MONTHLY Δ"], [.. rows],
            [$"monthly total: {Usd.Format(diff.MonthlyBefore)} → {Usd.Format(diff.MonthlyAfter)}"]);
    }

    /// <summary>Policy verdicts with their levels.</summary>
    public static ReportSection Policy(StackPlan plan)
    {
        var p = plan.Policy;
        var rows = p.Verdicts.Select(v => Row(v.Policy, EnforcementLevels.Name(v.Level), Status(v.Status), v.Subject, v.Message));
        var notes = new List<string>
        {
            $"levels: {p.LevelSource}",
            $"{Int(p.MandatoryViolations)} mandatory violation(s), {Int(p.AdvisoryViolations)} advisory violation(s)",
            "only checks decidable from configuration; resource-level policies (labels, images, probes ...) run in `pulumi preview --policy-pack policy`",
        };
        return new ReportSection("Policy", ["POLICY", "LEVEL", "STATUS", "SUBJECT", "MESSAGE"], [.. rows], [.. notes]);
    }

    /// <summary>The status as the outputs spell it: pass, FAIL, n/a.</summary>
    public static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Fail => "FAIL",
        _ => "n/a",
    };

    /// <summary>JSON spelling of a status.</summary>
    public static string StatusName(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Fail => "fail",
        _ => "not-applicable",
    };

    /// <summary>Config spelling of a topology.</summary>
    public static string Topology(Topology topology) => topology switch
    {
        Core.Environments.Topology.OnPrem => "onprem",
        Core.Environments.Topology.Cloud => "cloud",
        _ => "hybrid",
    };

    /// <summary>Config spelling of a substrate.</summary>
    public static string Substrate(Substrate substrate) => substrate == Core.Environments.Substrate.Eks ? "eks" : "onprem";

    /// <summary>Config spelling of a purpose.</summary>
    public static string Purpose(PoolPurpose purpose) => purpose switch
    {
        PoolPurpose.Training => "training",
        PoolPurpose.Inference => "inference",
        _ => "cpu",
    };

    /// <summary>Config spelling of a capacity type.</summary>
    public static string CapacityTypeText(CapacityType type) => type == CapacityType.Spot ? "SPOT" : "ON_DEMAND";

    /// <summary>JSON spelling of a price basis.</summary>
    public static string Basis(PriceBasis basis) => basis switch
    {
        PriceBasis.OnDemand => "on-demand",
        PriceBasis.Spot => "spot",
        PriceBasis.OnPremGpuHour => "onprem-gpu-hour",
        _ => "not-priced",
    };

    /// <summary>JSON spelling of a pool change.</summary>
    public static string Change(PoolChange change) => change switch
    {
        PoolChange.Added => "added",
        PoolChange.Removed => "removed",
        PoolChange.Changed => "changed",
        _ => "unchanged",
    };

    /// <summary>"config-name (per GPU: layout)" for display.</summary>
    public static string MigText(PoolMig mig)
    {
        var layouts = mig.PerDevice.Select(l => l.Count == 0 ? "disabled" : MigGeometry.Describe(l))
            .GroupBy(l => l).Select(g => $"{Int(g.Count())} GPU{(g.Count() == 1 ? string.Empty : "s")}: {g.Key}");
        return $"{mig.ConfigName} ({string.Join("; ", layouts)})";
    }

    private static string Hardware(GpuPoolSpec p) =>
        (p.Gpu is null ? "CPU" : $"{p.Gpu.Id} × {Int(p.GpusPerNode)}") + $" × {Int(p.DesiredSize)} ({Int(p.MinSize)}–{Int(p.MaxSize)})";

    private static string NodesText(PoolSide? side) => side is null ? "-" : $"{Int(side.MinNodes)}–{Int(side.MaxNodes)}";

    private static string Int(int value) => ResourceCounts.Int(value);

    private static ImmutableArray<string> Row(params string[] cells) => [.. cells];
}
