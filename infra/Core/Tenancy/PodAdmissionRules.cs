using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>
/// One tenant pod rule, written once with two renderings of the same decision: <see cref="Cel"/>, the expression a
/// ValidatingAdmissionPolicy evaluates in the API server, and <see cref="Violation"/>, the same rule in C# over the pod's
/// JSON (what tests evaluate against the same fixtures, and what the platform check uses). Both read the same Core data
/// (<see cref="TenantAdmissionSpec"/>, <see cref="ResourceLabels"/>, <see cref="DedicatedPools"/>).
/// </summary>
public abstract class PodAdmissionRule
{
    /// <summary>Stable rule name (also the policy pack's rule it mirrors, where there is one).</summary>
    public abstract string Name { get; }

    /// <summary>The HTTP status reason the API server answers with: <c>Forbidden</c> or <c>Invalid</c>.</summary>
    public virtual string Reason => "Forbidden";

    /// <summary>The denial message (static text: no CEL message expression, so it never fails to render).</summary>
    public abstract string Message(TenantAdmissionSpec spec);

    /// <summary>The CEL expression (true = admitted) over <c>object</c> (the Pod) and the policy's <see cref="TenantAdmissionPlanner.Variables"/>.</summary>
    public abstract string Cel(TenantAdmissionSpec spec);

    /// <summary>Why <paramref name="pod"/> is denied by this rule, or null when admitted. The same decision as <see cref="Cel"/>.</summary>
    public abstract string? Violation(JsonObject pod, TenantAdmissionSpec spec);

    /// <summary>A CEL string literal (single quotes; backslash and quote escaped).</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    /// <summary>A CEL list literal of strings.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    /// <summary>The pod's spec (empty when absent).</summary>
    protected static JsonObject Spec(JsonObject pod) => pod["spec"] as JsonObject ?? [];

    /// <summary>Init containers then containers (the policy's <c>variables.containers</c>).</summary>
    protected static IEnumerable<JsonObject> Containers(JsonObject pod) =>
        Items(Spec(pod)["initContainers"]).Concat(Items(Spec(pod)["containers"]));

    /// <summary>Ephemeral containers (debug containers added through <c>pods/ephemeralcontainers</c>).</summary>
    protected static IEnumerable<JsonObject> EphemeralContainers(JsonObject pod) => Items(Spec(pod)["ephemeralContainers"]);

    /// <summary>The objects of a JSON array (none when absent).</summary>
    protected static IEnumerable<JsonObject> Items(JsonNode? node) => node is JsonArray a ? a.OfType<JsonObject>() : [];

    /// <summary>A string member, or null.</summary>
    protected static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The container's name for messages.</summary>
    protected static string Named(JsonObject container) => Text(container["name"]) ?? "(unnamed)";
}

/// <summary>
/// The tenant pod rules, in the order the policy lists them. <see cref="ImagesPinned"/>, <see cref="RequiredLabels"/> and
/// <see cref="GpuPools"/> + <see cref="Tolerations"/> are the admission side of the policy pack's <c>images-pinned</c>,
/// <c>required-labels</c> and <c>gpu-workloads-target-gpu-pools</c>; <see cref="NoPrivileged"/> and <see cref="NoHostPath"/>
/// repeat what Pod Security <c>baseline</c> (the namespace label) already enforces, so that a relabelled namespace does not open them.
/// </summary>
public static class PodAdmissionRules
{
    /// <summary>Every rule, in policy order.</summary>
    public static ImmutableArray<PodAdmissionRule> All { get; } =
        [new ImagesPinned(), new NoPrivileged(), new NoHostPath(), new RequiredLabels(), new GpuPools(), new Tolerations()];

    /// <summary>The rules decided by where a pod lands and how it is labelled (what the platform check's inventory holds).</summary>
    public static ImmutableArray<PodAdmissionRule> PlacementRules { get; } = [.. All.Where(r => r is RequiredLabels or GpuPools or Tolerations)];

    /// <summary>True for an extended resource the GPU rules govern: <c>nvidia.com/gpu</c> and <c>nvidia.com/mig-*</c> (the pack's <c>Workload.IsGpuResource</c>).</summary>
    public static bool IsGpuResource(string name) =>
        name == GpuResources.Gpu || name.StartsWith(MigResourcePrefix, StringComparison.Ordinal);

    /// <summary>The MIG resource prefix under the mixed strategy.</summary>
    public const string MigResourcePrefix = "nvidia.com/mig-";

    /// <summary>Taint keys the API server itself tolerates on every pod (the DefaultTolerationSeconds admission plugin adds <c>node.kubernetes.io/not-ready</c> and <c>unreachable</c>).</summary>
    public const string NodeConditionTaintPrefix = "node.kubernetes.io/";

    /// <summary>
    /// Why <paramref name="image"/> is not pinned, or null: a digest (<c>@sha256:</c>/<c>@sha512:</c>) pins it; otherwise the
    /// last path segment needs a tag other than empty or <c>latest</c> (any case). A registry port (<c>host:5000/app</c>) is no tag.
    /// The policy pack's <c>images-pinned</c> rule decides the same (its <c>requireDigest</c> setting aside).
    /// </summary>
    public static string? ImageProblem(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Contains("@sha256:", StringComparison.Ordinal) || image.Contains("@sha512:", StringComparison.Ordinal))
        {
            return null;
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        if (colon < 0)
        {
            return "has no tag (defaults to 'latest'); pin a version tag or a digest";
        }

        var tag = image[(colon + 1)..];
        return tag.Length == 0 || tag.Equals("latest", StringComparison.OrdinalIgnoreCase)
            ? "uses the 'latest' tag; pin a version tag or a digest"
            : null;
    }

    /// <summary>The CEL form of <see cref="ImageProblem"/> == null for the string expression <paramref name="image"/>.</summary>
    public static string ImagePinnedCel(string image) =>
        $"({image}.matches('@sha(256|512):') || !{image}.matches('^(.*/)?[^/:]*(:|:(?i:latest))?$'))";

    /// <summary><c>images-pinned</c>: every container, init and ephemeral container image is pinned.</summary>
    public sealed class ImagesPinned : PodAdmissionRule
    {
        /// <inheritdoc />
        public override string Name => "images-pinned";

        /// <inheritdoc />
        public override string Reason => "Invalid";

        /// <inheritdoc />
        public override string Message(TenantAdmissionSpec spec) =>
            "every container image must be pinned: a version tag other than 'latest' or a digest (@sha256:...)";

        /// <inheritdoc />
        public override string Cel(TenantAdmissionSpec spec) =>
            $"variables.containers.all(c, has(c.image) && {ImagePinnedCel("c.image")}) && variables.ephemeralContainers.all(c, has(c.image) && {ImagePinnedCel("c.image")})";

        /// <inheritdoc />
        public override string? Violation(JsonObject pod, TenantAdmissionSpec spec)
        {
            foreach (var c in Containers(pod).Concat(EphemeralContainers(pod)))
            {
                var image = Text(c["image"]);
                var problem = image is null ? "has no image" : ImageProblem(image);
                if (problem is not null)
                {
                    return $"container '{Named(c)}' image '{image}' {problem}";
                }
            }

            return null;
        }
    }

    /// <summary><c>no-privileged</c>: no container sets <c>securityContext.privileged: true</c>.</summary>
    public sealed class NoPrivileged : PodAdmissionRule
    {
        private const string Predicate = "(!has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)";

        /// <inheritdoc />
        public override string Name => "no-privileged";

        /// <inheritdoc />
        public override string Message(TenantAdmissionSpec spec) => "privileged containers are not allowed in tenant namespaces";

        /// <inheritdoc />
        public override string Cel(TenantAdmissionSpec spec) =>
            $"variables.containers.all(c, {Predicate}) && variables.ephemeralContainers.all(c, {Predicate})";

        /// <inheritdoc />
        public override string? Violation(JsonObject pod, TenantAdmissionSpec spec)
        {
            var c = Containers(pod).Concat(EphemeralContainers(pod))
                .FirstOrDefault(c => c["securityContext"] is JsonObject sc && sc["privileged"] is JsonValue v && v.TryGetValue<bool>(out var p) && p);
            return c is null ? null : $"container '{Named(c)}' is privileged";
        }
    }

    /// <summary><c>no-host-path</c>: no hostPath volume.</summary>
    public sealed class NoHostPath : PodAdmissionRule
    {
        /// <inheritdoc />
        public override string Name => "no-host-path";

        /// <inheritdoc />
        public override string Message(TenantAdmissionSpec spec) => "hostPath volumes are not allowed in tenant namespaces";

        /// <inheritdoc />
        public override string Cel(TenantAdmissionSpec spec) => "!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))";

        /// <inheritdoc />
        public override string? Violation(JsonObject pod, TenantAdmissionSpec spec)
        {
            var v = Items(Spec(pod)["volumes"]).FirstOrDefault(v => v["hostPath"] is not null);
            return v is null ? null : $"volume '{Text(v["name"])}' is a hostPath volume";
        }
    }

    /// <summary><c>required-labels</c>: the pod carries every key of <see cref="TenantAdmissionSpec.RequiredLabels"/>.</summary>
    public sealed class RequiredLabels : PodAdmissionRule
    {
        /// <inheritdoc />
        public override string Name => "required-labels";

        /// <inheritdoc />
        public override string Reason => "Invalid";

        /// <inheritdoc />
        public override string Message(TenantAdmissionSpec spec) =>
            $"pods in tenant namespaces carry the labels {string.Join(", ", spec.RequiredLabels)}";

        /// <inheritdoc />
        public override string Cel(TenantAdmissionSpec spec) =>
            $"has(object.metadata.labels) && {List(spec.RequiredLabels)}.all(k, k in object.metadata.labels)";

        /// <inheritdoc />
        public override string? Violation(JsonObject pod, TenantAdmissionSpec spec)
        {
            var labels = pod["metadata"]?["labels"] as JsonObject;
            var missing = spec.RequiredLabels.Where(k => labels is null || !labels.ContainsKey(k)).ToList();
            return missing.Count == 0 ? null : $"the pod is missing the labels {string.Join(", ", missing)}";
        }
    }

    /// <summary>
    /// <c>gpu-pools</c>: a container requesting (requests or limits) <c>nvidia.com/gpu</c> or <c>nvidia.com/mig-*</c> runs only
    /// on a pool the tenant may use that offers that resource, selected by <c>nodeSelector</c> on <see cref="ResourceLabels.Pool"/>.
    /// This is also the per-pool quota: where pools share a resource name, the tenant's ResourceQuota counts it only on these pools.
    /// </summary>
    public sealed class GpuPools : PodAdmissionRule
    {
        /// <inheritdoc />
        public override string Name => "gpu-pools";

        /// <inheritdoc />
        public override string Message(TenantAdmissionSpec spec) =>
            spec.Pools.Any(p => !p.GpuResources.IsEmpty)
                ? $"GPU and MIG requests must select (nodeSelector {ResourceLabels.Pool}) a pool of tenant {spec.TenantName} that offers the resource: " +
                  string.Join("; ", spec.Pools.Where(p => !p.GpuResources.IsEmpty).Select(p => $"{p.Name} ({string.Join(", ", p.GpuResources)})"))
                : $"tenant {spec.TenantName} may use no GPU pool: pods may not request nvidia.com/gpu or nvidia.com/mig-* resources";

        /// <inheritdoc />
        public override string Cel(TenantAdmissionSpec spec)
        {
            static string Section(string s) =>
                $"(!has(c.resources.{s}) || c.resources.{s}.all(r, !(r == {Quote(GpuResources.Gpu)} || r.startsWith({Quote(MigResourcePrefix)})) || " +
                "(variables.pool in variables.poolResources && r in variables.poolResources[variables.pool])))";
            return $"variables.containers.all(c, !has(c.resources) || ({Section("requests")} && {Section("limits")}))";
        }

        /// <summary>The policy variable <c>poolResources</c>: pool name → the GPU resources it offers, for the tenant's pools.</summary>
        public static string PoolResourcesCel(TenantAdmissionSpec spec)
        {
            ArgumentNullException.ThrowIfNull(spec);
            var entries = spec.Pools.Where(p => !p.GpuResources.IsEmpty).Select(p => $"{Quote(p.Name)}: {List(p.GpuResources)}");
            return "{" + string.Join(", ", entries) + "}";
        }

        /// <inheritdoc />
        public override string? Violation(JsonObject pod, TenantAdmissionSpec spec)
        {
            var pool = Text((Spec(pod)["nodeSelector"] as JsonObject)?[ResourceLabels.Pool]) ?? string.Empty;
            var offered = spec.Pools.FirstOrDefault(p => p.Name == pool && !p.GpuResources.IsEmpty)?.GpuResources;
            foreach (var c in Containers(pod))
            {
                var resources = c["resources"] as JsonObject;
                foreach (var section in new[] { "requests", "limits" })
                {
                    foreach (var (name, _) in resources?[section] as JsonObject ?? [])
                    {
                        if (IsGpuResource(name) && (offered is null || !offered.Contains(name)))
                        {
                            return pool.Length == 0
                                ? $"container '{Named(c)}' requests {name} but the pod selects no pool ({ResourceLabels.Pool})"
                                : $"container '{Named(c)}' requests {name} on pool '{pool}', which tenant {spec.TenantName} may not use for it";
                        }
                    }
                }
            }

            return null;
        }
    }

    /// <summary>
    /// <c>tolerations</c>: a pod tolerates only the taints of the tenant's pools — <c>Equal</c> on a taint's key and value, or
    /// <c>Exists</c> on a key none of whose values is withheld (never on <see cref="DedicatedPools.TaintKey"/>, never an empty
    /// key) — plus the node-condition taints (<see cref="NodeConditionTaintPrefix"/>) the API server adds itself.
    /// </summary>
    public sealed class Tolerations : PodAdmissionRule
    {
        /// <inheritdoc />
        public override string Name => "tolerations";

        /// <summary>The <c>key=value</c> pairs a toleration with operator <c>Equal</c> may name.</summary>
        public static ImmutableSortedSet<string> Pairs(TenantAdmissionSpec spec) =>
            spec.Pools.SelectMany(p => p.Taints).Select(t => $"{t.Key}={t.Value}").ToImmutableSortedSet(StringComparer.Ordinal);

        /// <summary>The keys a toleration with operator <c>Exists</c> may name: the tenant's pools' taint keys except the dedicated key.</summary>
        public static ImmutableSortedSet<string> ExistsKeys(TenantAdmissionSpec spec) =>
            spec.Pools.SelectMany(p => p.Taints).Select(t => t.Key).Where(k => k != DedicatedPools.TaintKey).ToImmutableSortedSet(StringComparer.Ordinal);

        /// <inheritdoc />
        public override string Message(TenantAdmissionSpec spec) =>
            $"tolerations are limited to the taints of tenant {spec.TenantName}'s pools: " +
            (Pairs(spec).IsEmpty ? "none" : string.Join(", ", Pairs(spec))) +
            $" (operator Exists only on {(ExistsKeys(spec).IsEmpty ? "no key" : string.Join(", ", ExistsKeys(spec)))}) and {NodeConditionTaintPrefix}*";

        /// <inheritdoc />
        public override string Cel(TenantAdmissionSpec spec)
        {
            var exists = $"t.key in {List(ExistsKeys(spec))}";
            var equal = $"(t.key + '=' + (has(t.value) ? t.value : '')) in {List(Pairs(spec))}";
            return "!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && " +
                   $"(t.key.startsWith({Quote(NodeConditionTaintPrefix)}) || ((has(t.operator) && t.operator == 'Exists') ? {exists} : {equal})))";
        }

        /// <inheritdoc />
        public override string? Violation(JsonObject pod, TenantAdmissionSpec spec)
        {
            var pairs = Pairs(spec);
            var exists = ExistsKeys(spec);
            foreach (var t in Items(Spec(pod)["tolerations"]))
            {
                var key = Text(t["key"]);
                var op = Text(t["operator"]) ?? "Equal";
                var value = Text(t["value"]) ?? string.Empty;
                var ok = key is not null && (key.StartsWith(NodeConditionTaintPrefix, StringComparison.Ordinal) ||
                    (op == "Exists" ? exists.Contains(key) : pairs.Contains($"{key}={value}")));
                if (!ok)
                {
                    return string.IsNullOrEmpty(key)
                        ? "a toleration without a key tolerates every taint"
                        : string.Create(CultureInfo.InvariantCulture, $"the toleration {key} {op} {(op == "Exists" ? string.Empty : value)} is for no pool tenant {spec.TenantName} may use").Replace("  ", " ", StringComparison.Ordinal);
                }
            }

            return null;
        }
    }

    /// <summary>Every violation of <paramref name="pod"/> as (rule, reason): the C# evaluation of the whole policy.</summary>
    public static ImmutableArray<(string Rule, string Reason)> Evaluate(JsonObject pod, TenantAdmissionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(spec);
        var result = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (var rule in All)
        {
            if (rule.Violation(pod, spec) is { } reason)
            {
                result.Add((rule.Name, reason));
            }
        }

        return result.ToImmutable();
    }
}
