using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>
/// Who carries inference traffic into a tenant namespace (issue 16): the inference gateway's Envoy pods of the same
/// cluster and/or, on a hybrid burst cluster, the on-prem gateway's addresses arriving over the private link. The tenant's
/// NetworkPolicy <see cref="PolicyName"/> admits exactly these peers, on the serving ports only (never the metrics port).
/// </summary>
/// <param name="Namespace">Namespace of the gateway's Envoy pods (<c>envoy-gateway-system</c>), or null for none on this cluster.</param>
/// <param name="PodLabels">Labels of the Envoy pods (with <paramref name="Namespace"/>).</param>
/// <param name="Cidrs">Address ranges of a remote gateway (the private link's on-prem CIDRs), or empty.</param>
/// <param name="Ports">The serving ports admitted (TCP), e.g. 8000 and 8001.</param>
public sealed record TenantGatewayIngress(string? Namespace, ImmutableSortedDictionary<string, string> PodLabels, ImmutableArray<string> Cidrs, ImmutableArray<int> Ports)
{
    /// <summary>The NetworkPolicy's name in the tenant namespace.</summary>
    public const string PolicyName = "allow-gateway";

    /// <summary>The policy's peers: the Envoy pods (namespace and pod labels), then each CIDR.</summary>
    public ImmutableArray<PolicyPeer> Peers()
    {
        var peers = ImmutableArray.CreateBuilder<PolicyPeer>();
        if (Namespace is not null)
        {
            peers.Add(new PolicyPeer(TenantPlan.Labels1(TenantPlan.NamespaceNameLabel, Namespace), PodLabels, null));
        }

        peers.AddRange((Cidrs.IsDefault ? [] : Cidrs).Select(c => new PolicyPeer(null, null, c)));
        return peers.ToImmutable();
    }

    /// <summary>Problems of <paramref name="gateway"/>, at <c>Gateway.*</c> of a tenant spec.</summary>
    internal static IEnumerable<SpecProblem> Validate(TenantGatewayIngress gateway)
    {
        if (gateway.Namespace is { } ns && !KubernetesNames.IsDnsLabel(ns))
        {
            yield return new SpecProblem("Gateway.Namespace", $"\"{ns}\" is not a namespace name ({KubernetesNames.DnsLabelRule})");
        }

        foreach (var (key, value) in gateway.PodLabels ?? ImmutableSortedDictionary<string, string>.Empty)
        {
            if (!KubernetesNames.IsLabelKey(key) || !KubernetesNames.IsLabelValue(value))
            {
                yield return new SpecProblem($"Gateway.PodLabels[{key}]", $"\"{key}={value}\" is not a pod label (a label key and a label value)");
            }
        }

        var cidrs = gateway.Cidrs.IsDefault ? [] : gateway.Cidrs;
        for (var i = 0; i < cidrs.Length; i++)
        {
            if (!TenantPlanner.IsCidr(cidrs[i]))
            {
                yield return new SpecProblem($"Gateway.Cidrs[{i}]", $"\"{cidrs[i]}\" is not {TenantPlanner.CidrRule}");
            }
        }

        if (gateway.Namespace is null && cidrs.Length == 0)
        {
            yield return new SpecProblem("Gateway", "names no peer: give the gateway's Namespace (and PodLabels) or its Cidrs");
        }

        if (gateway.Ports.IsDefaultOrEmpty || gateway.Ports.Any(p => p is < 1 or > 65535))
        {
            yield return new SpecProblem("Gateway.Ports", "needs at least one port, each between 1 and 65535 (an empty list would admit every port)");
        }
    }
}
