using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Networking;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Networking;

/// <summary>Inputs of <see cref="InternalServingEndpoint"/>; validated by Core's <see cref="InternalEndpointPlanner.Validate"/>.</summary>
public sealed class InternalServingEndpointArgs : NeoCloudArgs
{
    /// <summary>The Service's name. Required.</summary>
    [Input("serviceName", required: true)]
    public string ServiceName { get; set; } = null!;

    /// <summary>The namespace of the pods (e.g. the serving tenant). Required.</summary>
    [Input("namespace", required: true)]
    public string Namespace { get; set; } = null!;

    /// <summary>Labels of the pods the endpoint routes to (e.g. a TritonService's selector). Required.</summary>
    [Input("selector", required: true)]
    public Dictionary<string, string> Selector { get; set; } = null!;

    /// <summary>Ports (name → number), targeting the pods' ports of the same name. Required.</summary>
    [Input("ports", required: true)]
    public Dictionary<string, int> Ports { get; set; } = null!;

    /// <summary>The private IPv4 CIDRs the internal load balancer admits (the on-prem networks of the private link). Required.</summary>
    [Input("sourceRanges", required: true)]
    public List<string> SourceRanges { get; set; } = null!;

    internal InternalEndpointSpec ToSpec() => new(
        ToOwnership(),
        ServiceName,
        Namespace,
        (Selector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        [.. (Ports ?? []).Select(p => new InternalPort(p.Key, p.Value))],
        [.. SourceRanges ?? []]);
}

/// <summary>
/// A serving endpoint on EKS reachable from on-prem over the private link only: a <c>type: LoadBalancer</c> Service
/// the EKS control plane's AWS cloud provider turns into an internal Network Load Balancer (no extra controller;
/// annotations of kubernetes/cloud-provider-aws docs/service_controller.md), admitting <see cref="InternalServingEndpointArgs.SourceRanges"/>
/// only, with the client's address preserved (<c>externalTrafficPolicy: Local</c>) for the tenant's NetworkPolicy.
/// </summary>
public sealed class InternalServingEndpoint : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:InternalServingEndpoint";

    /// <summary>Creates the Service; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; the Service's logical name.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Options: the EKS cluster's Kubernetes provider.</param>
    public InternalServingEndpoint(string name, InternalServingEndpointArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(InternalServingEndpointArgs), name, args?.ToSpec(), InternalEndpointPlanner.Validate, s => s), options)
    {
    }

    private InternalServingEndpoint(string name, InternalServingEndpointArgs args, InternalEndpointSpec spec, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var serviceOptions = new CustomResourceOptions { Parent = this };
        serviceOptions.DependsOn.AddRange(options?.DependsOn ?? new InputList<Resource>());
        var service = new K8s.Core.V1.Service(name, new ServiceArgs
        {
            Metadata = new ObjectMetaArgs
            {
                Name = spec.ServiceName!,
                Namespace = spec.Namespace!,
                Labels = CoreData.ToLabels(InternalEndpointPlanner.Labels(spec, name)),
                Annotations = CoreData.ToLabels(InternalEndpointPlanner.Annotations),
            },
            Spec = new ServiceSpecArgs
            {
                Type = "LoadBalancer",
                Selector = CoreData.ToLabels(spec.Selector),
                Ports = [.. spec.Ports.Select(p => new ServicePortArgs { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
                LoadBalancerSourceRanges = [.. spec.SourceRanges],
                ExternalTrafficPolicy = "Local",
            },
        }, serviceOptions);

        Address = service.Status.Apply(s => s?.LoadBalancer?.Ingress.FirstOrDefault() is { } ingress ? ingress.Hostname ?? ingress.Ip : null);
        RegisterOutputs(new Dictionary<string, object?> { ["address"] = Address });
    }

    /// <summary>The internal load balancer's DNS name (resolvable from the private link), once AWS created it.</summary>
    [Output("address")]
    public Output<string?> Address { get; private set; }
}
