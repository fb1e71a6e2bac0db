using System.Collections.Immutable;
using NeoCloud.Infra.Core.Naming;
using Pulumi;

namespace NeoCloud.Infra.Components;

/// <summary>
/// The inputs every NeoCloud component takes (architecture.md, component contract 2): environment and cost center
/// (labels/tags <c>neocloud.io/environment</c>, <c>neocloud.io/cost-center</c> on every object) and extra
/// <see cref="Tags"/>. Validated by <see cref="OwnershipPlanner.Validate"/>, the same function the binder calls.
/// </summary>
public abstract class NeoCloudArgs : ResourceArgs
{
    /// <summary>Environment (stack), e.g. <c>prod</c>: a DNS label of at most 40 characters. Required.</summary>
    [Input("environment", required: true)]
    public string Environment { get; set; } = null!;

    /// <summary>Cost center, e.g. <c>ml-platform</c>: a DNS label of at most 40 characters. Required.</summary>
    [Input("costCenter", required: true)]
    public string CostCenter { get; set; } = null!;

    /// <summary>
    /// Extra labels (Kubernetes) and tags (AWS) on every object the component creates. Keys are label keys and may not
    /// be the library's own (<c>neocloud.io/environment</c>, <c>neocloud.io/cost-center</c>, <c>neocloud.io/tenant</c>,
    /// <c>app.kubernetes.io/*</c>); values are label values. Defaults to none.
    /// </summary>
    [Input("tags")]
    public Dictionary<string, string>? Tags { get; set; }

    /// <summary>The ownership part of the component's spec.</summary>
    internal OwnershipSpec ToOwnership() =>
        new(Environment, CostCenter, (Tags ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal));
}
