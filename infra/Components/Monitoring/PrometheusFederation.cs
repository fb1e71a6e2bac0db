using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Monitoring;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Monitoring;

/// <summary>Inputs of a <see cref="PrometheusFederation"/>.</summary>
public sealed class PrometheusFederationArgs : NeoCloudArgs
{
    /// <summary>
    /// Name of the federated (source) cluster: every copied series carries <c>neocloud_cluster=&lt;name&gt;</c>, and the
    /// ScrapeConfig is <c>federate-&lt;name&gt;</c> (a DNS label of at most 54 characters). Required.
    /// </summary>
    [Input("sourceCluster", required: true)]
    public string SourceCluster { get; set; } = null!;

    /// <summary>The source's federation endpoint, <c>host:port</c>: the source <see cref="PrometheusStack.FederationTarget"/>. Required.</summary>
    [Input("target", required: true)]
    public Input<string> Target { get; set; } = null!;

    /// <summary>Namespaces whose serving series (<c>nv_inference_request_duration_us</c>, <c>kube_deployment_spec_replicas</c>) are federated; at least one. Required.</summary>
    [Input("namespaces", required: true)]
    public List<string> Namespaces { get; set; } = null!;

    /// <summary>Namespace of the local Prometheus (the local <see cref="PrometheusStack.Namespace"/>). Defaults to "monitoring".</summary>
    [Input("namespace")]
    public string Namespace { get; set; } = "monitoring";

    /// <summary>The local Prometheus' <c>release</c> label (the local <see cref="PrometheusStack.ReleaseLabel"/>), which selects the ScrapeConfig. Required.</summary>
    [Input("releaseLabel", required: true)]
    public Input<string> ReleaseLabel { get; set; } = null!;

    /// <summary>The spec Core validates and plans.</summary>
    internal PrometheusFederationSpec ToSpec() =>
        new(ToOwnership(), SourceCluster, Target is not null, (Namespaces ?? []).ToImmutableArray(), Namespace, ReleaseLabel is not null);
}

/// <summary>
/// Prometheus federation for the hybrid topology: the local (burst cluster's) Prometheus scrapes another cluster's
/// Prometheus at <c>/federate</c> (a prometheus-operator <c>ScrapeConfig</c>, <c>honorLabels</c>, every 15 s) for the
/// serving series of <see cref="PrometheusFederationArgs.Namespaces"/>, which burst ScaledObjects query. The source side is
/// a <see cref="PrometheusStack"/> with <see cref="PrometheusStackArgs.ExposeFederation"/>. Pass the local cluster's
/// Kubernetes provider through <c>Providers</c>; the ScrapeConfig CRD comes with the local PrometheusStack's chart, so
/// depend on that stack (<c>DependsOn</c>).
/// </summary>
public sealed class PrometheusFederation : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:PrometheusFederation";

    /// <summary>Creates the ScrapeConfig; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; the local cluster's Kubernetes provider through <c>Providers</c>.</param>
    public PrometheusFederation(string name, PrometheusFederationArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(PrometheusFederationArgs), name, args?.ToSpec(), PrometheusFederationPlanner.Validate, PrometheusFederationPlanner.Plan), options)
    {
    }

    private PrometheusFederation(string name, PrometheusFederationArgs args, PrometheusFederationPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var labels = CoreData.ToLabels(plan.Labels(name));
        labels.Add(KubePrometheusStackChart.ReleaseLabel, args.ReleaseLabel);
        _ = new K8s.ApiExtensions.CustomResource($"{name}-scrape-config", new CustomObjectArgs(
            PrometheusFederationPlan.ApiVersion,
            "ScrapeConfig",
            new ObjectMetaArgs { Name = plan.ScrapeConfigName, Namespace = plan.Namespace, Labels = labels },
            args.Target.ToOutput().Apply(plan.ScrapeConfigSpec)), new CustomResourceOptions { Parent = this });

        ScrapeConfigName = Output.Create(plan.ScrapeConfigName);
        SourceCluster = Output.Create(plan.SourceCluster);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["scrapeConfigName"] = ScrapeConfigName,
            ["sourceCluster"] = SourceCluster,
        });
    }

    /// <summary>The ScrapeConfig's name, <c>federate-&lt;source cluster&gt;</c>.</summary>
    [Output("scrapeConfigName")]
    public Output<string> ScrapeConfigName { get; private set; }

    /// <summary>The source cluster (the value of the <c>neocloud_cluster</c> label on the federated series).</summary>
    [Output("sourceCluster")]
    public Output<string> SourceCluster { get; private set; }
}
