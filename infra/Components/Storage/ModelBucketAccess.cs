using System.Collections.Immutable;
using NeoCloud.Infra.Core.Storage;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Aws = Pulumi.Aws;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>
/// An IAM identity on the AWS model bucket (read for serving, write for the hybrid sync): an IAM user named like the
/// component, its inline policy, an access key, and the key as a Secret in each of <see cref="ModelBucketAccessArgs.Namespaces"/>.
/// The AWS resources use the <c>aws</c> provider of the options (or the default); the Secrets the <c>kubernetes</c> one.
/// </summary>
/// <remarks>
/// A user with a key, because on-prem clusters have no AWS workload identity; on EKS, Pod Identity would avoid the
/// key (architecture.md), which this component does not offer yet.
/// </remarks>
public sealed class ModelBucketAccess : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:ModelBucketAccess";

    /// <summary>Creates the identity, its policy, its key and the Secrets.</summary>
    /// <param name="name">Component name = the IAM user's logical name; Secrets are named <c>{name}-{namespace}</c>.</param>
    /// <param name="args">Inputs (validated before anything is registered).</param>
    /// <param name="options">Component options (providers; <c>dependsOn</c>: what creates the namespaces).</param>
    /// <exception cref="ComponentArgsException">The arguments are invalid; nothing was registered.</exception>
    public ModelBucketAccess(string name, ModelBucketAccessArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(ModelBucketAccessArgs), name, args?.ToSpec(), ModelBucketAccessPlanner.Validate, ModelBucketAccessPlanner.Plan), options)
    {
    }

    private ModelBucketAccess(string name, ModelBucketAccessArgs args, ModelBucketAccessPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var child = new CustomResourceOptions { Parent = this };
        var tags = plan.Tags(name).ToImmutableDictionary(StringComparer.Ordinal);
        var user = new Aws.Iam.User(name, new Aws.Iam.UserArgs { Tags = tags }, child);
        _ = new Aws.Iam.UserPolicy(name, new Aws.Iam.UserPolicyArgs
        {
            User = user.Name,
            Policy = Output.Tuple(args.BucketArn.ToOutput(), args.KmsKeyArn.ToOutput()).Apply(t => plan.Policy(t.Item1, t.Item2)),
        }, child);
        var key = new Aws.Iam.AccessKey(name, new Aws.Iam.AccessKeyArgs { User = user.Name }, child);

        var secrets = new List<string>();
        foreach (var ns in plan.Namespaces)
        {
            // The Secrets wait for the component's dependsOn (the namespaces' owners): a component's children do not inherit it.
            var secretOptions = new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = ["stringData", "data"] };
            secretOptions.DependsOn.AddRange(options?.DependsOn ?? new InputList<Resource>());
            _ = new K8s.Core.V1.Secret($"{name}-{ns}", new SecretArgs
            {
                Metadata = new ObjectMetaArgs
                {
                    Name = plan.SecretName,
                    Namespace = ns,
                    Labels = plan.SecretLabels(name, ns).ToImmutableDictionary(StringComparer.Ordinal),
                },
                Type = "Opaque",
                StringData =
                {
                    { OnPremObjectStorePlan.AwsAccessKeyIdKey, key.Id },
                    { OnPremObjectStorePlan.AwsSecretAccessKeyKey, key.Secret },
                    { ModelBucketAccessPlan.RegionKey, plan.Region },
                },
            }, secretOptions);
            secrets.Add(ns);
        }

        UserName = user.Name;
        UserArn = user.Arn;
        AccessKeyId = key.Id;
        SecretAccessKey = Output.CreateSecret(key.Secret);
        SecretNamespaces = Output.Create(secrets);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["userName"] = UserName,
            ["userArn"] = UserArn,
            ["accessKeyId"] = AccessKeyId,
            ["secretAccessKey"] = SecretAccessKey,
            ["secretNamespaces"] = SecretNamespaces,
        });
    }

    /// <summary>The IAM user's name.</summary>
    [Output("userName")]
    public Output<string> UserName { get; private set; }

    /// <summary>The IAM user's ARN.</summary>
    [Output("userArn")]
    public Output<string> UserArn { get; private set; }

    /// <summary>The access key id.</summary>
    [Output("accessKeyId")]
    public Output<string> AccessKeyId { get; private set; }

    /// <summary>The secret access key (a Pulumi secret).</summary>
    [Output("secretAccessKey")]
    public Output<string> SecretAccessKey { get; private set; }

    /// <summary>The namespaces that hold the key as a Secret.</summary>
    [Output("secretNamespaces")]
    public Output<List<string>> SecretNamespaces { get; private set; }
}
