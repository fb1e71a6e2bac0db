using System.Collections.Immutable;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>
/// The system pods every EKS cluster the stack creates runs before anything of ours: CoreDNS and kube-proxy (installed
/// self-managed, <c>bootstrapSelfManagedAddons</c> defaults to true) and the vpc-cni add-on's <c>aws-node</c>
/// DaemonSet. CoreDNS as kubernetes/kubernetes <c>cluster/addons/dns/coredns/coredns.yaml.base</c> ships it (the
/// manifest EKS's CoreDNS follows): 2 replicas, <c>tolerations: [{key: CriticalAddonsOnly, operator: Exists}]</c> (EKS
/// adds node-role.kubernetes.io/control-plane NoSchedule), requests 100m / 70Mi, <c>kubernetes.io/os: linux</c>;
/// aws-node and kube-proxy tolerate every taint (<c>operator: Exists</c>), requests 25m and 100m CPU.
/// </summary>
public static class EksSystemWorkloads
{
    /// <summary>CoreDNS pod labels (<c>k8s-app: kube-dns</c>, which tenant DNS policies select).</summary>
    public static readonly ImmutableSortedDictionary<string, string> CoreDnsPodLabels = WorkloadShape.Labels(("k8s-app", "kube-dns"));

    /// <summary>The system pods.</summary>
    /// <param name="coreDnsNodeSelector">
    /// The coredns add-on's <c>nodeSelector</c> when <c>EksCluster</c> passes
    /// <see cref="SystemAddonPlacement.CoreDnsConfigurationValues"/> as its configuration; null: the add-on's default
    /// (<c>kubernetes.io/os: linux</c> only).
    /// </param>
    public static ImmutableArray<WorkloadShape> For(IReadOnlyDictionary<string, string>? coreDnsNodeSelector = null)
    {
        const string source = "eks";
        var everything = ImmutableArray.Create(WorkloadShape.Exists(null, null));
        return
        [
            new("Deployment", "kube-system", "coredns", source, CoreDnsPodLabels, [WorkloadShape.Exists("CriticalAddonsOnly", null), WorkloadShape.Exists("node-role.kubernetes.io/control-plane", TaintEffect.NoSchedule)], WorkloadShape.CpuMemory("100m", "70Mi"), 2)
            {
                NodeSelector = WorkloadShape.Labels(("kubernetes.io/os", "linux")).SetItems(coreDnsNodeSelector ?? ImmutableSortedDictionary<string, string>.Empty),
            },
            new("DaemonSet", "kube-system", "aws-node", source, WorkloadShape.Labels(("k8s-app", "aws-node")), everything, WorkloadShape.Labels((Quantities.Cpu, "25m"))),
            new("DaemonSet", "kube-system", "kube-proxy", source, WorkloadShape.Labels(("k8s-app", "kube-proxy")), everything, WorkloadShape.Labels((Quantities.Cpu, "100m"))),
        ];
    }
}
