using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;
using BoolValue = NeoCloud.Infra.Policy.Rules.Model.BoolValue;
using NullValue = NeoCloud.Infra.Policy.Rules.Model.NullValue;
using StringValue = NeoCloud.Infra.Policy.Rules.Model.StringValue;

namespace NeoCloud.Infra.Policy.Protocol;

/// <summary>Maps the engine's protobuf Structs and resources onto rule snapshots, and back for remediations.</summary>
public static class PropertyMapping
{
    private const int MaxDepth = 200;

    /// <summary>A resource's property Struct as an object value (top-level <c>__</c> keys dropped, special values decoded).</summary>
    public static ObjectValue FromStruct(Struct? properties) => FromStruct(properties, null);

    /// <summary>As <see cref="FromStruct(Struct?)"/>, adding every secret value it decodes to <paramref name="secrets"/>.</summary>
    public static ObjectValue FromStruct(Struct? properties, ICollection<PropertyValue>? secrets)
    {
        if (properties is null)
        {
            return ObjectValue.Empty;
        }
        var builder = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var (key, value) in properties.Fields)
        {
            if (!key.StartsWith("__", StringComparison.Ordinal))
            {
                builder[key] = FromValue(value, 1, secrets);
            }
        }
        return new ObjectValue(builder.ToImmutable());
    }

    /// <summary>A protobuf Value as a property value.</summary>
    public static PropertyValue FromValue(Value? value, int depth = 0) => FromValue(value, depth, null);

    private static PropertyValue FromValue(Value? value, int depth, ICollection<PropertyValue>? secrets)
    {
        if (value is null || depth > MaxDepth)
        {
            return PropertyValue.Null;
        }
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                return PulumiWireValues.DecodeString(value.StringValue);
            case Value.KindOneofCase.NumberValue:
                return new NumberValue(value.NumberValue);
            case Value.KindOneofCase.BoolValue:
                return PropertyValue.Of(value.BoolValue);
            case Value.KindOneofCase.ListValue:
                var items = value.ListValue.Values;
                var elements = ImmutableArray.CreateBuilder<PropertyValue>(items.Count);
                foreach (var item in items)
                {
                    elements.Add(FromValue(item, depth + 1, secrets));
                }
                return new ArrayValue(elements.MoveToImmutable());
            case Value.KindOneofCase.StructValue:
                var builder = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
                foreach (var (key, child) in value.StructValue.Fields)
                {
                    builder[key] = FromValue(child, depth + 1, secrets);
                }
                var decoded = PulumiWireValues.DecodeObject(new ObjectValue(builder.ToImmutable()));
                if (decoded is SecretValue)
                {
                    secrets?.Add(decoded);
                }
                return decoded;
            default:
                return PropertyValue.Null;
        }
    }

    /// <summary>An object value as a Struct (secrets and unknowns encoded as the engine expects).</summary>
    public static Struct ToStruct(ObjectValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new Struct();
        foreach (var (key, child) in value.Properties)
        {
            result.Fields[key] = ToValue(child);
        }
        return result;
    }

    /// <summary>A property value as a protobuf Value.</summary>
    public static Value ToValue(PropertyValue value) => value switch
    {
        NullValue => Value.ForNull(),
        BoolValue b => Value.ForBool(b.Value),
        NumberValue n => Value.ForNumber(n.Value),
        StringValue s => Value.ForString(s.Value),
        ArrayValue a => Value.ForList([.. a.Elements.Select(ToValue)]),
        ObjectValue o => Value.ForStruct(ToStruct(o)),
        SecretValue s => Value.ForStruct(new Struct
        {
            Fields =
            {
                [PulumiWireValues.SignatureKey] = Value.ForString(PulumiWireValues.SecretSignature),
                ["value"] = ToValue(s.Inner),
            },
        }),
        UnknownValue u => Value.ForString(PulumiWireValues.SentinelOf(u.Kind)),
        AssetValue a => Value.ForStruct(new Struct
        {
            Fields =
            {
                [PulumiWireValues.SignatureKey] = Value.ForString(a.Kind == AssetKind.Asset ? PulumiWireValues.AssetSignature : PulumiWireValues.ArchiveSignature),
                ["path"] = a.Path is null ? Value.ForNull() : Value.ForString(a.Path),
            },
        }),
        _ => Value.ForNull(),
    };

    /// <summary>An Analyze request as a snapshot.</summary>
    public static ResourceSnapshot FromRequest(AnalyzeRequest request) => FromRequest(request, null);

    /// <summary>
    /// As <see cref="FromRequest(AnalyzeRequest)"/>, adding every secret value of its properties and provider inputs to
    /// <paramref name="secrets"/> (for <see cref="SecretScrubber.OfSecrets"/>: no second walk over the properties).
    /// </summary>
    public static ResourceSnapshot FromRequest(AnalyzeRequest request, ICollection<PropertyValue>? secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ResourceOf(request.Type, request.Urn, request.Name, FromStruct(request.Properties, secrets), request.Options, FromProvider(request.Provider, secrets));
    }

    /// <summary>The snapshot of one Analyze request from its decoded parts (shared with <see cref="ViewMapping"/>).</summary>
    internal static ResourceSnapshot ResourceOf(string type, string urn, string name, ObjectValue properties, AnalyzerResourceOptions? options, ProviderSnapshot? provider) =>
        new(type, urn, NameOf(name, urn), properties, FromOptions(options), provider, NonEmpty(options?.Parent), [],
            ImmutableDictionary<string, ImmutableArray<string>>.Empty);

    /// <summary>An AnalyzeStack resource as a snapshot.</summary>
    public static ResourceSnapshot FromResource(AnalyzerResource resource) => FromResource(resource, null);

    /// <summary>
    /// As <see cref="FromResource(AnalyzerResource)"/>, adding every secret value of its properties and provider inputs to
    /// <paramref name="secrets"/> (for <see cref="SecretScrubber.OfSecrets"/>: no second walk over a large stack).
    /// </summary>
    public static ResourceSnapshot FromResource(AnalyzerResource resource, ICollection<PropertyValue>? secrets)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new ResourceSnapshot(resource.Type, resource.Urn, NameOf(resource.Name, resource.Urn), FromStruct(resource.Properties, secrets),
            FromOptions(resource.Options), FromProvider(resource.Provider, secrets), NonEmpty(resource.Parent) ?? NonEmpty(resource.Options?.Parent),
            [.. resource.Dependencies],
            resource.PropertyDependencies.ToImmutableDictionary(p => p.Key, p => p.Value?.Urns.ToImmutableArray() ?? [], StringComparer.Ordinal));
    }

    private static ResourceOptionsSnapshot FromOptions(AnalyzerResourceOptions? options) => options is null
        ? ResourceOptionsSnapshot.Default
        : new ResourceOptionsSnapshot(options.Protect, [.. options.IgnoreChanges], options.DeleteBeforeReplace,
            [.. options.AdditionalSecretOutputs], [.. options.Aliases], NonEmpty(options.Parent));

    private static ProviderSnapshot? FromProvider(AnalyzerProviderResource? provider, ICollection<PropertyValue>? secrets = null) =>
        provider is null || (provider.Type.Length == 0 && provider.Urn.Length == 0)
            ? null
            : new ProviderSnapshot(provider.Type, provider.Urn, provider.Name, FromStruct(provider.Properties, secrets));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string NameOf(string name, string urn) =>
        name.Length > 0 ? name : urn[(urn.LastIndexOf("::", StringComparison.Ordinal) is var i and >= 0 ? i + 2 : 0)..];
}
