using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// What a platform is made of, in neutral (Pulumi-free, Kubernetes-shaped) terms: the input of <see cref="PlatformCheck"/>.
/// Built from plain Kubernetes manifests (<see cref="ManifestInventory"/>, what the program registers) or from the bound
/// configuration (<see cref="ConfigInventory"/>, what <c>neocloud plan</c> knows).
/// </summary>
/// <param name="Clusters">The clusters.</param>
/// <param name="Pools">Node pools (one node shape each, with a node count range).</param>
/// <param name="Workloads">Every pod-creating workload (ours and each chart's own controllers and daemons).</param>
/// <param name="Claims">Persistent volume claims and volumeClaimTemplates.</param>
/// <param name="StorageClasses">StorageClasses the clusters have (created by the stack or declared pre-existing).</param>
/// <param name="Namespaces">Namespaces with their labels.</param>
/// <param name="NetworkPolicies">NetworkPolicies.</param>
/// <param name="Bindings">Role bindings of groups (namespaced Roles), for the credentials flows.</param>
/// <param name="Flows">Declared flows, intended (must be open) and unintended (must stay closed).</param>
/// <param name="Scalers">KEDA ScaledObjects with the serving figures the simulator needs.</param>
/// <param name="ModelFits">Model memory against the GPU memory of one replica (Core's <see cref="Serving.ModelFit"/>), where the size is stated.</param>
/// <param name="Accesses">Declared API access checks (a tenant's group reading another tenant's Secrets must be denied).</param>
public sealed record PlatformInventory(
    ImmutableArray<PlatformCluster> Clusters,
    ImmutableArray<PlatformPool> Pools,
    ImmutableArray<PlatformWorkload> Workloads,
    ImmutableArray<PlatformClaim> Claims,
    ImmutableArray<PlatformStorageClass> StorageClasses,
    ImmutableArray<PlatformNamespace> Namespaces,
    ImmutableArray<PlatformNetworkPolicy> NetworkPolicies,
    ImmutableArray<PlatformRoleBinding> Bindings,
    ImmutableArray<PlatformFlow> Flows,
    ImmutableArray<PlatformScaler> Scalers,
    ImmutableArray<Serving.ModelFit> ModelFits,
    ImmutableArray<PlatformAccess> Accesses)
{
    /// <summary>An inventory with nothing in it; add what a test needs with <c>with</c>.</summary>
    public static PlatformInventory Empty { get; } = new([], [], [], [], [], [], [], [], [], [], [], []);

    /// <summary>The tenant admission policies in force (one per tenant namespace per cluster); none by default.</summary>
    public ImmutableArray<PlatformAdmission> Admissions { get; init; } = [];
}

/// <summary>A tenant namespace's admission policy (<see cref="Tenancy.TenantAdmissionPlanner"/>) on a cluster.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Spec">What the policy admits; it binds the namespace <see cref="Tenancy.TenantAdmissionSpec.TenantName"/>.</param>
public sealed record PlatformAdmission(string Cluster, Tenancy.TenantAdmissionSpec Spec);

/// <summary>A cluster of the platform.</summary>
/// <param name="Name">Cluster name.</param>
/// <param name="Managed">True when the stack creates the cluster and all its nodes (EKS): nothing else runs system pods.
/// False for an existing cluster (on-prem) whose other nodes (control plane, system nodes) the config does not describe.</param>
/// <param name="NodeAutoscaler">True when something adds nodes to pools below their maximum (a node autoscaler).</param>
/// <param name="NodeProvisioningSeconds">How long a new node takes to become ready when the autoscaler adds one.</param>
public sealed record PlatformCluster(string Name, bool Managed, bool NodeAutoscaler, int NodeProvisioningSeconds = 300);

/// <summary>A node pool: identical nodes, from <paramref name="MinNodes"/> to <paramref name="MaxNodes"/>.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Name">Pool name.</param>
/// <param name="MinNodes">Nodes at minimum size.</param>
/// <param name="DesiredNodes">Nodes the pool has when nothing resizes it (EKS desiredSize; on-prem the node count).</param>
/// <param name="MaxNodes">Nodes at maximum size.</param>
/// <param name="Labels">Labels of every node.</param>
/// <param name="Taints">Taints of every node.</param>
/// <param name="Allocatable">Allocatable resources of one node (cpu in millicores, memory and ephemeral-storage in bytes,
/// pods, extended resources), after the system reserve; see <see cref="NodeAllocatable"/>.</param>
/// <param name="Shape">Where the node shape comes from (e.g. "p5.48xlarge, catalog").</param>
/// <param name="CpuMemoryKnown">False when only the GPU resources of a node are known (on-prem nodes: config states no
/// CPU or memory); CPU, memory and ephemeral storage are then not checked.</param>
public sealed record PlatformPool(
    string Cluster,
    string Name,
    int MinNodes,
    int DesiredNodes,
    int MaxNodes,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<NodeTaint> Taints,
    ImmutableSortedDictionary<string, long> Allocatable,
    string Shape,
    bool CpuMemoryKnown = true);

/// <summary>A pod toleration with Kubernetes semantics (empty key with Exists tolerates every taint; no effect = every effect).</summary>
/// <param name="Key">Taint key, or null/empty for every key (Exists only).</param>
/// <param name="Operator"><c>Exists</c> or <c>Equal</c> (default).</param>
/// <param name="Value">Value compared by <c>Equal</c>.</param>
/// <param name="Effect">Effect tolerated, or null for every effect.</param>
public sealed record PlatformToleration(string? Key, string Operator, string? Value, TaintEffect? Effect)
{
    /// <summary>Whether this toleration tolerates <paramref name="taint"/> (k8s.io/api core/v1 toleration.go ToleratesTaint).</summary>
    public bool Tolerates(NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        if (Effect is { } e && e != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Key) && Key != taint.Key)
        {
            return false;
        }

        return Operator switch
        {
            "Exists" => true,
            "Equal" or "" => (Value ?? string.Empty) == (taint.Value ?? string.Empty),
            _ => false,
        };
    }

    /// <summary>The toleration of a <see cref="PodToleration"/> (Core's pool planner shape).</summary>
    public static PlatformToleration From(PodToleration t) => new(t.Key, t.Operator, t.Value, t.Effect);
}

/// <summary>One requirement of a node selector term or label selector expression.</summary>
/// <param name="Key">Label key.</param>
/// <param name="Operator">In, NotIn, Exists, DoesNotExist (and Gt, Lt for node selectors).</param>
/// <param name="Values">Values for In/NotIn/Gt/Lt.</param>
public sealed record SelectorRequirement(string Key, string Operator, ImmutableArray<string> Values)
{
    /// <summary>Whether <paramref name="labels"/> satisfies the requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "In" => has && Values.Contains(value!),
            "NotIn" => !has || !Values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && long.TryParse(value, out var g) && Values.Length == 1 && long.TryParse(Values[0], out var gv) && g > gv,
            "Lt" => has && long.TryParse(value, out var l) && Values.Length == 1 && long.TryParse(Values[0], out var lv) && l < lv,
            _ => false,
        };
    }
}

/// <summary>A Kubernetes label selector (matchLabels AND matchExpressions); an empty selector matches everything.</summary>
/// <param name="MatchLabels">Required label values.</param>
/// <param name="MatchExpressions">Required expressions.</param>
public sealed record LabelSelector(ImmutableSortedDictionary<string, string> MatchLabels, ImmutableArray<SelectorRequirement> MatchExpressions)
{
    /// <summary>The empty selector: matches every object.</summary>
    public static LabelSelector All { get; } = new(ImmutableSortedDictionary<string, string>.Empty, []);

    /// <summary>A selector of exact labels.</summary>
    public static LabelSelector Of(IReadOnlyDictionary<string, string> labels) =>
        new(labels.ToImmutableSortedDictionary(StringComparer.Ordinal), []);

    /// <summary>A selector of one label.</summary>
    public static LabelSelector Of(string key, string value) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(key, value)]), []);

    /// <summary>Whether <paramref name="labels"/> matches.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return MatchLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)
            && MatchExpressions.All(e => e.Matches(labels));
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = MatchLabels.Select(kv => $"{kv.Key}={kv.Value}")
            .Concat(MatchExpressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})")).ToList();
        return parts.Count == 0 ? "{}" : string.Join(",", parts);
    }
}

/// <summary>A pod-creating workload.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Kind">Deployment, StatefulSet, DaemonSet, Job, CronJob (or Pod).</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Name.</param>
/// <param name="Source">Who creates it: <c>stack</c>, or the chart/add-on whose controller or daemon it is.</param>
/// <param name="PodLabels">Labels of its pods.</param>
/// <param name="NodeSelector">spec.nodeSelector.</param>
/// <param name="RequiredNodeAffinity">requiredDuringSchedulingIgnoredDuringExecution terms (OR of terms; each term ANDs its requirements); empty = none.</param>
/// <param name="Tolerations">Tolerations.</param>
/// <param name="Requests">Requests of one pod (sum of containers, at least the largest init container), canonical units (see <see cref="Quantities"/>).</param>
/// <param name="MinReplicas">Replicas at minimum (the lower bound of its autoscaler, or its fixed count).</param>
/// <param name="MaxReplicas">Replicas at maximum.</param>
/// <param name="ClaimTemplates">StorageClass names of its volumeClaimTemplates (null = the cluster default).</param>
public sealed record PlatformWorkload(
    string Cluster,
    string Kind,
    string Namespace,
    string Name,
    string Source,
    ImmutableSortedDictionary<string, string> PodLabels,
    ImmutableSortedDictionary<string, string> NodeSelector,
    ImmutableArray<ImmutableArray<SelectorRequirement>> RequiredNodeAffinity,
    ImmutableArray<PlatformToleration> Tolerations,
    ImmutableSortedDictionary<string, long> Requests,
    int MinReplicas,
    int MaxReplicas,
    ImmutableArray<string?> ClaimTemplates)
{
    /// <summary>True for a DaemonSet (one pod per admitting node).</summary>
    public bool DaemonSet => Kind == "DaemonSet";

    /// <summary>"namespace/name".</summary>
    public string Id => $"{Namespace}/{Name}";
}

/// <summary>A PersistentVolumeClaim (or a volumeClaimTemplate, or a bucket claim) and the StorageClass it names.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Claim (or owning workload) name.</param>
/// <param name="StorageClass">storageClassName, or null for the cluster default.</param>
public sealed record PlatformClaim(string Cluster, string Namespace, string Name, string? StorageClass);

/// <summary>Where a StorageClass comes from.</summary>
public enum StorageClassOrigin
{
    /// <summary>Created by the stack.</summary>
    Created,

    /// <summary>Declared in config as already present on the cluster.</summary>
    Declared,
}

/// <summary>A StorageClass the cluster has.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Name">StorageClass name.</param>
/// <param name="IsDefault">True when it is the cluster default (storageclass.kubernetes.io/is-default-class).</param>
/// <param name="Origin">Created by the stack or declared pre-existing.</param>
/// <param name="Provisioner">Its provisioner, when known.</param>
public sealed record PlatformStorageClass(string Cluster, string Name, bool IsDefault, StorageClassOrigin Origin, string? Provisioner = null);

/// <summary>A namespace and its labels (kubernetes.io/metadata.name is always among them).</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Name">Namespace name.</param>
/// <param name="Labels">Labels.</param>
public sealed record PlatformNamespace(string Cluster, string Name, ImmutableSortedDictionary<string, string> Labels)
{
    /// <summary>A namespace with only its automatic <c>kubernetes.io/metadata.name</c> label (plus <paramref name="labels"/>).</summary>
    public static PlatformNamespace Of(string cluster, string name, IReadOnlyDictionary<string, string>? labels = null) =>
        new(cluster, name, (labels ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal).SetItem(TenantPlan.NamespaceNameLabel, name));
}

/// <summary>An ipBlock peer: a CIDR minus exceptions; a CIDR may also be a named range (see <see cref="NetworkAddress"/>).</summary>
/// <param name="Cidr">CIDR (e.g. 10.0.0.0/8) or a named range (e.g. <c>prefix-list:com.amazonaws.us-east-1.s3</c>).</param>
/// <param name="Except">Excluded CIDRs.</param>
public sealed record IpBlockPeer(string Cidr, ImmutableArray<string> Except);

/// <summary>A NetworkPolicy peer: podSelector and/or namespaceSelector, or an ipBlock.</summary>
/// <param name="PodSelector">Pods selected (null = all pods of the selected namespaces, or of the policy's namespace when
/// <paramref name="NamespaceSelector"/> is null too and there is no ipBlock).</param>
/// <param name="NamespaceSelector">Namespaces selected (null = the policy's own namespace).</param>
/// <param name="IpBlock">An ipBlock peer (then both selectors are null).</param>
public sealed record NetworkPeer(LabelSelector? PodSelector, LabelSelector? NamespaceSelector, IpBlockPeer? IpBlock);

/// <summary>A NetworkPolicy port: protocol and a port number or a named container port, optionally a range.</summary>
/// <param name="Protocol">TCP (default), UDP or SCTP.</param>
/// <param name="Port">Port number, or null with <paramref name="Name"/> null for every port of the protocol.</param>
/// <param name="Name">A named port (resolved against the destination pod's container ports).</param>
/// <param name="EndPort">Last port of a range starting at <paramref name="Port"/>.</param>
public sealed record NetworkPolicyPort(string Protocol, int? Port, string? Name = null, int? EndPort = null);

/// <summary>One ingress or egress rule: traffic matching any peer AND any port (empty = all).</summary>
/// <param name="Peers">Peers; empty = every source/destination.</param>
/// <param name="Ports">Ports; empty = every port.</param>
public sealed record NetworkPolicyRule(ImmutableArray<NetworkPeer> Peers, ImmutableArray<NetworkPolicyPort> Ports);

/// <summary>A NetworkPolicy.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Name.</param>
/// <param name="PodSelector">Pods of the namespace the policy applies to.</param>
/// <param name="Ingress">True when policyTypes contains Ingress.</param>
/// <param name="Egress">True when policyTypes contains Egress.</param>
/// <param name="IngressRules">Ingress rules.</param>
/// <param name="EgressRules">Egress rules.</param>
public sealed record PlatformNetworkPolicy(
    string Cluster,
    string Namespace,
    string Name,
    LabelSelector PodSelector,
    bool Ingress,
    bool Egress,
    ImmutableArray<NetworkPolicyRule> IngressRules,
    ImmutableArray<NetworkPolicyRule> EgressRules);

/// <summary>A group's rights in one namespace through a RoleBinding to a Role.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Namespace">Namespace of the RoleBinding (rights apply there only).</param>
/// <param name="Name">Binding name.</param>
/// <param name="Groups">Group subjects.</param>
/// <param name="Rules">The bound Role's rules.</param>
public sealed record PlatformRoleBinding(string Cluster, string Namespace, string Name, ImmutableArray<string> Groups, ImmutableArray<RbacRule> Rules);

/// <summary>A network address outside the pod network: an IPv4 address, or a named range (an AWS prefix list) whose members
/// are known only at deploy time; a named range matches an ipBlock of the same name.</summary>
/// <param name="Value">An IPv4 address, or a range name such as <c>prefix-list:com.amazonaws.us-east-1.s3</c>.</param>
public sealed record NetworkAddress(string Value);

/// <summary>One end of a flow: a pod (namespace + labels + its named ports), or an address outside the cluster.</summary>
/// <param name="Cluster">Cluster of the pod (or of the side that sends to an address).</param>
/// <param name="Namespace">Pod namespace, null for an address.</param>
/// <param name="PodLabels">Pod labels, null for an address.</param>
/// <param name="Address">The address, for an endpoint outside the pod network.</param>
/// <param name="NamedPorts">The pod's named container ports: name → (port, protocol).</param>
/// <param name="Description">Short description for the report.</param>
public sealed record FlowEndpoint(
    string Cluster,
    string? Namespace,
    ImmutableSortedDictionary<string, string>? PodLabels,
    NetworkAddress? Address,
    ImmutableSortedDictionary<string, int> NamedPorts,
    string Description)
{
    /// <summary>A pod endpoint.</summary>
    public static FlowEndpoint Pod(string cluster, string ns, IReadOnlyDictionary<string, string> labels, string description, IReadOnlyDictionary<string, int>? namedPorts = null) =>
        new(cluster, ns, labels.ToImmutableSortedDictionary(StringComparer.Ordinal), null, (namedPorts ?? ImmutableSortedDictionary<string, int>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal), description);

    /// <summary>An address endpoint (outside the pod network).</summary>
    public static FlowEndpoint External(string cluster, string address, string description) =>
        new(cluster, null, null, new NetworkAddress(address), ImmutableSortedDictionary<string, int>.Empty, description);
}

/// <summary>A declared flow.</summary>
/// <param name="Name">Short name, e.g. <c>gateway → chat/llama-8b-chat</c>.</param>
/// <param name="From">Source.</param>
/// <param name="To">Destination.</param>
/// <param name="Port">Destination port number.</param>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="Intended">True when the flow must be open; false when it must stay closed.</param>
/// <param name="PortName">The destination container port's name, when it has one (for named-port rules).</param>
public sealed record PlatformFlow(string Name, FlowEndpoint From, FlowEndpoint To, int Port, string Protocol, bool Intended, string? PortName = null);

/// <summary>A KEDA ScaledObject on a serving deployment, with what the simulator needs to drive it.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Deployment">Scaled Deployment.</param>
/// <param name="MetricType"><c>AverageValue</c> or <c>Value</c>.</param>
/// <param name="Threshold">Trigger threshold (ms of queue time for today's trigger).</param>
/// <param name="ActivationThreshold">Activation threshold.</param>
/// <param name="MinReplicas">minReplicaCount.</param>
/// <param name="MaxReplicas">maxReplicaCount.</param>
/// <param name="FallbackReplicas">fallback.replicas.</param>
/// <param name="ServiceRatePerReplica">Requests per second one replica serves, or null when unknown.</param>
/// <param name="SloP95Ms">p95 latency objective, ms.</param>
/// <param name="PodsPerNode">How many replicas one node of its pool holds (from placement).</param>
/// <param name="PoolNodes">Nodes its pool has without a node autoscaler (desired size).</param>
/// <param name="PoolMaxNodes">Nodes its pool may grow to.</param>
/// <param name="NodeAutoscaler">Whether its cluster adds nodes.</param>
/// <param name="Burst">The burst deployment's gate: replicas at which on-prem saturates (its maxReplicas), or null.</param>
public sealed record PlatformScaler(
    string Cluster,
    string Namespace,
    string Deployment,
    string MetricType,
    double Threshold,
    double ActivationThreshold,
    int MinReplicas,
    int MaxReplicas,
    int FallbackReplicas,
    double? ServiceRatePerReplica,
    double SloP95Ms,
    int PodsPerNode,
    int PoolNodes,
    int PoolMaxNodes,
    bool NodeAutoscaler,
    int? Burst)
{
    /// <summary>True when the metric is already a mean per request (a rate divided by a rate), not a quantity that adds up over pods.</summary>
    public bool AveragedMetric { get; init; }

    /// <summary>What the trigger's query measures, for the simulator.</summary>
    public ScalerMetric Metric { get; init; } = ScalerMetric.MeanQueueMs;

    /// <summary>For the burst part of a hybrid deployment: the on-prem deployment whose saturation drives it (not simulated on its own).</summary>
    public string? BurstOf { get; init; }

    /// <summary>
    /// Requests one replica runs at once (<see cref="Serving.ServingContainer.ConcurrentSequences"/>): 1 for a server
    /// that runs one request at a time, the sequence limit for an engine that batches continuously (vLLM). The
    /// simulator models a replica as this many servers sharing <see cref="ServiceRatePerReplica"/>.
    /// </summary>
    public int SlotsPerReplica { get; init; } = 1;
}

/// <summary>What a scaler's metric measures (the simulator computes it from its queue model).</summary>
public enum ScalerMetric
{
    /// <summary>Mean queue time per request over the window, ms: Σ queue time ÷ max(completed per second, 1) (today's trigger).</summary>
    MeanQueueMs,

    /// <summary>Mean busy fraction of the ready replicas over the window (0..1): an average over pods.</summary>
    Utilisation,

    /// <summary>Requests in the system (queued plus in service) summed over pods: an extensive metric.</summary>
    InFlight,
}

/// <summary>A declared API access: may <paramref name="Group"/> <paramref name="Verb"/> <paramref name="Resource"/> in <paramref name="Namespace"/>?</summary>
/// <param name="Name">Short name, e.g. <c>chat → search Secrets</c>.</param>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Group">Identity-provider group.</param>
/// <param name="Verb">API verb (get, list, ...).</param>
/// <param name="Resource">Resource (secrets, ...) of the core API group.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Intended">True when the access must be granted; false when it must be denied.</param>
public sealed record PlatformAccess(string Name, string Cluster, string Group, string Verb, string Resource, string Namespace, bool Intended);
