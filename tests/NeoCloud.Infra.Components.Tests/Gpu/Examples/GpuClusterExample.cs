// <example>
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Core.Environments;
using Pulumi;

public static class GpuClusterExample
{
    public static void Define(Input<string> clusterName, InputList<string> privateSubnetIds, Pulumi.Kubernetes.Provider kubernetes)
    {
        // An EKS pool of p5.48xlarge nodes, each H100 split into seven 1g.10gb MIG instances.
        var h100 = new GpuNodePool("h100", new GpuNodePoolArgs
        {
            Substrate = Substrate.Eks,
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
        var gpuOperator = new GpuOperator("gpu-operator", new GpuOperatorArgs
        {
            Substrate = Substrate.Eks,
            Pools = { h100.Plan },
            Environment = "prod",
            CostCenter = "ml-platform",
        }, new ComponentResourceOptions { Provider = kubernetes });

        // Place workloads with h100.NodeSelector and h100.Tolerations; bound them with h100.AllocatableAtMax.
    }
}
// </example>
