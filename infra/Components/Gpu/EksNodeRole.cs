using NeoCloud.Infra.Core.Networking;
using Pulumi;
using Pulumi.Aws;
using Pulumi.Aws.Iam;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>The IAM role of an EKS managed node group with the node policies attached (shared by GPU and cpu pools).</summary>
internal static class EksNodeRole
{
    private const string NodeAssumeRolePolicy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    /// <summary>Creates the role and its policy attachments as children of <paramref name="parent"/>.</summary>
    public static (Role Role, List<Resource> Attachments) Create(string name, string description, InputMap<string> tags, bool enableSsm, Resource parent)
    {
        var partition = GetPartition.Invoke(new GetPartitionInvokeArgs(), new InvokeOptions { Parent = parent }).Apply(p => p.Partition);
        var role = new Role($"{name}-node-role", new RoleArgs
        {
            Description = description,
            AssumeRolePolicy = NodeAssumeRolePolicy,
            Tags = tags,
        }, new CustomResourceOptions { Parent = parent });

        var policies = enableSsm ? EksClusterLayout.NodePolicies.Add(EksClusterLayout.SsmPolicy) : EksClusterLayout.NodePolicies;
        var attachments = policies.Select(policy => (Resource)new RolePolicyAttachment($"{name}-{policy}", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = partition.Apply(p => EksClusterLayout.ManagedPolicyArn(p, policy)),
        }, new CustomResourceOptions { Parent = parent })).ToList();
        return (role, attachments);
    }
}
