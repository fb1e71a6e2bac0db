using NeoCloud.Infra.Components.Networking;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Networking.Examples;

/// <summary>The Networking README's usage example, compiled and run under the mock engine.</summary>
public static class EksExample
{
    public static (EksCluster Cluster, EksClusterAddons Addons) Run(Resource systemPool)
    {
        // <readme>
        // An EKS cluster reached only through access entries: the PR workflow's deploy role administers it, its
        // preview role reads it; the public endpoint admits the runners' egress only.
        var cluster = new EksCluster("burst", new EksClusterArgs
        {
            AvailabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"],
            VpcCidr = "10.40.0.0/16",
            KubernetesVersion = "1.33",
            PublicAccessCidrs = ["203.0.113.0/24"],
            AccessEntries =
            [
                new EksAccessEntryArgs { PrincipalArn = "arn:aws:iam::123456789012:role/neocloud-deploy", Policy = "cluster-admin" },
                new EksAccessEntryArgs { PrincipalArn = "arn:aws:iam::123456789012:role/neocloud-preview", Policy = "view" },
            ],
            Environment = "prod",
            CostCenter = "ml-platform",
        });

        // Once the system pool exists: CoreDNS, the EBS CSI driver (its role through EKS Pod Identity) and the
        // StorageClasses — the encrypted gp3 default plus a faster one.
        var addons = new EksClusterAddons("burst-addons", new EksClusterAddonsArgs
        {
            ClusterName = cluster.ClusterName,
            KubernetesVersion = "1.33",
            StorageClasses = [new EbsStorageClassArgs { Name = "fast-ssd", Iops = 6000, Throughput = 500 }],
            Environment = "prod",
            CostCenter = "ml-platform",
        }, new ComponentResourceOptions { DependsOn = { systemPool } });
        // </readme>
        return (cluster, addons);
    }
}
