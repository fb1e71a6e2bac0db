using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// Reads plain Kubernetes manifests (apiVersion/kind/metadata/spec, as JSON objects) into inventory items: pod-creating
/// workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod), PersistentVolumeClaims, StorageClasses,
/// Namespaces, NetworkPolicies, Roles + RoleBindings of groups, and KEDA ScaledObjects (whose min/max become the target's
/// replica range). Nodes and node groups are not Kubernetes objects the program registers; pools come from the config
/// inventory (<see cref="Merge"/>).
/// </summary>
public static class ManifestInventory
{
    /// <summary>The inventory items of <paramref name="objects"/> on <paramref name="cluster"/>.</summary>
    /// <exception cref="FormatException">An object lacks a field the check needs (message names the object and field).</exception>
    public static PlatformInventory FromKubernetesObjects(string cluster, IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var list = objects.ToList();
        var scaled = list.Where(o => Kind(o) == "ScaledObject").ToList();
        var roles = list.Where(o => Kind(o) == "Role").ToDictionary(o => (Ns(o), Name(o)), o => o);
        var workloads = ImmutableArray.CreateBuilder<PlatformWorkload>();
        var claims = ImmutableArray.CreateBuilder<PlatformClaim>();
        var classes = ImmutableArray.CreateBuilder<PlatformStorageClass>();
        var namespaces = ImmutableArray.CreateBuilder<PlatformNamespace>();
        var policies = ImmutableArray.CreateBuilder<PlatformNetworkPolicy>();
        var bindings = ImmutableArray.CreateBuilder<PlatformRoleBinding>();
        var scalers = ImmutableArray.CreateBuilder<PlatformScaler>();
        foreach (var o in list)
        {
            var kind = Kind(o);
            var ns = Ns(o);
            var name = Name(o);
            var spec = o["spec"] as JsonObject;
            switch (kind)
            {
                case "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "CronJob" or "Pod":
                    var template = kind switch
                    {
                        "Pod" => o,
                        "CronJob" => spec?["jobTemplate"]?["spec"]?["template"] as JsonObject,
                        _ => spec?["template"] as JsonObject,
                    } ?? throw new FormatException($"{kind} {ns}/{name}: no pod template (spec.template)");
                    var pod = template["spec"] as JsonObject ?? throw new FormatException($"{kind} {ns}/{name}: no pod spec");
                    var replicas = kind is "DaemonSet" or "Job" or "CronJob" or "Pod" ? 1 : spec?["replicas"] is JsonValue r ? r.GetValue<int>() : 1;
                    var (min, max) = (replicas, replicas);
                    var so = scaled.FirstOrDefault(s => Ns(s) == ns && S(s["spec"]?["scaleTargetRef"]?["name"]) == name);
                    if (so is not null)
                    {
                        min = I(so["spec"]?["minReplicaCount"]) ?? 0;
                        max = I(so["spec"]?["maxReplicaCount"]) ?? 100;
                    }

                    var templates = kind == "StatefulSet" && spec?["volumeClaimTemplates"] is JsonArray vcts
                        ? vcts.Select(v => S(v?["spec"]?["storageClassName"])).ToImmutableArray()
                        : [];
                    workloads.Add(new PlatformWorkload(cluster, kind, ns, name, "stack", Map(template["metadata"]?["labels"]), Map(pod["nodeSelector"]),
                        NodeAffinity(pod), Tolerations(pod), PodRequests(pod, $"{kind} {ns}/{name}"), min, max, templates));
                    break;
                case "PersistentVolumeClaim":
                    claims.Add(new PlatformClaim(cluster, ns, name, S(spec?["storageClassName"])));
                    break;
                case "StorageClass":
                    classes.Add(new PlatformStorageClass(cluster, name, S(o["metadata"]?["annotations"]?["storageclass.kubernetes.io/is-default-class"]) == "true", StorageClassOrigin.Created, S(o["provisioner"])));
                    break;
                case "Namespace":
                    namespaces.Add(PlatformNamespace.Of(cluster, name, Map(o["metadata"]?["labels"])));
                    break;
                case "NetworkPolicy":
                    policies.Add(Policy(cluster, ns, name, spec ?? []));
                    break;
                case "RoleBinding":
                    var roleRef = o["roleRef"] as JsonObject;
                    if (S(roleRef?["kind"]) == "Role")
                    {
                        var groups = Arr(o["subjects"]).Where(x => S(x?["kind"]) == "Group").Select(x => S(x?["name"]) ?? string.Empty).ToImmutableArray();
                        var rules = roles.TryGetValue((ns, S(roleRef?["name"]) ?? string.Empty), out var role) ? Rules(role) : [];
                        bindings.Add(new PlatformRoleBinding(cluster, ns, name, groups, rules));
                    }

                    break;
                case "ScaledObject":
                    var trigger = (spec?["triggers"] as JsonArray)?.FirstOrDefault() as JsonObject;
                    var meta = trigger?["metadata"] as JsonObject;
                    scalers.Add(new PlatformScaler(cluster, ns, S(spec?["scaleTargetRef"]?["name"]) ?? name, S(trigger?["metricType"]) ?? "AverageValue",
                        Number(meta?["threshold"]), Number(meta?["activationThreshold"]), I(spec?["minReplicaCount"]) ?? 0, I(spec?["maxReplicaCount"]) ?? 100,
                        I(spec?["fallback"]?["replicas"]) ?? 0, null, 0, 0, 0, 0, false, null)
                    {
                        AveragedMetric = ConfigInventory.AveragedQuery(S(meta?["query"]) ?? string.Empty),
                        Metric = ConfigInventory.MetricOf(S(meta?["query"]) ?? string.Empty),
                    });
                    break;
            }
        }

        return PlatformInventory.Empty with
        {
            Workloads = workloads.ToImmutable(),
            Claims = claims.ToImmutable(),
            StorageClasses = classes.ToImmutable(),
            Namespaces = namespaces.ToImmutable(),
            NetworkPolicies = policies.ToImmutable(),
            Bindings = bindings.ToImmutable(),
            Scalers = scalers.ToImmutable(),
        };
    }

    /// <summary>
    /// The config inventory with what the program registered in place of the config's own view of the stack's objects:
    /// its workloads (source <c>stack</c>), claims, created StorageClasses, namespaces, NetworkPolicies and bindings come
    /// from <paramref name="registered"/>; pools, chart workloads (charts render in the provider, not in the program),
    /// declared StorageClasses, flows and scalers' serving figures stay from <paramref name="config"/>.
    /// </summary>
    public static PlatformInventory Merge(PlatformInventory config, PlatformInventory registered)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(registered);
        var namespaces = registered.Namespaces.Concat(config.Namespaces.Where(n => !registered.Namespaces.Any(r => r.Cluster == n.Cluster && r.Name == n.Name)));
        return config with
        {
            Workloads = [.. config.Workloads.Where(w => w.Source != "stack"), .. registered.Workloads],
            Claims = [.. config.Claims.Where(c => c.Name == "model bucket claim"), .. registered.Claims],
            StorageClasses = [.. config.StorageClasses.Where(s => s.Origin == StorageClassOrigin.Declared), .. registered.StorageClasses],
            Namespaces = [.. namespaces],
            NetworkPolicies = registered.NetworkPolicies,
            Bindings = registered.Bindings,
        };
    }

    private static JsonArray Arr(JsonNode? n) => (n as JsonArray) ?? [];

    private static string? S(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToString();

    private static int? I(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    private static string Kind(JsonObject o) => S(o["kind"]) ?? throw new FormatException("an object has no kind");

    private static string Name(JsonObject o) => S(o["metadata"]?["name"]) ?? throw new FormatException($"a {Kind(o)} has no metadata.name");

    private static string Ns(JsonObject o) => S(o["metadata"]?["namespace"]) ?? "default";

    private static double Number(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => 0,
    };

    private static ImmutableSortedDictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject o
            ? o.Where(kv => kv.Value is JsonValue).ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal)
            : ImmutableSortedDictionary<string, string>.Empty;

    private static ImmutableArray<ImmutableArray<SelectorRequirement>> NodeAffinity(JsonObject pod)
    {
        var terms = pod["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"] as JsonArray;
        return terms is null ? [] : [.. terms.Select(t => Requirements(t?["matchExpressions"]))];
    }

    private static ImmutableArray<SelectorRequirement> Requirements(JsonNode? node) =>
        node is JsonArray a
            ? [.. a.Select(e => new SelectorRequirement((string)e!["key"]!, (string)e["operator"]!, [.. Arr(e["values"]).Select(v => v!.ToString())]))]
            : [];

    private static ImmutableArray<PlatformToleration> Tolerations(JsonObject pod) =>
        pod["tolerations"] is JsonArray a
            ? [.. a.Select(t => new PlatformToleration(S(t?["key"]), S(t?["operator"]) ?? "Equal", S(t?["value"]), ParseEffect(S(t?["effect"]))))]
            : [];

    private static TaintEffect? ParseEffect(string? effect) =>
        string.IsNullOrEmpty(effect) ? null : Enum.TryParse<TaintEffect>(effect, out var e) ? e : throw new FormatException($"toleration effect \"{effect}\" is not NoSchedule, PreferNoSchedule or NoExecute");

    private static ImmutableSortedDictionary<string, long> PodRequests(JsonObject pod, string what)
    {
        static Dictionary<string, long> Of(JsonNode? container, string what)
        {
            var resources = container?["resources"];
            var requests = resources?["requests"] as JsonObject;
            var limits = resources?["limits"] as JsonObject;
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var source in new[] { limits, requests })
            {
                foreach (var (k, v) in source ?? [])
                {
                    // A limit without a request defaults the request to the limit (API defaulting); a request wins.
                    result[k] = Quantities.TryParse(v?.ToString(), out _) ? Quantities.Parse(k, v!.ToString()) : throw new FormatException($"{what}: resources.{k} \"{v}\" is not a Kubernetes quantity");
                }
            }

            return result;
        }

        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in Arr(pod["containers"]))
        {
            foreach (var (k, v) in Of(c, what))
            {
                total[k] = total.GetValueOrDefault(k) + v;
            }
        }

        foreach (var c in Arr(pod["initContainers"]))
        {
            foreach (var (k, v) in Of(c, what))
            {
                total[k] = Math.Max(total.GetValueOrDefault(k), v);
            }
        }

        return total.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    private static PlatformNetworkPolicy Policy(string cluster, string ns, string name, JsonObject spec)
    {
        var types = (spec["policyTypes"] as JsonArray)?.Select(t => t!.ToString()).ToList();
        var ingress = spec["ingress"] as JsonArray;
        var egress = spec["egress"] as JsonArray;
        types ??= egress is not null ? ["Ingress", "Egress"] : ["Ingress"];
        return new PlatformNetworkPolicy(cluster, ns, name, Selector(spec["podSelector"]) ?? LabelSelector.All, types.Contains("Ingress"), types.Contains("Egress"),
            [.. (ingress ?? []).Select(r => Rule(r, "from"))], [.. (egress ?? []).Select(r => Rule(r, "to"))]);
    }

    private static NetworkPolicyRule Rule(JsonNode? rule, string peers) => new(
        [.. Arr(rule?[peers]).Select(p => p?["ipBlock"] is JsonObject block
            ? new NetworkPeer(null, null, new IpBlockPeer((string)block["cidr"]!, [.. Arr(block["except"]).Select(e => e!.ToString())]))
            : new NetworkPeer(Selector(p?["podSelector"]), Selector(p?["namespaceSelector"]), null))],
        [.. Arr(rule?["ports"]).Select(p =>
        {
            var port = p?["port"] as JsonValue;
            int? number = port is not null && port.TryGetValue<int>(out var n) ? n : null;
            string? named = port is not null && port.TryGetValue<string>(out var s) ? s : null;
            if (named is not null && int.TryParse(named, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                (number, named) = (parsed, null);
            }

            return new NetworkPolicyPort(S(p?["protocol"]) ?? "TCP", number, named, I(p?["endPort"]));
        })]);

    private static LabelSelector? Selector(JsonNode? node) =>
        node is JsonObject o ? new LabelSelector(Map(o["matchLabels"]), Requirements(o["matchExpressions"])) : null;

    private static ImmutableArray<RbacRule> Rules(JsonObject role) =>
        [.. Arr(role["rules"]).Select(r => new RbacRule(
            [.. Arr(r?["apiGroups"]).Select(x => x!.ToString())],
            [.. Arr(r?["resources"]).Select(x => x!.ToString())],
            [.. Arr(r?["verbs"]).Select(x => x!.ToString())]))];
}
