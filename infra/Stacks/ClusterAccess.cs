using System.Collections.Immutable;
using NeoCloud.Infra.Components.Networking;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Networking;
using Pulumi;
using AwsSdk = Pulumi.Aws;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Stacks;

/// <summary>
/// How the program reaches one cluster of the environment: its Kubernetes provider (from a kubeconfig file and context,
/// a secret config value, render-to-directory, or the EKS cluster this program creates or attaches to) and, on EKS,
/// the AWS provider of the cluster's region and where node groups launch.
/// </summary>
public sealed class ClusterAccess
{
    private ClusterAccess(ClusterSpec spec, K8s.Provider kubernetes, AwsSdk.Provider? aws, EksCluster? eks, Input<string>? eksClusterName, InputList<string>? nodeSubnetIds, Output<string>? kubeconfig)
    {
        Spec = spec;
        Kubernetes = kubernetes;
        Aws = aws;
        Eks = eks;
        EksClusterName = eksClusterName;
        NodeSubnetIds = nodeSubnetIds;
        Kubeconfig = kubeconfig;
    }

    /// <summary>The cluster.</summary>
    public ClusterSpec Spec { get; }

    /// <summary>The Kubernetes provider every component on this cluster uses.</summary>
    public K8s.Provider Kubernetes { get; }

    /// <summary>The AWS provider of the cluster's region (EKS only).</summary>
    public AwsSdk.Provider? Aws { get; }

    /// <summary>The EKS cluster this program created, or null (on-prem, or an existing EKS cluster).</summary>
    public EksCluster? Eks { get; }

    /// <summary>The EKS cluster's name (EKS only).</summary>
    public Input<string>? EksClusterName { get; }

    /// <summary>The subnets EKS node groups launch into (EKS only).</summary>
    public InputList<string>? NodeSubnetIds { get; }

    /// <summary>The EKS kubeconfig (secret), or null.</summary>
    public Output<string>? Kubeconfig { get; }

    /// <summary>True when the cluster renders manifests to a directory instead of applying them.</summary>
    public bool Renders => Spec.RenderDirectory is not null;

    /// <summary>Options for a component on this cluster: its providers, the rendered-Secret redaction when rendering, and dependencies.</summary>
    /// <param name="dependsOn">Resources the component waits for.</param>
    public ComponentResourceOptions Options(params Resource?[] dependsOn)
    {
        var options = new ComponentResourceOptions { Providers = { Kubernetes } };
        if (Aws is not null)
        {
            options.Providers.Add(Aws);
        }

        if (Renders)
        {
            options.ResourceTransformations.Add(RenderedSecrets.Redact);
        }

        options.DependsOn = dependsOn.OfType<Resource>().ToList();
        return options;
    }

    /// <summary>Options for a single Kubernetes resource on this cluster.</summary>
    /// <param name="dependsOn">Resources it waits for.</param>
    public CustomResourceOptions ResourceOptions(params Resource?[] dependsOn)
    {
        var options = new CustomResourceOptions { Provider = Kubernetes, DependsOn = dependsOn.OfType<Resource>().ToList() };
        if (Renders)
        {
            options.ResourceTransformations.Add(RenderedSecrets.Redact);
        }

        return options;
    }

    /// <summary>Connects to (or creates) one cluster.</summary>
    /// <param name="spec">The cluster.</param>
    /// <param name="env">The environment (for labels and tags).</param>
    public static ClusterAccess Connect(ClusterSpec spec, EnvironmentModel env)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(env);
        var providerName = $"{spec.Name}-kubernetes";
        if (spec.Substrate == Substrate.OnPrem)
        {
            var args = new K8s.ProviderArgs();
            if (spec.RenderDirectory is { } dir)
            {
                args.RenderYamlToDirectory = dir;
            }
            else if (spec.Kubeconfig is { SecretKey: { } secretKey })
            {
                args.KubeConfig = new Config(StackConfig.Namespace).RequireSecret(secretKey);
                SetContext(args, spec.Kubeconfig.Context);
            }
            else if (spec.Kubeconfig is { Path: { } path })
            {
                args.KubeConfig = ExpandHome(path);
                SetContext(args, spec.Kubeconfig.Context);
            }

            return new ClusterAccess(spec, new K8s.Provider(providerName, args), null, null, null, null, null);
        }

        var tags = new InputMap<string>();
        foreach (var (key, value) in ResourceLabels.CostAttribution(env.Environment, env.CostCenter))
        {
            tags.Add(key, value);
        }

        var aws = new AwsSdk.Provider($"{spec.Name}-aws", new AwsSdk.ProviderArgs
        {
            Region = spec.Region!,
            DefaultTags = new AwsSdk.Inputs.ProviderDefaultTagsArgs { Tags = tags },
        });
        if (spec.Existing is { } existing)
        {
            var cluster = AwsSdk.Eks.GetCluster.Invoke(new AwsSdk.Eks.GetClusterInvokeArgs { Name = existing.ClusterName }, new InvokeOptions { Provider = aws });
            var kubeconfig = Output.CreateSecret(cluster.Apply(c => EksClusterLayout.Kubeconfig(
                existing.ClusterName, c.Endpoint, EksClusterLayout.CertificateAuthorityData(existing.ClusterName, c.CertificateAuthorities.FirstOrDefault()?.Data), spec.Region!)));
            var provider = new K8s.Provider(providerName, new K8s.ProviderArgs { KubeConfig = kubeconfig });
            return new ClusterAccess(spec, provider, aws, null, existing.ClusterName, [.. existing.NodeSubnetIds], kubeconfig);
        }

        var eks = new EksCluster(spec.Name, new EksClusterArgs
        {
            AvailabilityZones = [.. spec.Network!.AvailabilityZones],
            VpcCidr = spec.Network.VpcCidr,
            KubernetesVersion = spec.KubernetesVersion!,
            AccessEntries = [.. spec.Access.Select(a => new EksAccessEntryArgs { PrincipalArn = a.PrincipalArn, Policy = a.Policy })],
            PublicAccessCidrs = spec.PublicAccessCidrs is { } cidrs ? [.. cidrs] : null,
            ControlPlaneLogs = [.. spec.ControlPlaneLogs],
            Environment = env.Environment,
            CostCenter = env.CostCenter,
        }, new ComponentResourceOptions { Providers = { aws } });

        // The provider was the EksCluster's child before issue 17 (a resource is not an output): the alias keeps its URN's history.
        var eksProvider = new K8s.Provider(providerName, new K8s.ProviderArgs { KubeConfig = eks.Kubeconfig }, new CustomResourceOptions { Aliases = { new Alias { Parent = eks } } });
        return new ClusterAccess(spec, eksProvider, aws, eks, eks.ClusterName, eks.NodeSubnetIds, eks.Kubeconfig);
    }

    private static void SetContext(K8s.ProviderArgs args, string? context)
    {
        if (context is not null)
        {
            args.Context = context;
        }
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    internal static ImmutableDictionary<string, string> Immutable(IEnumerable<KeyValuePair<string, string>> map) =>
        map.ToImmutableDictionary(StringComparer.Ordinal);
}
