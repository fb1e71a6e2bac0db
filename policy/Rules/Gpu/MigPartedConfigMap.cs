using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>Finds the mig-parted config document of a stack (Core parses it: <see cref="MigPartedDocument"/>).</summary>
public static class MigPartedConfigMap
{
    /// <summary>The first ConfigMap of the stack whose <c>config.yaml</c> has <c>mig-configs</c>; empty when none.</summary>
    /// <exception cref="UnknownValueException">Its data is not known yet.</exception>
    /// <exception cref="FormatException">The YAML is malformed.</exception>
    public static MigPartedDocument FromStack(StackSnapshot stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        foreach (var map in stack.OfType("kubernetes:core/v1:ConfigMap"))
        {
            var text = map["data"]["config.yaml"];
            if (text.IsNull)
            {
                continue;
            }
            var yaml = text.AsString();
            if (yaml is not null && yaml.Contains("mig-configs", StringComparison.Ordinal))
            {
                return MigPartedDocument.Parse(yaml);
            }
        }
        return MigPartedDocument.Empty;
    }
}
