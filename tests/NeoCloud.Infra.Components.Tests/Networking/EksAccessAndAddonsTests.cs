using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Components.Networking;
using NeoCloud.Infra.Components.Serving;
using NeoCloud.Infra.Components.Storage;
using NeoCloud.Infra.Components.Tests.Gpu;
using NeoCloud.Infra.Components.Tests.Serving;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Networking;

namespace NeoCloud.Infra.Components.Tests.Networking;

/// <summary>
/// Issue 14 items 3–5 under the mock engine: the EKS control plane (authentication mode API, access entries with their
/// policies, logs, Secrets encryption, the public endpoint's CIDRs), the node-dependent add-ons and StorageClasses, and
/// workload identity through EKS Pod Identity (no IAM user, no key).
/// </summary>
public sealed class EksAccessAndAddonsTests
{
    private static ImmutableDictionary<string, object> Map(object o) => (ImmutableDictionary<string, object>)o;

    private static string[] Strings(object o) => [.. ((ImmutableArray<object>)o).Cast<string>()];

    private static EksClusterArgs ClusterArgs() => new()
    {
        AvailabilityZones = ["us-east-1a", "us-east-1b"],
        VpcCidr = "10.40.0.0/16",
        KubernetesVersion = "1.34",
        PublicAccessCidrs = ["203.0.113.0/24"],
        AccessEntries =
        [
            new EksAccessEntryArgs { PrincipalArn = "arn:aws:iam::123456789012:role/neocloud-deploy", Policy = "cluster-admin" },
            new EksAccessEntryArgs { PrincipalArn = "arn:aws:iam::123456789012:role/neocloud-preview", Policy = "view" },
        ],
        Environment = "prod",
        CostCenter = "ml",
    };

    [Fact]
    public async Task The_control_plane_is_api_authenticated_logged_encrypted_and_limited_to_the_cidrs()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new EksCluster("burst", ClusterArgs()));

        var cluster = mocks.Single("aws:eks/cluster:Cluster");
        var access = Map(cluster.Inputs["accessConfig"]);
        Assert.Equal("API", access["authenticationMode"]);
        Assert.Equal(false, access["bootstrapClusterCreatorAdminPermissions"]); // a cluster-admin entry exists
        Assert.Equal(["api", "audit", "authenticator"], Strings(cluster.Inputs["enabledClusterLogTypes"]));
        var vpc = Map(cluster.Inputs["vpcConfig"]);
        Assert.Equal(true, vpc["endpointPrivateAccess"]);
        Assert.Equal(true, vpc["endpointPublicAccess"]);
        Assert.Equal(["203.0.113.0/24"], Strings(vpc["publicAccessCidrs"]));

        var key = mocks.Single("aws:kms/key:Key");
        Assert.Equal(true, key.Inputs["enableKeyRotation"]);
        var encryption = Map(cluster.Inputs["encryptionConfig"]);
        Assert.Equal(["secrets"], Strings(encryption["resources"]));
        Assert.Equal(key.Name is { } n ? $"arn:aws:mock:us-east-1:123456789012:key/{n}" : null, Map(encryption["provider"])["keyArn"]);
        var kmsPolicy = mocks.OfType("aws:iam/rolePolicy:RolePolicy").Single(p => p.Name == "burst-cluster-kms");
        Assert.Contains("kms:Decrypt", (string)kmsPolicy.Inputs["policy"], StringComparison.Ordinal);

        // One access entry per principal, each with its access policy at cluster scope, named by the role.
        var entries = mocks.OfType("aws:eks/accessEntry:AccessEntry");
        Assert.Equal(["burst-access-neocloud-deploy", "burst-access-neocloud-preview"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        var policies = mocks.OfType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").ToDictionary(p => p.Name!);
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", policies["burst-access-neocloud-deploy"].Inputs["policyArn"]);
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", policies["burst-access-neocloud-preview"].Inputs["policyArn"]);
        Assert.All(policies.Values, p => Assert.Equal("cluster", Map(p.Inputs["accessScope"])["type"]));
    }

    [Fact]
    public async Task Without_a_cluster_admin_entry_the_creator_is_bootstrapped_and_without_cidrs_the_endpoint_is_open()
    {
        var args = ClusterArgs();
        args.AccessEntries = null;
        args.PublicAccessCidrs = null;
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new EksCluster("dev", args));
        var cluster = mocks.Single("aws:eks/cluster:Cluster");
        Assert.Equal(true, Map(cluster.Inputs["accessConfig"])["bootstrapClusterCreatorAdminPermissions"]);
        Assert.Equal(["0.0.0.0/0"], Strings(Map(cluster.Inputs["vpcConfig"])["publicAccessCidrs"]));
        Assert.Empty(mocks.OfType("aws:eks/accessEntry:AccessEntry"));
    }

    [Fact]
    public async Task A_principal_that_is_not_an_iam_arn_registers_nothing()
    {
        var args = ClusterArgs();
        args.AccessEntries![1].PrincipalArn = "neocloud-preview";
        var (ex, mocks) = await GpuNodePoolTests.RunFailing(() => _ = new EksCluster("burst", args));
        Assert.Contains("EksClusterArgs.AccessEntries[1].PrincipalArn: \"neocloud-preview\" is not an IAM role or user ARN", ex.Message, StringComparison.Ordinal);
        Assert.Empty(mocks.Resources);
    }

    [Fact]
    public async Task Node_dependent_add_ons_come_with_the_ebs_role_through_pod_identity_and_the_storage_classes()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new EksClusterAddons("burst-addons", new EksClusterAddonsArgs
        {
            ClusterName = "burst-cluster",
            KubernetesVersion = "1.34",
            CoreDnsConfiguration = "{\"nodeSelector\":{\"neocloud.io/node-role\":\"system\"}}",
            StorageClasses = [new EbsStorageClassArgs { Name = "fast-ssd", Iops = 6000, Throughput = 500 }],
            Environment = "prod",
            CostCenter = "ml",
        }));

        var addons = mocks.OfType("aws:eks/addon:Addon").ToDictionary(a => (string)a.Inputs["addonName"]);
        Assert.Equal(["aws-ebs-csi-driver", "coredns"], addons.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(EksAddons.Pin("1.34", "coredns").Version, addons["coredns"].Inputs["addonVersion"]);
        // EBS CSI is verified for 1.36 only: on 1.34 it is EKS's default build for the version (aws.eks.getAddonVersion).
        Assert.False(EksAddons.Pin("1.34", "aws-ebs-csi-driver").Verified);
        Assert.Equal(RecordingMocks.MockDefaultAddonVersionPrefix + "aws-ebs-csi-driver-1.34", addons["aws-ebs-csi-driver"].Inputs["addonVersion"]);
        Assert.Equal("{\"nodeSelector\":{\"neocloud.io/node-role\":\"system\"}}", addons["coredns"].Inputs["configurationValues"]);
        var association = Map(((ImmutableArray<object>)addons["aws-ebs-csi-driver"].Inputs["podIdentityAssociations"]).Single());
        Assert.Equal("ebs-csi-controller-sa", association["serviceAccount"]);
        var role = mocks.Single("aws:iam/role:Role");
        Assert.Equal(role.Name is { } r ? $"arn:aws:mock:us-east-1:123456789012:role/{r}" : null, association["roleArn"]);
        using (var trust = JsonDocument.Parse((string)role.Inputs["assumeRolePolicy"]))
        {
            var statement = trust.RootElement.GetProperty("Statement")[0];
            Assert.Equal("pods.eks.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service").GetString());
            Assert.Equal(["sts:AssumeRole", "sts:TagSession"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!));
        }

        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", mocks.Single("aws:iam/rolePolicyAttachment:RolePolicyAttachment").Inputs["policyArn"]);

        var classes = mocks.OfType("kubernetes:storage.k8s.io/v1:StorageClass").ToDictionary(c => (string)Map(c.Inputs["metadata"])["name"]);
        Assert.Equal(["fast-ssd", "gp3"], classes.Keys.Order(StringComparer.Ordinal));
        var gp3 = classes["gp3"];
        Assert.Equal("ebs.csi.aws.com", gp3.Inputs["provisioner"]);
        Assert.Equal("WaitForFirstConsumer", gp3.Inputs["volumeBindingMode"]);
        Assert.Equal("true", Map(gp3.Inputs["parameters"])["encrypted"]);
        Assert.Equal("true", Map(Map(gp3.Inputs["metadata"])["annotations"])["storageclass.kubernetes.io/is-default-class"]);
        Assert.False(Map(classes["fast-ssd"].Inputs["metadata"]).ContainsKey("annotations"));
        Assert.Equal("6000", Map(classes["fast-ssd"].Inputs["parameters"])["iops"]);
    }

    [Fact]
    public async Task On_a_cluster_the_stack_does_not_own_only_the_classes_are_created()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new EksClusterAddons("shared", new EksClusterAddonsArgs
        {
            ClusterName = "shared",
            ManageAddons = false,
            Environment = "prod",
            CostCenter = "ml",
        }));
        Assert.Empty(mocks.OfType("aws:eks/addon:Addon"));
        Assert.Empty(mocks.OfType("aws:iam/role:Role"));
        Assert.Single(mocks.OfType("kubernetes:storage.k8s.io/v1:StorageClass"));
    }

    [Fact]
    public async Task A_reader_on_eks_is_a_pod_identity_role_with_a_service_account_per_namespace_and_no_key()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new ModelBucketAccess("burst-model-reader", new ModelBucketAccessArgs
        {
            BucketArn = "arn:aws:s3:::neocloud-models-a1b2c3d4",
            KmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k",
            Region = "us-east-1",
            Namespaces = ["chat", "research"],
            Identity = "podIdentity",
            ClusterName = "burst-cluster",
            Environment = "prod",
            CostCenter = "ml",
        }));

        Assert.Empty(mocks.OfType("aws:iam/user:User"));
        Assert.Empty(mocks.OfType("aws:iam/accessKey:AccessKey"));
        var role = mocks.Single("aws:iam/role:Role");
        Assert.Contains("pods.eks.amazonaws.com", (string)role.Inputs["assumeRolePolicy"], StringComparison.Ordinal);
        using (var policy = JsonDocument.Parse((string)mocks.Single("aws:iam/rolePolicy:RolePolicy").Inputs["policy"]))
        {
            var statements = policy.RootElement.GetProperty("Statement").EnumerateArray().ToList();
            Assert.DoesNotContain(statements.SelectMany(s => s.GetProperty("Action").EnumerateArray()), a => a.GetString() is "s3:PutObject" or "s3:DeleteObject");
            var kms = Assert.Single(statements, s => s.GetProperty("Action").EnumerateArray().Any(a => a.GetString() == "kms:Decrypt"));
            Assert.Equal("s3.us-east-1.amazonaws.com", kms.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());
        }

        var accounts = mocks.OfType("kubernetes:core/v1:ServiceAccount");
        Assert.Equal(["chat", "research"], accounts.Select(a => (string)Map(a.Inputs["metadata"])["namespace"]).Order(StringComparer.Ordinal));
        Assert.All(accounts, a => Assert.Equal("model-reader", Map(a.Inputs["metadata"])["name"]));
        var associations = mocks.OfType("aws:eks/podIdentityAssociation:PodIdentityAssociation");
        Assert.Equal(["chat", "research"], associations.Select(a => (string)a.Inputs["namespace"]).Order(StringComparer.Ordinal));
        Assert.All(associations, a =>
        {
            Assert.Equal("burst-cluster", a.Inputs["clusterName"]);
            Assert.Equal("model-reader", a.Inputs["serviceAccount"]);
            Assert.Equal("arn:aws:mock:us-east-1:123456789012:role/burst-model-reader", a.Inputs["roleArn"]);
        });

        // The Secret keeps its name (no replacement of what pods reference) and holds only the region.
        Assert.All(mocks.OfType("kubernetes:core/v1:Secret"), s => Assert.Equal(["AWS_DEFAULT_REGION"], Map(s.Inputs["stringData"]).Keys));
    }

    [Theory]
    [InlineData("podIdentity", null, "ModelBucketAccessArgs.ClusterName: is required with Identity podIdentity")]
    [InlineData("accessKey", "burst", "ModelBucketAccessArgs.ClusterName: is only used with Identity podIdentity")]
    [InlineData("iamUser", null, "ModelBucketAccessArgs.Identity: \"iamUser\" is not allowed; allowed: accessKey, podIdentity")]
    public async Task A_bad_identity_registers_nothing(string identity, string? cluster, string message)
    {
        var (ex, mocks) = await GpuNodePoolTests.RunFailing(() => _ = new ModelBucketAccess("r", new ModelBucketAccessArgs
        {
            BucketArn = "arn:aws:s3:::b",
            KmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k",
            Region = "us-east-1",
            Namespaces = ["chat"],
            Identity = identity,
            ClusterName = cluster is null ? null : (Pulumi.Input<string>)cluster,
            Environment = "prod",
            CostCenter = "ml",
        }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Empty(mocks.Resources);
    }

    [Fact]
    public async Task Triton_with_a_service_account_runs_as_it_and_reads_only_the_region_from_the_secret()
    {
        var args = ServingTestData.Args();
        args.ServiceAccountName = "model-reader";
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new TritonService("chat", args));
        var pod = ServingTestData.Map(ServingTestData.At(mocks.Single("kubernetes:apps/v1:Deployment").Inputs, "spec", "template", "spec"));
        Assert.Equal("model-reader", pod["serviceAccountName"]);
        var env = ServingTestData.List(ServingTestData.Map(ServingTestData.List(pod["containers"])[0])["env"]);
        // Of the credential Secret only the region; TMPDIR and TRITON_AWS_MOUNT_DIRECTORY are the model cache (issue 15), not credentials.
        Assert.Equal(["AWS_DEFAULT_REGION", "TMPDIR", "TRITON_AWS_MOUNT_DIRECTORY"], env.Select(e => (string)ServingTestData.Map(e)["name"]));
        Assert.Single(env, e => ServingTestData.Map(e).ContainsKey("valueFrom"));

        var (keyed, _) = await PulumiTest.RunAsync(() => _ = new TritonService("chat", ServingTestData.Args()));
        var keyedPod = ServingTestData.Map(ServingTestData.At(keyed.Single("kubernetes:apps/v1:Deployment").Inputs, "spec", "template", "spec"));
        Assert.False(keyedPod.ContainsKey("serviceAccountName"));
        Assert.Equal(3, ServingTestData.List(ServingTestData.Map(ServingTestData.List(keyedPod["containers"])[0])["env"]).Count(e => ServingTestData.Map(e).ContainsKey("valueFrom")));
    }

    [Fact]
    public async Task The_burst_endpoint_is_an_internal_nlb_admitting_only_the_on_prem_cidrs()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new InternalServingEndpoint("chat-burst-internal", new InternalServingEndpointArgs
        {
            ServiceName = "chat-burst-internal",
            Namespace = "chat",
            Selector = new() { ["app.kubernetes.io/name"] = "triton", ["app.kubernetes.io/instance"] = "chat-burst" },
            Ports = new() { ["http"] = 8000, ["grpc"] = 8001 },
            SourceRanges = ["10.10.0.0/16"],
            Environment = "prod",
            CostCenter = "ml",
        }));
        var service = mocks.Single("kubernetes:core/v1:Service");
        var annotations = Map(Map(service.Inputs["metadata"])["annotations"]);
        Assert.Equal("true", annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]);
        Assert.Equal("nlb", annotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
        var spec = Map(service.Inputs["spec"]);
        Assert.Equal("LoadBalancer", spec["type"]);
        Assert.Equal("Local", spec["externalTrafficPolicy"]);
        Assert.Equal(["10.10.0.0/16"], Strings(spec["loadBalancerSourceRanges"]));
    }

    [Theory]
    [InlineData("0.0.0.0/0", "InternalServingEndpointArgs.SourceRanges[0]: \"0.0.0.0/0\" is not allowed")]
    [InlineData(null, "InternalServingEndpointArgs.SourceRanges: is required")]
    public async Task An_internal_endpoint_open_to_everyone_registers_nothing(string? range, string message)
    {
        var (ex, mocks) = await GpuNodePoolTests.RunFailing(() => _ = new InternalServingEndpoint("e", new InternalServingEndpointArgs
        {
            ServiceName = "e",
            Namespace = "chat",
            Selector = new() { ["app"] = "x" },
            Ports = new() { ["http"] = 8000 },
            SourceRanges = range is null ? [] : [range],
            Environment = "prod",
            CostCenter = "ml",
        }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Empty(mocks.Resources);
    }
}
