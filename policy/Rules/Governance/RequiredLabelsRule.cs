using System.Collections.Immutable;
using System.Text.Json;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Governance;

/// <summary>
/// Kubernetes objects carry the environment and cost-center labels (and the tenant label in tenant
/// namespaces); taggable AWS resources carry the same keys as tags (provider default tags count).
/// Remediates by adding missing environment/cost-center values known from the policy or stack config.
/// </summary>
public sealed class RequiredLabelsRule : IRemediatingRule
{
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "NodePatch", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
        "CustomResourceDefinition", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "APIService", "IngressClass", "RuntimeClass", "CSIDriver",
    };

    private static readonly HashSet<string> TaggableAwsTypes = new(StringComparer.Ordinal)
    {
        "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket", "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup",
        "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:kms/key:Key", "aws:iam/role:Role", "aws:ec2/securityGroup:SecurityGroup",
    };

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "required-labels", "Resources carry environment, cost-center and tenant labels",
        "Kubernetes objects carry neocloud.io/environment and neocloud.io/cost-center labels (plus neocloud.io/tenant in tenant namespaces); taggable AWS resources carry the same keys as tags.",
        PolicySeverity.Medium, PolicyKind.Resource, EnforcementLevel.Advisory, EnforcementLevel.Mandatory,
        ConfigSchema.Of(
            ConfigProperty.List("requiredKeys", "Label/tag keys every resource carries.", [.. ResourceLabels.Required]),
            ConfigProperty.Text("tenantNamespacePrefix", "Namespaces with this prefix are tenant namespaces.", "tenant-"),
            ConfigProperty.List("tenantNamespaces", "Further tenant namespaces."),
            ConfigProperty.Text("environment", "Value to add for neocloud.io/environment when remediating (default: stack config neocloud:environment).", ""),
            ConfigProperty.Text("costCenter", "Value to add for neocloud.io/cost-center when remediating (default: stack config neocloud:costCenter).", "")),
        ["governance", "cost"]);

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        var target = TargetOf(resource);
        if (target is null)
        {
            return [];
        }
        var (what, present) = target.Value;
        if (present is null)
        {
            return [Violation.CannotEvaluate($"the {what} of {resource.Type}")];
        }
        var required = RequiredKeys(resource, context);
        var missing = required.Where(k => !present.Contains(k)).ToList();
        return missing.Count == 0
            ? []
            : [new Violation($"{resource.Type} '{resource.Name}' is missing {what} {string.Join(", ", missing.Select(m => "'" + m + "'"))}")];
    }

    /// <inheritdoc />
    public ObjectValue? Remediate(ResourceSnapshot resource, RuleContext context)
    {
        var target = TargetOf(resource);
        if (target is not { Present: { } present })
        {
            return null;
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [ResourceLabels.Environment] = NonEmpty(context.Text("environment")) ?? context.Stack.ConfigValue("neocloud:environment") ?? context.Stack.ConfigValue("neocloud:env"),
            [ResourceLabels.CostCenter] = NonEmpty(context.Text("costCenter")) ?? context.Stack.ConfigValue("neocloud:costCenter"),
        };
        var additions = RequiredKeys(resource, context)
            .Where(k => !present.Contains(k) && values.GetValueOrDefault(k) is not null)
            .ToDictionary(k => k, k => values[k]!);
        if (additions.Count == 0)
        {
            return null;
        }
        if (resource.Type.StartsWith("kubernetes:", StringComparison.Ordinal))
        {
            var metadata = resource["metadata"].Known() as ObjectValue ?? ObjectValue.Empty;
            var labels = metadata["labels"].Known() as ObjectValue ?? ObjectValue.Empty;
            labels = additions.Aggregate(labels, (l, a) => l.With(a.Key, PropertyValue.Of(a.Value)));
            return resource.Properties.With("metadata", metadata.With("labels", labels));
        }
        var tags = resource["tags"].Known() as ObjectValue ?? ObjectValue.Empty;
        return resource.Properties.With("tags", additions.Aggregate(tags, (t, a) => t.With(a.Key, PropertyValue.Of(a.Value))));
    }

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static ImmutableArray<string> RequiredKeys(ResourceSnapshot resource, RuleContext context)
    {
        var keys = context.List("requiredKeys");
        if (!resource.Type.StartsWith("kubernetes:", StringComparison.Ordinal) || ClusterScopedKinds.Contains(KindOf(resource.Type)))
        {
            return keys;
        }
        var ns = resource["metadata"]["namespace"];
        if (!ns.IsKnown)
        {
            return keys;
        }
        var name = ns.AsString() ?? string.Empty;
        var prefix = context.Text("tenantNamespacePrefix");
        var isTenant = (prefix.Length > 0 && name.StartsWith(prefix, StringComparison.Ordinal)) || context.List("tenantNamespaces").Contains(name);
        return isTenant ? keys.Add(ResourceLabels.Tenant) : keys;
    }

    private static string KindOf(string type) => type[(type.LastIndexOf(':') + 1)..];

    /// <summary>What is checked ("labels"/"tags") and the keys present, null when they are not known yet; null overall when not applicable.</summary>
    private static (string What, HashSet<string>? Present)? TargetOf(ResourceSnapshot resource)
    {
        if (resource.Type.StartsWith("kubernetes:", StringComparison.Ordinal))
        {
            if (resource.Type.StartsWith("kubernetes:helm.sh/", StringComparison.Ordinal) ||
                resource.Type.StartsWith("kubernetes:yaml/", StringComparison.Ordinal) ||
                resource.Type.StartsWith("kubernetes:kustomize/", StringComparison.Ordinal) ||
                resource.Type.EndsWith("List", StringComparison.Ordinal))
            {
                return null;
            }
            var labels = resource["metadata"];
            if (!labels.IsKnown || !labels["labels"].IsKnown)
            {
                return ("labels", null);
            }
            return ("labels", KeysOf(labels["labels"]));
        }
        if (resource.Type.StartsWith("aws:", StringComparison.Ordinal) &&
            (TaggableAwsTypes.Contains(resource.Type) || resource.Properties.Properties.ContainsKey("tags")))
        {
            var tags = resource["tags"];
            if (!tags.IsKnown)
            {
                return ("tags", null);
            }
            var present = KeysOf(tags);
            present.UnionWith(KeysOf(SafeTagsAll(resource)));
            present.UnionWith(ProviderDefaultTags(resource.Provider));
            return ("tags", present);
        }
        return null;
    }

    private static PropertyValue SafeTagsAll(ResourceSnapshot resource) => resource["tagsAll"].IsKnown ? resource["tagsAll"] : PropertyValue.Null;

    private static HashSet<string> KeysOf(PropertyValue map)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries())
        {
            if (!value.IsKnown || !string.IsNullOrWhiteSpace(value.AsString()))
            {
                keys.Add(key);
            }
        }
        return keys;
    }

    private static IEnumerable<string> ProviderDefaultTags(ProviderSnapshot? provider)
    {
        if (provider is null)
        {
            return [];
        }
        var defaultTags = provider.Properties["defaultTags"];
        if (!defaultTags.IsKnown)
        {
            return [];
        }
        if (defaultTags.AsString() is { } json)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                defaultTags = PulumiWireValues.Decode(doc.RootElement);
            }
            catch (JsonException)
            {
                return [];
            }
        }
        var tags = defaultTags["tags"];
        return tags.IsKnown ? KeysOf(tags) : [];
    }
}
