using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Evaluation;

/// <summary>
/// Replaces the plaintext of secret values by <c>[secret]</c> in a message. Rules are written to name keys, never secret
/// values; this is the net under them: <see cref="PolicyPack"/> scrubs every diagnostic with the secrets of the resources
/// it was computed from. Strings shorter than <see cref="MinLength"/> characters are not scrubbed (they would match ordinary
/// words of a message, and are no secret worth the name).
/// </summary>
public sealed class SecretScrubber
{
    /// <summary>Shortest secret string that is scrubbed.</summary>
    public const int MinLength = 4;

    private readonly string[] _secrets;

    private SecretScrubber(IEnumerable<string> secrets) =>
        _secrets = [.. secrets.Where(s => s.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];

    /// <summary>No secrets: messages pass unchanged.</summary>
    public static SecretScrubber None { get; } = new([]);

    /// <summary>True when there is nothing to scrub.</summary>
    public bool IsEmpty => _secrets.Length == 0;

    /// <summary>The secrets of one resource (its properties and provider inputs).</summary>
    public static SecretScrubber Of(ResourceSnapshot resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Of([resource]);
    }

    /// <summary>The secrets of <paramref name="resources"/>.</summary>
    public static SecretScrubber Of(IEnumerable<ResourceSnapshot> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var found = new List<string>();
        foreach (var resource in resources)
        {
            Collect(resource.Properties, false, found);
            if (resource.Provider is { } provider)
            {
                Collect(provider.Properties, false, found);
            }
        }

        return found.Count == 0 ? None : new SecretScrubber(found);
    }

    /// <summary>
    /// The secrets inside <paramref name="secretValues"/> (secret values collected while the resources were decoded, e.g. by
    /// the analyzer's protobuf mapping): the same strings as <see cref="Of(IEnumerable{ResourceSnapshot})"/> over those
    /// resources, without walking every property of a large stack again.
    /// </summary>
    public static SecretScrubber OfSecrets(IEnumerable<PropertyValue> secretValues)
    {
        ArgumentNullException.ThrowIfNull(secretValues);
        var found = new List<string>();
        foreach (var value in secretValues)
        {
            Collect(value, true, found);
        }
        return found.Count == 0 ? None : new SecretScrubber(found);
    }

    /// <summary><paramref name="message"/> with every secret replaced by <c>[secret]</c>.</summary>
    public string Scrub(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var secret in _secrets)
        {
            message = message.Replace(secret, "[secret]", StringComparison.Ordinal);
        }

        return message;
    }

    private static void Collect(PropertyValue value, bool secret, List<string> found)
    {
        // Iterative: property values may nest deeply (up to the readers' limits).
        var pending = new Stack<(PropertyValue Value, bool Secret)>();
        pending.Push((value, secret));
        while (pending.Count > 0)
        {
            var (current, inSecret) = pending.Pop();
            switch (current)
            {
                case SecretValue s:
                    pending.Push((s.Inner, true));
                    break;
                case StringValue text when inSecret:
                    found.Add(text.Value);
                    break;
                case ObjectValue o:
                    foreach (var child in o.Properties.Values)
                    {
                        pending.Push((child, inSecret));
                    }

                    break;
                case ArrayValue a:
                    foreach (var child in a.Elements)
                    {
                        pending.Push((child, inSecret));
                    }

                    break;
            }
        }
    }
}
