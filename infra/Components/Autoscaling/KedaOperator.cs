using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Autoscaling;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Autoscaling;

/// <summary>Inputs of a <see cref="KedaOperator"/>; validated by Core's <see cref="KedaOperatorPlanner"/> before anything is registered.</summary>
public sealed class KedaOperatorArgs : NeoCloudArgs
{
    /// <summary>Namespace of the operator: a DNS label. Defaults to "keda".</summary>
    [Input("namespace")]
    public string Namespace { get; set; } = KedaOperatorSpec.DefaultNamespace;

    /// <summary>Whether the component creates <see cref="Namespace"/>. Defaults to true.</summary>
    [Input("createNamespace")]
    public bool CreateNamespace { get; set; } = true;

    /// <summary>
    /// The kube-prometheus-stack release label: when set, KEDA's own metrics are scraped (ServiceMonitors with
    /// <c>release: &lt;label&gt;</c>) so the scaler-error alerts have data. Defaults to null.
    /// </summary>
    [Input("monitoringRelease")]
    public string? MonitoringRelease { get; set; }

    /// <summary>
    /// Node selector of KEDA's operator, metrics API server and admission webhooks, e.g. a system
    /// <c>CpuNodePool</c>'s <c>neocloud.io/node-role: system</c>. Defaults to none (the chart's placement).
    /// </summary>
    [Input("systemNodeSelector")]
    public Dictionary<string, string>? SystemNodeSelector { get; set; }

    /// <summary>The spec Core validates and plans.</summary>
    /// <param name="name">The component's resource name (the Helm release name).</param>
    internal KedaOperatorSpec ToSpec(string name) => new(name, ToOwnership(), Namespace, CreateNamespace, MonitoringRelease)
    {
        SystemNodeSelector = (SystemNodeSelector ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
    };
}

/// <summary>
/// KEDA from its official chart (version <see cref="KedaChart.Version"/>), with its CRDs. TritonServices that scale
/// with KEDA depend on this component through their options (<c>DependsOn</c>), which waits for the chart and so its CRDs.
/// </summary>
public sealed class KedaOperator : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:KedaOperator";

    /// <summary>The token before <c>neocloud:index:*</c>, kept as an alias so existing stacks are updated in place.</summary>
    public const string PreviousTypeToken = "neocloud:autoscaling:KedaOperator";

    /// <summary>Creates the operator; throws <see cref="ComponentArgsException"/> before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; also the Helm release name (a DNS label of at most 53 characters).</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public KedaOperator(string name, KedaOperatorArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(KedaOperatorArgs), name, args?.ToSpec(name), KedaOperatorPlanner.Validate, KedaOperatorPlanner.Plan), options)
    {
    }

    private KedaOperator(string name, KedaOperatorArgs args, KedaOperatorPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        var dependsOn = new InputList<Resource>();
        if (plan.CreateNamespace)
        {
            dependsOn.Add(new K8s.Core.V1.Namespace($"{name}-namespace", new NamespaceArgs
            {
                Metadata = new ObjectMetaArgs { Name = plan.Namespace, Labels = CoreData.ToLabels(plan.Labels) },
            }, new CustomResourceOptions { Parent = this }));
        }

        Chart = PinnedChart.Create($"{name}-chart", plan.ReleaseName, plan.Namespace, KedaChart.Pin,
            plan.Values, new ComponentResourceOptions { Parent = this, DependsOn = dependsOn });
        Namespace = Output.Create(plan.Namespace);
        ChartVersion = Output.Create(KedaChart.Version);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = Namespace, ["chartVersion"] = ChartVersion });
    }

    /// <summary>The operator's namespace.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The pinned chart version.</summary>
    [Output("chartVersion")]
    public Output<string> ChartVersion { get; private set; }

    /// <summary>The chart resource (it carries the CRDs); internal: other programs depend on the component itself.</summary>
    internal Resource Chart { get; }
}
