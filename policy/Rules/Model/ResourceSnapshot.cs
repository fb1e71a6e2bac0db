using System.Collections.Immutable;

namespace NeoCloud.Infra.Policy.Rules.Model;

/// <summary>One resource as the rules see it: the same shape whether it came from the engine or from a file.</summary>
/// <param name="Type">Type token, e.g. <c>kubernetes:apps/v1:Deployment</c>.</param>
/// <param name="Urn">The resource URN.</param>
/// <param name="Name">The resource name (last URN component).</param>
/// <param name="Properties">Inputs (Analyze) or outputs (AnalyzeStack).</param>
/// <param name="Options">Resource options the engine reports.</param>
/// <param name="Provider">The resource's provider, when known.</param>
/// <param name="Parent">Parent URN, when any.</param>
/// <param name="Dependencies">URNs this resource depends on.</param>
/// <param name="PropertyDependencies">Per top-level property, the URNs it was computed from.</param>
public sealed record ResourceSnapshot(
    string Type,
    string Urn,
    string Name,
    ObjectValue Properties,
    ResourceOptionsSnapshot Options,
    ProviderSnapshot? Provider,
    string? Parent,
    ImmutableArray<string> Dependencies,
    ImmutableDictionary<string, ImmutableArray<string>> PropertyDependencies)
{
    /// <summary>A snapshot with only type, name and properties (URN derived); for fixtures and tests.</summary>
    public static ResourceSnapshot Create(string type, string name, ObjectValue properties, string stack = "dev", string project = "neocloud") =>
        new(type, $"urn:pulumi:{stack}::{project}::{type}::{name}", name, properties, ResourceOptionsSnapshot.Default, null, null, [],
            ImmutableDictionary<string, ImmutableArray<string>>.Empty);

    /// <summary>The property (shorthand for <c>Properties[key]</c>).</summary>
    public PropertyValue this[string key] => Properties[key];

    /// <summary>True when <paramref name="urn"/> is one this resource's <paramref name="property"/> was computed from.</summary>
    public bool PropertyDependsOn(string property, string urn) =>
        PropertyDependencies.TryGetValue(property, out var urns) && urns.Contains(urn);
}

/// <summary>Resource options as the engine reports them to analyzers.</summary>
public sealed record ResourceOptionsSnapshot(
    bool Protect,
    ImmutableArray<string> IgnoreChanges,
    bool DeleteBeforeReplace,
    ImmutableArray<string> AdditionalSecretOutputs,
    ImmutableArray<string> Aliases,
    string? Parent)
{
    /// <summary>No options set.</summary>
    public static ResourceOptionsSnapshot Default { get; } = new(false, [], false, [], [], null);
}

/// <summary>The provider a resource is managed by.</summary>
public sealed record ProviderSnapshot(string Type, string Urn, string Name, ObjectValue Properties);

/// <summary>All resources of a stack, with indexes the stack rules share.</summary>
public sealed class StackSnapshot
{
    private readonly ImmutableDictionary<string, ImmutableArray<ResourceSnapshot>> _byType;

    /// <summary>Creates a stack snapshot.</summary>
    public StackSnapshot(IEnumerable<ResourceSnapshot> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        Resources = [.. resources];
        _byType = Resources.GroupBy(r => r.Type, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
    }

    /// <summary>Every resource, in engine order.</summary>
    public ImmutableArray<ResourceSnapshot> Resources { get; }

    /// <summary>Resources of any of the given types.</summary>
    public IEnumerable<ResourceSnapshot> OfType(params IEnumerable<string> types) =>
        types.SelectMany(t => _byType.TryGetValue(t, out var list) ? list : []);
}
