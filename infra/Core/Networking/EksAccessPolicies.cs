using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace NeoCloud.Infra.Core.Networking;

/// <summary>One principal that may use an EKS cluster's API (an EKS access entry plus one access policy association).</summary>
/// <param name="PrincipalArn">An IAM role or user ARN (<see cref="EksAccessPolicies.PrincipalRule"/>).</param>
/// <param name="Policy"><c>cluster-admin</c>, <c>admin</c> or <c>view</c> (<see cref="EksAccessPolicies.Policies"/>).</param>
public sealed record EksAccessEntry(string PrincipalArn, string Policy);

/// <summary>
/// Access to an EKS cluster's API through access entries (authentication mode <c>API</c>): who may reach the cluster is
/// declared, not inherited from whoever created it. The policy names map to the EKS access policies of the AWS EKS User
/// Guide, "Associate access policies with access entries" (access-policy-reference: AmazonEKSClusterAdminPolicy,
/// AmazonEKSAdminPolicy, AmazonEKSViewPolicy; ARN <c>arn:aws:eks::aws:cluster-access-policy/&lt;name&gt;</c>), each
/// associated at cluster scope.
/// </summary>
public static partial class EksAccessPolicies
{
    /// <summary>Full control of the cluster (Kubernetes <c>cluster-admin</c>); the Pulumi deploy role needs it.</summary>
    public const string ClusterAdmin = "cluster-admin";

    /// <summary>Namespaced administration (Kubernetes <c>admin</c>).</summary>
    public const string Admin = "admin";

    /// <summary>Read-only (Kubernetes <c>view</c>, no Secrets): the PR workflow's preview role.</summary>
    public const string View = "view";

    /// <summary>Authentication mode of every cluster the stack creates: access entries only, no <c>aws-auth</c> ConfigMap.</summary>
    public const string AuthenticationMode = "API";

    /// <summary>Policy name → EKS access policy.</summary>
    public static readonly ImmutableSortedDictionary<string, string> Policies = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create(ClusterAdmin, "AmazonEKSClusterAdminPolicy"),
        KeyValuePair.Create(Admin, "AmazonEKSAdminPolicy"),
        KeyValuePair.Create(View, "AmazonEKSViewPolicy"),
    ]);

    /// <summary>What a principal ARN must look like.</summary>
    public const string PrincipalRule = "an IAM role or user ARN such as arn:aws:iam::123456789012:role/deploy (an assumed-role session arn:aws:sts::… is not a principal: give its role)";

    /// <summary>The ARN of an EKS access policy in a partition.</summary>
    /// <param name="partition">aws, aws-cn or aws-us-gov.</param>
    /// <param name="policy">A key of <see cref="Policies"/>.</param>
    public static string PolicyArn(string partition, string policy) => $"arn:{partition}:eks::aws:cluster-access-policy/{Policies[policy]}";

    /// <summary>True for an IAM role or user ARN.</summary>
    public static bool IsPrincipalArn(string? value) => value is not null && PrincipalArn().IsMatch(value);

    /// <summary>Every problem of <paramref name="entries"/> at <c>AccessEntries[i].PrincipalArn</c> / <c>.Policy</c>.</summary>
    public static IEnumerable<(string Path, string Reason)> Problems(ImmutableArray<EksAccessEntry> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (entries.IsDefault ? 0 : entries.Length); i++)
        {
            var e = entries[i];
            if (!IsPrincipalArn(e.PrincipalArn))
            {
                yield return ($"AccessEntries[{i}].PrincipalArn", $"\"{e.PrincipalArn}\" is not {PrincipalRule}");
            }
            else if (!seen.Add(e.PrincipalArn))
            {
                yield return ($"AccessEntries[{i}].PrincipalArn", $"\"{e.PrincipalArn}\" is listed twice; one access entry per principal");
            }

            if (e.Policy is null || !Policies.ContainsKey(e.Policy))
            {
                yield return ($"AccessEntries[{i}].Policy", $"{(e.Policy is null ? "a missing value" : $"\"{e.Policy}\"")} is not allowed; allowed: {string.Join(", ", Policies.Keys)}");
            }
        }
    }

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(role|user)(/[\w+=,.@-]+)*/[\w+=,.@-]{1,128}$")]
    private static partial Regex PrincipalArn();
}

/// <summary>EKS control-plane log types (AWS EKS User Guide, control-plane-logs: api, audit, authenticator, controllerManager, scheduler).</summary>
public static class EksControlPlaneLogs
{
    /// <summary>Every log type EKS can send to CloudWatch Logs.</summary>
    public static readonly ImmutableArray<string> All = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    /// <summary>
    /// The default: API server, audit and authenticator logs — who did what with which identity (the default of
    /// terraform-aws-modules/terraform-aws-eks <c>cluster_enabled_log_types</c>); the controller manager and scheduler
    /// logs are diagnostics, enabled through <c>clusters[].controlPlaneLogs</c>.
    /// </summary>
    public static readonly ImmutableArray<string> Default = ["api", "audit", "authenticator"];
}
