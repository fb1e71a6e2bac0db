using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>The verdict on one declared flow.</summary>
/// <param name="Flow">The flow.</param>
/// <param name="Allowed">True when both the source's egress and the destination's ingress allow it.</param>
/// <param name="Egress">What decided the source side.</param>
/// <param name="Ingress">What decided the destination side.</param>
public sealed record FlowVerdict(PlatformFlow Flow, bool Allowed, string Egress, string Ingress)
{
    /// <summary>True when the verdict is what the declaration wants (intended flows open, unintended closed).</summary>
    public bool AsIntended => Allowed == Flow.Intended;
}

/// <summary>The verdict on one declared API access.</summary>
/// <param name="Access">The access.</param>
/// <param name="Allowed">True when some RoleBinding grants it.</param>
/// <param name="By">The binding that grants it, or why nothing does.</param>
public sealed record AccessVerdict(PlatformAccess Access, bool Allowed, string By)
{
    /// <summary>True when the verdict is what the declaration wants.</summary>
    public bool AsIntended => Allowed == Access.Intended;
}

/// <summary>
/// NetworkPolicy evaluation with Kubernetes semantics (kubernetes.io/docs/concepts/services-networking/network-policies):
/// a pod is non-isolated for a direction until a policy whose policyTypes include that direction selects it; an isolated
/// pod admits only what the union of the selecting policies' rules allows; a connection needs the source's egress AND
/// the destination's ingress. A peer with only podSelector means pods of the policy's namespace; with namespaceSelector
/// (and optionally podSelector) pods of the selected namespaces; ipBlock matches addresses outside the pod network (pod
/// IPs are not modelled, so ipBlock never matches a pod). Ports: empty = all; a named port resolves against the
/// destination pod's container ports; endPort gives a range.
/// </summary>
public static class Reachability
{
    /// <summary>Evaluates every declared flow of <paramref name="inventory"/>.</summary>
    public static ImmutableArray<FlowVerdict> Evaluate(PlatformInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return [.. inventory.Flows.Select(f => Evaluate(inventory, f))];
    }

    /// <summary>Evaluates one flow.</summary>
    public static FlowVerdict Evaluate(PlatformInventory inventory, PlatformFlow flow)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(flow);
        var (egressOk, egress) = flow.From.Namespace is null
            ? (true, "outside the pod network")
            : Side(inventory, flow, flow.From, egressSide: true);
        var (ingressOk, ingress) = flow.To.Namespace is null
            ? (true, "outside the pod network")
            : Side(inventory, flow, flow.To, egressSide: false);
        return new FlowVerdict(flow, egressOk && ingressOk, egress, ingress);
    }

    /// <summary>Evaluates every declared API access (namespaced RoleBindings of groups).</summary>
    public static ImmutableArray<AccessVerdict> EvaluateAccess(PlatformInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return [.. inventory.Accesses.Select(a =>
        {
            var binding = inventory.Bindings.FirstOrDefault(b => b.Cluster == a.Cluster && b.Namespace == a.Namespace && b.Groups.Contains(a.Group)
                && b.Rules.Any(r => r.ApiGroups.Contains(string.Empty) && (r.Resources.Contains(a.Resource) || r.Resources.Contains("*")) && (r.Verbs.Contains(a.Verb) || r.Verbs.Contains("*"))));
            return binding is null
                ? new AccessVerdict(a, false, $"no RoleBinding in {a.Namespace} grants group {a.Group} {a.Verb} {a.Resource}")
                : new AccessVerdict(a, true, $"RoleBinding {a.Namespace}/{binding.Name}");
        })];
    }

    private static (bool Allowed, string Why) Side(PlatformInventory inventory, PlatformFlow flow, FlowEndpoint pod, bool egressSide)
    {
        var direction = egressSide ? "Egress" : "Ingress";
        var selecting = inventory.NetworkPolicies
            .Where(p => p.Cluster == pod.Cluster && p.Namespace == pod.Namespace && (egressSide ? p.Egress : p.Ingress) && p.PodSelector.Matches(pod.PodLabels!))
            .ToList();
        if (selecting.Count == 0)
        {
            return (true, $"not isolated (no {direction} policy selects it)");
        }

        foreach (var policy in selecting)
        {
            var rules = egressSide ? policy.EgressRules : policy.IngressRules;
            if (rules.Any(r => RuleAdmits(inventory, policy, r, flow, egressSide)))
            {
                return (true, $"allowed by {policy.Namespace}/{policy.Name}");
            }
        }

        return (false, $"denied: {direction} isolated by {string.Join(", ", selecting.Select(p => p.Name))}; no rule admits it");
    }

    private static bool RuleAdmits(PlatformInventory inventory, PlatformNetworkPolicy policy, NetworkPolicyRule rule, PlatformFlow flow, bool egressSide)
    {
        var peer = egressSide ? flow.To : flow.From;
        var local = egressSide ? flow.From : flow.To;
        var peersOk = rule.Peers.IsDefaultOrEmpty || rule.Peers.Any(p => PeerMatches(inventory, policy, p, peer, local));
        var portsOk = rule.Ports.IsDefaultOrEmpty || rule.Ports.Any(p => PortMatches(p, flow));
        return peersOk && portsOk;
    }

    private static bool PeerMatches(PlatformInventory inventory, PlatformNetworkPolicy policy, NetworkPeer peer, FlowEndpoint other, FlowEndpoint local)
    {
        var crossCluster = other.Cluster != local.Cluster;
        if (peer.IpBlock is { } block)
        {
            return (other.Namespace is null || crossCluster) && other.Address is { } address && InBlock(address.Value, block);
        }

        if (other.Namespace is null || crossCluster)
        {
            return false;
        }

        if (peer.NamespaceSelector is null)
        {
            return other.Namespace == policy.Namespace && (peer.PodSelector ?? LabelSelector.All).Matches(other.PodLabels!);
        }

        var ns = inventory.Namespaces.FirstOrDefault(n => n.Cluster == other.Cluster && n.Name == other.Namespace)
            ?? PlatformNamespace.Of(other.Cluster, other.Namespace);
        return peer.NamespaceSelector.Matches(ns.Labels) && (peer.PodSelector ?? LabelSelector.All).Matches(other.PodLabels!);
    }

    private static bool PortMatches(NetworkPolicyPort port, PlatformFlow flow)
    {
        if (!string.Equals(port.Protocol ?? "TCP", flow.Protocol, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (port.Name is { } name)
        {
            return (flow.PortName == name) || (flow.To.NamedPorts.TryGetValue(name, out var n) && n == flow.Port);
        }

        if (port.Port is not { } number)
        {
            return true;
        }

        return port.EndPort is { } end ? flow.Port >= number && flow.Port <= end : flow.Port == number;
    }

    /// <summary>Whether <paramref name="address"/> (an IPv4 address or a named range) lies in <paramref name="block"/>.</summary>
    public static bool InBlock(string address, IpBlockPeer block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!IPAddress.TryParse(address, out _))
        {
            return address == block.Cidr;
        }

        return InCidr(address, block.Cidr) && !block.Except.Any(e => InCidr(address, e));
    }

    /// <summary>Whether IPv4 <paramref name="address"/> lies in <paramref name="cidr"/>.</summary>
    public static bool InCidr(string address, string cidr)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var network) || !IPAddress.TryParse(address, out var ip)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits is < 0 or > 32
            || network.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return (ToUInt(ip) & mask) == (ToUInt(network) & mask);
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
