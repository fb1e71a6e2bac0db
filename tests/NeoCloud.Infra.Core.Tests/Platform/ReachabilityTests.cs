using System.Collections.Immutable;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Core.Tenancy;

namespace NeoCloud.Infra.Core.Tests.Platform;

public sealed class ReachabilityTests
{
    private static readonly ImmutableSortedDictionary<string, string> App = WorkloadShape.Labels(("app", "web"));
    private static readonly ImmutableSortedDictionary<string, string> Dns = WorkloadShape.Labels(("k8s-app", "kube-dns"));

    private static PlatformNetworkPolicy DefaultDeny(string ns) => new("c", ns, "default-deny", LabelSelector.All, true, true, [], []);

    private static PlatformNetworkPolicy AllowDns(string ns) => new("c", ns, "allow-dns", LabelSelector.All, false, true, [],
        [new NetworkPolicyRule([new NetworkPeer(LabelSelector.Of(Dns), LabelSelector.Of(TenantPlan.NamespaceNameLabel, "kube-system"), null)], [new NetworkPolicyPort("UDP", 53), new NetworkPolicyPort("TCP", 53)])]);

    private static PlatformFlow ToDns(string protocol = "UDP") => new("web → DNS", FlowEndpoint.Pod("c", "t", App, "web"), FlowEndpoint.Pod("c", "kube-system", Dns, "CoreDNS"), 53, protocol, true);

    private static FlowVerdict Evaluate(PlatformFlow flow, params PlatformNetworkPolicy[] policies) =>
        Reachability.Evaluate(PlatformInventory.Empty with { NetworkPolicies = [.. policies], Namespaces = [PlatformNamespace.Of("c", "kube-system"), PlatformNamespace.Of("c", "t"), PlatformNamespace.Of("c", "monitoring", new Dictionary<string, string> { ["team"] = "obs" })] }, flow);

    [Fact]
    public void A_namespace_that_admits_DNS_resolves_and_one_that_forgets_it_does_not()
    {
        var admits = Evaluate(ToDns(), DefaultDeny("t"), AllowDns("t"));
        var forgets = Evaluate(ToDns(), DefaultDeny("t"));

        Assert.True(admits.Allowed);
        Assert.Equal("allowed by t/allow-dns", admits.Egress);
        Assert.False(forgets.Allowed);
        Assert.Equal("denied: Egress isolated by default-deny; no rule admits it", forgets.Egress);
        Assert.True(Evaluate(ToDns("TCP"), DefaultDeny("t"), AllowDns("t")).Allowed);
        Assert.False(Evaluate(ToDns() with { Port = 54 }, DefaultDeny("t"), AllowDns("t")).Allowed);
    }

    [Fact]
    public void A_pod_is_open_until_a_policy_of_that_direction_selects_it()
    {
        var ingressOnly = new PlatformNetworkPolicy("c", "t", "ingress-only", LabelSelector.All, true, false, [], []);
        var verdict = Evaluate(ToDns(), ingressOnly);

        Assert.True(verdict.Allowed);
        Assert.Equal("not isolated (no Egress policy selects it)", verdict.Egress);
        var otherPods = new PlatformNetworkPolicy("c", "t", "db-only", LabelSelector.Of("app", "db"), true, true, [], []);
        Assert.True(Evaluate(ToDns(), otherPods).Allowed);
    }

    [Fact]
    public void Namespace_and_pod_selector_in_one_peer_both_apply_but_in_two_peers_either_does()
    {
        var scraper = FlowEndpoint.Pod("c", "monitoring", WorkloadShape.Labels(("app", "prometheus")), "Prometheus");
        var other = FlowEndpoint.Pod("c", "monitoring", WorkloadShape.Labels(("app", "grafana")), "Grafana");
        var target = FlowEndpoint.Pod("c", "t", App, "web");
        var together = new PlatformNetworkPolicy("c", "t", "and", LabelSelector.All, true, false,
            [new NetworkPolicyRule([new NetworkPeer(LabelSelector.Of("app", "prometheus"), LabelSelector.Of("team", "obs"), null)], [])], []);
        var apart = new PlatformNetworkPolicy("c", "t", "or", LabelSelector.All, true, false,
            [new NetworkPolicyRule([new NetworkPeer(null, LabelSelector.Of("team", "obs"), null), new NetworkPeer(LabelSelector.Of("app", "prometheus"), null, null)], [])], []);

        Assert.True(Evaluate(new("p", scraper, target, 80, "TCP", true), together).Allowed);
        Assert.False(Evaluate(new("g", other, target, 80, "TCP", true), together).Allowed);
        Assert.True(Evaluate(new("g", other, target, 80, "TCP", true), apart).Allowed);
    }

    [Fact]
    public void IpBlock_admits_its_range_minus_the_exceptions_and_never_a_pod()
    {
        var block = new PlatformNetworkPolicy("c", "t", "egress-s3", LabelSelector.All, false, true, [],
            [new NetworkPolicyRule([new NetworkPeer(null, null, new IpBlockPeer("52.216.0.0/15", ["52.217.0.0/16"]))], [new NetworkPolicyPort("TCP", 443)])]);
        var from = FlowEndpoint.Pod("c", "t", App, "web");

        Assert.True(Evaluate(new("in", from, FlowEndpoint.External("c", "52.216.10.1", "S3"), 443, "TCP", true), block).Allowed);
        Assert.False(Evaluate(new("except", from, FlowEndpoint.External("c", "52.217.10.1", "S3"), 443, "TCP", true), block).Allowed);
        Assert.False(Evaluate(new("pod", from, FlowEndpoint.Pod("c", "t", App, "web"), 443, "TCP", true), DefaultDeny("t"), block).Allowed);
    }

    [Fact]
    public void Named_ports_resolve_against_the_destination_and_ranges_include_their_end()
    {
        var ports = new Dictionary<string, int> { ["metrics"] = 8002 };
        var to = FlowEndpoint.Pod("c", "t", App, "web", ports);
        var from = FlowEndpoint.Pod("c", "t", WorkloadShape.Labels(("app", "x")), "x");
        var named = new PlatformNetworkPolicy("c", "t", "metrics", LabelSelector.All, true, false, [new NetworkPolicyRule([], [new NetworkPolicyPort("TCP", null, "metrics")])], []);
        var range = new PlatformNetworkPolicy("c", "t", "range", LabelSelector.All, true, false, [new NetworkPolicyRule([], [new NetworkPolicyPort("TCP", 8000, null, 8002)])], []);

        Assert.True(Evaluate(new("m", from, to, 8002, "TCP", true), named).Allowed);
        Assert.False(Evaluate(new("h", from, to, 8000, "TCP", true), named).Allowed);
        Assert.True(Evaluate(new("r", from, to, 8002, "TCP", true), range).Allowed);
        Assert.False(Evaluate(new("r", from, to, 8003, "TCP", true), range).Allowed);
    }

    [Fact]
    public void A_group_reads_Secrets_only_where_a_RoleBinding_grants_it()
    {
        var inventory = PlatformInventory.Empty with
        {
            Bindings = [new PlatformRoleBinding("c", "a", "tenant-member", ["team-a"], TenantPlan.RoleRules())],
            Accesses = [new PlatformAccess("a → own", "c", "team-a", "get", "secrets", "a", true), new PlatformAccess("a → b", "c", "team-a", "get", "secrets", "b", false)],
        };

        var verdicts = Reachability.EvaluateAccess(inventory);
        Assert.All(verdicts, v => Assert.True(v.AsIntended));
        Assert.Equal("RoleBinding a/tenant-member", verdicts[0].By);
        Assert.Equal("no RoleBinding in b grants group team-a get secrets", verdicts[1].By);
    }
}
