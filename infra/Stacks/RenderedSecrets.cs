using System.Collections.Immutable;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace NeoCloud.Infra.Stacks;

/// <summary>
/// Render-to-directory writes every object, Secrets included, to disk in plain text. On clusters that render, this
/// transformation keeps each Secret object (so the rendered set stays complete and references resolve) but replaces
/// every value with <see cref="Placeholder"/>: no generated password or key ever reaches the rendered files. The real
/// values stay in the (encrypted) Pulumi state; a GitOps pipeline supplies them from its secret manager.
/// Charts rendered by the provider (<c>helm.sh/v4:Chart</c>) are not transformed: their own Secrets (e.g. Grafana's
/// chart-default admin password) are rendered as the chart writes them.
/// </summary>
public static class RenderedSecrets
{
    /// <summary>The value written instead of each secret value.</summary>
    public const string Placeholder = "REDACTED-supply-from-your-secret-manager";

    /// <summary>Annotation marking a Secret whose values were redacted.</summary>
    public const string Annotation = "neocloud.io/rendered-secret";

    /// <summary>The transformation; attach it to the components of a rendering cluster.</summary>
    public static ResourceTransformationResult? Redact(ResourceTransformationArgs args)
    {
        if (args.Args is not SecretArgs secret)
        {
            return null;
        }

        var keys = Output.Tuple(secret.StringData.ToOutput(), secret.Data.ToOutput())
            .Apply(t => t.Item1.Keys.Concat(t.Item2.Keys).Distinct().ToImmutableDictionary(k => k, _ => Placeholder));
        Log.Warn($"render-to-directory: Secret values of \"{args.Resource.GetResourceName()}\" are written as a placeholder; supply them from your secret manager", args.Resource);
        var metadata = secret.Metadata.ToOutput().Apply(m =>
        {
            m.Annotations.Add(Annotation, "values-redacted");
            return m;
        });
        var redacted = new SecretArgs
        {
            ApiVersion = secret.ApiVersion,
            Kind = secret.Kind,
            Immutable = secret.Immutable,
            Type = secret.Type,
            Metadata = metadata,
            StringData = keys,
        };
        return new ResourceTransformationResult(redacted, args.Options);
    }
}
