using System.Text.Json.Nodes;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Traffic;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;
using Random = Pulumi.Random;

namespace NeoCloud.Infra.Components.Traffic;

/// <summary>
/// The inference gateway of one serving cluster: Envoy Gateway from its official chart (pinned in
/// <see cref="EnvoyGatewayChart.Pin"/>, with its CRDs, the controller on the system pool, the <c>Backend</c> API on), a
/// GatewayClass with an EnvoyProxy (replicas and placement of the Envoy pods), an HTTPS Gateway terminating TLS from a
/// provided Secret, a route per deployment, per tenant a generated API key (a Pulumi secret) in the Opaque Secret its
/// SecurityPolicy reads and a BackendTrafficPolicy with its rate limit, and, for hybrid routes, the weighted FQDN
/// Backends of the traffic split (infra/Core/Traffic/README.md). The Kubernetes provider comes through <c>options</c>;
/// the tenant namespaces must exist (pass them in <c>DependsOn</c>).
/// </summary>
public sealed class InferenceGateway : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:InferenceGateway";

    /// <summary>Creates the gateway; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named <c>{name}-…</c>.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options (Kubernetes provider; <c>DependsOn</c> the tenant namespaces).</param>
    public InferenceGateway(string name, InferenceGatewayArgs args, ComponentResourceOptions? options = null)
        : this(name, args, args?.ToSpec(), options)
    {
    }

    private InferenceGateway(string name, InferenceGatewayArgs args, InferenceGatewaySpec? spec, ComponentResourceOptions? options)
        : this(name, args, spec!, ComponentContract.Plan(nameof(InferenceGatewayArgs), name, spec, InferenceGatewayPlanner.Validate, InferenceGatewayPlanner.Plan), options)
    {
    }

    private InferenceGateway(string name, InferenceGatewayArgs args, InferenceGatewaySpec spec, InferenceGatewayPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var waitFor = new InputList<Resource>();
        waitFor.AddRange(options?.DependsOn ?? new InputList<Resource>());
        var namespaces = new List<Resource>();
        foreach (var ns in new[] { EnvoyGatewayChart.Namespace, spec.Namespace }.Distinct(StringComparer.Ordinal))
        {
            namespaces.Add(new K8s.Core.V1.Namespace($"{name}-namespace-{ns}", new NamespaceArgs
            {
                Metadata = new ObjectMetaArgs { Name = ns, Labels = CoreData.ToLabels(spec.Ownership.Labels().SetItems(ResourceLabels.For("envoy-gateway", name, "namespace", spec.Ownership.Environment, spec.Ownership.CostCenter))) },
            }, new CustomResourceOptions { Parent = this }));
        }

        var chartOptions = new ComponentResourceOptions { Parent = this };
        chartOptions.DependsOn.AddRange(namespaces);
        var chart = PinnedChart.Create($"{name}-chart", EnvoyGatewayChart.ReleaseName, EnvoyGatewayChart.Namespace, EnvoyGatewayChart.Pin, plan.ChartValues, chartOptions);

        // Per tenant: the API key, generated, in the Opaque Secret its SecurityPolicy reads (client id = the tenant).
        var keys = new Dictionary<string, Output<string>>(StringComparer.Ordinal);
        var secrets = new List<Resource>();
        foreach (var t in spec.Tenants)
        {
            var key = new Random.RandomPassword($"{name}-{t.Tenant}-api-key", new Random.RandomPasswordArgs { Length = 48, Special = false }, new CustomResourceOptions { Parent = this });
            var secretOptions = new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "stringData", "data" } };
            secretOptions.DependsOn.AddRange(waitFor);
            secrets.Add(new K8s.Core.V1.Secret($"{name}-{t.Tenant}-api-key", new SecretArgs
            {
                Metadata = new ObjectMetaArgs
                {
                    Name = t.ApiKeySecret,
                    Namespace = t.Tenant,
                    Labels = CoreData.ToLabels(spec.Ownership.Labels(t.Tenant).SetItems(ResourceLabels.For("envoy-gateway", name, "api-key", spec.Ownership.Environment, spec.Ownership.CostCenter, t.Tenant))),
                },
                Type = "Opaque",
                StringData = { { t.Tenant, key.Result } },
            }, secretOptions));
            keys[t.Tenant] = key.Result;
        }

        // The planner's objects, once the chart (and so its CRDs) and the tenant namespaces exist.
        var objectOptions = new CustomResourceOptions { Parent = this, DependsOn = { chart } };
        objectOptions.DependsOn.AddRange(waitFor);
        foreach (var o in plan.Objects())
        {
            _ = Create(name, o, meta => new CustomObjectArgs((string)o["apiVersion"]!, (string)o["kind"]!, meta, JsonData.ToMap(o["spec"]!.AsObject())), objectOptions, secrets);
        }

        // Hybrid: the burst Backend takes the internal endpoint's address once it exists (its name and labels do not depend on it).
        foreach (var route in spec.Routes.Where(r => r.Burst is not null))
        {
            var address = args.Routes.Single(r => r.Name == route.Name && r.Tenant == route.Tenant).Burst!.Address;
            var backendSpec = address.ToOutput().Apply(a => JsonData.ToMap(InferenceGatewayPlanner.BurstBackend(spec, route, a)["spec"]!.AsObject()));
            var shape = InferenceGatewayPlanner.BurstBackend(spec, route, route.Burst!.Name);
            _ = Create(name, shape, meta => new CustomObjectArgs((string)shape["apiVersion"]!, (string)shape["kind"]!, meta, backendSpec), objectOptions, []);
        }

        GatewayName = Output.Create(spec.GatewayName);
        Namespace = Output.Create(spec.Namespace);
        ListenerHostname = Output.Create(spec.Hostname);
        ChartVersion = Output.Create(EnvoyGatewayChart.Pin.Version);
        Endpoints = Output.Create(spec.Routes.ToDictionary(r => r.Name, r => $"https://{r.Hostname}", StringComparer.Ordinal));
        ApiKeys = Output.CreateSecret(Output.All(keys.Select(kv => kv.Value.Apply(v => KeyValuePair.Create(kv.Key, v))))
            .Apply(pairs => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)));
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["gatewayName"] = GatewayName,
            ["namespace"] = Namespace,
            ["listenerHostname"] = ListenerHostname,
            ["chartVersion"] = ChartVersion,
            ["endpoints"] = Endpoints,
            ["apiKeys"] = ApiKeys,
        });
    }

    /// <summary>The Gateway's name.</summary>
    [Output("gatewayName")]
    public Output<string> GatewayName { get; private set; }

    /// <summary>The Gateway's namespace (its TLS Secret's).</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The HTTPS listener's hostname, e.g. <c>*.inference.example.com</c>: point this wildcard's DNS at the Envoy Service's address.</summary>
    [Output("listenerHostname")]
    public Output<string> ListenerHostname { get; private set; }

    /// <summary>The pinned Envoy Gateway chart version.</summary>
    [Output("chartVersion")]
    public Output<string> ChartVersion { get; private set; }

    /// <summary>Each route's URL by deployment name (<c>https://&lt;hostname&gt;</c>).</summary>
    [Output("endpoints")]
    public Output<Dictionary<string, string>> Endpoints { get; private set; }

    /// <summary>Each tenant's API key (header <c>x-api-key</c>), by tenant: a secret output.</summary>
    [Output("apiKeys")]
    public Output<Dictionary<string, string>> ApiKeys { get; private set; }

    private K8s.ApiExtensions.CustomResource Create(string name, JsonObject o, Func<ObjectMetaArgs, CustomObjectArgs> args, CustomResourceOptions options, List<Resource> after)
    {
        var kind = (string)o["kind"]!;
        var meta = o["metadata"]!;
        var ns = (string?)meta["namespace"];
        var objectName = (string)meta["name"]!;
        var labels = meta["labels"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);
        var childOptions = CustomResourceOptions.Merge(options, null);
        // A SecurityPolicy reads its tenant's key Secret: create it after the Secret.
        if (kind == "SecurityPolicy")
        {
            childOptions.DependsOn.AddRange(after);
        }

        return new K8s.ApiExtensions.CustomResource(
            $"{name}-{kind.ToLowerInvariant()}-{ns ?? "cluster"}-{objectName}",
            args(new ObjectMetaArgs { Name = objectName, Namespace = ns!, Labels = CoreData.ToLabels(labels) }),
            childOptions);
    }
}
