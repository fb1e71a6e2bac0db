using System.Collections.Immutable;
using NeoCloud.Infra.Core.Tenancy;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.AdmissionRegistration.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;
using Pulumi.Kubernetes.Types.Inputs.Rbac.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Tenancy;

/// <summary>
/// A tenant namespace: Pod Security labels, cost labels, a ResourceQuota with GPU and MIG resources, a LimitRange,
/// default-deny NetworkPolicies with the allowances a tenant needs, a Role bound to the tenant's group and, with
/// <see cref="TenantArgs.Admission"/>, a ValidatingAdmissionPolicy + binding that enforce the tenant rules in the API server.
/// The Kubernetes provider comes through <c>options.Provider</c>/<c>options.Providers</c>.
/// </summary>
public sealed class Tenant : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:Tenant";

    /// <summary>The type token before issue 17, kept as an alias so existing stacks are not replaced.</summary>
    public const string PreviousTypeToken = "neocloud:tenancy:Tenant";

    /// <summary>Creates the tenant's namespace and its objects.</summary>
    /// <param name="name">Component name; children are named <c>{name}-…</c>.</param>
    /// <param name="args">Inputs (validated before anything is registered).</param>
    /// <param name="options">Component options (Kubernetes provider).</param>
    /// <exception cref="ComponentArgsException">The arguments are invalid; nothing was registered.</exception>
    public Tenant(string name, TenantArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(TenantArgs), name, args?.ToSpec(), TenantPlanner.Validate, TenantPlanner.Plan), options)
    {
    }

    private Tenant(string name, TenantArgs args, TenantPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var child = new CustomResourceOptions { Parent = this };
        ObjectMetaArgs Meta(string objectName, string component) => new()
        {
            Name = objectName,
            Namespace = plan.Name,
            Labels = M(plan.Labels(component)),
        };

        var ns = new K8s.Core.V1.Namespace($"{name}-namespace", new NamespaceArgs
        {
            Metadata = new ObjectMetaArgs { Name = plan.Name, Labels = M(plan.NamespaceLabels()) },
        }, child);
        var inNs = new CustomResourceOptions { Parent = this, DependsOn = { ns } };

        var quota = new K8s.Core.V1.ResourceQuota($"{name}-quota", new ResourceQuotaArgs
        {
            Metadata = Meta("tenant-quota", "quota"),
            Spec = new ResourceQuotaSpecArgs { Hard = M(plan.QuotaHard()) },
        }, inNs);
        _ = new K8s.Core.V1.LimitRange($"{name}-limits", new LimitRangeArgs
        {
            Metadata = Meta("tenant-defaults", "quota"),
            Spec = new LimitRangeSpecArgs
            {
                Limits = { new LimitRangeItemArgs { Type = "Container", DefaultRequest = M(TenantPlan.DefaultRequests), Default = M(TenantPlan.DefaultLimits) } },
            },
        }, inNs);

        var policyNames = new List<string>();
        foreach (var shape in plan.NetworkPolicies())
        {
            _ = new K8s.Networking.V1.NetworkPolicy($"{name}-{shape.Name}", new NetworkPolicyArgs { Metadata = Meta(shape.Name, "network-policy"), Spec = Spec(shape) }, inNs);
            policyNames.Add(shape.Name);
        }

        if (plan.ModelBucketEgress && args.ModelBucketEgressCidrs is { } s3Ranges)
        {
            _ = new K8s.Networking.V1.NetworkPolicy($"{name}-model-bucket-egress", new NetworkPolicyArgs
            {
                Metadata = Meta(TenantPlan.ModelBucketEgressPolicy, "network-policy"),
                Spec = new NetworkPolicySpecArgs
                {
                    PodSelector = new LabelSelectorArgs(),
                    PolicyTypes = { "Egress" },
                    Egress =
                    {
                        new NetworkPolicyEgressRuleArgs
                        {
                            To = s3Ranges.ToOutput().Apply(ranges => ranges.IsDefaultOrEmpty
                                // An empty peer list would allow egress everywhere: no ranges is an error, never "no rule".
                                ? throw new InvalidOperationException($"Tenant \"{name}\": TenantArgs.ModelBucketEgressCidrs is empty; an empty peer list would allow egress everywhere")
                                : ranges.Select(c => new NetworkPolicyPeerArgs { IpBlock = new IPBlockArgs { Cidr = c } }).ToImmutableArray()),
                            Ports = { new NetworkPolicyPortArgs { Port = TenantPlan.ModelBucketEgressPort, Protocol = "TCP" } },
                        },
                    },
                },
            }, inNs);
            policyNames.Add(TenantPlan.ModelBucketEgressPolicy);
        }

        var role = new K8s.Rbac.V1.Role($"{name}-role", new RoleArgs
        {
            Metadata = Meta("tenant-member", "rbac"),
            Rules = TenantPlan.RoleRules().Select(r => new PolicyRuleArgs { ApiGroups = r.ApiGroups.ToList(), Resources = r.Resources.ToList(), Verbs = r.Verbs.ToList() }).ToList(),
        }, inNs);
        _ = new K8s.Rbac.V1.RoleBinding($"{name}-role", new RoleBindingArgs
        {
            Metadata = Meta("tenant-member", "rbac"),
            RoleRef = new RoleRefArgs { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "tenant-member" },
            Subjects = { new SubjectArgs { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = plan.Group } },
        }, new CustomResourceOptions { Parent = this, DependsOn = { ns, role } });

        AdmissionPolicyName = Output.Create((string?)null);
        if (plan.Admission is { } admission)
        {
            var meta = new ObjectMetaArgs { Name = admission.PolicyName, Labels = M(plan.Labels("admission")) };
            var policy = new K8s.AdmissionRegistration.V1.ValidatingAdmissionPolicy($"{name}-admission", new ValidatingAdmissionPolicyArgs
            {
                Metadata = meta,
                Spec = new ValidatingAdmissionPolicySpecArgs
                {
                    FailurePolicy = TenantAdmissionPlan.FailurePolicy,
                    MatchConstraints = new MatchResourcesArgs
                    {
                        ResourceRules =
                        {
                            new NamedRuleWithOperationsArgs
                            {
                                ApiGroups = { string.Empty },
                                ApiVersions = { "v1" },
                                Operations = TenantAdmissionPlan.Operations.ToList(),
                                Resources = TenantAdmissionPlan.Resources.ToList(),
                            },
                        },
                    },
                    Variables = admission.Variables.Select(v => new VariableArgs { Name = v.Name, Expression = v.Expression }).ToList(),
                    Validations = admission.Validations.Select(v => new ValidationArgs { Expression = v.Expression, Message = v.Message, Reason = v.Reason }).ToList(),
                },
            }, child);
            var binding = new K8s.AdmissionRegistration.V1.ValidatingAdmissionPolicyBinding($"{name}-admission", new ValidatingAdmissionPolicyBindingArgs
            {
                Metadata = new ObjectMetaArgs { Name = admission.PolicyName, Labels = M(plan.Labels("admission")) },
                Spec = new ValidatingAdmissionPolicyBindingSpecArgs
                {
                    PolicyName = admission.PolicyName,
                    ValidationActions = TenantAdmissionPlan.ValidationActions.ToList(),
                    MatchResources = new MatchResourcesArgs
                    {
                        NamespaceSelector = new LabelSelectorArgs { MatchLabels = { [TenantPlan.NamespaceNameLabel] = admission.Namespace } },
                    },
                },
            }, new CustomResourceOptions { Parent = this, DependsOn = { policy } });
            AdmissionPolicyName = binding.Spec.Apply(s => (string?)s.PolicyName);
        }

        Namespace = ns.Metadata.Apply(m => m.Name);
        ResourceQuotaName = quota.Metadata.Apply(m => m.Name);
        NetworkPolicyNames = Output.Create(policyNames.ToList());
        NetworkPolicyRequirement = Output.Create(TenantPlan.NetworkPolicyRequirement);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["namespace"] = Namespace,
            ["resourceQuotaName"] = ResourceQuotaName,
            ["networkPolicyNames"] = NetworkPolicyNames,
            ["networkPolicyRequirement"] = NetworkPolicyRequirement,
            ["admissionPolicyName"] = AdmissionPolicyName,
        });
    }

    /// <summary>The tenant's namespace.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The ResourceQuota's name.</summary>
    [Output("resourceQuotaName")]
    public Output<string> ResourceQuotaName { get; private set; }

    /// <summary>Names of the NetworkPolicies (default-deny first).</summary>
    [Output("networkPolicyNames")]
    public Output<List<string>> NetworkPolicyNames { get; private set; }

    /// <summary>What must be true of the cluster for the NetworkPolicies to be enforced (CNI; on EKS the VPC CNI network policy agent).</summary>
    [Output("networkPolicyRequirement")]
    public Output<string> NetworkPolicyRequirement { get; private set; }

    /// <summary>The tenant's ValidatingAdmissionPolicy (and binding) name, or null when <see cref="TenantArgs.Admission"/> is not set.</summary>
    [Output("admissionPolicyName")]
    public Output<string?> AdmissionPolicyName { get; private set; }

    /// <summary>The NetworkPolicy spec of <paramref name="shape"/>: every pod of its namespace, its rules as given.</summary>
    public static NetworkPolicySpecArgs Spec(NetworkPolicyShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var spec = new NetworkPolicySpecArgs
        {
            PodSelector = new LabelSelectorArgs(),
            PolicyTypes = shape.PolicyTypes.Select(t => t.ToString()).ToList(),
        };
        foreach (var rule in shape.Ingress)
        {
            spec.Ingress.Add(new NetworkPolicyIngressRuleArgs { From = rule.Peers.Select(Peer).ToList(), Ports = rule.Ports.Select(Port).ToList() });
        }

        foreach (var rule in shape.Egress)
        {
            spec.Egress.Add(new NetworkPolicyEgressRuleArgs { To = rule.Peers.Select(Peer).ToList(), Ports = rule.Ports.Select(Port).ToList() });
        }

        return spec;
    }

    private static NetworkPolicyPeerArgs Peer(PolicyPeer peer)
    {
        var args = new NetworkPolicyPeerArgs();
        if (peer.Cidr is not null)
        {
            args.IpBlock = new IPBlockArgs { Cidr = peer.Cidr };
            return args;
        }

        if (peer.NamespaceLabels is not null)
        {
            args.NamespaceSelector = new LabelSelectorArgs { MatchLabels = M(peer.NamespaceLabels) };
        }

        if (peer.PodLabels is not null)
        {
            args.PodSelector = new LabelSelectorArgs { MatchLabels = M(peer.PodLabels) };
        }

        return args;
    }

    private static InputMap<string> M(ImmutableSortedDictionary<string, string> map) => map.ToImmutableDictionary(StringComparer.Ordinal);

    private static NetworkPolicyPortArgs Port(PolicyPort port) => new() { Protocol = port.Protocol, Port = port.Port };
}
