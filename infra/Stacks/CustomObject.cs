using System.Collections.Immutable;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace NeoCloud.Infra.Stacks;

/// <summary>Args of a custom resource (e.g. a Prometheus Operator ScrapeConfig) whose spec may hold values other resources produce.</summary>
internal sealed class CustomObject : Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs
{
    public CustomObject(string apiVersion, string kind, ObjectMetaArgs metadata, Output<ImmutableSortedDictionary<string, object>> spec)
        : base(apiVersion, kind)
    {
        Metadata = metadata;
        Spec = spec.Apply(s => s.ToImmutableDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    [Input("spec")]
    public InputMap<object> Spec { get; }

    public static InputMap<string> Map(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new InputMap<string>();
        foreach (var (key, value) in values)
        {
            map.Add(key, value);
        }

        return map;
    }
}
