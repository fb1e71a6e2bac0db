// <example>
using NeoCloud.Infra.Components.Gpu;
using Pulumi;

public static class GpuClusterExample
{
    public static Output<NodePlacement> Define(Input<string> clusterName, InputList<string> privateSubnetIds, Pulumi.Kubernetes.Provider kubernetes)
    {
        // An EKS pool of p5.48xlarge nodes (8 × H100-SXM5-80GB), each H100 split into seven 1g.10gb MIG instances.
        var h100 = new GpuNodePool("h100", new GpuNodePoolArgs
        {
            Substrate = "eks",
            Environment = "prod",
            CostCenter = "ml-platform",
            ClusterName = clusterName,
            NodeSubnetIds = privateSubnetIds,
            InstanceType = "p5.48xlarge",
            AmiReleaseVersion = "1.33.13-20260714", // an EKS GPU AMI release of Core's compatibility matrix (driver 580.159.03)
            MinSize = 1,
            MaxSize = 4,
            MigConfig = "all-1g.10gb",
        });

        // One operator per cluster: it renders the MIG and time-slicing configs the pools' node labels select.
        _ = new GpuOperator("gpu-operator", new GpuOperatorArgs
        {
            Substrate = "eks",
            Pools = [new GpuOperatorPoolArgs { PoolName = "h100", GpuModel = "H100-SXM5-80GB", GpusPerNode = 8, MigConfig = "all-1g.10gb" }],
            Environment = "prod",
            CostCenter = "ml-platform",
        }, new ComponentResourceOptions { Provider = kubernetes });

        // Node selector, tolerations, allocatable at min/max size: serving Args take the placement as-is.
        return h100.Placement;
    }
}
// </example>
