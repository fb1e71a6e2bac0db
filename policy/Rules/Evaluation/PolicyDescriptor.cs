using System.Collections.Immutable;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;

namespace NeoCloud.Infra.Policy.Rules.Evaluation;

/// <summary>How bad a violation is.</summary>
public enum PolicySeverity
{
    /// <summary>Not stated.</summary>
    Unspecified,
    /// <summary>Low.</summary>
    Low,
    /// <summary>Medium.</summary>
    Medium,
    /// <summary>High.</summary>
    High,
    /// <summary>Critical.</summary>
    Critical,
}

/// <summary>Whether a policy looks at one resource or at the whole stack.</summary>
public enum PolicyKind
{
    /// <summary>Runs per resource (Analyze).</summary>
    Resource,
    /// <summary>Runs over all resources (AnalyzeStack).</summary>
    Stack,
}

/// <summary>Which defaults a stack gets.</summary>
public enum StackKind
{
    /// <summary>Development and test stacks: mostly advisory.</summary>
    Dev,
    /// <summary>Production stacks: mandatory.</summary>
    Prod,
}

/// <summary>What the engine and the README show about a policy.</summary>
/// <param name="Name">Kebab-case policy name.</param>
/// <param name="DisplayName">Title.</param>
/// <param name="Description">One sentence: what the policy requires.</param>
/// <param name="Severity">How bad a violation is.</param>
/// <param name="Kind">Resource or stack policy.</param>
/// <param name="DevLevel">Default level on dev stacks.</param>
/// <param name="ProdLevel">Default level on prod stacks.</param>
/// <param name="Schema">The configuration the policy accepts.</param>
/// <param name="Tags">Keywords.</param>
public sealed record PolicyDescriptor(
    string Name,
    string DisplayName,
    string Description,
    PolicySeverity Severity,
    PolicyKind Kind,
    EnforcementLevel DevLevel,
    EnforcementLevel ProdLevel,
    ConfigSchema Schema,
    ImmutableArray<string> Tags)
{
    /// <summary>The default level for a stack kind.</summary>
    public EnforcementLevel DefaultLevel(StackKind stack) => stack == StackKind.Prod ? ProdLevel : DevLevel;
}
