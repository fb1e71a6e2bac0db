using System.Collections.Immutable;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>Pod Security Standards level enforced on a tenant namespace.</summary>
public enum PodSecurityLevel
{
    /// <summary><c>baseline</c>: blocks known privilege escalations; allows root containers (many model images need it).</summary>
    Baseline,

    /// <summary><c>restricted</c>: non-root, no privilege escalation, capabilities dropped, seccomp RuntimeDefault.</summary>
    Restricted,
}

/// <summary>Traffic direction of a NetworkPolicy.</summary>
public enum PolicyDirection
{
    /// <summary>Ingress.</summary>
    Ingress,

    /// <summary>Egress.</summary>
    Egress,
}

/// <summary>A peer of a NetworkPolicy rule: pods (by namespace and pod labels) or an IP block.</summary>
/// <param name="NamespaceLabels">Namespace selector labels; null = the policy's own namespace; empty = every namespace.</param>
/// <param name="PodLabels">Pod selector labels; null = every pod of the selected namespaces.</param>
/// <param name="Cidr">An IP block instead of pods, or null.</param>
public sealed record PolicyPeer(
    ImmutableSortedDictionary<string, string>? NamespaceLabels,
    ImmutableSortedDictionary<string, string>? PodLabels,
    string? Cidr);

/// <summary>A port of a NetworkPolicy rule.</summary>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="Port">Port number.</param>
public sealed record PolicyPort(string Protocol, int Port);

/// <summary>One ingress or egress rule: the peers and ports it allows (empty ports: all ports).</summary>
public sealed record PolicyRule(ImmutableArray<PolicyPeer> Peers, ImmutableArray<PolicyPort> Ports);

/// <summary>A NetworkPolicy of a tenant namespace.</summary>
/// <param name="Name">Policy name in the namespace.</param>
/// <param name="PolicyTypes">The directions the policy governs.</param>
/// <param name="Ingress">Allowed ingress (empty with Ingress in <paramref name="PolicyTypes"/>: deny).</param>
/// <param name="Egress">Allowed egress (empty with Egress in <paramref name="PolicyTypes"/>: deny).</param>
public sealed record NetworkPolicyShape(string Name, ImmutableArray<PolicyDirection> PolicyTypes, ImmutableArray<PolicyRule> Ingress, ImmutableArray<PolicyRule> Egress);

/// <summary>An RBAC rule of the tenant's Role.</summary>
public sealed record RbacRule(ImmutableArray<string> ApiGroups, ImmutableArray<string> Resources, ImmutableArray<string> Verbs);

/// <summary>The on-cluster model store (e.g. Rook-Ceph RGW) a tenant's pods may reach.</summary>
/// <param name="Namespace">Namespace of the store's pods.</param>
/// <param name="PodLabels">Labels of the store's pods (e.g. <c>app: rook-ceph-rgw</c>).</param>
/// <param name="Port">The pods' port (RGW pods listen on 8080 behind Service port 80).</param>
public sealed record ModelStoreService(string Namespace, ImmutableSortedDictionary<string, string> PodLabels, int Port);

/// <summary>A shared service on the cluster a tenant declares it uses (today: the vector DB), reached on its ports.</summary>
/// <param name="Name">Short name, used in the policy name (<c>allow-{Name}</c>).</param>
/// <param name="Namespace">Namespace of the service's pods.</param>
/// <param name="PodLabels">Labels of the service's pods.</param>
/// <param name="Ports">TCP ports of the pods.</param>
public sealed record SharedServiceTarget(string Name, string Namespace, ImmutableSortedDictionary<string, string> PodLabels, ImmutableArray<int> Ports);

/// <summary>A tenant's quota.</summary>
/// <param name="GpuResources">Extended GPU resources → count (nvidia.com/gpu, nvidia.com/mig-1g.10gb, …).</param>
/// <param name="CpuRequests">CPU requests quota (quantity), e.g. 64.</param>
/// <param name="CpuLimits">CPU limits quota, or null for none.</param>
/// <param name="MemoryRequests">Memory requests quota, e.g. 256Gi.</param>
/// <param name="MemoryLimits">Memory limits quota, or null for none.</param>
/// <param name="PersistentVolumeClaims">Maximum PVCs.</param>
/// <param name="LoadBalancers">Maximum Services of type LoadBalancer (default 0: traffic enters through the ingress controller).</param>
public sealed record TenantQuotaSettings(
    ImmutableSortedDictionary<string, int> GpuResources,
    string CpuRequests,
    string? CpuLimits,
    string MemoryRequests,
    string? MemoryLimits,
    int PersistentVolumeClaims,
    int LoadBalancers);

/// <summary>
/// The decisions of a tenant namespace (<see cref="TenantPlanner.Plan"/> of a valid <see cref="TenantSpec"/>): labels,
/// quota, limit range, network policies and RBAC rules. Plain data, tested without Pulumi.
/// </summary>
/// <param name="Name">Tenant (namespace) name.</param>
/// <param name="Group">Identity-provider group bound to the tenant's Role.</param>
/// <param name="Environment">Environment (label).</param>
/// <param name="CostCenter">Cost center (label).</param>
/// <param name="PodSecurity">Pod Security Standards level enforced.</param>
/// <param name="Quota">The quota.</param>
/// <param name="ClusterGpuCapacity">The cluster's GPU resources (e.g. from the capacity planner at the pools' maximum), or null to skip the capacity check.</param>
/// <param name="IngressNamespaces">Namespaces whose pods may reach the tenant (ingress controller, serving gateway, Prometheus).</param>
/// <param name="ModelStore">On-cluster model store the tenant may reach, or null.</param>
/// <param name="ModelStoreCidrs">CIDRs of an off-cluster model store (e.g. an S3 VPC endpoint's addresses), reached on 443.</param>
/// <param name="KubeApiCidrs">CIDRs of the Kubernetes API endpoints the tenant's pods may call, or empty for none.</param>
public sealed record TenantPlan(
    string Name,
    string Group,
    string Environment,
    string CostCenter,
    PodSecurityLevel PodSecurity,
    TenantQuotaSettings Quota,
    IReadOnlyDictionary<string, int>? ClusterGpuCapacity,
    ImmutableArray<string> IngressNamespaces,
    ModelStoreService? ModelStore,
    ImmutableArray<string> ModelStoreCidrs,
    ImmutableArray<string> KubeApiCidrs)
{
    /// <summary>The paths config declares (<c>tenants[].allowFrom</c>, <c>tenants[].uses</c>); none by default.</summary>
    public TenantPaths Paths { get; init; } = TenantPaths.None;

    /// <summary>
    /// Whether the tenant gets <see cref="ModelBucketEgressPolicy"/>: egress to the AWS model bucket's S3 address ranges
    /// on TCP 443 (the ranges are deploy-time data, <c>TenantArgs.ModelBucketEgressCidrs</c>).
    /// </summary>
    public bool ModelBucketEgress { get; init; }

    /// <summary>The inference gateway's peers admitted on the serving ports (policy <see cref="TenantGatewayIngress.PolicyName"/>), or null.</summary>
    public TenantGatewayIngress? Gateway { get; init; }

    /// <summary>The tenant's ValidatingAdmissionPolicy and binding, or null: none (<see cref="TenantSpec.AdmissionPools"/> not given).</summary>
    public TenantAdmissionPlan? Admission { get; init; }

    /// <summary>The owner's extra labels (added to every object, never overriding the library's keys).</summary>
    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Name of the NetworkPolicy that opens egress to the AWS model bucket (S3 address ranges, TCP 443).</summary>
    public const string ModelBucketEgressPolicy = "allow-model-bucket-egress";

    /// <summary>The port the model bucket egress opens (HTTPS to S3).</summary>
    public const int ModelBucketEgressPort = 443;

    /// <summary>The namespace label every namespace carries with its own name (Kubernetes ≥ 1.22).</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The full verb set granted on workload resources.</summary>
    public static readonly ImmutableArray<string> EditVerbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>Read-only verbs.</summary>
    public static readonly ImmutableArray<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>GPU resource names a quota may name: <c>nvidia.com/gpu</c> and every MIG profile of the catalog.</summary>
    public static ImmutableSortedSet<string> KnownGpuResources { get; } =
        [.. HardwareCatalog.Default.Gpus.SelectMany(g => g.MigProfiles).Select(p => p.MixedResourceName).Append(GpuResources.Gpu)];

    /// <summary>Labels of every tenant-scoped object (cost attribution with the tenant).</summary>
    public ImmutableSortedDictionary<string, string> Labels(string component) =>
        Tags.SetItems(ResourceLabels.For("tenant", Name, component, Environment, CostCenter, Name));

    /// <summary>Namespace labels: cost attribution plus Pod Security Standards (enforce the level, warn and audit at restricted).</summary>
    public ImmutableSortedDictionary<string, string> NamespaceLabels()
    {
        var level = PodSecurity == PodSecurityLevel.Restricted ? "restricted" : "baseline";
        var labels = Labels("namespace").ToBuilder();
        labels["pod-security.kubernetes.io/enforce"] = level;
        labels["pod-security.kubernetes.io/enforce-version"] = "latest";
        labels["pod-security.kubernetes.io/warn"] = "restricted";
        labels["pod-security.kubernetes.io/audit"] = "restricted";
        return labels.ToImmutable();
    }

    /// <summary>
    /// The ResourceQuota's <c>hard</c> map. Extended resources (GPUs, MIG slices) can only be limited by
    /// <c>requests.&lt;resource&gt;</c>; LoadBalancer and NodePort Services are capped so traffic enters through the ingress path.
    /// </summary>
    public ImmutableSortedDictionary<string, string> QuotaHard()
    {
        var hard = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (resource, count) in Quota.GpuResources)
        {
            hard[$"requests.{resource}"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        hard["requests.cpu"] = Quota.CpuRequests;
        hard["requests.memory"] = Quota.MemoryRequests;
        if (Quota.CpuLimits is not null)
        {
            hard["limits.cpu"] = Quota.CpuLimits;
        }

        if (Quota.MemoryLimits is not null)
        {
            hard["limits.memory"] = Quota.MemoryLimits;
        }

        hard["persistentvolumeclaims"] = Quota.PersistentVolumeClaims.ToString(System.Globalization.CultureInfo.InvariantCulture);
        hard["services.loadbalancers"] = Quota.LoadBalancers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        hard["services.nodeports"] = "0";
        return hard.ToImmutable();
    }

    /// <summary>Default container requests of the LimitRange (so pods without requests count against the quota sensibly).</summary>
    public static ImmutableSortedDictionary<string, string> DefaultRequests { get; } =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("cpu", "100m"), new("memory", "256Mi")]);

    /// <summary>Default container limits of the LimitRange.</summary>
    public static ImmutableSortedDictionary<string, string> DefaultLimits { get; } =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("cpu", "2"), new("memory", "4Gi")]);

    /// <summary>The tenant's NetworkPolicies: default deny first, then each allowance.</summary>
    public ImmutableArray<NetworkPolicyShape> NetworkPolicies()
    {
        var policies = ImmutableArray.CreateBuilder<NetworkPolicyShape>();
        policies.Add(new("default-deny", [PolicyDirection.Ingress, PolicyDirection.Egress], [], []));
        var kubeSystem = Labels1(NamespaceNameLabel, "kube-system");
        policies.Add(new(
            "allow-dns",
            [PolicyDirection.Egress],
            [],
            [new([new(kubeSystem, Labels1("k8s-app", "kube-dns"), null)], [new("UDP", 53), new("TCP", 53)])]));
        var sameNamespace = new PolicyPeer(null, ImmutableSortedDictionary<string, string>.Empty, null);
        policies.Add(new(
            "allow-same-namespace",
            [PolicyDirection.Ingress, PolicyDirection.Egress],
            [new([sameNamespace], [])],
            [new([sameNamespace], [])]));
        if (IngressNamespaces.Length > 0)
        {
            policies.Add(new(
                "allow-ingress-namespaces",
                [PolicyDirection.Ingress],
                [new([.. IngressNamespaces.Select(ns => new PolicyPeer(Labels1(NamespaceNameLabel, ns), null, null))], [])],
                []));
        }

        if (Gateway is { } gateway)
        {
            // The gateway's Envoy pods (and a remote gateway's addresses over the private link), on the serving ports only.
            policies.Add(new(
                TenantGatewayIngress.PolicyName,
                [PolicyDirection.Ingress],
                [new(gateway.Peers(), [.. gateway.Ports.Select(p => new PolicyPort("TCP", p))])],
                []));
        }

        if (Paths.AllowFromNamespaces.Length > 0 || Paths.AllowFromCidrs.Length > 0)
        {
            // Declared clients only: the namespaces by their name label, addresses outside the pod network by ipBlock.
            policies.Add(new(
                "allow-from-declared",
                [PolicyDirection.Ingress],
                [new([.. Paths.AllowFromNamespaces.Select(ns => new PolicyPeer(Labels1(NamespaceNameLabel, ns), null, null)), .. Paths.AllowFromCidrs.Select(c => new PolicyPeer(null, null, c))], [])],
                []));
        }

        if (Paths.AllowToNamespaces.Length > 0)
        {
            // The other end of a tenant that names this one in its allowFrom: a flow needs the source's egress too.
            policies.Add(new(
                "allow-to-declared",
                [PolicyDirection.Egress],
                [],
                [new([.. Paths.AllowToNamespaces.Select(ns => new PolicyPeer(Labels1(NamespaceNameLabel, ns), null, null))], [])]));
        }

        foreach (var use in Paths.Uses)
        {
            policies.Add(new(
                $"allow-{use.Name}",
                [PolicyDirection.Egress],
                [],
                [new([new(Labels1(NamespaceNameLabel, use.Namespace), use.PodLabels, null)], [.. use.Ports.Select(p => new PolicyPort("TCP", p))])]));
        }

        if (ModelStore is not null || ModelStoreCidrs.Length > 0)
        {
            var rules = ImmutableArray.CreateBuilder<PolicyRule>();
            if (ModelStore is not null)
            {
                rules.Add(new([new(Labels1(NamespaceNameLabel, ModelStore.Namespace), ModelStore.PodLabels, null)], [new("TCP", ModelStore.Port)]));
            }

            if (ModelStoreCidrs.Length > 0)
            {
                rules.Add(new([.. ModelStoreCidrs.Select(c => new PolicyPeer(null, null, c))], [new("TCP", 443)]));
            }

            policies.Add(new("allow-model-store", [PolicyDirection.Egress], [], rules.ToImmutable()));
        }

        if (KubeApiCidrs.Length > 0)
        {
            policies.Add(new(
                "allow-kube-api",
                [PolicyDirection.Egress],
                [],
                [new([.. KubeApiCidrs.Select(c => new PolicyPeer(null, null, c))], [new("TCP", 443), new("TCP", 6443)])]));
        }

        return policies.ToImmutable();
    }

    /// <summary>
    /// The tenant Role's rules: like the built-in <c>edit</c> role within the namespace, except that Secrets cannot be
    /// listed or watched (a leaked tenant token cannot enumerate every credential), NetworkPolicies, quotas and limit
    /// ranges are read-only (a tenant must not lift its own isolation or quota), and there is no <c>pods/exec</c>.
    /// </summary>
    public static ImmutableArray<RbacRule> RoleRules() =>
    [
        new([""], ["pods", "services", "configmaps", "persistentvolumeclaims", "serviceaccounts"], EditVerbs),
        new([""], ["secrets"], ["get", "create", "update", "patch", "delete"]),
        new([""], ["pods/log", "events", "endpoints", "resourcequotas", "limitranges"], ReadVerbs),
        new(["apps"], ["deployments", "statefulsets", "daemonsets", "replicasets"], EditVerbs),
        new(["batch"], ["jobs", "cronjobs"], EditVerbs),
        new(["autoscaling"], ["horizontalpodautoscalers"], EditVerbs),
        new(["policy"], ["poddisruptionbudgets"], EditVerbs),
        new(["networking.k8s.io"], ["ingresses"], EditVerbs),
        new(["networking.k8s.io"], ["networkpolicies"], ReadVerbs),
        new(["keda.sh"], ["scaledobjects", "scaledjobs", "triggerauthentications"], EditVerbs),
    ];

    /// <summary>What enforces the NetworkPolicies: a CNI that implements them.</summary>
    public const string NetworkPolicyRequirement =
        "NetworkPolicies are enforced only by a CNI that implements them (Calico, Cilium, …); on EKS enable the VPC CNI network policy agent (vpc-cni addon configuration enableNetworkPolicy: \"true\").";

    internal static ImmutableSortedDictionary<string, string> Labels1(string key, string value) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(key, value)]);
}
