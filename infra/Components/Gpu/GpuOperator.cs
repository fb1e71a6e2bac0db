using System.Collections.Immutable;
using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Components.Gpu;

/// <summary>
/// The NVIDIA GPU Operator of one cluster: its namespace, the mig-parted ConfigMap and the device-plugin (time-slicing)
/// ConfigMap rendered by Core from the cluster's pools, and the official chart (pinned in <see cref="GpuOperatorChart"/>)
/// with values Core derived from the pools and the substrate.
/// </summary>
public sealed class GpuOperator : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:GpuOperator";

    /// <summary>The token stacks created before issue 17 registered the component under (kept as an alias).</summary>
    public const string PreviousTypeToken = "neocloud:gpu:GpuOperator";

    /// <summary>Creates the operator; throws <see cref="ComponentArgsException"/> listing every problem before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; children are named from it.</param>
    /// <param name="args">The operator's inputs.</param>
    /// <param name="options">Options; the cluster's Kubernetes provider reaches children through them.</param>
    public GpuOperator(string name, GpuOperatorArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(GpuOperatorArgs), name, args?.ToSpec(), GpuOperatorPlanner.Validate, GpuOperatorPlanner.Plan), options)
    {
    }

    private GpuOperator(string name, GpuOperatorArgs args, GpuOperatorPlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options, PreviousTypeToken))
    {
        Plan = plan;
        var labels = plan.Labels.ToImmutableDictionary(StringComparer.Ordinal);

        var ns = new Namespace($"{name}-namespace", new NamespaceArgs
        {
            Metadata = new ObjectMetaArgs
            {
                Name = plan.Namespace,
                // The operator's daemonsets are privileged (driver, toolkit, MIG manager).
                Labels = labels.SetItem("pod-security.kubernetes.io/enforce", "privileged"),
            },
        }, new CustomResourceOptions { Parent = this });

        var dependencies = new List<Resource> { ns };
        string? migConfigMap = null;
        if (plan.MigPartedConfig is { } migParted)
        {
            var cm = new ConfigMap($"{name}-mig-parted-config", new ConfigMapArgs
            {
                Metadata = new ObjectMetaArgs { Name = GpuOperatorChart.MigPartedConfigMapName, Namespace = ns.Metadata.Apply(m => m.Name), Labels = labels },
                Data = { { GpuOperatorChart.MigPartedConfigKey, migParted } },
            }, new CustomResourceOptions { Parent = this });
            dependencies.Add(cm);
            migConfigMap = GpuOperatorChart.MigPartedConfigMapName;
        }

        string? devicePluginConfigMap = null;
        if (!plan.DevicePluginConfigs.IsEmpty)
        {
            var cm = new ConfigMap($"{name}-device-plugin-config", new ConfigMapArgs
            {
                Metadata = new ObjectMetaArgs { Name = GpuOperatorChart.DevicePluginConfigMapName, Namespace = ns.Metadata.Apply(m => m.Name), Labels = labels },
                Data = plan.DevicePluginConfigs.ToImmutableDictionary(StringComparer.Ordinal),
            }, new CustomResourceOptions { Parent = this });
            dependencies.Add(cm);
            devicePluginConfigMap = GpuOperatorChart.DevicePluginConfigMapName;
        }

        _ = PinnedChart.Create($"{name}-chart", GpuOperatorChart.Chart, ns.Metadata.Apply(m => m.Name), GpuOperatorChart.Pin,
            plan.Values, new ComponentResourceOptions { Parent = this, DependsOn = dependencies });

        Namespace = ns.Metadata.Apply(m => m.Name);
        ChartVersion = Output.Create(GpuOperatorChart.Version);
        MigStrategy = Output.Create(plan.Strategy.ToChartValue());
        MigConfigMapName = Output.Create(migConfigMap);
        DevicePluginConfigMapName = Output.Create(devicePluginConfigMap);

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["namespace"] = Namespace,
            ["chartVersion"] = ChartVersion,
            ["migStrategy"] = MigStrategy,
            ["migConfigMapName"] = MigConfigMapName,
            ["devicePluginConfigMapName"] = DevicePluginConfigMapName,
        });
    }

    /// <summary>The operator's namespace.</summary>
    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>The pinned chart version installed.</summary>
    [Output("chartVersion")]
    public Output<string> ChartVersion { get; private set; }

    /// <summary>The cluster-wide <c>mig.strategy</c>: <c>none</c>, <c>single</c> or <c>mixed</c>.</summary>
    [Output("migStrategy")]
    public Output<string> MigStrategy { get; private set; }

    /// <summary>Name of the mig-parted ConfigMap, or null when no pool's GPU supports MIG.</summary>
    [Output("migConfigMapName")]
    public Output<string?> MigConfigMapName { get; private set; }

    /// <summary>Name of the device-plugin ConfigMap, or null when no pool is time-sliced.</summary>
    [Output("devicePluginConfigMapName")]
    public Output<string?> DevicePluginConfigMapName { get; private set; }


    /// <summary>Core's plan: strategy, rendered configs and chart values.</summary>
    internal GpuOperatorPlan Plan { get; }
}
