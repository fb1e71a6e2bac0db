using System.Collections.Immutable;
using NeoCloud.Infra.Policy.Protocol.View;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Protocol;

/// <summary>
/// Maps an Analyze request decoded as <see cref="AnalyzeRequestView"/> (Protos/neocloud/analyzer_view.proto: the same bytes
/// as <c>pulumirpc.AnalyzeRequest</c>, each Struct read as its list of entries) onto the snapshot
/// <see cref="PropertyMapping"/> builds from the Struct form:
/// top-level <c>__</c> keys dropped, special values decoded, the last of duplicate keys kept (as the map does).
/// </summary>
public static class ViewMapping
{
    private const int MaxDepth = 200;

    /// <summary>The request as a snapshot, adding every secret value of its properties and provider inputs to <paramref name="secrets"/>.</summary>
    public static ResourceSnapshot FromRequest(AnalyzeRequestView request, ICollection<PropertyValue>? secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = FromStruct(request.Properties, secrets);
        var provider = request.Provider is { } p && (p.Type.Length > 0 || p.Urn.Length > 0)
            ? new ProviderSnapshot(p.Type, p.Urn, p.Name, FromStruct(p.Properties, secrets))
            : null;
        return PropertyMapping.ResourceOf(request.Type, request.Urn, request.Name, properties, request.Options, provider);
    }

    /// <summary>A resource's properties (top-level <c>__</c> keys dropped).</summary>
    public static ObjectValue FromStruct(StructView? properties, ICollection<PropertyValue>? secrets)
    {
        if (properties is null)
        {
            return ObjectValue.Empty;
        }
        var builder = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var field in properties.Fields)
        {
            if (!field.Key.StartsWith("__", StringComparison.Ordinal))
            {
                builder[field.Key] = FromValue(field.Value, 1, secrets);
            }
        }
        return new ObjectValue(builder.ToImmutable());
    }

    private static PropertyValue FromValue(ValueView? value, int depth, ICollection<PropertyValue>? secrets)
    {
        if (value is null || depth > MaxDepth)
        {
            return PropertyValue.Null;
        }
        switch (value.KindCase)
        {
            case ValueView.KindOneofCase.StringValue:
                return PulumiWireValues.DecodeString(value.StringValue);
            case ValueView.KindOneofCase.NumberValue:
                return new NumberValue(value.NumberValue);
            case ValueView.KindOneofCase.BoolValue:
                return PropertyValue.Of(value.BoolValue);
            case ValueView.KindOneofCase.ListValue:
                var items = value.ListValue.Values;
                var elements = ImmutableArray.CreateBuilder<PropertyValue>(items.Count);
                foreach (var item in items)
                {
                    elements.Add(FromValue(item, depth + 1, secrets));
                }
                return new ArrayValue(elements.MoveToImmutable());
            case ValueView.KindOneofCase.StructValue:
                var builder = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
                foreach (var field in value.StructValue.Fields)
                {
                    builder[field.Key] = FromValue(field.Value, depth + 1, secrets);
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
}
