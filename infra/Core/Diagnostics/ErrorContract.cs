namespace NeoCloud.Infra.Core.Diagnostics;

/// <summary>
/// The exit codes every entry point shares (<c>neocloud plan</c>, the policy pack's offline <c>check</c>, the Pulumi
/// program; README "Exit codes"): 0 ok, 1 mandatory policy violations (plan and check only), 2 invalid input (every
/// problem with its key or JSON path), 3 internal error (one line; the stack trace only with <c>--verbose</c> or
/// <c>NEOCLOUD_VERBOSE=1</c>). A crash is never reported as 1 or 2, so CI cannot read a bug as a verdict.
/// </summary>
public static class ErrorContract
{
    /// <summary>Valid input, no mandatory policy violation.</summary>
    public const int ExitOk = 0;

    /// <summary>At least one mandatory policy violation (plan and check).</summary>
    public const int ExitPolicyViolations = 1;

    /// <summary>Invalid input: every problem with its key path or JSON path.</summary>
    public const int ExitInvalidInput = 2;

    /// <summary>Internal error: a bug, or output that could not be written.</summary>
    public const int ExitInternalError = 3;

    /// <summary>The environment variable that asks for stack traces of internal errors (<c>1</c> or <c>true</c>).</summary>
    public const string VerboseVariable = "NEOCLOUD_VERBOSE";

    /// <summary>The command-line flag that asks for stack traces of internal errors.</summary>
    public const string VerboseOption = "--verbose";

    /// <summary>True when <paramref name="args"/> has <c>--verbose</c> or <see cref="VerboseVariable"/> is set.</summary>
    public static bool IsVerbose(IEnumerable<string> args) =>
        args.Contains(VerboseOption, StringComparer.Ordinal)
        || Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true" or "TRUE" or "yes";

    /// <summary>Runs <paramref name="body"/>; any exception it lets escape becomes exit 3 with one line on <paramref name="error"/>.</summary>
    /// <param name="tool">The tool's name, the first word of the line.</param>
    /// <param name="args">The command line (for <c>--verbose</c>).</param>
    /// <param name="error">Standard error.</param>
    /// <param name="body">The command; returns 0, 1 or 2.</param>
    public static int Run(string tool, IEnumerable<string> args, TextWriter error, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception ex)
        {
            WriteInternalError(tool, ex, IsVerbose(args), error);
            return ExitInternalError;
        }
    }

    /// <summary>Asynchronous <see cref="Run(string, IEnumerable{string}, TextWriter, Func{int})"/>.</summary>
    public static async Task<int> RunAsync(string tool, IEnumerable<string> args, TextWriter error, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            WriteInternalError(tool, ex, IsVerbose(args), error);
            return ExitInternalError;
        }
    }

    /// <summary>Writes the one-line report of an internal error (and the stack trace when <paramref name="verbose"/>).</summary>
    public static void WriteInternalError(string tool, Exception exception, bool verbose, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var message = string.Join(' ', exception.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (message.Length > 500)
        {
            message = message[..497] + "...";
        }

        try
        {
            error.WriteLine($"{tool}: internal error (exit {ExitInternalError}; not a verdict on the input): {exception.GetType().Name}: {message}"
                + (verbose ? string.Empty : $" (stack trace: {VerboseOption} or {VerboseVariable}=1)"));
            if (verbose)
            {
                error.WriteLine(exception.ToString());
            }

            error.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException)
        {
            // stderr itself is gone: the exit code still says what happened.
        }
    }
}
