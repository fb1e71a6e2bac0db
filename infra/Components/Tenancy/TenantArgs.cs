using System.Collections.Immutable;
using NeoCloud.Infra.Core.Tenancy;
using Pulumi;

namespace NeoCloud.Infra.Components.Tenancy;

/// <summary>
/// Inputs of <see cref="Tenant"/>. Plain, because each decides which objects exist or what they allow, except
/// <see cref="ModelBucketEgressCidrs"/> (deploy-time data: S3's address ranges). Validated by <see cref="TenantPlanner.Validate"/>.
/// </summary>
public sealed class TenantArgs : NeoCloudArgs
{
    /// <summary>Tenant name = namespace name (DNS-1123 label; not a Kubernetes system namespace). Required.</summary>
    [Input("tenantName", required: true)]
    public string TenantName { get; set; } = null!;

    /// <summary>Identity-provider group bound to the tenant's Role. Required.</summary>
    [Input("group", required: true)]
    public string Group { get; set; } = null!;

    /// <summary>Pod Security Standards level enforced: <c>baseline</c> or <c>restricted</c> (warn/audit are always restricted). Defaults to <c>baseline</c>.</summary>
    [Input("podSecurity")]
    public string PodSecurity { get; set; } = "baseline";

    /// <summary>GPU quota by resource name (<c>nvidia.com/gpu</c>, <c>nvidia.com/mig-1g.10gb</c>, …). Defaults to none (no GPUs).</summary>
    [Input("gpuQuota")]
    public Dictionary<string, int> GpuQuota { get; set; } = [];

    /// <summary>CPU requests quota (Kubernetes quantity, e.g. 64). Required.</summary>
    [Input("cpuRequests", required: true)]
    public string CpuRequests { get; set; } = null!;

    /// <summary>CPU limits quota. Defaults to null (none).</summary>
    [Input("cpuLimits")]
    public string? CpuLimits { get; set; }

    /// <summary>Memory requests quota (Kubernetes quantity, e.g. 256Gi). Required.</summary>
    [Input("memoryRequests", required: true)]
    public string MemoryRequests { get; set; } = null!;

    /// <summary>Memory limits quota. Defaults to null (none).</summary>
    [Input("memoryLimits")]
    public string? MemoryLimits { get; set; }

    /// <summary>Maximum PVCs. Defaults to 10.</summary>
    [Input("persistentVolumeClaims")]
    public int PersistentVolumeClaims { get; set; } = 10;

    /// <summary>Maximum LoadBalancer Services. Defaults to 0 (traffic enters through the ingress controller).</summary>
    [Input("loadBalancers")]
    public int LoadBalancers { get; set; }

    /// <summary>
    /// The cluster's GPU resources (e.g. summed <c>CapacityPlanner</c> pool capacity at maximum size); a quota above
    /// them is an error. Defaults to null: no capacity check.
    /// </summary>
    [Input("clusterGpuCapacity")]
    public Dictionary<string, int>? ClusterGpuCapacity { get; set; }

    /// <summary>Namespaces whose pods may open connections to the tenant (ingress controller, serving gateway, Prometheus). Defaults to none.</summary>
    [Input("ingressNamespaces")]
    public List<string> IngressNamespaces { get; set; } = [];

    /// <summary>The on-cluster model store the tenant may reach (e.g. Rook RGW pods). Defaults to null.</summary>
    [Input("modelStore")]
    public ModelStoreArgs? ModelStore { get; set; }

    /// <summary>CIDRs of an off-cluster model store (S3 VPC endpoint addresses), reached on TCP 443. A NetworkPolicy cannot name a bucket. Defaults to none.</summary>
    [Input("modelStoreCidrs")]
    public List<string> ModelStoreCidrs { get; set; } = [];

    /// <summary>
    /// The paths config declares (<c>tenants[].allowFrom</c>, <c>tenants[].uses</c>, and the tenants that admit this one):
    /// each opens exactly that path in the namespace's NetworkPolicies. Defaults to none.
    /// </summary>
    [Input("paths")]
    public TenantPathsArgs? Paths { get; set; }

    /// <summary>CIDRs of the Kubernetes API endpoints, when tenant pods must call the API. Defaults to none (no API egress).</summary>
    [Input("kubeApiCidrs")]
    public List<string> KubeApiCidrs { get; set; } = [];

    /// <summary>
    /// S3's address ranges in the AWS model bucket's region (e.g. the CIDR blocks of the AWS-managed prefix list
    /// <c>com.amazonaws.&lt;region&gt;.s3</c>, read with <c>aws.ec2.getPrefixList</c>): when set, the tenant gets the
    /// NetworkPolicy <c>allow-model-bucket-egress</c> (egress to them on TCP 443), for pods that read the model bucket.
    /// An empty list fails the deployment (it would allow egress everywhere). Defaults to null (no such policy).
    /// </summary>
    [Input("modelBucketEgressCidrs")]
    public InputList<string>? ModelBucketEgressCidrs { get; set; }

    /// <summary>
    /// Admission enforcement: when set, the tenant gets a ValidatingAdmissionPolicy and its binding
    /// (<c>neocloud-tenant-&lt;name&gt;</c>, cluster-scoped, bound to the tenant namespace only; Kubernetes ≥ 1.30) that refuse pods
    /// with unpinned images, privileged containers, hostPath volumes, missing cost labels, GPU or MIG requests outside these
    /// pools, or tolerations for taints of other pools. Defaults to null (no policy; the Pod Security label still applies).
    /// </summary>
    [Input("admission")]
    public TenantAdmissionArgs? Admission { get; set; }

    /// <summary>
    /// The inference gateway's peers (its Envoy pods; on a hybrid burst cluster the on-prem gateway's private-link CIDRs):
    /// when set, the NetworkPolicy <c>allow-gateway</c> admits them on <see cref="TenantGatewayArgs.Ports"/> only.
    /// Defaults to null (no gateway reaches the tenant).
    /// </summary>
    [Input("gateway")]
    public TenantGatewayArgs? Gateway { get; set; }

    /// <summary>The spec the planner validates and plans.</summary>
    internal TenantSpec ToSpec() => new(TenantName, Group, CpuRequests, MemoryRequests, ToOwnership())
    {
        PodSecurity = PodSecurity,
        GpuQuota = (GpuQuota ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        CpuLimits = CpuLimits,
        MemoryLimits = MemoryLimits,
        PersistentVolumeClaims = PersistentVolumeClaims,
        LoadBalancers = LoadBalancers,
        ClusterGpuCapacity = ClusterGpuCapacity?.ToImmutableSortedDictionary(StringComparer.Ordinal),
        IngressNamespaces = [.. IngressNamespaces ?? []],
        ModelStore = ModelStore?.ToSpec(),
        ModelStoreCidrs = [.. ModelStoreCidrs ?? []],
        Paths = Paths?.ToSpec() ?? TenantPaths.None,
        KubeApiCidrs = [.. KubeApiCidrs ?? []],
        ModelBucketEgress = ModelBucketEgressCidrs is not null,
        AdmissionPools = Admission is { } a ? [.. (a.Pools ?? []).Select(p => p.ToSpec())] : null,
        Gateway = Gateway?.ToSpec(),
    };
}

/// <summary>What the tenant's admission policy permits (see <see cref="TenantAdmissionSpec"/>).</summary>
public sealed class TenantAdmissionArgs : ResourceArgs
{
    /// <summary>
    /// The pools the tenant's pods may use: GPU/MIG requests must select one of them (<c>nodeSelector neocloud.io/pool</c>)
    /// that offers the resource, and tolerations may name only their taints. Defaults to none: no GPU requests, no GPU tolerations.
    /// </summary>
    [Input("pools")]
    public List<AdmissionPoolArgs> Pools { get; set; } = [];

    /// <summary>The Args of a Core <see cref="TenantAdmissionSpec"/> (e.g. <c>TenantPools.Admission</c> of the environment).</summary>
    public static TenantAdmissionArgs From(TenantAdmissionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TenantAdmissionArgs
        {
            Pools = [.. spec.Pools.Select(p => new AdmissionPoolArgs
            {
                Name = p.Name,
                GpuResources = [.. p.GpuResources],
                Taints = [.. p.Taints.Select(t => new AdmissionTaintArgs { Key = t.Key, Value = t.Value, Effect = t.Effect.ToString() })],
            })],
        };
    }
}

/// <summary>A pool a tenant may use.</summary>
public sealed class AdmissionPoolArgs : ResourceArgs
{
    /// <summary>Pool name: the <c>neocloud.io/pool</c> label of its nodes. Required.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary>GPU resources the tenant may request there (<c>nvidia.com/gpu</c>, <c>nvidia.com/mig-&lt;profile&gt;</c>). Defaults to none.</summary>
    [Input("gpuResources")]
    public List<string> GpuResources { get; set; } = [];

    /// <summary>The pool's taints, which the tenant's pods may tolerate. Defaults to none.</summary>
    [Input("taints")]
    public List<AdmissionTaintArgs> Taints { get; set; } = [];

    internal AdmissionPool ToSpec() => new(
        Name,
        [.. GpuResources ?? []],
        [.. (Taints ?? []).Select(t => new Core.Gpu.NodeTaint(t.Key, t.Value ?? string.Empty, Enum.TryParse<Core.Gpu.TaintEffect>(t.Effect, out var e) ? e : Core.Gpu.TaintEffect.NoSchedule))]);
}

/// <summary>A taint of a pool.</summary>
public sealed class AdmissionTaintArgs : ResourceArgs
{
    /// <summary>Taint key, e.g. <c>nvidia.com/gpu</c> or <c>neocloud.io/dedicated</c>. Required.</summary>
    [Input("key", required: true)]
    public string Key { get; set; } = null!;

    /// <summary>Taint value (a dedicated pool's is its tenant). Defaults to empty.</summary>
    [Input("value")]
    public string? Value { get; set; }

    /// <summary>Taint effect: <c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>. Defaults to <c>NoSchedule</c>.</summary>
    [Input("effect")]
    public string Effect { get; set; } = "NoSchedule";
}

/// <summary>The on-cluster model store a tenant's pods may reach.</summary>
public sealed class ModelStoreArgs : ResourceArgs
{
    /// <summary>Namespace of the store's pods, e.g. <c>rook-ceph</c>. Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>Labels of the store's pods (e.g. <c>app: rook-ceph-rgw</c>). Defaults to none: every pod of the namespace.</summary>
    [Input("podLabels")]
    public Dictionary<string, string> PodLabels { get; set; } = [];

    /// <summary>The pods' TCP port (RGW pods listen on 8080 behind Service port 80). Required.</summary>
    [Input("port", required: true)]
    public int Port { get; set; }

    /// <summary>The Args of a Core <see cref="ModelStoreService"/> (the stack's layout).</summary>
    public static ModelStoreArgs From(ModelStoreService store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ModelStoreArgs { Namespace = store.Namespace, PodLabels = new(store.PodLabels, StringComparer.Ordinal), Port = store.Port };
    }

    internal ModelStoreService ToSpec() => new(Namespace, (PodLabels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal), Port);
}

/// <summary>The network paths declared for one tenant namespace (see <see cref="TenantPaths"/>).</summary>
public sealed class TenantPathsArgs : ResourceArgs
{
    /// <summary>Namespaces admitted on every port. Defaults to none.</summary>
    [Input("allowFromNamespaces")]
    public List<string> AllowFromNamespaces { get; set; } = [];

    /// <summary>Address ranges outside the pod network admitted on every port. Defaults to none.</summary>
    [Input("allowFromCidrs")]
    public List<string> AllowFromCidrs { get; set; } = [];

    /// <summary>Tenant namespaces that admit this tenant: egress to them is opened. Defaults to none.</summary>
    [Input("allowToNamespaces")]
    public List<string> AllowToNamespaces { get; set; } = [];

    /// <summary>Shared services the tenant's pods may reach. Defaults to none.</summary>
    [Input("uses")]
    public List<SharedServiceArgs> Uses { get; set; } = [];

    /// <summary>The Args of Core <see cref="TenantPaths"/> (e.g. <see cref="TenantPaths.For"/> of the environment).</summary>
    public static TenantPathsArgs From(TenantPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new TenantPathsArgs
        {
            AllowFromNamespaces = [.. paths.AllowFromNamespaces],
            AllowFromCidrs = [.. paths.AllowFromCidrs],
            AllowToNamespaces = [.. paths.AllowToNamespaces],
            Uses = [.. paths.Uses.Select(u => new SharedServiceArgs { Name = u.Name, Namespace = u.Namespace, PodLabels = new(u.PodLabels, StringComparer.Ordinal), Ports = [.. u.Ports] })],
        };
    }

    internal TenantPaths ToSpec() => new(
        [.. AllowFromNamespaces ?? []],
        [.. AllowFromCidrs ?? []],
        [.. AllowToNamespaces ?? []],
        [.. (Uses ?? []).Select(u => new SharedServiceTarget(u.Name, u.Namespace, (u.PodLabels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal), [.. u.Ports ?? []]))]);
}

/// <summary>A shared service on the cluster a tenant uses (e.g. the vector DB), reached on its ports.</summary>
public sealed class SharedServiceArgs : ResourceArgs
{
    /// <summary>Short name (a DNS label), used in the policy name <c>allow-{Name}</c>. Required.</summary>
    [Input("name", required: true)]
    public string Name { get; set; } = null!;

    /// <summary>Namespace of the service's pods. Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>Labels of the service's pods. Defaults to none: every pod of the namespace.</summary>
    [Input("podLabels")]
    public Dictionary<string, string> PodLabels { get; set; } = [];

    /// <summary>TCP ports of the pods (1-65535, at least one). Required.</summary>
    [Input("ports", required: true)]
    public List<int> Ports { get; set; } = [];
}

/// <summary>Who carries inference traffic into the tenant (see <see cref="TenantGatewayIngress"/>).</summary>
public sealed class TenantGatewayArgs : ResourceArgs
{
    /// <summary>Namespace of the gateway's Envoy pods (e.g. <c>envoy-gateway-system</c>), or null for none on this cluster. Defaults to null.</summary>
    [Input("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Labels of the Envoy pods (an <c>InferenceGateway</c>'s proxy pods). Defaults to none: every pod of <see cref="Namespace"/>.</summary>
    [Input("podLabels")]
    public Dictionary<string, string> PodLabels { get; set; } = [];

    /// <summary>Address ranges of a remote gateway (a hybrid link's on-prem CIDRs). Defaults to none.</summary>
    [Input("cidrs")]
    public List<string> Cidrs { get; set; } = [];

    /// <summary>The serving ports admitted (TCP; at least one). Required.</summary>
    [Input("ports", required: true)]
    public List<int> Ports { get; set; } = [];

    /// <summary>The Args of Core's <see cref="TenantGatewayIngress"/> (e.g. <c>GatewayLayout.TenantIngress</c> of the environment).</summary>
    public static TenantGatewayArgs From(TenantGatewayIngress gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new TenantGatewayArgs { Namespace = gateway.Namespace, PodLabels = new(gateway.PodLabels, StringComparer.Ordinal), Cidrs = [.. gateway.Cidrs], Ports = [.. gateway.Ports] };
    }

    internal TenantGatewayIngress ToSpec() => new(Namespace, (PodLabels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal), [.. Cidrs ?? []], [.. Ports ?? []]);
}
