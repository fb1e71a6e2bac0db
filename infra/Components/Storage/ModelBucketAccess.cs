using System.Collections.Immutable;
using NeoCloud.Infra.Core.Storage;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Aws = Pulumi.Aws;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Storage;

/// <summary>
/// An IAM identity on the AWS model bucket (read for serving, write for the hybrid sync) and how pods get it:
/// <list type="bullet">
/// <item><c>podIdentity</c> (EKS): an IAM role only pods can assume (<c>pods.eks.amazonaws.com</c>), its inline policy,
/// and per namespace a ServiceAccount and an EKS Pod Identity association binding the role to it; the Secret in each
/// namespace holds only the region. No IAM user, no long-lived key.</item>
/// <item><c>accessKey</c> (clusters with no AWS workload identity, i.e. on-prem): an IAM user named like the component,
/// its inline policy, an access key, and the key as a Secret in each namespace.</item>
/// </list>
/// The AWS resources use the <c>aws</c> provider of the options (or the default); the Kubernetes objects the <c>kubernetes</c> one.
/// </summary>
public sealed class ModelBucketAccess : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:ModelBucketAccess";

    /// <summary>Creates the identity, its policy, and its key or Pod Identity associations, and the Secrets.</summary>
    /// <param name="name">Component name = the IAM user's or role's logical name; namespaced children are named <c>{name}-{namespace}</c>.</param>
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
        var policy = Output.Tuple(args.BucketArn.ToOutput(), args.KmsKeyArn.ToOutput()).Apply(t => plan.Policy(t.Item1, t.Item2));
        Aws.Iam.User? user = null;
        Aws.Iam.AccessKey? key = null;
        Aws.Iam.Role? role = null;
        if (plan.UsesPodIdentity)
        {
            role = new Aws.Iam.Role(name, new Aws.Iam.RoleArgs
            {
                AssumeRolePolicy = ModelBucketAccessPlan.TrustPolicy(),
                Description = $"Reads the model bucket through EKS Pod Identity (ServiceAccount {plan.ServiceAccountName} in {string.Join(", ", plan.Namespaces)})",
                Tags = tags,
            }, child);
            _ = new Aws.Iam.RolePolicy(name, new Aws.Iam.RolePolicyArgs { Role = role.Name, Policy = policy }, child);
        }
        else
        {
            user = new Aws.Iam.User(name, new Aws.Iam.UserArgs { Tags = tags }, child);
            _ = new Aws.Iam.UserPolicy(name, new Aws.Iam.UserPolicyArgs { User = user.Name, Policy = policy }, child);
            key = new Aws.Iam.AccessKey(name, new Aws.Iam.AccessKeyArgs { User = user.Name }, child);
        }

        var secrets = new List<string>();
        foreach (var ns in plan.Namespaces)
        {
            // Namespaced objects wait for the component's dependsOn (the namespaces' owners): a component's children do not inherit it.
            CustomResourceOptions Namespaced(params string[] secretOutputs)
            {
                var o = new CustomResourceOptions { Parent = this };
                o.AdditionalSecretOutputs.AddRange(secretOutputs);
                o.DependsOn.AddRange(options?.DependsOn ?? new InputList<Resource>());
                return o;
            }

            var data = new InputMap<string> { { ModelBucketAccessPlan.RegionKey, plan.Region } };
            if (key is not null)
            {
                data.Add(OnPremObjectStorePlan.AwsAccessKeyIdKey, key.Id);
                data.Add(OnPremObjectStorePlan.AwsSecretAccessKeyKey, key.Secret);
            }

            _ = new K8s.Core.V1.Secret($"{name}-{ns}", new SecretArgs
            {
                Metadata = new ObjectMetaArgs
                {
                    Name = plan.SecretName,
                    Namespace = ns,
                    Labels = plan.SecretLabels(name, ns).ToImmutableDictionary(StringComparer.Ordinal),
                },
                Type = "Opaque",
                StringData = data,
            }, Namespaced("stringData", "data"));
            if (role is not null)
            {
                var account = new K8s.Core.V1.ServiceAccount($"{name}-{ns}", new ServiceAccountArgs
                {
                    Metadata = new ObjectMetaArgs
                    {
                        Name = plan.ServiceAccountName,
                        Namespace = ns,
                        Labels = plan.ServiceAccountLabels(name, ns).ToImmutableDictionary(StringComparer.Ordinal),
                    },
                }, Namespaced());
                _ = new Aws.Eks.PodIdentityAssociation($"{name}-{ns}", new Aws.Eks.PodIdentityAssociationArgs
                {
                    ClusterName = args.ClusterName!,
                    Namespace = ns,
                    ServiceAccount = account.Metadata.Apply(m => m.Name),
                    RoleArn = role.Arn,
                    Tags = tags,
                }, child);
            }

            secrets.Add(ns);
        }

        var none = Output.Create((string?)null);
        UserName = user is null ? none : user.Name.Apply(n => (string?)n);
        UserArn = user is null ? none : user.Arn.Apply(a => (string?)a);
        AccessKeyId = key is null ? none : key.Id.Apply(i => (string?)i);
        SecretAccessKey = key is null ? none : Output.CreateSecret(key.Secret.Apply(k => (string?)k));
        RoleArn = role is null ? none : role.Arn.Apply(a => (string?)a);
        ServiceAccountName = Output.Create<string?>(role is null ? null : plan.ServiceAccountName);
        SecretNamespaces = Output.Create(secrets);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["userName"] = UserName,
            ["userArn"] = UserArn,
            ["accessKeyId"] = AccessKeyId,
            ["secretAccessKey"] = SecretAccessKey,
            ["roleArn"] = RoleArn,
            ["serviceAccountName"] = ServiceAccountName,
            ["secretNamespaces"] = SecretNamespaces,
        });
    }

    /// <summary>The Pod Identity role's ARN (podIdentity), or null.</summary>
    [Output("roleArn")]
    public Output<string?> RoleArn { get; private set; }

    /// <summary>The ServiceAccount pods run as to get the role (podIdentity), or null.</summary>
    [Output("serviceAccountName")]
    public Output<string?> ServiceAccountName { get; private set; }

    /// <summary>The IAM user's name (accessKey), or null.</summary>
    [Output("userName")]
    public Output<string?> UserName { get; private set; }

    /// <summary>The IAM user's ARN (accessKey), or null.</summary>
    [Output("userArn")]
    public Output<string?> UserArn { get; private set; }

    /// <summary>The access key id (accessKey), or null.</summary>
    [Output("accessKeyId")]
    public Output<string?> AccessKeyId { get; private set; }

    /// <summary>The secret access key (accessKey; a Pulumi secret), or null.</summary>
    [Output("secretAccessKey")]
    public Output<string?> SecretAccessKey { get; private set; }

    /// <summary>The namespaces that hold the key as a Secret.</summary>
    [Output("secretNamespaces")]
    public Output<List<string>> SecretNamespaces { get; private set; }
}
