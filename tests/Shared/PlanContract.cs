using System.Diagnostics;
using System.Text.Json;
using NeoCloud.Infra.Plan;

namespace NeoCloud.Infra.Tests.Shared;

/// <summary>
/// Runs <c>neocloud plan</c> (in process, human and JSON) on one stack-file text and lists every breach of the error
/// contract: an exit other than 0/1/2, an exception or stack trace in the output, an input error without a key path, a
/// secret canary (<see cref="InputMutator.Canary"/>) in any output, a list entry dropped from a valid plan, or a run
/// slower than the limit.
/// </summary>
public static class PlanContract
{
    /// <summary>The outcome of one input.</summary>
    public sealed record Outcome(int ExitCode, TimeSpan Elapsed, IReadOnlyList<string> Breaches, bool Hung, bool Dropped);

    /// <summary>Checks one stack-file text, written as <c>Pulumi.mutant.yaml</c> into <paramref name="directory"/>.</summary>
    public static Outcome Evaluate(string text, string directory, TimeSpan limit)
    {
        var file = Path.Combine(directory, "Pulumi.mutant.yaml");
        File.WriteAllText(file, text, new System.Text.UTF8Encoding(false, false)); // a lone surrogate becomes U+FFFD, as an editor would write it
        var breaches = new List<string>();
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() => (Human: Run(file, directory), Json: Run(file, directory, "--json")));
        if (!run.Wait(limit))
        {
            return new Outcome(-1, watch.Elapsed, [$"no answer within {limit.TotalSeconds:F0} s"], true, false);
        }

        var (human, json) = run.Result;
        var elapsed = watch.Elapsed;
        foreach (var (code, output, error, mode) in new[] { (human.Code, human.Out, human.Err, "human"), (json.Code, json.Out, json.Err, "json") })
        {
            if (code is not (0 or 1 or 2))
            {
                breaches.Add($"{mode}: exit {code}: {First(error)}");
            }

            if ((output + error).Contains("Exception", StringComparison.Ordinal) || (output + error).Contains("   at ", StringComparison.Ordinal))
            {
                breaches.Add($"{mode}: an exception in the output: {First(error + output)}");
            }

            if ((output + error).Contains(InputMutator.Canary, StringComparison.Ordinal))
            {
                breaches.Add($"{mode}: a secret canary in the output");
            }
        }

        if (human.Code != json.Code)
        {
            breaches.Add($"human exit {human.Code} but json exit {json.Code}");
        }

        var dropped = false;
        if (human.Code == 2)
        {
            var problems = human.Err.Split('\n').Skip(1).Where(l => l.Length > 0).ToList();
            if (problems.Count == 0 || problems.Any(l => !l.StartsWith("  - ", StringComparison.Ordinal) || l.IndexOf(": ", 4, StringComparison.Ordinal) <= 4))
            {
                breaches.Add("an input error without a key path: " + First(human.Err));
            }
        }

        if (json.Code == 2 && Parse(json.Out) is { } errorsDoc)
        {
            var errors = errorsDoc.GetProperty("errors").EnumerateArray().ToList();
            if (errors.Count == 0 || errors.Any(e => string.IsNullOrWhiteSpace(e.GetProperty("path").GetString())))
            {
                breaches.Add("a JSON input error without a path");
            }
        }
        else if (json.Code is 0 or 1 && Parse(json.Out) is { } plan)
        {
            // No value silently dropped: every list entry of the file is in the plan.
            foreach (var (key, field, unique) in new[] { ("neocloud:gpuPools", "pools", "name"), ("neocloud:clusters", "clusters", "name"), ("neocloud:serving", "serving", "deployment") })
            {
                int expected;
                try
                {
                    expected = InputMutator.CountOf(text, key);
                }
                catch (Exception)
                {
                    continue; // YamlDotNet's own model cannot read it: no oracle for this input
                }

                var actual = plan.GetProperty(field).EnumerateArray().Select(e => e.GetProperty(unique).GetString()).Distinct().Count();
                if (actual != expected)
                {
                    breaches.Add($"{key}: {expected} entries in the file, {actual} in the plan");
                    dropped = true;
                }
            }
        }
        else if (json.Code is 0 or 1 or 2)
        {
            breaches.Add("the JSON output does not parse");
        }

        if (elapsed > limit)
        {
            breaches.Add($"took {elapsed.TotalSeconds:F1} s");
        }

        return new Outcome(json.Code, elapsed, breaches, elapsed > limit, dropped);
    }

    private static (int Code, string Out, string Err) Run(string file, string directory, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PlanCommand.Run([file, .. extra], output, error, directory);
        return (code, output.ToString(), error.ToString());
    }

    private static JsonElement? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string First(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? string.Empty;
        return line.Length > 200 ? line[..200] : line;
    }
}
