using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Plan.Diff;
using NeoCloud.Infra.Plan.Planning;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>The human (aligned text) and markdown outputs; both render <see cref="PlanSections"/>.</summary>
internal static class TextReport
{
    /// <summary>Writes the human report of a valid plan.</summary>
    public static void WriteHuman(TextWriter output, StackPlan plan, PlanDiff? diff, string? simulate = null)
    {
        output.WriteLine("neocloud plan · " + PlanSections.Summary(plan));
        output.WriteLine();
        foreach (var section in PlanSections.All(plan, diff, simulate))
        {
            TextTable.WriteText(output, section);
        }

        output.WriteLine(Verdict(plan));
    }

    /// <summary>Writes the markdown report of a valid plan (for a pull-request comment).</summary>
    public static void WriteMarkdown(TextWriter output, StackPlan plan, PlanDiff? diff, string? simulate = null)
    {
        output.WriteLine($"## `neocloud plan {plan.Stack}`");
        output.WriteLine();
        output.WriteLine(PlanSections.Summary(plan));
        output.WriteLine();
        output.WriteLine("**" + Verdict(plan) + "**");
        output.WriteLine();
        foreach (var section in PlanSections.All(plan, diff, simulate))
        {
            TextTable.WriteMarkdown(output, section);
        }
    }

    /// <summary>Writes every configuration error with its key path (human: to stderr).</summary>
    public static void WriteErrors(TextWriter output, PlanResult result)
    {
        var noun = result.Errors.Length == 1 ? "problem" : "problems";
        output.WriteLine($"neocloud plan: invalid configuration in {result.FilePath ?? result.Stack} ({result.Errors.Length} {noun}):");
        foreach (var e in result.Errors)
        {
            output.WriteLine("  - " + e);
        }
    }

    /// <summary>Writes the configuration errors as a markdown section.</summary>
    public static void WriteMarkdownErrors(TextWriter output, PlanResult result)
    {
        output.WriteLine($"## `neocloud plan {result.Stack}`: invalid configuration");
        output.WriteLine();
        output.WriteLine($"`{Path.GetFileName(result.FilePath ?? result.Stack)}` has {result.Errors.Length} problem(s); nothing can be planned:");
        output.WriteLine();
        foreach (var e in result.Errors)
        {
            output.WriteLine($"- `{e.Path}`: {e.Message}");
        }

        output.WriteLine();
    }

    /// <summary>A result that carries only errors (file missing, unreadable pack config ...).</summary>
    public static PlanResult Failure(string stack, string? file, string path, string message) =>
        new(stack, file, [new ConfigError(path, message)], null);

    private static string Verdict(StackPlan plan)
    {
        var mandatory = plan.Policy.MandatoryViolations;
        var advisory = plan.Policy.AdvisoryViolations;
        return mandatory > 0
            ? $"result: {mandatory} mandatory policy violation(s) — `pulumi preview` with the policy pack would block (exit 1)"
            : advisory > 0
                ? $"result: ok with {advisory} advisory violation(s)"
                : "result: ok — configuration valid, capacity fits, no policy violations";
    }
}
