using System.Diagnostics;
using System.Text.Json;
using NeoCloud.Infra.Policy.Offline;

namespace NeoCloud.Infra.Tests.Shared;

/// <summary>
/// Runs the offline <c>check</c> (in process) on one preview/state text and lists every breach of the error contract:
/// an exit other than 0/1/2, an exception in the output, an input error without a JSON path, a secret canary in the
/// output, a resource missing from the report of a readable file, or a run slower than the limit.
/// </summary>
public static class CheckContract
{
    /// <summary>The outcome of one input.</summary>
    public sealed record Outcome(int ExitCode, TimeSpan Elapsed, IReadOnlyList<string> Breaches, bool Hung, bool Dropped);

    /// <summary>Checks one text, written into <paramref name="directory"/>; <paramref name="preview"/> picks the format.</summary>
    public static Outcome Evaluate(string text, bool preview, string directory, TimeSpan limit)
    {
        var file = Path.Combine(directory, "mutant.json");
        File.WriteAllText(file, text, new System.Text.UTF8Encoding(false, false));
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = CheckCommand.Run([preview ? "--preview-json" : "--stack-export", file, "--format", "json", "--stack", "prod"], output, error);
            return (Code: code, Out: output.ToString(), Err: error.ToString());
        });
        if (!run.Wait(limit))
        {
            return new Outcome(-1, watch.Elapsed, [$"no answer within {limit.TotalSeconds:F0} s"], true, false);
        }

        var (code, stdout, stderr) = run.Result;
        var elapsed = watch.Elapsed;
        var breaches = new List<string>();
        var all = stdout + stderr;
        if (code is not (0 or 1 or 2))
        {
            breaches.Add($"exit {code}: {stderr.Split('\n')[0]}");
        }

        if (all.Contains("Exception", StringComparison.Ordinal) || all.Contains("   at ", StringComparison.Ordinal))
        {
            breaches.Add("an exception in the output: " + stderr.Split('\n')[0]);
        }

        if (all.Contains(InputMutator.Canary, StringComparison.Ordinal))
        {
            breaches.Add("a secret canary in the output");
        }

        var dropped = false;
        if (code == 2)
        {
            var lines = stderr.Split('\n').Where(l => l.Length > 0).ToList();
            var pathed = lines.All(l => l.StartsWith("  - $", StringComparison.Ordinal) || l.StartsWith("check: invalid input ", StringComparison.Ordinal)
                || (l.StartsWith("check: cannot read input: ", StringComparison.Ordinal) && l.IndexOf(": ", 26, StringComparison.Ordinal) > 26));
            if (lines.Count == 0 || !pathed || (lines[0].StartsWith("check: invalid input ", StringComparison.Ordinal) && lines.Count < 2))
            {
                breaches.Add("an input error without a JSON path: " + (lines.FirstOrDefault() ?? "(nothing)"));
            }
        }
        else if (code is 0 or 1)
        {
            try
            {
                using var report = JsonDocument.Parse(stdout);
                var expected = Resources(text, preview);
                var actual = report.RootElement.GetProperty("resources").GetInt32();
                if (expected is { } e && e != actual)
                {
                    breaches.Add($"{e} resources in the file, {actual} in the report");
                    dropped = true;
                }
            }
            catch (JsonException)
            {
                breaches.Add("the JSON report does not parse");
            }
        }

        if (elapsed > limit)
        {
            breaches.Add($"took {elapsed.TotalSeconds:F1} s");
        }

        return new Outcome(code, elapsed, breaches, elapsed > limit, dropped);
    }

    /// <summary>Resources (other than the stack) in the file, or null when it cannot be counted independently.</summary>
    private static int? Resources(string text, bool preview)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 1_000 });
            var root = doc.RootElement;
            var states = preview
                ? root.GetProperty("steps").EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("newState", out var n) && n.ValueKind == JsonValueKind.Object).Select(s => s.GetProperty("newState"))
                : (root.TryGetProperty("deployment", out var d) ? d : root).GetProperty("resources").EnumerateArray();
            return states.Count(s => !(s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "pulumi:pulumi:Stack"));
        }
        catch (Exception)
        {
            return null;
        }
    }
}
