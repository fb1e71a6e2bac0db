using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>One port of an internal endpoint.</summary>
/// <param name="Name">Port name (a DNS label of at most 15 characters, e.g. <c>http</c>).</param>
/// <param name="Port">Port number (1–65535); the Service targets the same named port on the pods.</param>
public sealed record InternalPort(string Name, int Port);

/// <summary>
/// An EKS Service reachable only from private networks (issue 14 item 6: the burst cluster's serving endpoint, reached
/// from on-prem over the declared private link): <c>type: LoadBalancer</c> with the AWS cloud provider's
/// <c>service.beta.kubernetes.io/aws-load-balancer-internal: "true"</c> and <c>aws-load-balancer-type: nlb</c>
/// (kubernetes/cloud-provider-aws docs/service_controller.md, commit 0d4f3b7), which the EKS control plane's service
/// controller implements without any extra controller; <c>loadBalancerSourceRanges</c> = the on-prem CIDRs;
/// <c>externalTrafficPolicy: Local</c>, so the pods see the on-prem client's address and the tenant's NetworkPolicy
/// (its <c>allowFrom</c> CIDRs) decides who gets in.
/// </summary>
/// <param name="Ownership">Environment, cost center and tags.</param>
/// <param name="ServiceName">The Service's name (a DNS label).</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Selector">Pod labels it routes to.</param>
/// <param name="Ports">Its ports.</param>
/// <param name="SourceRanges">IPv4 CIDRs the load balancer admits (at least one; never 0.0.0.0/0).</param>
public sealed record InternalEndpointSpec(OwnershipSpec Ownership, string? ServiceName, string? Namespace, ImmutableSortedDictionary<string, string> Selector, ImmutableArray<InternalPort> Ports, ImmutableArray<string> SourceRanges);

/// <summary>Validation and the annotations of <see cref="InternalEndpointSpec"/>.</summary>
public static class InternalEndpointPlanner
{
    /// <summary>The annotations of an internal NLB made by the EKS control plane's AWS cloud provider.</summary>
    public static readonly ImmutableSortedDictionary<string, string> Annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("service.beta.kubernetes.io/aws-load-balancer-internal", "true"),
        KeyValuePair.Create("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"),
    ]);

    /// <summary>Every problem: <c>ServiceName</c>, <c>Namespace</c>, <c>Selector</c>, <c>Ports[i]</c>, <c>SourceRanges[i]</c>, ownership.</summary>
    public static ImmutableArray<SpecProblem> Validate(InternalEndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new SpecProblems();
        problems.AddRange(OwnershipPlanner.Validate(spec.Ownership));
        problems.Require(KubernetesNames.IsDnsLabel(spec.ServiceName), "ServiceName", $"{(spec.ServiceName is null ? "a missing value" : $"\"{spec.ServiceName}\"")} is not {KubernetesNames.DnsLabelRule}");
        problems.Require(KubernetesNames.IsDnsLabel(spec.Namespace), "Namespace", $"{(spec.Namespace is null ? "a missing value" : $"\"{spec.Namespace}\"")} is not {KubernetesNames.DnsLabelRule}");
        problems.Require(spec.Selector is { Count: > 0 }, "Selector", "is required: the labels of the pods the endpoint routes to");
        var ports = spec.Ports.IsDefault ? [] : spec.Ports;
        problems.Require(ports.Length > 0, "Ports", "is required: at least one port");
        for (var i = 0; i < ports.Length; i++)
        {
            problems.Require(ports[i].Port is > 0 and < 65536, $"Ports[{i}].Port", $"{ports[i].Port} is not a port number (1-65535)");
            problems.Require(ports[i].Name is { Length: <= 15 } && KubernetesNames.IsDnsLabel(ports[i].Name), $"Ports[{i}].Name", $"\"{ports[i].Name}\" is not a port name (a DNS label of at most 15 characters)");
        }

        var ranges = spec.SourceRanges.IsDefault ? [] : spec.SourceRanges;
        problems.Require(ranges.Length > 0, "SourceRanges", "is required: the private CIDRs (e.g. the on-prem networks of the private link) the internal load balancer admits");
        for (var i = 0; i < ranges.Length; i++)
        {
            problems.Require(Tenancy.TenantPlanner.IsCidr(ranges[i]) && ranges[i] != "0.0.0.0/0", $"SourceRanges[{i}]", $"\"{ranges[i]}\" is not allowed; allowed: a private IPv4 CIDR such as 10.10.0.0/16 (never 0.0.0.0/0)");
        }

        return problems.ToImmutable();
    }

    /// <summary>Labels of the Service.</summary>
    public static ImmutableSortedDictionary<string, string> Labels(InternalEndpointSpec spec, string instance)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Ownership.Tags.SetItems(ResourceLabels.For("serving-endpoint", instance, "internal-endpoint", spec.Ownership.Environment, spec.Ownership.CostCenter, spec.Namespace));
    }
}
