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

    [Input("spec")]
    public InputMap<object> Spec { get; }
}
