using System.Collections.Immutable;
using System.Text.Json;

namespace NeoCloud.Infra.Policy.Rules.Model;

/// <summary>
/// How the Pulumi engine encodes special values inside property maps (gRPC Structs, preview JSON, state
/// exports): signature-keyed objects for secrets, assets, archives, resource references and outputs, and
/// sentinel strings for values unknown during preview. Both the gRPC mapping and the offline readers
/// decode through here, so the rules see one model.
/// </summary>
public static class PulumiWireValues
{
    /// <summary>The key that marks a special object.</summary>
    public const string SignatureKey = "4dabf18193072939515e22adb298388d";
    /// <summary>Signature of a secret.</summary>
    public const string SecretSignature = "1b47061264138c4ac30d75fd1eb44270";
    /// <summary>Signature of an asset.</summary>
    public const string AssetSignature = "c44067f5952c0a294b673a41bacd8c17";
    /// <summary>Signature of an archive.</summary>
    public const string ArchiveSignature = "0def7320c3a5731c473e5ecbe6d01bc7";
    /// <summary>Signature of a resource reference.</summary>
    public const string ResourceReferenceSignature = "5cf8f73096256a8f31e491e813e4eb8e";
    /// <summary>Signature of an output value.</summary>
    public const string OutputSignature = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

    /// <summary>Sentinel strings of unknown values, by the kind they stand for.</summary>
    public static ImmutableDictionary<string, UnknownKind> UnknownSentinels { get; } = new Dictionary<string, UnknownKind>
    {
        ["1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"] = UnknownKind.Bool,
        ["3eeb2bf0-c639-47a8-9e75-3b44932eb421"] = UnknownKind.Number,
        ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] = UnknownKind.String,
        ["6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"] = UnknownKind.Array,
        ["030794c1-ac77-496b-92df-f27374a8bd58"] = UnknownKind.Asset,
        ["e48ece36-62e2-4504-bad9-02848725956a"] = UnknownKind.Archive,
        ["dd056dcd-154b-4c76-9bd3-c8f88648b5ff"] = UnknownKind.Object,
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The sentinel string the engine uses for an unknown of <paramref name="kind"/>.</summary>
    public static string SentinelOf(UnknownKind kind) =>
        UnknownSentinels.FirstOrDefault(p => p.Value == kind).Key ?? "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    /// <summary>A string as a value: unknown sentinels become <see cref="UnknownValue"/>.</summary>
    public static PropertyValue DecodeString(string value) =>
        value.Length == 36 && UnknownSentinels.TryGetValue(value, out var kind) ? new UnknownValue(kind) : new StringValue(value);

    /// <summary>An object whose children are decoded already: special objects become their value.</summary>
    public static PropertyValue DecodeObject(ObjectValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Properties.TryGetValue(SignatureKey, out var signature) || signature is not StringValue sig)
        {
            return value;
        }
        switch (sig.Value)
        {
            case SecretSignature:
                if (value.Properties.TryGetValue("value", out var inner))
                {
                    return new SecretValue(inner);
                }
                if (value.Properties.TryGetValue("plaintext", out var plaintext) && plaintext is StringValue text)
                {
                    return new SecretValue(DecodeJsonText(text.Value));
                }
                return new SecretValue(new UnknownValue(UnknownKind.EncryptedSecret));
            case AssetSignature:
                return new AssetValue(AssetKind.Asset, (value["path"].Unwrap() as StringValue)?.Value);
            case ArchiveSignature:
                return new AssetValue(AssetKind.Archive, (value["path"].Unwrap() as StringValue)?.Value);
            case ResourceReferenceSignature:
                var id = value.Properties.TryGetValue("id", out var idValue) ? idValue : PropertyValue.Null;
                return id is StringValue { Value.Length: > 0 } or UnknownValue ? id : value.Properties.GetValueOrDefault("urn", PropertyValue.Null);
            case OutputSignature:
                var output = value.Properties.TryGetValue("value", out var v) ? v : new UnknownValue(UnknownKind.Any);
                return value.Properties.TryGetValue("secret", out var s) && s is BoolValue { Value: true } ? new SecretValue(output) : output;
            default:
                return value;
        }
    }

    /// <summary>Decodes a JSON element (preview JSON, state export, policy config) into a value.</summary>
    public static PropertyValue Decode(JsonElement element, int depth = 0)
    {
        if (depth > 256)
        {
            throw new JsonException("property value nested deeper than 256 levels");
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => DecodeString(element.GetString() ?? string.Empty),
            JsonValueKind.Number => new NumberValue(element.GetDouble()),
            JsonValueKind.True => PropertyValue.Of(true),
            JsonValueKind.False => PropertyValue.Of(false),
            JsonValueKind.Array => new ArrayValue([.. element.EnumerateArray().Select(e => Decode(e, depth + 1))]),
            JsonValueKind.Object => DecodeObject(DecodeProperties(element, depth)),
            _ => PropertyValue.Null,
        };
    }

    /// <summary>Decodes a JSON object into an object value (special objects are not interpreted at this level).</summary>
    public static ObjectValue DecodeProperties(JsonElement element, int depth = 0)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ObjectValue.Empty;
        }
        var builder = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            builder[property.Name] = Decode(property.Value, depth + 1);
        }
        return new ObjectValue(builder.ToImmutable());
    }

    private static PropertyValue DecodeJsonText(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Decode(doc.RootElement);
        }
        catch (JsonException)
        {
            return new StringValue(json);
        }
    }
}
