using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.VectorDb;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;
using Random = Pulumi.Random;

namespace NeoCloud.Infra.Components.VectorDb;

/// <summary>
/// A replicated Qdrant cluster from the official chart (pinned in <see cref="QdrantChart"/>): cluster mode, collections
/// replicated by default, persistent volumes, host anti-affinity (and zone spread), a PDB, an API key generated into a
/// Secret, a ServiceMonitor and, with <see cref="VectorDatabaseArgs.RestrictIngress"/>, the namespace's ingress policy.
/// The Kubernetes provider comes through <c>options</c>.
/// </summary>
public sealed class VectorDatabase : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:VectorDatabase";

    /// <summary>The token of releases before issue 17 (kept as an alias, so existing stacks are not replaced).</summary>
    public const string PreviousTypeToken = "neocloud:vectordb:VectorDatabase";

    /// <summary>Creates the API key Secret and the Qdrant chart.</summary>
    /// <param name="name">Component name; also the Helm release name (DNS-1123 label).</param>
    /// <param name="args">Inputs (validated before anything is registered).</param>
    /// <param name="options">Component options (Kubernetes provider).</param>
    /// <exception cref="ComponentArgsException">The arguments are invalid; nothing was registered.</exception>
    public VectorDatabase(string name, VectorDatabaseArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(VectorDatabaseArgs), Guard(name), args?.ToSpec(), VectorDatabasePlanner.Validate, VectorDatabasePlanner.Plan), options)
    {
    }

    private VectorDatabase(string name, VectorDatabaseArgs args, VectorDatabasePlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var secretName = VectorDatabasePlan.ApiKeySecretName(name);
        var password = new Random.RandomPassword($"{name}-api-key", new Random.RandomPasswordArgs { Length = 48, Special = false }, new CustomResourceOptions { Parent = this });
        var secret = new K8s.Core.V1.Secret($"{name}-api-key", new SecretArgs
        {
            Metadata = new ObjectMetaArgs
            {
                Name = secretName,
                Namespace = args.Namespace,
                Labels = plan.Labels.ToImmutableDictionary(StringComparer.Ordinal),
            },
            Type = "Opaque",
            StringData = { { QdrantChart.ApiKeySecretKey, password.Result } },
        }, new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "stringData", "data" } });

        if (plan.Ingress is { } ingress)
        {
            var policyLabels = plan.Labels.SetItems(ResourceLabels.For("vector-db", name, "network-policy", args.Environment, args.CostCenter));
            _ = new K8s.Networking.V1.NetworkPolicy($"{name}-{ingress.Name}", new Pulumi.Kubernetes.Types.Inputs.Networking.V1.NetworkPolicyArgs
            {
                Metadata = new ObjectMetaArgs { Name = ingress.Name, Namespace = args.Namespace, Labels = CoreData.ToLabels(policyLabels) },
                Spec = Tenancy.Tenant.Spec(ingress),
            }, new CustomResourceOptions { Parent = this });
        }

        _ = PinnedChart.Create($"{name}-chart", name, args.Namespace, QdrantChart.Pin, plan.ChartValues(name),
            new ComponentResourceOptions { Parent = this, DependsOn = { secret } });

        var service = VectorDatabasePlan.FullName(name);
        HttpEndpoint = Output.Create($"http://{service}.{args.Namespace}.svc:{QdrantChart.HttpPort}");
        GrpcEndpoint = Output.Create($"http://{service}.{args.Namespace}.svc:{QdrantChart.GrpcPort}");
        ApiKeySecretName = secret.Metadata.Apply(m => m.Name);
        ApiKey = Output.CreateSecret(password.Result);
        ReplicationFactor = Output.Create(plan.ReplicationFactor);
        Replicas = Output.Create(plan.Replicas);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["httpEndpoint"] = HttpEndpoint,
            ["grpcEndpoint"] = GrpcEndpoint,
            ["apiKeySecretName"] = ApiKeySecretName,
            ["apiKey"] = ApiKey,
            ["replicationFactor"] = ReplicationFactor,
            ["replicas"] = Replicas,
        });
    }

    /// <summary>In-cluster REST endpoint.</summary>
    [Output("httpEndpoint")]
    public Output<string> HttpEndpoint { get; private set; }

    /// <summary>In-cluster gRPC endpoint.</summary>
    [Output("grpcEndpoint")]
    public Output<string> GrpcEndpoint { get; private set; }

    /// <summary>Secret holding the API key under key <c>api-key</c>; clients mount it.</summary>
    [Output("apiKeySecretName")]
    public Output<string> ApiKeySecretName { get; private set; }

    /// <summary>The API key (a secret output).</summary>
    [Output("apiKey")]
    public Output<string> ApiKey { get; private set; }

    /// <summary>Default replication factor of new collections.</summary>
    [Output("replicationFactor")]
    public Output<int> ReplicationFactor { get; private set; }

    /// <summary>Qdrant peers.</summary>
    [Output("replicas")]
    public Output<int> Replicas { get; private set; }

    private static string Guard(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!KubernetesNames.IsDnsLabel(name))
        {
            throw new ArgumentException($"\"{name}\" is not allowed as a VectorDatabase name (it is the Helm release name); allowed: {KubernetesNames.DnsLabelRule}", nameof(name));
        }

        return name;
    }
}
