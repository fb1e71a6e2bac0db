using NeoCloud.Infra.Components.Tenancy;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Tenancy.Examples;

/// <summary>The README's usage example, compiled and run under the mock engine.</summary>
public static class TenantExample
{
    public static Tenant Run(ProviderResource cluster)
    {
        // <readme>
        var tenant = new Tenant("acme", new TenantArgs
        {
            TenantName = "acme",
            Group = "acme-engineers",
            Environment = "prod",
            CostCenter = "acme",
            PodSecurity = "baseline",
            GpuQuota = new() { ["nvidia.com/gpu"] = 8, ["nvidia.com/mig-1g.10gb"] = 14 },
            CpuRequests = "64",
            MemoryRequests = "256Gi",
            ClusterGpuCapacity = new() { ["nvidia.com/gpu"] = 16, ["nvidia.com/mig-1g.10gb"] = 56 },
            IngressNamespaces = ["ingress-nginx", "monitoring"],
            ModelStore = new ModelStoreArgs
            {
                Namespace = "rook-ceph",
                PodLabels = new() { ["app"] = "rook-ceph-rgw" },
                Port = 8080,
            },
            // Enforced in the API server: GPU/MIG pods only on these pools, only their taints tolerated (kubectl included).
            Admission = new TenantAdmissionArgs
            {
                Pools =
                [
                    new AdmissionPoolArgs
                    {
                        Name = "h100-mig",
                        GpuResources = ["nvidia.com/mig-1g.10gb"],
                        Taints = [new AdmissionTaintArgs { Key = "nvidia.com/gpu", Value = "true" }],
                    },
                ],
            },
        }, new ComponentResourceOptions { Provider = cluster });
        // </readme>
        return tenant;
    }
}
