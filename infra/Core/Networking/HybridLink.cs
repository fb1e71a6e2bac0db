using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>What gives an on-prem cluster's <c>type: LoadBalancer</c> Services an address (<c>clusters[].loadBalancer</c>).</summary>
public enum LoadBalancerImplementation
{
    /// <summary>MetalLB runs on the cluster (installed and given address pools by the cluster's operators).</summary>
    MetalLb,

    /// <summary>Another implementation already runs (a hardware load balancer's controller, kube-vip, Cilium LB IPAM, …).</summary>
    Existing,
}

/// <summary>
/// The private network path between an EKS (burst) cluster's VPC and the on-prem network (<c>clusters[].privateLink</c>),
/// which the hybrid topology's traffic uses: the on-prem Prometheus federation endpoint and the burst cluster's internal
/// serving load balancer are reachable only across it.
/// </summary>
/// <param name="Kind"><see cref="HybridLinks.Vpn"/> or <see cref="HybridLinks.DirectConnectMacsec"/>: both encrypt and authenticate the peers.</param>
/// <param name="OnPremCidrs">The on-prem address ranges routed over the link (the burst side admits only these).</param>
public sealed record PrivateLinkSpec(string Kind, ImmutableArray<string> OnPremCidrs);

/// <summary>The kinds of <see cref="PrivateLinkSpec"/>.</summary>
public static class HybridLinks
{
    /// <summary>AWS Site-to-Site VPN (IPsec: encrypted, both ends authenticated).</summary>
    public const string Vpn = "vpn";

    /// <summary>AWS Direct Connect with MACsec (encrypted, CAK/CKN-authenticated link).</summary>
    public const string DirectConnectMacsec = "direct-connect-macsec";

    /// <summary>The allowed kinds.</summary>
    public static readonly ImmutableArray<string> Kinds = [Vpn, DirectConnectMacsec];

    /// <summary>Why a plain Direct Connect is refused.</summary>
    public const string PlainDirectConnect = "plain Direct Connect is private but not encrypted; use direct-connect-macsec, or a VPN over Direct Connect (kind vpn)";
}
