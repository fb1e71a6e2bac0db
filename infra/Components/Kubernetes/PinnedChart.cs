using NeoCloud.Infra.Core.Charts;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Helm.V4;

namespace NeoCloud.Infra.Components.Kubernetes;

/// <summary>
/// A pinned third-party chart rendered on the client (<c>kubernetes:helm.sh/v4:Chart</c>), so every object it
/// contains shows in previews and reaches the policy pack; values are Core's plain data.
/// </summary>
internal static class PinnedChart
{
    /// <summary>Declares the chart <paramref name="pin"/> as release <paramref name="release"/> in <paramref name="ns"/>.</summary>
    public static Pulumi.Kubernetes.Helm.V4.Chart Create(
        string resourceName,
        string release,
        Input<string> ns,
        HelmChartPin pin,
        IReadOnlyDictionary<string, object> values,
        ComponentResourceOptions options) =>
        new(resourceName, new ChartArgs
        {
            Name = release,
            Namespace = ns,
            Chart = pin.Chart,
            Version = pin.Version,
            RepositoryOpts = new RepositoryOptsArgs { Repo = pin.Repository },
            Values = CoreData.ToInputMap(values),
        }, options);
}
