using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Kubernetes;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>Every MIG config label names a valid config for the pool's GPU (Core <see cref="MigConfigs.Resolve"/>).</summary>
public sealed class MigConfigValidRule(HardwareCatalog catalog) : IStackRule
{
    /// <summary>Uses the Core catalog embedded in NeoCloud.Infra.Core.</summary>
    public MigConfigValidRule() : this(HardwareCatalog.Default)
    {
    }

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        ConfigChecks.MigConfigValidForGpu, "MIG configs fit their pool's GPU",
        "Every nvidia.com/mig.config label on a node group or node names a MIG config that is valid for that pool's GPU model (built-in names or the stack's mig-parted ConfigMap), checked by NeoCloud.Infra.Core.",
        PolicySeverity.Critical, PolicyKind.Stack, EnforcementLevel.Mandatory, EnforcementLevel.Mandatory, ConfigSchema.None, ["gpu", "mig"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        MigPartedDocument custom;
        try
        {
            custom = MigPartedConfigMap.FromStack(stack);
        }
        catch (FormatException e)
        {
            return [new Violation($"the mig-parted ConfigMap cannot be read: {e.Message}")];
        }
        var result = new List<Violation>();
        foreach (var resource in stack.OfType(GpuPool.Types))
        {
            // Pool names, MIG config labels and instance types may be secret values: they print as [secret].
            var secrets = SecretScrubber.Of(resource);
            GpuPool pool;
            try
            {
                pool = GpuPool.From(resource, catalog);
            }
            catch (UnknownValueException)
            {
                result.Add(Violation.CannotEvaluate($"the labels or instance type of '{resource.Name}'", resource.Urn));
                continue;
            }
            if (pool.MigConfig is not { } config)
            {
                continue;
            }
            if (pool.Gpu is null)
            {
                result.Add(new Violation(secrets.Scrub($"pool '{pool.Name}' sets {GpuNodeLabels.MigConfig}={config} but its GPU model is unknown: set label {ResourceLabels.GpuModel} or use a catalog instance type (got '{pool.InstanceType ?? "none"}')"), resource.Urn));
                continue;
            }
            var resolution = MigConfigs.Resolve(config, pool.Gpu, pool.GpusPerNode, custom.For(pool.Gpu));
            if (!resolution.IsValid)
            {
                result.Add(new Violation(secrets.Scrub($"pool '{pool.Name}' ({pool.Gpu.Id}): {string.Join("; ", resolution.Errors)}"), resource.Urn));
            }
        }
        return result;
    }
}

/// <summary>Every GPU/MIG resource a pod requests is offered by a pool it can schedule on.</summary>
public sealed class GpuResourceOfferedRule(HardwareCatalog catalog) : IStackRule
{
    /// <summary>Uses the Core catalog.</summary>
    public GpuResourceOfferedRule() : this(HardwareCatalog.Default)
    {
    }

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        ConfigChecks.GpuResourceOfferedByPool, "Requested GPU resources exist on a reachable pool",
        "Every pod template's nvidia.com/gpu or nvidia.com/mig-* request is offered (per node, by Core GpuResources under the cluster's MIG strategy) by a pool whose labels and taints admit the pod.",
        PolicySeverity.High, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None, ["gpu", "scheduling"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var inventory = GpuInventory.FromStack(stack, catalog);
        if (inventory.Pools.IsEmpty)
        {
            yield break; // the stack declares no pools (e.g. an application stack on an existing cluster)
        }
        foreach (var resource in stack.OfType(Workload.Types))
        {
            var verdict = GpuPlacement.Evaluate(resource, inventory, 1);
            if (verdict is not null)
            {
                yield return verdict;
            }
        }
    }
}

/// <summary>Every ScaledObject's maxReplicaCount fits the GPU capacity of the pools its target can use.</summary>
public sealed class ScaledObjectCapacityRule(HardwareCatalog catalog) : IStackRule
{
    /// <summary>KEDA's default maxReplicaCount.</summary>
    public const int KedaDefaultMaxReplicas = 100;

    /// <summary>Uses the Core catalog.</summary>
    public ScaledObjectCapacityRule() : this(HardwareCatalog.Default)
    {
    }

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        ConfigChecks.ScaledObjectFitsPoolCapacity, "ScaledObjects fit GPU capacity",
        "A KEDA ScaledObject's maxReplicaCount (default 100) times its target's GPU request per pod fits the GPU capacity (per-node offers × max nodes) of the pools the target can schedule on.",
        PolicySeverity.Medium, PolicyKind.Stack, EnforcementLevel.Advisory, EnforcementLevel.Mandatory, ConfigSchema.None, ["gpu", "autoscaling"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(StackSnapshot stack, RuleContext context)
    {
        var scaled = ScaledTargets.Of(stack);
        if (scaled.Count == 0)
        {
            return [];
        }
        var inventory = GpuInventory.FromStack(stack, catalog);
        var result = new List<Violation>();
        foreach (var entry in scaled)
        {
            if (entry.Unreadable is { } unreadable)
            {
                result.Add(unreadable);
                continue;
            }
            if (entry.Target is null)
            {
                continue;
            }
            var verdict = GpuPlacement.Evaluate(entry.Target.Resource, inventory, entry.MaxReplicas, entry.ScaledObject);
            if (verdict is not null)
            {
                result.Add(verdict);
            }
        }
        return result;
    }
}

/// <summary>A KEDA ScaledObject of the stack with its maxReplicaCount and the workload it scales.</summary>
/// <param name="ScaledObject">The ScaledObject.</param>
/// <param name="MaxReplicas">Its maxReplicaCount (KEDA's default 100 when unset).</param>
/// <param name="Target">The stack's workload its scaleTargetRef names, or null when the stack does not declare it.</param>
/// <param name="Unreadable">A cannot-evaluate diagnostic when the target or maximum is not known yet (then Target is null).</param>
internal sealed record ScaledTarget(ResourceSnapshot ScaledObject, int MaxReplicas, Workload? Target, Violation? Unreadable)
{
    /// <summary>KEDA's ScaledObject type token.</summary>
    public const string ScaledObjectType = "kubernetes:keda.sh/v1alpha1:ScaledObject";
}

/// <summary>Resolves ScaledObjects to their targets (kind default Deployment, namespace default <c>default</c>).</summary>
internal static class ScaledTargets
{
    /// <summary>Every ScaledObject of <paramref name="stack"/>, in stack order.</summary>
    public static IReadOnlyList<ScaledTarget> Of(StackSnapshot stack)
    {
        var scaledObjects = stack.OfType(ScaledTarget.ScaledObjectType).ToList();
        if (scaledObjects.Count == 0)
        {
            return [];
        }
        var workloads = stack.OfType(Workload.Types).Select(Workload.From).OfType<Workload>().ToList();
        var result = new List<ScaledTarget>(scaledObjects.Count);
        foreach (var so in scaledObjects)
        {
            var spec = so["spec"];
            var targetRef = spec["scaleTargetRef"];
            if (!targetRef.IsKnown || !targetRef["name"].IsKnown || !spec["maxReplicaCount"].IsKnown || !so["metadata"]["namespace"].IsKnown)
            {
                result.Add(new ScaledTarget(so, 0, null, Violation.CannotEvaluate($"the target or maxReplicaCount of ScaledObject '{so.Name}'", so.Urn)));
                continue;
            }
            var kind = targetRef["kind"].AsString() ?? "Deployment";
            var name = targetRef["name"].AsString();
            var ns = so["metadata"]["namespace"].AsString() ?? "default";
            var max = (int)(spec["maxReplicaCount"].AsNumber() ?? ScaledObjectCapacityRule.KedaDefaultMaxReplicas);
            var target = workloads.FirstOrDefault(w => w.Kind == kind && w.Name == name && (w.Namespace ?? "default") == ns);
            result.Add(new ScaledTarget(so, max, target, null));
        }
        return result;
    }
}

/// <summary>Whether a workload's GPU requests fit the pools that admit it.</summary>
internal static class GpuPlacement
{
    /// <summary>
    /// With <paramref name="replicas"/> = 1: is each request offered by some admitting pool? With more (a ScaledObject):
    /// does replicas × request fit the summed capacity (offer × max nodes) of the admitting pools?
    /// </summary>
    public static Violation? Evaluate(ResourceSnapshot resource, GpuInventory inventory, int replicas, ResourceSnapshot? scaler = null)
    {
        try
        {
            var workload = Workload.From(resource);
            var requests = workload?.GpuRequests();
            if (workload is null || requests is null || requests.Count == 0)
            {
                return null;
            }
            var admitting = inventory.Admitting(workload.PodSpec);
            var offers = admitting.Select(p => (Pool: p, Result: inventory.OffersOf(p))).ToList();
            var computable = offers.Where(o => o.Result.Offers is not null).ToList();
            var label = $"{workload.Kind} '{workload.Name}'";
            var wanted = string.Join(", ", requests.Select(r => $"{r.Key} x{r.Value}"));
            if (scaler is null)
            {
                if (computable.Any(o => requests.All(r => o.Result.Offers!.GetValueOrDefault(r.Key) >= r.Value)))
                {
                    return null;
                }
                var seen = string.Join("; ", offers.Select(o => o.Result.Offers is { } off
                    ? $"{o.Pool.Name} offers {string.Join(", ", off.Select(x => $"{x.Key}={x.Value}"))}"
                    : o.Result.Problem!));
                return new Violation(admitting.Count == 0
                    ? $"{label} requests {wanted} but no GPU pool admits it (check nodeSelector, affinity and tolerations)"
                    : $"{label} requests {wanted} but no pool it can schedule on offers it per node ({seen}; MIG strategy {inventory.Strategy.ToChartValue()})", resource.Urn);
            }
            var shortfalls = requests.Select(r => (r.Key, Need: r.Value * replicas, Have: inventory.CapacityOf(admitting, r.Key)))
                .Where(x => x.Need > x.Have).ToList();
            return shortfalls.Count == 0
                ? null
                : new Violation($"ScaledObject '{scaler.Name}' may scale {label} to {replicas} replicas needing {string.Join(", ", shortfalls.Select(s => $"{s.Key}={s.Need}"))} but its pools hold at most {string.Join(", ", shortfalls.Select(s => $"{s.Key}={s.Have}"))}; lower maxReplicaCount or raise the pools' maxSize", scaler.Urn);
        }
        catch (UnknownValueException)
        {
            return Violation.CannotEvaluate($"the GPU requests or placement of '{resource.Name}' or its pools", (scaler ?? resource).Urn);
        }
    }
}
