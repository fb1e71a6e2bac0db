using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Plan.Costing;
using NeoCloud.Infra.Plan.Diff;
using NeoCloud.Infra.Plan.Planning;
using NeoCloud.Infra.Plan.Policy;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>
/// The <c>--json</c> document. Its schema is versioned by <see cref="SchemaVersion"/> and documented in the README;
/// fields are only added within a version, never renamed or removed.
/// </summary>
internal static class JsonReport
{
    /// <summary>The schema version of the document.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The document of a planning run.</summary>
    /// <param name="result">The planned stack.</param>
    /// <param name="against">The baseline of a diff (may be invalid), or null.</param>
    /// <param name="diff">The diff, when both sides are valid.</param>
    /// <param name="exitCode">The exit code the run ends with.</param>
    /// <param name="simulate">The trace of <c>--simulate</c>, or null.</param>
    public static string Render(PlanResult result, PlanResult? against, PlanDiff? diff, int exitCode, string? simulate = null)
    {
        var root = new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["stack"] = result.Stack,
            ["file"] = result.FilePath,
            ["valid"] = result.IsValid && (against?.IsValid ?? true),
            ["exitCode"] = exitCode,
            ["errors"] = Errors(result, against),
        };
        if (result.Plan is { } plan)
        {
            Fill(root, plan);
            root["gateways"] = GatewaySections.Json(plan);
            root["platform"] = PlatformSections.Json(plan, simulate);
        }

        if (against is not null)
        {
            root["diff"] = diff is null ? new JsonObject { ["against"] = against.FilePath ?? against.Stack, ["valid"] = false } : Diff(diff);
        }

        return root.ToJsonString(Options);
    }

    private static JsonArray Errors(PlanResult result, PlanResult? against)
    {
        var errors = new JsonArray();
        foreach (var (r, role) in new[] { (result, "plan"), (against, "against") })
        {
            if (r is null)
            {
                continue;
            }

            foreach (var e in r.Errors)
            {
                errors.Add(new JsonObject { ["file"] = r.FilePath ?? r.Stack, ["role"] = role, ["path"] = e.Path, ["message"] = e.Message });
            }
        }

        return errors;
    }

    private static void Fill(JsonObject root, StackPlan plan)
    {
        var m = plan.Model;
        root["environment"] = m.Environment;
        root["costCenter"] = m.CostCenter;
        root["topology"] = PlanSections.Topology(m.Topology);
        root["secrets"] = Strings(plan.SecretKeys.Select(k => "neocloud:" + k));
        root["otherConfigKeys"] = Strings(plan.OtherKeys);
        root["clusters"] = Array(m.Clusters, c => new JsonObject
        {
            ["name"] = c.Name,
            ["substrate"] = PlanSections.Substrate(c.Substrate),
            ["region"] = c.Region,
            ["kubernetesVersion"] = c.KubernetesVersion,
            ["migStrategy"] = c.MigStrategy.ToChartValue(),
            ["burst"] = c.Burst,
            ["renderDirectory"] = c.RenderDirectory,
        });
        var caps = plan.Capacity.Pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);
        root["pools"] = Array(m.GpuPools, p => new JsonObject
        {
            ["name"] = p.Name,
            ["cluster"] = p.Cluster,
            ["substrate"] = PlanSections.Substrate(p.Substrate),
            ["purpose"] = PlanSections.Purpose(p.Purpose),
            ["instanceType"] = p.InstanceType,
            ["gpuModel"] = p.Gpu?.Id,
            ["gpusPerNode"] = p.GpusPerNode,
            ["nodes"] = new JsonObject { ["min"] = p.MinSize, ["desired"] = p.DesiredSize, ["max"] = p.MaxSize },
            ["capacityType"] = p.Substrate == Substrate.Eks ? PlanSections.CapacityTypeText(p.CapacityType) : null,
            ["interruptible"] = p.Interruptible,
            ["timeSlicingReplicas"] = p.TimeSlicingReplicas,
            ["allowOvercommit"] = p.AllowOvercommit,
            ["mig"] = p.Mig is { } mig ? new JsonObject
            {
                ["config"] = mig.ConfigName,
                ["perDevice"] = Array(mig.PerDevice, Counts),
            } : null,
            ["allocatable"] = new JsonObject
            {
                ["strategy"] = caps[p.Name].Strategy.ToChartValue(),
                ["perNode"] = Counts(caps[p.Name].PerNode),
                ["atMin"] = Counts(caps[p.Name].AtMin),
                ["atMax"] = Counts(caps[p.Name].AtMax),
            },
        });
        var shares = m.Serving.SelectMany(s => new[] { (s.Name, false, m.Pool(s.Pool), s.Gpu) }
            .Concat(s.Burst is { } b ? [(s.Name, true, m.Pool(b.Pool), b.Gpu)] : []))
            .ToDictionary(x => (x.Item1, x.Item2), x => CostEstimator.ShareOf(x.Item3, x.Item4));
        root["serving"] = Array(plan.Capacity.Serving, f => new JsonObject
        {
            ["deployment"] = f.Deployment,
            ["burst"] = f.Burst,
            ["pool"] = f.Pool,
            ["resource"] = f.Resource,
            ["gpuShare"] = shares[(f.Deployment, f.Burst)].Share,
            ["replicas"] = new JsonObject { ["min"] = f.MinReplicas, ["max"] = f.MaxReplicas },
            ["capacityAtMin"] = f.CapacityAtMin,
            ["capacityAtMax"] = f.CapacityAtMax,
            ["fits"] = f.Fits,
            ["minFitsAtMinSize"] = f.MinFitsAtMinSize,
            ["headroom"] = f.Headroom,
        });
        root["reservations"] = Array(plan.Capacity.Reservations, r => new JsonObject
        {
            ["pool"] = r.Pool,
            ["resource"] = r.Resource,
            ["capacity"] = r.Capacity,
            ["reserved"] = r.Reserved,
            ["deployments"] = Strings(r.Deployments),
            ["overcommitted"] = r.Overcommitted,
            ["overcommitAllowed"] = r.OvercommitAllowed,
        });
        root["tenants"] = Array(plan.Capacity.Tenants, t => new JsonObject
        {
            ["tenant"] = t.Tenant,
            ["cluster"] = t.Cluster,
            ["resource"] = t.Resource,
            ["quota"] = t.Quota,
            ["clusterCapacity"] = t.ClusterCapacity,
            ["allTenantsQuota"] = t.AllTenantsQuota,
            ["overSubscribed"] = t.OverSubscribed,
        });
        root["cost"] = Cost(plan.Cost);
        root["policy"] = Policy(plan.Policy);
    }

    private static JsonObject Cost(CostPlan c) => new()
    {
        ["currency"] = "USD",
        ["hoursPerMonth"] = c.HoursPerMonth,
        ["spotDiscount"] = c.SpotDiscount,
        ["spotDiscountOverridden"] = c.SpotDiscountOverridden,
        ["pools"] = Array(c.Pools, p => new JsonObject
        {
            ["pool"] = p.Pool,
            ["basis"] = PlanSections.Basis(p.Basis),
            ["priced"] = p.Priced,
            ["nodeHourlyUsd"] = Money(p.NodeHourlyUsd),
            ["gpuHourlyUsd"] = Money(p.GpuHourlyUsd),
            ["hourlyUsd"] = Range(p.Hourly),
            ["monthlyUsd"] = Range(p.Monthly),
            ["priceRegion"] = p.PriceRegion,
            ["priceDate"] = p.PriceDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["note"] = p.Note,
        }),
        ["total"] = new JsonObject { ["hourlyUsd"] = Range(c.TotalHourly), ["monthlyUsd"] = Range(c.TotalMonthly) },
        ["perMillionTokensFormula"] = CostEstimator.TokenFormula,
        ["perMillionTokens"] = Array(c.PerMillionTokens, t => new JsonObject
        {
            ["deployment"] = t.Deployment,
            ["burst"] = t.Burst,
            ["pool"] = t.Pool,
            ["resource"] = t.Resource,
            ["tokensPerSecond"] = t.TokensPerSecond,
            ["gpuShare"] = t.GpuShare,
            ["shareBasis"] = t.ShareBasis,
            ["replicaHourlyUsd"] = Money(t.ReplicaHourlyUsd),
            ["usdPerMillionTokens"] = Money(t.UsdPerMillionTokens),
        }),
        ["caveats"] = Strings(c.Caveats),
    };

    private static JsonObject Policy(PolicyPlan p) => new()
    {
        ["packConfig"] = p.PackConfig,
        ["packConfigFound"] = p.PackConfigFound,
        ["levelSource"] = p.LevelSource,
        ["mandatoryViolations"] = p.MandatoryViolations,
        ["advisoryViolations"] = p.AdvisoryViolations,
        ["verdicts"] = Array(p.Verdicts, v => new JsonObject
        {
            ["policy"] = v.Policy,
            ["status"] = PlanSections.StatusName(v.Status),
            ["level"] = EnforcementLevels.Name(v.Level),
            ["blocking"] = v.Blocking,
            ["subject"] = v.Subject,
            ["message"] = v.Message,
        }),
    };

    private static JsonObject Diff(PlanDiff d) => new()
    {
        ["against"] = d.AgainstFile,
        ["valid"] = true,
        ["pools"] = Array(d.Pools, p => new JsonObject
        {
            ["pool"] = p.Pool,
            ["change"] = PlanSections.Change(p.Change),
            ["nodes"] = new JsonObject
            {
                ["min"] = IntDelta(p.Before?.MinNodes ?? 0, p.After?.MinNodes ?? 0),
                ["max"] = IntDelta(p.Before?.MaxNodes ?? 0, p.After?.MaxNodes ?? 0),
            },
            ["capacityAtMin"] = ResourceDeltas(p.CapacityAtMin()),
            ["capacityAtMax"] = ResourceDeltas(p.CapacityAtMax()),
            ["hourlyUsd"] = RangeDelta(p.Before?.Hourly ?? UsdRange.Zero, p.After?.Hourly ?? UsdRange.Zero),
            ["monthlyUsd"] = RangeDelta(p.Before?.Monthly ?? UsdRange.Zero, p.After?.Monthly ?? UsdRange.Zero),
        }),
        ["total"] = new JsonObject
        {
            ["hourlyUsd"] = RangeDelta(d.HourlyBefore, d.HourlyAfter),
            ["monthlyUsd"] = RangeDelta(d.MonthlyBefore, d.MonthlyAfter),
        },
    };

    private static JsonObject ResourceDeltas(IEnumerable<(string Resource, int Before, int After)> deltas)
    {
        var obj = new JsonObject();
        foreach (var (resource, before, after) in deltas)
        {
            obj[resource] = IntDelta(before, after);
        }

        return obj;
    }

    private static JsonObject IntDelta(int before, int after) => new() { ["before"] = before, ["after"] = after, ["delta"] = after - before };

    private static JsonObject RangeDelta(UsdRange before, UsdRange after) => new()
    {
        ["before"] = Range(before),
        ["after"] = Range(after),
        ["delta"] = Range(after - before),
    };

    private static JsonObject Range(UsdRange r) => new() { ["min"] = Usd.Round(r.Min), ["max"] = Usd.Round(r.Max) };

    private static JsonNode? Money(decimal? amount) => amount is { } a ? JsonValue.Create(Usd.Round(a)) : null;

    private static JsonObject Counts(ImmutableSortedDictionary<string, int> counts)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in counts)
        {
            obj[k] = v;
        }

        return obj;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);
}
