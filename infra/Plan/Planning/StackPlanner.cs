using System.Collections.Immutable;
using NeoCloud.Infra.Core.Capacity;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Plan.Costing;
using NeoCloud.Infra.Plan.Policy;

namespace NeoCloud.Infra.Plan.Planning;

/// <summary>Reads a stack file, binds it with Core and assembles its plan. Every rule is Core's; this only composes.</summary>
internal static class StackPlanner
{
    /// <summary>Verdict name for "the configuration binds" (Core's <see cref="EnvironmentBinder"/>); enforced by the program itself.</summary>
    public const string ConfigValid = "config-valid";

    /// <summary>Verdict name for Core's <see cref="CapacityPlanner.Validate"/>; enforced by the program itself.</summary>
    public const string CapacityFits = "capacity-fits";

    /// <summary>Plans the stack in <paramref name="filePath"/>.</summary>
    /// <param name="filePath">A <c>Pulumi.&lt;stack&gt;.yaml</c> file.</param>
    /// <param name="spotDiscountOverride">Spot discount to use instead of the configured one, or null.</param>
    public static PlanResult Plan(string filePath, double? spotDiscountOverride = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        StackConfig config;
        try
        {
            config = StackConfig.FromYamlFile(filePath);
        }
        catch (EnvironmentConfigException ex)
        {
            return new PlanResult(StackNameOf(filePath), filePath, ex.Errors, null);
        }

        var stack = config.StackName ?? StackNameOf(filePath);
        var bound = EnvironmentBinder.Bind(config);
        if (bound.Model is not { } model)
        {
            return new PlanResult(stack, filePath, bound.Errors, null);
        }

        PackConfigLevels levels;
        try
        {
            levels = PackConfigLevels.Load(model.Policy, Path.GetDirectoryName(Path.GetFullPath(filePath))!);
        }
        catch (EnvironmentConfigException ex)
        {
            return new PlanResult(stack, filePath, ex.Errors, null);
        }

        var catalog = HardwareCatalog.Default;
        var capacity = CapacityPlanner.Compute(model);
        var cost = CostEstimator.Estimate(model, catalog, spotDiscountOverride);
        var policy = new PolicyPlan(model.Policy.PackConfig, levels.Found, levels.Source, Verdicts(model, levels));
        return new PlanResult(stack, filePath, [], new StackPlan(stack, filePath, model, capacity, cost, policy, [.. config.SecretKeys, .. config.SecretPaths.Select(p => p[(StackConfig.Namespace.Length + 1)..])], [.. config.OtherNamespaceKeys]));
    }

    private static ImmutableArray<PolicyVerdict> Verdicts(EnvironmentModel model, PackConfigLevels levels)
    {
        var verdicts = ImmutableArray.CreateBuilder<PolicyVerdict>();
        verdicts.Add(new PolicyVerdict(ConfigValid, CheckStatus.Pass, EnforcementLevel.Mandatory, "configuration binds without errors (Core EnvironmentBinder)", "stack"));
        var capacityErrors = CapacityPlanner.Validate(model);
        if (capacityErrors.Count == 0)
        {
            verdicts.Add(new PolicyVerdict(CapacityFits, CheckStatus.Pass, EnforcementLevel.Mandatory, "every deployment, shared pool and tenant quota fits (Core CapacityPlanner.Validate)", "stack"));
        }

        verdicts.AddRange(capacityErrors.Select(e => new PolicyVerdict(CapacityFits, CheckStatus.Fail, EnforcementLevel.Mandatory, e.Message, e.Path)));
        verdicts.AddRange(ConfigChecks.All(model).Select(v => new PolicyVerdict(v.Policy, v.Status, levels.LevelOf(v.Policy), v.Message, v.Subject)));
        return verdicts.ToImmutable();
    }

    private static string StackNameOf(string filePath)
    {
        var name = Path.GetFileNameWithoutExtension(filePath);
        return name.StartsWith("Pulumi.", StringComparison.Ordinal) ? name["Pulumi.".Length..] : name;
    }
}
