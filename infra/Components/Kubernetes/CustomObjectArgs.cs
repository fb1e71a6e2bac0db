using System.Collections.Immutable;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Components.Kubernetes;

/// <summary>Args of a custom resource whose spec Core decided as plain data (ServiceMonitor, PrometheusRule, ScaledObject, CephObjectStore ...).</summary>
internal sealed class CustomObjectArgs : Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs
{
    public CustomObjectArgs(string apiVersion, string kind, ObjectMetaArgs metadata, IReadOnlyDictionary<string, object> spec)
        : base(apiVersion, kind)
    {
        Metadata = metadata;
        Spec = CoreData.ToInputMap(spec);
    }

    /// <summary>A spec that holds values other resources produce (e.g. a Service's load-balancer address).</summary>
    public CustomObjectArgs(string apiVersion, string kind, ObjectMetaArgs metadata, Output<ImmutableSortedDictionary<string, object>> spec)
        : base(apiVersion, kind)
    {
        Metadata = metadata;
        Spec = spec.Apply(s => s.ToImmutableDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    [Input("spec")]
    public InputMap<object> Spec { get; }
}
