using Pulumi;

namespace NeoCloud.Infra.Stacks;

/// <summary>
/// Keeps resources in place that <see cref="EnvironmentStack"/> created at the stack root before issue 17 and a
/// component creates now (model-bucket identities and their Secrets in <c>ModelBucketAccess</c>, the tenants' S3 egress
/// policy in <c>Tenant</c>; through <c>EnvironmentStack.ChildWasAtRoot</c> also the federation Service and ScrapeConfig and
/// <c>qdrant-ingress</c>): a transformation on the component adds, to each such child, an alias to its root URN
/// (<c>NoParent</c>, under its former logical name), so an existing stack updates them instead of replacing them.
/// </summary>
public static class LegacyRoot
{
    /// <summary>
    /// The transformation: for each custom resource below the component whose logical name
    /// <paramref name="formerName"/> maps (to its name at the root; null: not a former root resource), adds the alias.
    /// </summary>
    /// <param name="formerName">Logical name now → logical name it had at the stack root, or null.</param>
    public static ResourceTransformation Aliases(Func<string, string?> formerName)
    {
        ArgumentNullException.ThrowIfNull(formerName);
        return args =>
        {
            if (args.Options is not CustomResourceOptions custom || formerName(args.Resource.GetResourceName()) is not { } former)
            {
                return null;
            }

            // Merge copies (never changes the caller's options) and concatenates the alias lists.
            var options = CustomResourceOptions.Merge(custom, new CustomResourceOptions { Aliases = { new Alias { Name = former, NoParent = true } } });
            return new ResourceTransformationResult(args.Args, options);
        };
    }

    /// <summary>
    /// The former root name of a child of the model reader of <paramref name="cluster"/> (<c>{cluster}-model-reader</c>):
    /// the IAM user, policy and key kept the name; the Secret <c>{reader}-{tenant}</c> was <c>{cluster}-{tenant}-model-credentials</c>.
    /// </summary>
    public static string? FormerModelReaderName(string cluster, string childName)
    {
        ArgumentNullException.ThrowIfNull(childName);
        var reader = ModelReaderName(cluster);
        return childName == reader ? childName
            : childName.StartsWith(reader + "-", StringComparison.Ordinal) ? $"{cluster}-{childName[(reader.Length + 1)..]}-model-credentials"
            : null;
    }

    /// <summary>The former root name of a child of a tenant: only the S3 egress policy (same name) was at the root.</summary>
    public static string? FormerTenantName(string childName)
    {
        ArgumentNullException.ThrowIfNull(childName);
        return childName.EndsWith("-model-bucket-egress", StringComparison.Ordinal) ? childName : null;
    }

    /// <summary>The model reader (<c>ModelBucketAccess</c>) of a cluster: <c>{cluster}-model-reader</c>.</summary>
    public static string ModelReaderName(string cluster) => $"{cluster}-model-reader";
}
