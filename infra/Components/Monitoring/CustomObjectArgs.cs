using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Components.Monitoring;

/// <summary>Args of a custom resource whose spec Core decided as plain data (ServiceMonitor, PrometheusRule, ScaledObject).</summary>
internal sealed class CustomObjectArgs : Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs
{
    public CustomObjectArgs(string apiVersion, string kind, ObjectMetaArgs metadata, IReadOnlyDictionary<string, object> spec)
        : base(apiVersion, kind)
    {
        Metadata = metadata;
        Spec = ToInputMap(spec);
    }

    [Input("spec")]
    public InputMap<object> Spec { get; }

    /// <summary>A Core data tree as a Pulumi input map (nested maps and lists serialize as they are).</summary>
    public static InputMap<object> ToInputMap(IReadOnlyDictionary<string, object> values)
    {
        var map = new InputMap<object>();
        foreach (var (key, value) in values)
        {
            map.Add(key, value);
        }

        return map;
    }

    public static InputMap<string> ToLabels(IReadOnlyDictionary<string, string> labels)
    {
        var map = new InputMap<string>();
        foreach (var (key, value) in labels)
        {
            map.Add(key, value);
        }

        return map;
    }
}
