using System.Collections.Immutable;
using System.CommandLine;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Evaluation;

namespace NeoCloud.Infra.Policy.Offline;

/// <summary>Output format of the offline checker.</summary>
public enum ReportFormat
{
    /// <summary>Lines for people.</summary>
    Human,
    /// <summary>One JSON document.</summary>
    Json,
}

/// <summary>
/// <c>check --preview-json FILE | --stack-export FILE [--stack dev|prod] [--policy-pack-config FILE] [--format human|json]</c>:
/// the pack's rules over a preview or a state export. Exit codes are the project's error contract (Core
/// <see cref="ErrorContract"/>): 0 no mandatory violation; 1 mandatory violations; 2 invalid input (every problem with its
/// JSON path) or bad usage; 3 internal error (one line; the stack trace with <c>--verbose</c> or <c>NEOCLOUD_VERBOSE=1</c>).
/// </summary>
public static class CheckCommand
{
    /// <summary>Exit code for mandatory violations.</summary>
    public const int ViolationsExitCode = 1;
    /// <summary>Exit code for unreadable input or bad usage.</summary>
    public const int InputErrorExitCode = 2;
    /// <summary>Exit code for an internal error (never 1 or 2).</summary>
    public const int InternalErrorExitCode = ErrorContract.ExitInternalError;

    /// <summary>Runs the command; writes to the given writers (console by default).</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        return ErrorContract.Run("check", args, error, () => RunChecked(args, output, error));
    }

    private static int RunChecked(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var preview = new Option<FileInfo?>("--preview-json") { Description = "Output of `pulumi preview --json`." };
        var export = new Option<FileInfo?>("--stack-export") { Description = "Output of `pulumi stack export`." };
        var stack = new Option<StackKind>("--stack") { Description = "Which defaults apply: dev or prod.", DefaultValueFactory = _ => StackKind.Dev };
        var config = new Option<FileInfo?>("--policy-pack-config") { Description = "A --policy-pack-config JSON file (e.g. policy/config/prod.json)." };
        var format = new Option<ReportFormat>("--format") { Description = "human or json.", DefaultValueFactory = _ => ReportFormat.Human };
        var verbose = new Option<bool>(ErrorContract.VerboseOption) { Description = $"On an internal error (exit 3), print the stack trace (or set {ErrorContract.VerboseVariable}=1)." };
        var command = new RootCommand("Evaluate the NeoCloud policies against a preview or a stack export, without the Pulumi engine.")
        {
            preview, export, stack, config, format, verbose,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(preview) is null) == (result.GetValue(export) is null))
            {
                result.AddError("give exactly one of --preview-json and --stack-export");
            }
        });
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"check: {error.Message}");
            }
            return InputErrorExitCode;
        }
        if (parsed.Action is not null && parsed.CommandResult.Command == command && parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        var input = parsed.GetValue(preview) ?? parsed.GetValue(export)!;
        var fileFormat = parsed.GetValue(preview) is not null ? StateFileFormat.PreviewJson : StateFileFormat.StackExport;
        return Check(input, fileFormat, parsed.GetValue(stack), parsed.GetValue(config), parsed.GetValue(format), stdout, stderr);
    }

    private static int Check(FileInfo input, StateFileFormat fileFormat, StackKind stackKind, FileInfo? configFile, ReportFormat format,
        TextWriter stdout, TextWriter stderr)
    {
        var pack = NeoCloudPolicyPack.Create();
        StateFile state;
        var settings = PolicySettings.Defaults(pack.Rules, stackKind);
        if (configFile is not null)
        {
            try
            {
                // Core's pack-config parser (the plan's too): errors name the file and a policy of the pack or a
                // position, never a key or value of the file's own (it may be any file).
                var text = InputLimits.ReadRegularTextFile(configFile.FullName, InputLimits.MaxConfigFileBytes, configFile.Name);
                settings = settings.Apply(PolicySettings.ParseConfig(text, configFile.Name, pack.Rules), pack.Rules);
            }
            catch (EnvironmentConfigException e)
            {
                stderr.WriteLine($"check: invalid --policy-pack-config {configFile.Name} ({e.Errors.Length} problem{(e.Errors.Length == 1 ? string.Empty : "s")}):");
                foreach (var problem in e.Errors)
                {
                    stderr.WriteLine($"  - {problem}");
                }
                return InputErrorExitCode;
            }
        }

        try
        {
            // Only regular files within the size limits are read (no FIFO, device or directory).
            var bytes = InputLimits.ReadRegularFile(input.FullName, InputLimits.MaxStateFileBytes, input.Name);
            state = StateFile.Parse(bytes, fileFormat);
        }
        catch (StateFileException e)
        {
            stderr.WriteLine($"check: invalid input {input.Name} ({e.Problems.Length} problem{(e.Problems.Length == 1 ? string.Empty : "s")}):");
            foreach (var problem in e.Problems.Take(StateFile.MaxListedProblems))
            {
                stderr.WriteLine($"  - {problem}");
            }
            return InputErrorExitCode;
        }
        catch (EnvironmentConfigException e)
        {
            foreach (var problem in e.Errors)
            {
                stderr.WriteLine($"check: cannot read input: {problem}");
            }
            return InputErrorExitCode;
        }
        var stack = new StackInfo(stackKind.ToString().ToLowerInvariant(), string.Empty, string.Empty, fileFormat == StateFileFormat.PreviewJson,
            stackKind, ImmutableDictionary<string, string>.Empty);
        var diagnostics = state.ForAnalyze.SelectMany(r => pack.Analyze(r, settings, stack))
            .Concat(pack.AnalyzeStack(state.ForAnalyzeStack, settings, stack))
            .ToImmutableArray();
        var report = new CheckReport(pack.Name, pack.Version, stack.Name, input.Name, state.ForAnalyze.Length, diagnostics);
        if (format == ReportFormat.Json)
        {
            report.WriteJson(stdout);
        }
        else
        {
            report.WriteHuman(stdout);
        }
        return report.Mandatory > 0 ? ViolationsExitCode : 0;
    }
}
