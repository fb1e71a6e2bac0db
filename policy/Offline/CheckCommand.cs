using System.Collections.Immutable;
using System.CommandLine;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Configuration;
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
/// the pack's rules over a preview or a state export. Exit 0: no mandatory violation; 1: mandatory violations; 2: unreadable input.
/// </summary>
public static class CheckCommand
{
    /// <summary>Exit code for mandatory violations.</summary>
    public const int ViolationsExitCode = 1;
    /// <summary>Exit code for unreadable input or bad usage.</summary>
    public const int InputErrorExitCode = 2;

    /// <summary>Runs the command; writes to the given writers (console by default).</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var preview = new Option<FileInfo?>("--preview-json") { Description = "Output of `pulumi preview --json`." };
        var export = new Option<FileInfo?>("--stack-export") { Description = "Output of `pulumi stack export`." };
        var stack = new Option<StackKind>("--stack") { Description = "Which defaults apply: dev or prod.", DefaultValueFactory = _ => StackKind.Dev };
        var config = new Option<FileInfo?>("--policy-pack-config") { Description = "A --policy-pack-config JSON file (e.g. policy/config/prod.json)." };
        var format = new Option<ReportFormat>("--format") { Description = "human or json.", DefaultValueFactory = _ => ReportFormat.Human };
        var command = new RootCommand("Evaluate the NeoCloud policies against a preview or a stack export, without the Pulumi engine.")
        {
            preview, export, stack, config, format,
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
            return parsed.Invoke();
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
        PolicySettings settings;
        try
        {
            state = StateFile.Parse(File.ReadAllText(input.FullName), fileFormat);
            settings = PolicySettings.Defaults(pack.Rules, stackKind);
            if (configFile is not null)
            {
                settings = settings.Apply(PolicyPackConfig.Parse(File.ReadAllText(configFile.FullName)), pack.Rules);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or PolicyConfigException)
        {
            stderr.WriteLine($"check: cannot read input: {e.Message}");
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
