using System.CommandLine;
using System.Globalization;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Platform;
using NeoCloud.Infra.Plan.Diff;
using NeoCloud.Infra.Plan.Output;
using NeoCloud.Infra.Plan.Planning;

namespace NeoCloud.Infra.Plan;

/// <summary>The <c>neocloud</c> command line: <c>neocloud [plan] &lt;stack&gt; [--json|--markdown] [--against FILE] [--spot-discount X]</c>.</summary>
public static class PlanCommand
{
    /// <summary>Configuration valid, no mandatory policy violation.</summary>
    public const int ExitOk = 0;

    /// <summary>At least one policy violation at mandatory level.</summary>
    public const int ExitPolicyViolations = 1;

    /// <summary>Invalid configuration (or a stack file that cannot be found/read, or bad usage).</summary>
    public const int ExitInvalidConfig = 2;

    /// <summary>Internal error (a bug, or the output could not be written): one line on stderr, never 1 or 2.</summary>
    public const int ExitInternalError = ErrorContract.ExitInternalError;

    /// <summary>Runs the tool in the current directory.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, Environment.CurrentDirectory);

    /// <summary>Runs the tool, resolving stack names from <paramref name="workingDirectory"/> upwards.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        return ErrorContract.Run("neocloud", args, error, () =>
        {
            var root = Build(workingDirectory);
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var e in parsed.Errors)
                {
                    error.WriteLine("neocloud: " + e.Message);
                }

                error.WriteLine("usage: neocloud [plan] <stack|Pulumi.<stack>.yaml> [--json | --markdown] [--against <Pulumi.x.yaml>] [--spot-discount <0..0.95>] [--simulate <trace>] [--verbose]; see --help");
                return ExitInvalidConfig;
            }

            // Exceptions reach ErrorContract (exit 3), not System.CommandLine's handler (which would exit 1, the policy code).
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        });
    }

    private static RootCommand Build(string workingDirectory)
    {
        var root = new RootCommand("neocloud: offline tools for NeoCloud.Infra stacks. `neocloud plan <stack>` (or `neocloud <stack>`) prints the capacity, cost and policy plan of Pulumi.<stack>.yaml.");
        var plan = new Command("plan", "Capacity, cost and policy plan of a stack from its Pulumi.<stack>.yaml, without the Pulumi engine.");
        Configure(root, workingDirectory);
        Configure(plan, workingDirectory);
        root.Options.Add(new Option<bool>(ErrorContract.VerboseOption) { Description = $"On an internal error (exit 3), print the stack trace (or set {ErrorContract.VerboseVariable}=1).", Recursive = true });
        root.Subcommands.Add(plan);
        return root;
    }

    private static void Configure(Command command, string workingDirectory)
    {
        var stack = new Argument<string>("stack") { Description = "Stack name (Pulumi.<stack>.yaml is looked up in the current directory and its parents) or a path to a stack file." };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON (schemaVersion 1; see README)." };
        var markdown = new Option<bool>("--markdown") { Description = "Print the plan as markdown, for a pull-request comment." };
        var against = new Option<string?>("--against") { Description = "Baseline stack file (e.g. the main branch's Pulumi.prod.yaml): show capacity and cost deltas." };
        var spot = new Option<double?>("--spot-discount") { Description = "Spot discount off on-demand (0..0.95) instead of cost.spotDiscount." };
        var simulate = new Option<string?>("--simulate") { Description = "Simulate autoscaling on a load trace: steady, ramp, spike, diurnal, or a trace file (.csv: seconds,requestsPerSecond; .json: see README)." };
        command.Arguments.Add(stack);
        command.Options.Add(json);
        command.Options.Add(markdown);
        command.Options.Add(against);
        command.Options.Add(spot);
        command.Options.Add(simulate);
        command.SetAction(parse =>
        {
            var format = parse.GetValue(json) ? OutputFormat.Json : parse.GetValue(markdown) ? OutputFormat.Markdown : OutputFormat.Human;
            var outWriter = parse.InvocationConfiguration.Output;
            var errWriter = parse.InvocationConfiguration.Error;
            if (parse.GetValue(json) && parse.GetValue(markdown))
            {
                errWriter.WriteLine("neocloud: --json and --markdown cannot be combined");
                return ExitInvalidConfig;
            }

            var discount = parse.GetValue(spot);
            if (discount is < 0 or > 0.95 || (discount is { } d && double.IsNaN(d)))
            {
                errWriter.WriteLine($"neocloud: --spot-discount {discount?.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: 0..0.95");
                return ExitInvalidConfig;
            }

            var trace = parse.GetValue(simulate);
            if (trace is not null && TraceProblem(trace, workingDirectory) is { } problem)
            {
                errWriter.WriteLine("neocloud: --simulate " + problem);
                return ExitInvalidConfig;
            }

            return Execute(parse.GetValue(stack)!, parse.GetValue(against), discount, format, workingDirectory, outWriter, errWriter, trace is null || LoadTrace.BuiltIns.Contains(trace) ? trace : Path.GetFullPath(trace, workingDirectory));
        });
    }

    private static string? TraceProblem(string trace, string workingDirectory)
    {
        if (LoadTrace.BuiltIns.Contains(trace))
        {
            return null;
        }

        try
        {
            _ = LoadTrace.FromFile(Path.GetFullPath(trace, workingDirectory));
            return null;
        }
        catch (EnvironmentConfigException) when (!File.Exists(Path.GetFullPath(trace, workingDirectory)) && !Directory.Exists(Path.GetFullPath(trace, workingDirectory)))
        {
            return $"\"{trace}\" is neither a built-in trace ({string.Join(", ", LoadTrace.BuiltIns)}) nor an existing trace file";
        }
        catch (EnvironmentConfigException ex)
        {
            return string.Join("; ", ex.Errors.Select(e => $"\"{trace}\" {e.Message}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
        {
            return $"\"{trace}\": {ex.Message}";
        }
    }

    private static int Execute(string stackArg, string? againstArg, double? discount, OutputFormat format, string workingDirectory, TextWriter output, TextWriter error, string? simulate)
    {
        var result = Load(stackArg, workingDirectory, discount);
        var against = againstArg is null ? null : Load(againstArg, workingDirectory, discount);
        var diff = result.Plan is { } after && against?.Plan is { } before ? PlanDiff.Compare(before, after) : null;
        var exit = !result.IsValid || against is { IsValid: false }
            ? ExitInvalidConfig
            : result.Plan!.Policy.MandatoryViolations > 0 ? ExitPolicyViolations : ExitOk;

        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(JsonReport.Render(result, against, diff, exit, simulate));
                break;
            case OutputFormat.Markdown:
                foreach (var r in new[] { result, against }.OfType<PlanResult>().Where(r => !r.IsValid))
                {
                    TextReport.WriteMarkdownErrors(output, r);
                }

                if (exit != ExitInvalidConfig)
                {
                    TextReport.WriteMarkdown(output, result.Plan!, diff, simulate);
                }

                break;
            default:
                foreach (var r in new[] { result, against }.OfType<PlanResult>().Where(r => !r.IsValid))
                {
                    TextReport.WriteErrors(error, r);
                }

                if (exit != ExitInvalidConfig)
                {
                    TextReport.WriteHuman(output, result.Plan!, diff, simulate);
                }

                break;
        }

        return exit;
    }

    private static PlanResult Load(string stackOrPath, string workingDirectory, double? discount)
    {
        if (stackOrPath.Length == 0 || InputLimits.PathProblem(stackOrPath) is not null)
        {
            var problem = stackOrPath.Length == 0 ? "the stack name is empty; give a stack name (dev) or a path to a Pulumi.<stack>.yaml file" : "the stack name or path " + InputLimits.PathProblem(stackOrPath);
            return TextReport.Failure("stack", null, "stack", problem);
        }

        var file = StackFiles.Resolve(stackOrPath, workingDirectory);
        if (file is null)
        {
            return TextReport.Failure(stackOrPath, null, stackOrPath, $"no stack file found: looked for {stackOrPath} and Pulumi.{stackOrPath}.yaml in {workingDirectory} and its parents");
        }

        try
        {
            return StackPlanner.Plan(file, discount);
        }
        catch (IOException ex)
        {
            return TextReport.Failure(stackOrPath, file, Path.GetFileName(file), "cannot be read: " + ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return TextReport.Failure(stackOrPath, file, Path.GetFileName(file), "cannot be read: " + ex.Message);
        }
    }

    private enum OutputFormat
    {
        Human,
        Json,
        Markdown,
    }
}
