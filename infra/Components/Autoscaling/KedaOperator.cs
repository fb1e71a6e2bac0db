using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Naming;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Autoscaling;

/// <summary>Inputs of a <see cref="KedaOperator"/>.</summary>
public sealed class KedaOperatorArgs : ResourceArgs
{
    /// <summary>Namespace of the operator. Defaults to "keda".</summary>
    public string Namespace { get; init; } = "keda";

    /// <summary>Whether the component creates <see cref="Namespace"/>. Defaults to true.</summary>
    public bool CreateNamespace { get; init; } = true;

    /// <summary>Environment (stack): label <c>neocloud.io/environment</c>. Required.</summary>
    public required string Environment { get; init; }

    /// <summary>Cost center: label <c>neocloud.io/cost-center</c>. Required.</summary>
    public required string CostCenter { get; init; }

    /// <summary>
    /// The kube-prometheus-stack release label: when set, KEDA's own metrics are scraped (ServiceMonitors with
    /// <c>release: &lt;label&gt;</c>) so the scaler-error alerts have data. Defaults to null.
    /// </summary>
    public string? MonitoringRelease { get; init; }
}

/// <summary>KEDA from its official chart (version <see cref="KedaChart.Version"/>), with its CRDs.</summary>
public sealed class KedaOperator : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:autoscaling:KedaOperator";

    /// <summary>Creates the operator.</summary>
    /// <param name="name">Component name; also the Helm release name.</param>
    /// <param name="args">The inputs.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public KedaOperator(string name, KedaOperatorArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(args);
        var labels = ResourceLabels.For("keda", name, "autoscaler", args.Environment, args.CostCenter);
        var dependsOn = new InputList<Resource>();
        if (args.CreateNamespace)
        {
            dependsOn.Add(new K8s.Core.V1.Namespace($"{name}-namespace", new NamespaceArgs
            {
                Metadata = new ObjectMetaArgs { Name = args.Namespace, Labels = CoreData.ToLabels(labels) },
            }, new CustomResourceOptions { Parent = this }));
        }

        var chart = PinnedChart.Create($"{name}-chart", name, args.Namespace, KedaChart.Pin,
            KedaChart.Values(args.MonitoringRelease, labels), new ComponentResourceOptions { Parent = this, DependsOn = dependsOn });

        Chart = chart;
        Namespace = Output.Create(args.Namespace);
        ChartVersion = Output.Create(KedaChart.Version);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = Namespace, ["chartVersion"] = ChartVersion });
    }

    /// <summary>The chart resource; ScaledObjects depend on it (it carries the CRDs).</summary>
    public Resource Chart { get; }

    /// <summary>The operator's namespace.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The pinned chart version.</summary>
    [Output("chartVersion")]
    public Output<string> ChartVersion { get; private set; }
}
