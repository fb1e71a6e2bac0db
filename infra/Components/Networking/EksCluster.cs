using NeoCloud.Infra.Core.Networking;
using Pulumi;
using Pulumi.Aws;
using Pulumi.Aws.Ec2;
using Pulumi.Aws.Ec2.Inputs;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Eks.Inputs;
using Pulumi.Aws.Iam;
using Aws = Pulumi.Aws;

namespace NeoCloud.Infra.Components.Networking;

/// <summary>Inputs of <see cref="EksCluster"/>; the plain part is validated by Core's <see cref="EksClusterPlanner.Validate"/> before anything is registered.</summary>
public sealed class EksClusterArgs : NeoCloudArgs
{
    /// <summary>Required. Two to eight distinct availability zones; each gets a public and a private subnet.</summary>
    [Input("availabilityZones", required: true)]
    public List<string> AvailabilityZones { get; set; } = [];

    /// <summary>The VPC's IPv4 CIDR (/16 to /20, no host bits). Defaults to <c>10.0.0.0/16</c>.</summary>
    [Input("vpcCidr")]
    public string? VpcCidr { get; set; }

    /// <summary>
    /// EKS control-plane version, e.g. "1.33" (plain: it decides the pinned versions of the managed add-ons, Core's
    /// <c>EksAddons</c>). Defaults to "1.33".
    /// </summary>
    [Input("kubernetesVersion")]
    public string? KubernetesVersion { get; set; }

    /// <summary>
    /// Whether the API endpoint is reachable from outside the VPC (a laptop or CI runner running <c>pulumi up</c>), at
    /// <see cref="PublicAccessCidrs"/> only. Defaults to true. The private endpoint is always on (nodes, the VPC, the
    /// hybrid link).
    /// </summary>
    [Input("endpointPublicAccess")]
    public bool? EndpointPublicAccess { get; set; }

    /// <summary>
    /// IPv4 CIDRs that may reach the public endpoint (the deploy and preview runners' egress, the operators' VPN). Defaults
    /// to 0.0.0.0/0; an empty list turns the public endpoint off. Conflicts with <c>EndpointPublicAccess: false</c> plus CIDRs.
    /// </summary>
    [Input("publicAccessCidrs")]
    public List<string>? PublicAccessCidrs { get; set; }

    /// <summary>
    /// Principals that may use the Kubernetes API: one EKS access entry each, with one access policy at cluster scope
    /// (authentication mode API). Without a <c>cluster-admin</c> entry the identity that creates the cluster gets
    /// cluster-admin through EKS's bootstrap entry; with one, nobody else does. Defaults to none.
    /// </summary>
    [Input("accessEntries")]
    public List<EksAccessEntryArgs>? AccessEntries { get; set; }

    /// <summary>Control-plane log types sent to CloudWatch Logs (api, audit, authenticator, controllerManager, scheduler). Defaults to api, audit, authenticator.</summary>
    [Input("controlPlaneLogs")]
    public List<string>? ControlPlaneLogs { get; set; }

    internal EksClusterSpec ToSpec() => new()
    {
        Ownership = ToOwnership(),
        AvailabilityZones = [.. AvailabilityZones ?? []],
        VpcCidr = VpcCidr,
        EndpointPublicAccess = EndpointPublicAccess,
        KubernetesVersion = KubernetesVersion,
        AccessEntries = [.. (AccessEntries ?? []).Select(e => new EksAccessEntry(e?.PrincipalArn!, e?.Policy!))],
        PublicAccessCidrs = PublicAccessCidrs is null ? null : [.. PublicAccessCidrs],
        ControlPlaneLogs = ControlPlaneLogs is null ? null : [.. ControlPlaneLogs],
    };
}

/// <summary>One principal of <see cref="EksClusterArgs.AccessEntries"/>.</summary>
public sealed class EksAccessEntryArgs : ResourceArgs
{
    /// <summary>An IAM role or user ARN, e.g. <c>arn:aws:iam::123456789012:role/deploy</c>. Required.</summary>
    [Input("principalArn", required: true)]
    public string PrincipalArn { get; set; } = null!;

    /// <summary><c>cluster-admin</c> (AmazonEKSClusterAdminPolicy), <c>admin</c> (AmazonEKSAdminPolicy) or <c>view</c> (AmazonEKSViewPolicy). Required.</summary>
    [Input("policy", required: true)]
    public string Policy { get; set; } = null!;
}

/// <summary>
/// A new EKS cluster for GPU pools: a VPC with a public and a private subnet per zone (one NAT gateway), the cluster and
/// its IAM role (authentication mode API, access entries from <see cref="EksClusterArgs.AccessEntries"/>, control-plane
/// logs, Secrets envelope-encrypted with a KMS key of its own, the public endpoint limited to
/// <see cref="EksClusterArgs.PublicAccessCidrs"/>, private access on), the IAM OIDC provider, the managed add-ons that
/// need no node at their pinned versions (vpc-cni with NetworkPolicy enforcement, kube-proxy, eks-pod-identity-agent;
/// CoreDNS and the EBS CSI driver come with <see cref="EksClusterAddons"/> once a pool exists), and the
/// <see cref="Kubeconfig"/> for a Kubernetes provider (<c>new Pulumi.Kubernetes.Provider(name, new() { KubeConfig = cluster.Kubeconfig })</c>),
/// which resolves only once the access entries exist. Pass <see cref="ClusterName"/> and <see cref="NodeSubnetIds"/> to
/// GpuNodePool and CpuNodePool.
/// </summary>
public sealed class EksCluster : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:EksCluster";

    /// <summary>The token stacks created before issue 17 registered the component under (kept as an alias).</summary>
    public const string PreviousTypeToken = "neocloud:networking:EksCluster";

    /// <summary>Creates the cluster; throws <see cref="ComponentArgsException"/> listing every problem before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it.</param>
    /// <param name="args">The cluster's inputs.</param>
    /// <param name="options">Options; the AWS provider reaches children through them.</param>
    public EksCluster(string name, EksClusterArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(EksClusterArgs), name, args?.ToSpec(), EksClusterPlanner.Validate, EksClusterPlanner.Plan), options)
    {
    }

    private EksCluster(string name, EksClusterArgs args, EksClusterPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var zones = plan.Zones;
        var tags = plan.Tags;
        InputMap<string> Tags(string resource, params (string Key, string Value)[] extra)
        {
            var map = new InputMap<string>();
            foreach (var (k, v) in tags)
            {
                map.Add(k, v);
            }

            map.Add("Name", $"{name}-{resource}");
            foreach (var (k, v) in extra)
            {
                map.Add(k, v);
            }

            return map;
        }

        var parent = new CustomResourceOptions { Parent = this };
        var vpc = new Vpc($"{name}-vpc", new VpcArgs { CidrBlock = plan.VpcCidr, EnableDnsHostnames = true, EnableDnsSupport = true, Tags = Tags("vpc") }, parent);
        var igw = new InternetGateway($"{name}-igw", new InternetGatewayArgs { VpcId = vpc.Id, Tags = Tags("igw") }, parent);
        var publicRoutes = new RouteTable($"{name}-public", new RouteTableArgs
        {
            VpcId = vpc.Id,
            Routes = { new RouteTableRouteArgs { CidrBlock = "0.0.0.0/0", GatewayId = igw.Id } },
            Tags = Tags("public"),
        }, parent);

        var publicSubnets = new List<Subnet>();
        var privateSubnets = new List<Subnet>();
        foreach (var zone in zones)
        {
            var pub = new Subnet($"{name}-public-{zone.AvailabilityZone}", new SubnetArgs
            {
                VpcId = vpc.Id,
                AvailabilityZone = zone.AvailabilityZone,
                CidrBlock = zone.PublicCidr,
                MapPublicIpOnLaunch = true,
                Tags = Tags($"public-{zone.AvailabilityZone}", ("kubernetes.io/role/elb", "1")),
            }, parent);
            _ = new RouteTableAssociation($"{name}-public-{zone.AvailabilityZone}", new RouteTableAssociationArgs { SubnetId = pub.Id, RouteTableId = publicRoutes.Id }, parent);
            publicSubnets.Add(pub);
        }

        // One NAT gateway (cost over zone independence); nodes lose egress if its zone fails.
        var eip = new Eip($"{name}-nat", new EipArgs { Domain = "vpc", Tags = Tags("nat") }, parent);
        var nat = new NatGateway($"{name}-nat", new NatGatewayArgs { AllocationId = eip.Id, SubnetId = publicSubnets[0].Id, Tags = Tags("nat") },
            new CustomResourceOptions { Parent = this, DependsOn = { igw } });
        var privateRoutes = new RouteTable($"{name}-private", new RouteTableArgs
        {
            VpcId = vpc.Id,
            Routes = { new RouteTableRouteArgs { CidrBlock = "0.0.0.0/0", NatGatewayId = nat.Id } },
            Tags = Tags("private"),
        }, parent);
        foreach (var zone in zones)
        {
            var priv = new Subnet($"{name}-private-{zone.AvailabilityZone}", new SubnetArgs
            {
                VpcId = vpc.Id,
                AvailabilityZone = zone.AvailabilityZone,
                CidrBlock = zone.PrivateCidr,
                Tags = Tags($"private-{zone.AvailabilityZone}", ("kubernetes.io/role/internal-elb", "1")),
            }, parent);
            _ = new RouteTableAssociation($"{name}-private-{zone.AvailabilityZone}", new RouteTableAssociationArgs { SubnetId = priv.Id, RouteTableId = privateRoutes.Id }, parent);
            privateSubnets.Add(priv);
        }

        var partition = GetPartition.Invoke(new GetPartitionInvokeArgs(), new InvokeOptions { Parent = this }).Apply(p => p.Partition);
        var region = GetRegion.Invoke(new GetRegionInvokeArgs(), new InvokeOptions { Parent = this }).Apply(r => r.Region);

        // S3 through a gateway endpoint: model downloads skip the NAT gateway (and its per-GB charge) and stay on AWS's
        // network; the tenants' S3 egress policy still admits S3's regional address ranges, which the endpoint routes.
        _ = new VpcEndpoint($"{name}-s3", new VpcEndpointArgs
        {
            VpcId = vpc.Id,
            ServiceName = region.Apply(r => $"com.amazonaws.{r}.s3"),
            VpcEndpointType = "Gateway",
            RouteTableIds = { privateRoutes.Id, publicRoutes.Id },
            Tags = Tags("s3"),
        }, parent);
        var role = new Role($"{name}-cluster-role", new RoleArgs
        {
            AssumeRolePolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
            Tags = Tags("cluster-role"),
        }, parent);
        var policy = new RolePolicyAttachment($"{name}-cluster-policy", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = partition.Apply(p => EksClusterLayout.ManagedPolicyArn(p, EksClusterLayout.ClusterPolicy)),
        }, parent);

        // Secrets envelope encryption: a customer-managed key per cluster, rotated yearly; the control-plane role may use
        // it (the permissions terraform-aws-modules/terraform-aws-eks grants its cluster role for encryption_config).
        var secretsKey = new Aws.Kms.Key($"{name}-secrets", new Aws.Kms.KeyArgs
        {
            Description = $"Envelope encryption of the Kubernetes Secrets of EKS cluster {name}",
            EnableKeyRotation = true,
            DeletionWindowInDays = 30,
            Tags = Tags("secrets"),
        }, parent);
        var keyPolicy = new RolePolicy($"{name}-cluster-kms", new RolePolicyArgs
        {
            Role = role.Name,
            Policy = secretsKey.Arn.Apply(EksClusterLayout.SecretsKeyPolicy),
        }, parent);

        var cluster = new Cluster($"{name}-cluster", new ClusterArgs
        {
            RoleArn = role.Arn,
            Version = plan.KubernetesVersion,
            VpcConfig = new ClusterVpcConfigArgs
            {
                SubnetIds = privateSubnets.Concat(publicSubnets).Select(s => s.Id).ToList(),
                EndpointPrivateAccess = true,
                EndpointPublicAccess = plan.EndpointPublicAccess,
                PublicAccessCidrs = plan.EndpointPublicAccess ? [.. plan.PublicAccessCidrs] : new InputList<string>(),
            },
            // bootstrapClusterCreatorAdminPermissions is read only when the cluster is created, and a change would replace
            // the cluster (pulumi/pulumi-aws#3997): it is ignored afterwards.
            AccessConfig = new ClusterAccessConfigArgs { AuthenticationMode = plan.AuthenticationMode, BootstrapClusterCreatorAdminPermissions = plan.BootstrapCreatorAdmin },
            EnabledClusterLogTypes = [.. plan.ControlPlaneLogs],
            EncryptionConfig = new ClusterEncryptionConfigArgs
            {
                Provider = new ClusterEncryptionConfigProviderArgs { KeyArn = secretsKey.Arn },
                Resources = { "secrets" },
            },
            Tags = Tags("cluster"),
        }, new CustomResourceOptions { Parent = this, DependsOn = { policy, keyPolicy }, IgnoreChanges = { "accessConfig.bootstrapClusterCreatorAdminPermissions" } });

        var issuer = cluster.Identities.Apply(ids => EksClusterLayout.OidcIssuer(name, ids.SelectMany(i => i.Oidcs).Select(o => o.Issuer)));
        var oidc = new OpenIdConnectProvider($"{name}-oidc", new OpenIdConnectProviderArgs
        {
            Url = issuer,
            ClientIdLists = { "sts.amazonaws.com" },
            Tags = Tags("oidc"),
        }, parent);

        // The add-ons that run without nodes (DaemonSets), at Core's pins; vpc-cni keeps its child name.
        foreach (var addon in plan.Addons)
        {
            var addonArgs = new AddonArgs
            {
                ClusterName = cluster.Name,
                AddonName = addon.Name,
                AddonVersion = AddonVersions.Of(addon, plan.KubernetesVersion, new InvokeOptions { Parent = this }),
                ResolveConflictsOnCreate = "OVERWRITE",
                ResolveConflictsOnUpdate = "OVERWRITE",
                Tags = Tags(addon.Name),
            };
            if (addon.Name == EksAddons.VpcCni)
            {
                addonArgs.ConfigurationValues = EksClusterLayout.VpcCniConfiguration;
            }

            _ = new Addon($"{name}-{addon.Name}", addonArgs, parent);
        }

        // Access entries: one per principal, each with its access policy at cluster scope.
        var granted = new List<Output<string>>();
        foreach (var (entry, childName) in EksClusterLayout.AccessEntryNames(name, plan.AccessEntries))
        {
            var accessEntry = new AccessEntry(childName, new AccessEntryArgs
            {
                ClusterName = cluster.Name,
                PrincipalArn = entry.PrincipalArn,
                Type = "STANDARD",
                Tags = Tags(childName[(name.Length + 1)..]),
            }, parent);
            var association = new AccessPolicyAssociation(childName, new AccessPolicyAssociationArgs
            {
                ClusterName = cluster.Name,
                PrincipalArn = accessEntry.PrincipalArn,
                PolicyArn = partition.Apply(p => EksAccessPolicies.PolicyArn(p, entry.Policy)),
                AccessScope = new AccessPolicyAssociationAccessScopeArgs { Type = "cluster" },
            }, parent);
            granted.Add(association.Id);
        }

        // The kubeconfig resolves once every access entry has its policy: a provider built from it never connects as a
        // principal EKS does not know yet.
        var accessReady = Output.All(granted).Apply(ids => ids.Length);
        Kubeconfig = Output.CreateSecret(Output.Tuple(cluster.Name, cluster.Endpoint, cluster.CertificateAuthority.Apply(c => EksClusterLayout.CertificateAuthorityData(name, c.Data)), region, accessReady)
            .Apply(t => EksClusterLayout.Kubeconfig(t.Item1, t.Item2, t.Item3, t.Item4)));

        ClusterName = cluster.Name;
        NodeSubnetIds = Output.All(privateSubnets.Select(s => s.Id)).Apply(ids => ids.ToList());
        PublicSubnetIds = Output.All(publicSubnets.Select(s => s.Id)).Apply(ids => ids.ToList());
        VpcId = vpc.Id;
        OidcProviderArn = oidc.Arn;
        OidcIssuerUrl = issuer;
        SecretsKmsKeyArn = secretsKey.Arn;
        KubernetesVersion = Output.Create(plan.KubernetesVersion);

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["clusterName"] = ClusterName,
            ["nodeSubnetIds"] = NodeSubnetIds,
            ["publicSubnetIds"] = PublicSubnetIds,
            ["vpcId"] = VpcId,
            ["oidcProviderArn"] = OidcProviderArn,
            ["oidcIssuerUrl"] = OidcIssuerUrl,
            ["kubeconfig"] = Kubeconfig,
            ["secretsKmsKeyArn"] = SecretsKmsKeyArn,
            ["kubernetesVersion"] = KubernetesVersion,
        });
    }

    /// <summary>The EKS cluster name.</summary>
    [Output("clusterName")]
    public Output<string> ClusterName { get; private set; }

    /// <summary>The private subnets, one per zone: where node groups launch.</summary>
    [Output("nodeSubnetIds")]
    public Output<List<string>> NodeSubnetIds { get; private set; }

    /// <summary>The public subnets, one per zone (load balancers, NAT).</summary>
    [Output("publicSubnetIds")]
    public Output<List<string>> PublicSubnetIds { get; private set; }

    /// <summary>The VPC id.</summary>
    [Output("vpcId")]
    public Output<string> VpcId { get; private set; }

    /// <summary>ARN of the IAM OIDC provider (IAM roles for service accounts).</summary>
    [Output("oidcProviderArn")]
    public Output<string> OidcProviderArn { get; private set; }

    /// <summary>The cluster's OIDC issuer URL.</summary>
    [Output("oidcIssuerUrl")]
    public Output<string> OidcIssuerUrl { get; private set; }

    /// <summary>The KMS key that envelope-encrypts the cluster's Kubernetes Secrets.</summary>
    [Output("secretsKmsKeyArn")]
    public Output<string> SecretsKmsKeyArn { get; private set; }

    /// <summary>The control plane's Kubernetes minor version (the one the add-on pins follow).</summary>
    [Output("kubernetesVersion")]
    public Output<string> KubernetesVersion { get; private set; }

    /// <summary>Kubeconfig (JSON, secret) that authenticates with <c>aws eks get-token</c>.</summary>
    [Output("kubeconfig")]
    public Output<string> Kubeconfig { get; private set; }
}
