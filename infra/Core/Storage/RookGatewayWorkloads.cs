using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Storage;

/// <summary>
/// The RGW pods Rook's operator runs for the CephObjectStore <see cref="OnPremObjectStorePlan"/> declares: a
/// Deployment <c>rook-ceph-rgw-&lt;store&gt;-a</c> with <c>gateway.instances</c> replicas, pod labels
/// <c>app: rook-ceph-rgw</c>, <c>rook_object_store: &lt;store&gt;</c>, port 8080; the spec sets no
/// <c>gateway.placement</c> or <c>gateway.resources</c>, so no tolerations and no requests (rook/rook
/// <c>deploy/examples/object.yaml</c> documents both as optional).
/// </summary>
public static class RookGatewayWorkloads
{
    /// <summary>The gateway Deployment of <paramref name="plan"/>.</summary>
    public static WorkloadShape For(OnPremObjectStorePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new WorkloadShape("Deployment", plan.RookNamespace, $"rook-ceph-rgw-{plan.StoreName}-a", "rook-ceph " + StoragePins.CephApiVersion, StackLayout.RgwPodLabels(plan.StoreName), [], WorkloadShape.NoRequests, plan.GatewayInstances) { NodeSelector = plan.SystemNodeSelector };
    }
}
