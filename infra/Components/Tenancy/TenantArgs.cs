using NeoCloud.Infra.Core.Tenancy;
using Pulumi;

namespace NeoCloud.Infra.Components.Tenancy;

/// <summary>Inputs of <see cref="Tenant"/>. All plain: each decides which objects exist or what they allow.</summary>
public sealed class TenantArgs : ResourceArgs
{
    /// <summary>Tenant name = namespace name (DNS-1123 label). Required.</summary>
    [Input("tenantName", required: true)]
    public string TenantName { get; set; } = null!;

    /// <summary>Identity-provider group bound to the tenant's Role. Required.</summary>
    [Input("group", required: true)]
    public string Group { get; set; } = null!;

    /// <summary>Environment label value. Required.</summary>
    [Input("environment", required: true)]
    public string Environment { get; set; } = null!;

    /// <summary>Cost-center label value. Required.</summary>
    [Input("costCenter", required: true)]
    public string CostCenter { get; set; } = null!;

    /// <summary>Pod Security Standards level enforced (warn/audit are always restricted). Defaults to <see cref="PodSecurityLevel.Baseline"/>.</summary>
    [Input("podSecurity")]
    public PodSecurityLevel PodSecurity { get; set; } = PodSecurityLevel.Baseline;

    /// <summary>GPU quota by resource name (<c>nvidia.com/gpu</c>, <c>nvidia.com/mig-1g.10gb</c>, …). Defaults to none (no GPUs).</summary>
    [Input("gpuQuota")]
    public Dictionary<string, int> GpuQuota { get; set; } = [];

    /// <summary>CPU requests quota (quantity). Required.</summary>
    [Input("cpuRequests", required: true)]
    public string CpuRequests { get; set; } = null!;

    /// <summary>CPU limits quota. Defaults to null (none).</summary>
    [Input("cpuLimits")]
    public string? CpuLimits { get; set; }

    /// <summary>Memory requests quota (quantity). Required.</summary>
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
    public ModelStoreService? ModelStore { get; set; }

    /// <summary>CIDRs of an off-cluster model store (S3 VPC endpoint addresses), reached on TCP 443. A NetworkPolicy cannot name a bucket. Defaults to none.</summary>
    [Input("modelStoreCidrs")]
    public List<string> ModelStoreCidrs { get; set; } = [];

    /// <summary>
    /// The paths config declares (<c>tenants[].allowFrom</c>, <c>tenants[].uses</c>, and the tenants that admit this one):
    /// each opens exactly that path in the namespace's NetworkPolicies. Defaults to none.
    /// </summary>
    [Input("paths")]
    public TenantPaths Paths { get; set; } = TenantPaths.None;

    /// <summary>CIDRs of the Kubernetes API endpoints, when tenant pods must call the API. Defaults to none (no API egress).</summary>
    [Input("kubeApiCidrs")]
    public List<string> KubeApiCidrs { get; set; } = [];
}
