using NeoCloud.Infra.Core.Compatibility;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;
using NeoCloud.Infra.Core.Storage;

namespace NeoCloud.Infra.Core.Tests.Networking;

/// <summary>
/// Issue 14 items 3, 4 and 6 in config: the EKS control plane (access entries, public endpoint CIDRs, logs), the
/// StorageClasses every cluster names, the on-prem load-balancer implementation and the private hybrid link. A bad value
/// is one error at its key whose reason is the EKS cluster planner's (parity); nothing binds.
/// </summary>
public class EksAccessBindingTests
{
    private static readonly string Prod = File.ReadAllText(RepoFiles.StackFile("prod"));

    private const string DeployEntry = "        - {principalArn: \"arn:aws:iam::123456789012:role/neocloud-deploy\", policy: cluster-admin}\n";

    private static ConfigError SingleError(string yaml) => Assert.Single(EnvironmentBinder.Bind(StackConfig.FromYaml(yaml, "prod")).Errors);

    private static string Replace(string block, string with)
    {
        Assert.Contains(block, Prod, StringComparison.Ordinal);
        return Prod.Replace(block, with, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prod_stack_binds_its_access_entries_endpoint_link_load_balancer_and_classes()
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(Prod, "prod"));
        var burst = env.Cluster("burst");
        Assert.Equal([new EksAccessEntry("arn:aws:iam::123456789012:role/neocloud-deploy", "cluster-admin"), new EksAccessEntry("arn:aws:iam::123456789012:role/neocloud-preview", "view")], burst.Access.ToArray());
        Assert.Equal(["203.0.113.0/24", "198.51.100.0/24"], burst.PublicAccessCidrs!.Value.ToArray());
        Assert.Equal(EksControlPlaneLogs.Default.ToArray(), burst.ControlPlaneLogs.ToArray());
        Assert.Equal("vpn", burst.PrivateLink!.Kind);
        Assert.Equal(["10.10.0.0/16", "10.20.0.0/16"], burst.PrivateLink.OnPremCidrs.ToArray());
        Assert.Equal(LoadBalancerImplementation.MetalLb, env.Cluster("dc1").LoadBalancer);
        Assert.Equal([new StorageClassSpec("fast-ssd", true, false)], env.Cluster("dc1").StorageClasses.ToArray());
        Assert.Equal([new StorageClassSpec("fast-ssd", false, false, "gp3", 6000, 500)], burst.StorageClasses.ToArray());
    }

    [Fact]
    public void A_principal_that_is_not_an_IAM_ARN_is_one_error_naming_the_key_with_the_planners_reason()
    {
        var yaml = Replace(DeployEntry, "        - {principalArn: \"arn:aws:sts::123456789012:assumed-role/neocloud-deploy/ci\", policy: cluster-admin}\n");
        var error = SingleError(yaml);
        Assert.Equal("neocloud:clusters[1].access[0].principalArn", error.Path);
        Assert.Contains("is not an IAM role or user ARN", error.Message, StringComparison.Ordinal);

        var spec = new EksClusterSpec
        {
            Ownership = new OwnershipSpec("prod", "inference-platform"),
            AvailabilityZones = ["us-east-1a", "us-east-1b"],
            AccessEntries = [new EksAccessEntry("arn:aws:sts::123456789012:assumed-role/neocloud-deploy/ci", "cluster-admin")],
        };
        var problem = Assert.Single(EksClusterPlanner.Validate(spec));
        Assert.Equal("AccessEntries[0].PrincipalArn", problem.PropertyPath);
        Assert.Equal(problem.Reason, error.Message);
    }

    [Theory]
    [InlineData("policy: cluster-admin}", "policy: root}", "access[0].policy", "\"root\" is not allowed; allowed: admin, cluster-admin, view")]
    [InlineData("publicAccessCidrs: [203.0.113.0/24, 198.51.100.0/24]", "publicAccessCidrs: [203.0.113.7/24]", "publicAccessCidrs[0]", "\"203.0.113.7/24\" is not an IPv4 CIDR")]
    [InlineData("publicAccessCidrs: [203.0.113.0/24, 198.51.100.0/24]", "publicAccessCidrs: [0.0.0.0/0]", "publicAccessCidrs", "opens the API endpoint to the internet")]
    [InlineData("        kind: vpn\n", "        kind: direct-connect\n", "privateLink.kind", "not encrypted")]
    [InlineData("        onPremCidrs: [10.10.0.0/16, 10.20.0.0/16]\n", "        onPremCidrs: []\n", "privateLink.onPremCidrs", "at least one on-prem CIDR")]
    [InlineData("      loadBalancer: metallb\n", "      loadBalancer: f5\n", "loadBalancer", "\"f5\" is not allowed")]
    [InlineData("        - {name: fast-ssd, existing: true}\n", "        - {name: fast-ssd}\n", "storageClasses[0].existing", "creates no StorageClass on an on-prem cluster")]
    [InlineData("        - {name: fast-ssd, volumeType: gp3, iops: 6000, throughput: 500}\n", "        - {name: fast-ssd, volumeType: gp3, iops: 90000}\n", "storageClasses[0].iops", "90000 is outside what gp3 allows (3000-16000")]
    [InlineData("        - {name: fast-ssd, volumeType: gp3, iops: 6000, throughput: 500}\n", "        - {name: gp3}\n", "storageClasses[0].name", "is the encrypted gp3 class the stack creates")]
    [InlineData("        - {name: fast-ssd, volumeType: gp3, iops: 6000, throughput: 500}\n", "        - {name: fast-ssd, volumeType: io2, throughput: 500}\n", "storageClasses[0].throughput", "is only for volumeType gp3")]
    [InlineData("      controlPlaneLogs: []\n", "      controlPlaneLogs: [api, kubelet]\n", "controlPlaneLogs[1]", "\"kubelet\" is not allowed; allowed: api, audit, authenticator, controllerManager, scheduler")]
    public void A_bad_control_plane_storage_or_hybrid_value_is_one_error_at_its_key(string block, string with, string key, string message)
    {
        var yaml = block == "      controlPlaneLogs: []\n"
            ? Replace("      publicAccessCidrs: [203.0.113.0/24, 198.51.100.0/24]\n", "      publicAccessCidrs: [203.0.113.0/24, 198.51.100.0/24]\n" + with)
            : Replace(block, with);
        var error = SingleError(yaml);
        var cluster = key.StartsWith("loadBalancer", StringComparison.Ordinal) || (key.StartsWith("storageClasses", StringComparison.Ordinal) && block.Contains("existing", StringComparison.Ordinal)) ? 0 : 1;
        Assert.Equal($"neocloud:clusters[{cluster}].{key}", error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_of_the_other_substrate_are_refused()
    {
        Assert.Equal("neocloud:clusters[0].privateLink", SingleError(Replace("      loadBalancer: metallb\n", "      loadBalancer: metallb\n      privateLink: {kind: vpn, onPremCidrs: [10.0.0.0/8]}\n")).Path);
        Assert.Equal("neocloud:clusters[1].loadBalancer", SingleError(Replace("      privateLink:\n", "      loadBalancer: metallb\n      privateLink:\n")).Path);
    }

    [Fact]
    public void In_production_the_public_endpoint_is_private_only_unless_config_lists_cidrs()
    {
        var env = EnvironmentBinder.BindOrThrow(StackConfig.FromYaml(Replace("      publicAccessCidrs: [203.0.113.0/24, 198.51.100.0/24]\n", string.Empty), "prod"));
        Assert.Empty(env.Cluster("burst").PublicAccessCidrs!.Value);
        var plan = EksClusterPlanner.Plan(new EksClusterSpec
        {
            Ownership = new OwnershipSpec("prod", "x"),
            AvailabilityZones = ["us-east-1a", "us-east-1b"],
            PublicAccessCidrs = env.Cluster("burst").PublicAccessCidrs,
        });
        Assert.False(plan.EndpointPublicAccess);
        Assert.Empty(plan.PublicAccessCidrs);

        var open = EksClusterPlanner.Plan(new EksClusterSpec { Ownership = new OwnershipSpec("dev", "x"), AvailabilityZones = ["us-east-1a", "us-east-1b"] });
        Assert.True(open.EndpointPublicAccess);
        Assert.Equal(["0.0.0.0/0"], open.PublicAccessCidrs.ToArray());
    }

    [Fact]
    public void The_creator_is_bootstrapped_as_admin_only_when_config_names_no_cluster_admin()
    {
        EksClusterPlan Plan(params EksAccessEntry[] entries) => EksClusterPlanner.Plan(new EksClusterSpec { Ownership = new OwnershipSpec("dev", "x"), AvailabilityZones = ["a-1a", "a-1b"], AccessEntries = [.. entries] });
        Assert.True(Plan().BootstrapCreatorAdmin);
        Assert.True(Plan(new EksAccessEntry("arn:aws:iam::123456789012:role/ro", "view")).BootstrapCreatorAdmin);
        Assert.False(Plan(new EksAccessEntry("arn:aws:iam::123456789012:role/deploy", "cluster-admin")).BootstrapCreatorAdmin);
        Assert.Equal("API", Plan().AuthenticationMode);
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", EksAccessPolicies.PolicyArn("aws", "view"));
        Assert.Equal("arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", EksAccessPolicies.PolicyArn("aws-us-gov", "cluster-admin"));
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/deploy", true)]
    [InlineData("arn:aws:iam::123456789012:role/ci/github/preview", true)]
    [InlineData("arn:aws-cn:iam::123456789012:user/ops@example", true)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/deploy/session", false)]
    [InlineData("arn:aws:iam::12345678901:role/deploy", false)]
    [InlineData("arn:aws:iam::123456789012:group/admins", false)]
    [InlineData("deploy", false)]
    public void Principal_arns(string arn, bool ok) => Assert.Equal(ok, EksAccessPolicies.IsPrincipalArn(arn));

    [Fact]
    public void A_hybrid_burst_without_a_load_balancer_or_a_private_link_is_refused_at_the_keys_that_declare_them()
    {
        var withoutLb = Replace("      loadBalancer: metallb\n", string.Empty);
        var lb = SingleError(withoutLb);
        Assert.Equal("neocloud:clusters[0].loadBalancer", lb.Path);
        Assert.StartsWith("is required: cluster \"dc1\" exposes its Prometheus to burst cluster \"burst\" through a LoadBalancer Service", lb.Message, StringComparison.Ordinal);
        Assert.EndsWith("allowed: metallb, existing", lb.Message, StringComparison.Ordinal);

        var withoutLink = Replace("      privateLink:\n        kind: vpn\n        onPremCidrs: [10.10.0.0/16, 10.20.0.0/16]\n", string.Empty);
        var link = SingleError(withoutLink);
        Assert.Equal("neocloud:clusters[1].privateLink", link.Path);
        Assert.Contains("only over a declared encrypted private path", link.Message, StringComparison.Ordinal);

        // Both missing: one error per key, and no model (nothing is created).
        var both = EnvironmentBinder.Bind(StackConfig.FromYaml(withoutLb.Replace("      privateLink:\n        kind: vpn\n        onPremCidrs: [10.10.0.0/16, 10.20.0.0/16]\n", string.Empty, StringComparison.Ordinal), "prod"));
        Assert.Null(both.Model);
        Assert.Equal(["neocloud:clusters[0].loadBalancer", "neocloud:clusters[1].privateLink"], both.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Every_kubernetes_version_of_the_matrix_pins_the_five_add_ons_and_kube_proxy_follows_the_minor()
    {
        foreach (var version in CompatibilityMatrix.Default.GpuOperators.SelectMany(r => r.Kubernetes).Distinct())
        {
            var pins = EksAddons.For(version)!.Value;
            Assert.Equal([EksAddons.VpcCni, EksAddons.KubeProxy, EksAddons.PodIdentityAgent, EksAddons.CoreDns, EksAddons.EbsCsiDriver], pins.Select(p => p.Name));
            Assert.All(pins, p => Assert.Matches(@"^v[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+$", p.Version));
            Assert.All(pins, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
            Assert.StartsWith($"v{version}.", EksAddons.Pin(version, EksAddons.KubeProxy).Version, StringComparison.Ordinal);
        }

        Assert.Equal(EksAddons.BeforeCompute.Concat(EksAddons.AfterCompute).Order(), EksAddons.For("1.33")!.Value.Select(p => p.Name).Order());
        Assert.Contains("no pinned EKS add-on versions", EksAddons.Problem("1.32"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_class_is_encrypted_gp3_bound_where_the_pod_lands()
    {
        var classes = EbsStorageClasses.For([new StorageClassSpec("fast-ssd", false, false, "gp3", 6000, 500), new StorageClassSpec("nvme", true, false)]);
        Assert.Equal(["gp3", "fast-ssd"], classes.Select(c => c.Name));
        var gp3 = classes[0];
        Assert.True(gp3.IsDefault);
        Assert.Equal("ebs.csi.aws.com", gp3.Provisioner);
        Assert.Equal("WaitForFirstConsumer", gp3.VolumeBindingMode);
        Assert.Equal("true", gp3.Parameters["encrypted"]);
        Assert.Equal("gp3", gp3.Parameters["type"]);
        Assert.Equal("6000", classes[1].Parameters["iops"]);
        Assert.Equal("500", classes[1].Parameters["throughput"]);
        Assert.False(EbsStorageClasses.For([new StorageClassSpec("fast", false, true)])[0].IsDefault);
    }
}
