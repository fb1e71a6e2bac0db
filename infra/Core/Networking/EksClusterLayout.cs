using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NeoCloud.Infra.Core.Diagnostics;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>The subnets of one availability zone of a new EKS cluster's VPC.</summary>
/// <param name="AvailabilityZone">The zone, e.g. <c>us-east-1a</c>.</param>
/// <param name="PublicCidr">CIDR of the public subnet (load balancers, NAT gateway).</param>
/// <param name="PrivateCidr">CIDR of the private subnet (nodes).</param>
public sealed record ZoneSubnets(string AvailabilityZone, string PublicCidr, string PrivateCidr);

/// <summary>
/// Network and access decisions for a new EKS cluster: subnet layout and the kubeconfig document. Lives with the GPU
/// capability because the EKS cluster exists here to host GPU pools; it moves to a Networking namespace when one exists.
/// </summary>
public static class EksClusterLayout
{
    /// <summary>Managed policy (name) every EKS control-plane role needs.</summary>
    public const string ClusterPolicy = "AmazonEKSClusterPolicy";

    /// <summary>Managed policies (names) an EKS managed node group's role needs.</summary>
    public static readonly ImmutableArray<string> NodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];

    /// <summary>Optional node policy for Session Manager access instead of SSH.</summary>
    public const string SsmPolicy = "AmazonSSMManagedInstanceCore";

    /// <summary>The <c>configurationValues</c> of the vpc-cni addon: Kubernetes NetworkPolicy enforcement on.</summary>
    public const string VpcCniConfiguration = "{\"enableNetworkPolicy\":\"true\"}";

    /// <summary>
    /// The trust policy of a role that EKS Pod Identity hands to pods: the <c>pods.eks.amazonaws.com</c> service may
    /// assume it and tag the session (AWS EKS User Guide, pod-id-role: actions <c>sts:AssumeRole</c> and <c>sts:TagSession</c>).
    /// Which pods get it is decided by the Pod Identity association (cluster, namespace, ServiceAccount).
    /// </summary>
    public static string PodIdentityTrustPolicy() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new[]
        {
            new Dictionary<string, object>
            {
                ["Sid"] = "EksPodIdentity",
                ["Effect"] = "Allow",
                ["Principal"] = new Dictionary<string, object> { ["Service"] = "pods.eks.amazonaws.com" },
                ["Action"] = new[] { "sts:AssumeRole", "sts:TagSession" },
            },
        },
    });

    /// <summary>
    /// The control-plane role's permissions on the cluster's Secrets key (envelope encryption): encrypt, decrypt, list
    /// grants and describe the key, on that key only — the statement terraform-aws-modules/terraform-aws-eks attaches to
    /// its cluster role for <c>encryption_config</c>.
    /// </summary>
    /// <param name="keyArn">The KMS key's ARN.</param>
    public static string SecretsKeyPolicy(string keyArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyArn);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["Sid"] = "EnvelopeEncryptionOfSecrets",
                    ["Effect"] = "Allow",
                    ["Action"] = new[] { "kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey" },
                    ["Resource"] = keyArn,
                },
            },
        });
    }

    /// <summary>
    /// The child name of each access entry (and its policy association): <c>{cluster}-access-{role or user name}</c>, so
    /// reordering the list replaces nothing; a name that two principals share gets the entry's position appended.
    /// </summary>
    /// <param name="cluster">The component's name.</param>
    /// <param name="entries">The access entries.</param>
    public static IEnumerable<(EksAccessEntry Entry, string ChildName)> AccessEntryNames(string cluster, IReadOnlyList<EksAccessEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        static string Short(EksAccessEntry e) => e.PrincipalArn[(e.PrincipalArn.LastIndexOf('/') + 1)..].ToLowerInvariant();
        var counts = entries.GroupBy(Short).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var shortName = Short(entries[i]);
            yield return (entries[i], counts[shortName] > 1 ? $"{cluster}-access-{shortName}-{i}" : $"{cluster}-access-{shortName}");
        }
    }

    /// <summary>The ARN of an AWS managed policy in a partition.</summary>
    /// <param name="partition">aws, aws-cn or aws-us-gov.</param>
    /// <param name="policy">Policy name.</param>
    public static string ManagedPolicyArn(string partition, string policy) => $"arn:{partition}:iam::aws:policy/{policy}";

    /// <summary>
    /// Splits <paramref name="vpcCidr"/> (an IPv4 block of /16 to /20) into 16 equal blocks: block i is zone i's private
    /// subnet, block 8+i its public subnet (private and public the same size; at most 8 zones).
    /// </summary>
    /// <param name="vpcCidr">The VPC CIDR, e.g. <c>10.40.0.0/16</c>.</param>
    /// <param name="zones">Two to eight distinct availability zones.</param>
    /// <param name="errors">Receives problems with paths <c>VpcCidr</c> / <c>AvailabilityZones</c>.</param>
    public static ImmutableArray<ZoneSubnets> Subnets(string vpcCidr, IReadOnlyList<string> zones, SpecProblems errors)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (zones.Count < 2)
        {
            errors.Add("AvailabilityZones", $"EKS needs subnets in at least two availability zones, got {zones.Count}");
        }
        else if (zones.Count > 8)
        {
            errors.Add("AvailabilityZones", $"at most 8 zones are supported, got {zones.Count}");
        }

        if (zones.Distinct(StringComparer.Ordinal).Count() != zones.Count)
        {
            errors.Add("AvailabilityZones", "lists a zone twice");
        }

        uint network = 0;
        var prefix = -1;
        var parts = (vpcCidr ?? "").Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix < 16 || prefix > 20)
        {
            errors.Add("VpcCidr", $"\"{vpcCidr}\" is not an IPv4 CIDR with a prefix from /16 to /20 (AWS allows /16-/28; subnets here are /prefix+4)");
        }
        else
        {
            var bytes = ip.GetAddressBytes();
            network = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            if ((network & ~mask) != 0)
            {
                errors.Add("VpcCidr", $"\"{vpcCidr}\" has host bits set; did you mean {Format(network & mask, prefix)}?");
            }
        }

        if (errors.Count > before)
        {
            return [];
        }

        var subPrefix = prefix + 4;
        var size = 1u << (32 - subPrefix);
        return [.. zones.Select((z, i) => new ZoneSubnets(z, Format(network + (uint)(8 + i) * size, subPrefix), Format(network + (uint)i * size, subPrefix)))];
    }

    /// <summary>
    /// The cluster's OIDC issuer URL from the EKS <c>identities[].oidcs[].issuer</c> outputs. The AWS SDK types the
    /// issuer as optional (<c>string?</c>): an EKS cluster always has one once it is active, so a missing or empty issuer
    /// is an error (IAM roles for service accounts cannot be set up without it), never an empty URL.
    /// </summary>
    /// <param name="clusterName">EKS cluster (for the message).</param>
    /// <param name="issuers">The issuers of every identity, in order.</param>
    /// <exception cref="InvalidOperationException">No identity carries an issuer.</exception>
    public static string OidcIssuer(string clusterName, IEnumerable<string?> issuers) =>
        issuers.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i))
        ?? throw new InvalidOperationException($"EKS cluster '{clusterName}' reported no OIDC issuer (identities[].oidcs[].issuer is empty); cannot create its IAM OIDC provider");

    /// <summary>
    /// The cluster's base64 CA bundle from the EKS <c>certificateAuthority.data</c> output (typed optional, <c>string?</c>,
    /// by the AWS SDK). A kubeconfig without it cannot verify the API server, so a missing bundle is an error.
    /// </summary>
    /// <param name="clusterName">EKS cluster (for the message).</param>
    /// <param name="data">The reported <c>certificateAuthority.data</c>.</param>
    /// <exception cref="InvalidOperationException">The bundle is missing or empty.</exception>
    public static string CertificateAuthorityData(string clusterName, string? data) =>
        !string.IsNullOrWhiteSpace(data)
            ? data
            : throw new InvalidOperationException($"EKS cluster '{clusterName}' reported no certificate authority data (certificateAuthority.data is empty); cannot write its kubeconfig");

    /// <summary>
    /// A kubeconfig (JSON) for an EKS cluster that authenticates with <c>aws eks get-token</c> (AWS CLI v2 on the machine
    /// running Pulumi); it holds no credential itself.
    /// </summary>
    /// <param name="clusterName">EKS cluster name.</param>
    /// <param name="endpoint">API server endpoint.</param>
    /// <param name="certificateAuthorityData">Base64 CA bundle of the cluster.</param>
    /// <param name="region">AWS region of the cluster.</param>
    public static string Kubeconfig(string clusterName, string endpoint, string certificateAuthorityData, string region)
    {
        var doc = new Dictionary<string, object>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new[] { new Dictionary<string, object> { ["name"] = clusterName, ["cluster"] = new Dictionary<string, object> { ["server"] = endpoint, ["certificate-authority-data"] = certificateAuthorityData } } },
            ["contexts"] = new[] { new Dictionary<string, object> { ["name"] = clusterName, ["context"] = new Dictionary<string, object> { ["cluster"] = clusterName, ["user"] = clusterName } } },
            ["current-context"] = clusterName,
            ["users"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["name"] = clusterName,
                    ["user"] = new Dictionary<string, object>
                    {
                        ["exec"] = new Dictionary<string, object>
                        {
                            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
                            ["command"] = "aws",
                            ["args"] = new[] { "eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json" },
                            ["interactiveMode"] = "Never",
                        },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(doc);
    }

    private static string Format(uint address, int prefix) =>
        $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{prefix.ToString(CultureInfo.InvariantCulture)}";
}
