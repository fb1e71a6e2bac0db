using System.Collections.Immutable;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Networking;
using NeoCloud.Infra.Components.Tests.Testing;

namespace NeoCloud.Infra.Components.Tests.Gpu;

public class EksClusterTests
{
    private static EksClusterArgs Args() => new()
    {
        AvailabilityZones = ["us-east-1a", "us-east-1b"],
        VpcCidr = "10.40.0.0/16",
        KubernetesVersion = "1.33",
        Environment = "prod",
        CostCenter = "ml",
    };

    [Fact]
    public async Task Cluster_network_oidc_cni_and_provider_feed_a_gpu_pool()
    {
        EksCluster? cluster = null;
        var (mocks, _) = await PulumiTest.RunAsync(() =>
        {
            cluster = new EksCluster("gpu", Args());
            _ = new GpuNodePool("h100", new GpuNodePoolArgs
            {
                Substrate = "eks",
                Environment = "prod",
                CostCenter = "ml",
                ClusterName = cluster.ClusterName,
                NodeSubnetIds = cluster.NodeSubnetIds,
                InstanceType = "p5.48xlarge",
                AmiReleaseVersion = "1.33.13-20260714", // an EKS GPU AMI release of Core's compatibility matrix (driver 580.159.03)
                MinSize = 0,
                MaxSize = 2,
            });
        });

        Assert.Equal("10.40.0.0/16", mocks.Single("aws:ec2/vpc:Vpc").Inputs["cidrBlock"]);
        var subnets = mocks.OfType("aws:ec2/subnet:Subnet").Select(s => (string)s.Inputs["cidrBlock"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["10.40.0.0/20", "10.40.128.0/20", "10.40.144.0/20", "10.40.16.0/20"], subnets);
        Assert.Single(mocks.OfType("aws:ec2/natGateway:NatGateway"));
        Assert.Equal(4, mocks.OfType("aws:ec2/routeTableAssociation:RouteTableAssociation").Count);
        var eks = mocks.Single("aws:eks/cluster:Cluster");
        Assert.Equal("1.33", eks.Inputs["version"]);
        Assert.Equal("prod", ((ImmutableDictionary<string, object>)eks.Inputs["tags"])["neocloud.io/environment"]);
        var s3 = mocks.Single("aws:ec2/vpcEndpoint:VpcEndpoint");
        Assert.Equal("Gateway", s3.Inputs["vpcEndpointType"]);
        Assert.Equal("com.amazonaws.us-east-1.s3", s3.Inputs["serviceName"]);
        Assert.Equal("gpu-vpc-id", s3.Inputs["vpcId"]);
        Assert.Equal(["gpu-private-id", "gpu-public-id"], ((ImmutableArray<object>)s3.Inputs["routeTableIds"]).Cast<string>().Order(StringComparer.Ordinal));
        // The add-ons that need no node, at Core's pins for 1.33; vpc-cni enforces NetworkPolicies.
        var addons = mocks.OfType("aws:eks/addon:Addon").ToDictionary(a => (string)a.Inputs["addonName"]);
        Assert.Equal(["eks-pod-identity-agent", "kube-proxy", "vpc-cni"], addons.Keys.Order(StringComparer.Ordinal));
        // A verified pin is sent as it is; an unverified one (eks-pod-identity-agent) is EKS's default build for 1.33, read
        // with aws.eks.getAddonVersion, so a build that does not exist for the version is never requested.
        foreach (var (addonName, addon) in addons)
        {
            var pin = Core.Networking.EksAddons.Pin("1.33", addonName);
            Assert.Equal(pin.Verified ? pin.Version : $"{RecordingMocks.MockDefaultAddonVersionPrefix}{addonName}-1.33", addon.Inputs["addonVersion"]);
        }

        Assert.False(Core.Networking.EksAddons.Pin("1.33", "eks-pod-identity-agent").Verified);
        Assert.Contains(mocks.Calls, c => c.Token == "aws:eks/getAddonVersion:getAddonVersion" && Equals(c.Args["addonName"], "eks-pod-identity-agent"));
        Assert.DoesNotContain(mocks.Calls, c => c.Token == "aws:eks/getAddonVersion:getAddonVersion" && Equals(c.Args["addonName"], "kube-proxy"));
        Assert.Equal("{\"enableNetworkPolicy\":\"true\"}", addons["vpc-cni"].Inputs["configurationValues"]);
        Assert.Equal("gpu-vpc-cni", addons["vpc-cni"].Name);
        var oidc = mocks.Single("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        Assert.Equal("https://oidc.eks.mock/id/gpu-cluster", oidc.Inputs["url"]);
        // A provider is not an output: the caller builds one from Kubeconfig (ClusterAccess does for the stack).
        Assert.Empty(mocks.OfType("pulumi:providers:kubernetes"));

        var ng = mocks.Single("aws:eks/nodeGroup:NodeGroup");
        Assert.Equal("gpu-cluster", ng.Inputs["clusterName"]);
        Assert.StartsWith("arn:aws:mock", (string)ng.Inputs["nodeRoleArn"]);

        // Id-based wiring: every subnet in the VPC, nodes in the private subnets only, the cluster in all of them.
        Assert.All(mocks.OfType("aws:ec2/subnet:Subnet"), s => Assert.Equal("gpu-vpc-id", s.Inputs["vpcId"]));
        var privateIds = mocks.OfType("aws:ec2/subnet:Subnet").Where(s => s.Name!.Contains("-private-", StringComparison.Ordinal)).Select(s => s.Name + "-id").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, privateIds.Length);
        Assert.Equal(privateIds, ((ImmutableArray<object>)ng.Inputs["subnetIds"]).Cast<string>().Order(StringComparer.Ordinal).ToArray());
        var clusterSubnets = ((ImmutableArray<object>)((ImmutableDictionary<string, object>)eks.Inputs["vpcConfig"])["subnetIds"]).Cast<string>().ToArray();
        Assert.Equal(4, clusterSubnets.Length);
        Assert.Equal("gpu-nat-id", mocks.OfType("aws:ec2/routeTable:RouteTable").Select(r => r.Inputs).Where(i => i.ContainsKey("routes"))
            .SelectMany(i => ((ImmutableArray<object>)i["routes"]).Cast<ImmutableDictionary<string, object>>()).Single(r => r.ContainsKey("natGatewayId"))["natGatewayId"]);

        var kubeconfig = await PulumiTest.ValueAsync(cluster!.Kubeconfig);
        Assert.Contains("\"get-token\"", kubeconfig);
        Assert.Contains("https://gpu-cluster.eks.mock", kubeconfig);
        Assert.True(await Pulumi.Output.IsSecretAsync(cluster.Kubeconfig));
    }

    [Fact]
    public void One_zone_is_rejected_before_anything_is_registered()
    {
        var args = Args();
        args.AvailabilityZones = ["us-east-1a"];
        var ex = Assert.Throws<ComponentArgsException>(() => new EksCluster("gpu", args));
        Assert.Equal("AvailabilityZones", Assert.Single(ex.Problems).PropertyPath);
    }

    [Fact]
    public async Task Ownership_zones_and_cidr_are_reported_together_and_nothing_is_registered()
    {
        var args = Args();
        args.AvailabilityZones = ["us-east-1a", "us-east-1a"];
        args.VpcCidr = "10.40.0.0/8";
        args.CostCenter = null!;
        var (ex, mocks) = await GpuNodePoolTests.RunFailing(() => _ = new EksCluster("gpu", args));
        Assert.Contains("EksCluster \"gpu\": invalid EksClusterArgs (3 problems); nothing was registered:", ex.Message);
        Assert.Contains("EksClusterArgs.CostCenter: a missing value is not allowed", ex.Message);
        Assert.Contains("EksClusterArgs.AvailabilityZones: lists a zone twice", ex.Message);
        Assert.Contains("EksClusterArgs.VpcCidr: \"10.40.0.0/8\" is not an IPv4 CIDR with a prefix from /16 to /20", ex.Message);
        Assert.Empty(mocks.Resources);
    }

    [Fact]
    public async Task The_cluster_registers_under_the_index_token_and_tags_with_the_extra_tags()
    {
        var args = Args();
        args.Tags = new() { ["team"] = "gpu" };
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new EksCluster("gpu", args));
        Assert.Equal("gpu", mocks.Single("neocloud:index:EksCluster").Name);
        var tags = (ImmutableDictionary<string, object>)mocks.Single("aws:ec2/vpc:Vpc").Inputs["tags"];
        Assert.Equal("gpu", tags["team"]);
        Assert.Equal("prod", tags["neocloud.io/environment"]);
    }

    // The AWS SDK types Eks.Outputs.ClusterIdentityOidc.Issuer and ClusterCertificateAuthority.Data as string?
    // (pulumi/pulumi-aws sdk/dotnet/Eks/Outputs/*.cs): EKS reporting none fails the program, naming cluster and output.
    [Theory]
    [InlineData("identities", "EKS cluster 'gpu' reported no OIDC issuer")]
    [InlineData("certificateAuthority", "EKS cluster 'gpu' reported no certificate authority data")]
    public async Task A_cluster_without_oidc_issuer_or_ca_data_fails_with_the_output_named(string output, string message)
    {
        var mocks = new RecordingMocks
        {
            AdjustOutputs = (type, _, outputs) =>
            {
                if (type == "aws:eks/cluster:Cluster")
                {
                    // Valid for the SDK (an oidc block without issuer, a CA block without data), unusable for IRSA / kubeconfig.
                    outputs[output] = output == "identities"
                        ? ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("oidcs", ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty)))
                        : ImmutableDictionary<string, object>.Empty;
                }
            },
        };
        var e = await Assert.ThrowsAnyAsync<Exception>(() => PulumiTest.RunAsync(() => _ = new EksCluster("gpu", Args()), mocks: mocks));
        Assert.Contains(message, e.ToString(), StringComparison.Ordinal);
    }
}
