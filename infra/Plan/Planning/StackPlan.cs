using System.Collections.Immutable;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Plan.Costing;
using NeoCloud.Infra.Plan.Policy;

namespace NeoCloud.Infra.Plan.Planning;

/// <summary>The plan of one valid stack: its model, capacity, cost and policy verdicts.</summary>
/// <param name="Stack">Stack name.</param>
/// <param name="FilePath">The stack file the plan was read from.</param>
/// <param name="Model">The bound environment (Core).</param>
/// <param name="Capacity">Core's capacity report.</param>
/// <param name="Cost">Cost estimate.</param>
/// <param name="Policy">Policy verdicts with their enforcement levels.</param>
/// <param name="SecretKeys">Secret <c>neocloud:</c> keys (values never read, shown as [secret]).</param>
/// <param name="OtherKeys">Keys of other namespaces (aws:region ...), for display.</param>
internal sealed record StackPlan(
    string Stack,
    string FilePath,
    EnvironmentModel Model,
    CapacityReport Capacity,
    CostPlan Cost,
    PolicyPlan Policy,
    ImmutableArray<string> SecretKeys,
    ImmutableArray<string> OtherKeys);

/// <summary>The result of planning one stack file: a plan, or the configuration errors that prevented it.</summary>
/// <param name="Stack">Stack name (from the file name), or the argument given.</param>
/// <param name="FilePath">The stack file, when it was found.</param>
/// <param name="Errors">Every Core error with its key path; empty when <paramref name="Plan"/> is set.</param>
/// <param name="Plan">The plan, or null when the configuration is invalid.</param>
internal sealed record PlanResult(string Stack, string? FilePath, ImmutableArray<ConfigError> Errors, StackPlan? Plan)
{
    /// <summary>True when the configuration bound without errors.</summary>
    public bool IsValid => Plan is not null;
}
