using System.Text.Json;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Plan.Tests;

/// <summary>
/// The shortest reproducers of every crash, hang and silent drop found by the mutation harness (bench/robustness):
/// each file says in <c># expect: path :: text</c> lines which error it must now give. Every one exits 2 (invalid input)
/// in human and JSON mode, names its path, prints no exception and no secret canary.
/// </summary>
public sealed class CorpusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-corpus-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(Path.Combine(RepoRoot.FullPath, "tests", "NeoCloud.Infra.Plan.Tests", "Corpus"), "*.yaml")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_reproducer_is_an_input_error_with_its_path(string file)
    {
        var path = Path.Combine(RepoRoot.FullPath, "tests", "NeoCloud.Infra.Plan.Tests", "Corpus", file);
        var expected = File.ReadLines(path).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => l["# expect: ".Length..].Split(" :: ", 2)).ToList();
        Assert.NotEmpty(expected);

        var human = PlanRun.Of(path);
        Assert.Equal(2, human.ExitCode);
        foreach (var e in expected)
        {
            Assert.Contains(human.Err.Split('\n'), l => l.StartsWith($"  - {e[0]}: ", StringComparison.Ordinal) && l.Contains(e[1], StringComparison.Ordinal));
        }

        var json = PlanRun.Of(path, "--json");
        Assert.Equal(2, json.ExitCode);
        var errors = json.Json().GetProperty("errors").EnumerateArray().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("path").GetString())));

        foreach (var text in new[] { human.Out, human.Err, json.Out, json.Err })
        {
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_an_input_error_in_bounded_time()
    {
        // Before: 30,000 levels overflowed the stack (exit 134).
        var dir = _dir;
        var file = Path.Combine(dir, "Pulumi.deep.yaml");
        File.WriteAllText(file, "config:\n  neocloud:x: " + new string('[', 30_000) + new string(']', 30_000) + "\n");
        var run = PlanRun.Of(file);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nests mappings and lists deeper than 64 levels (the input limit)", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_stack_name_is_an_input_error()
    {
        var run = PlanRun.Of("");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("stack: the stack name is empty", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nul_in_the_path_is_an_input_error()
    {
        var run = PlanRun.Of("Pulumi.de\0v.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("contains a NUL character", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_an_input_error_naming_the_limit()
    {
        var dir = _dir;
        var file = Path.Combine(dir, "Pulumi.big.yaml");
        File.WriteAllText(file, "config:\n  neocloud:x: \"" + new string('a', 1_100_000) + "\"\n");
        var run = PlanRun.Of(file);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Pulumi.big.yaml: is larger than the input limit of 1 MiB", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_files_are_not_read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Before: a FIFO blocked forever; /dev/zero as packConfig read until memory ran out.
        var dir = _dir;
        var fifo = Path.Combine(dir, "Pulumi.fifo.yaml");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var run = PlanRun.Of(fifo);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Pulumi.fifo.yaml: is a FIFO (named pipe); only regular files are read", run.Err, StringComparison.Ordinal);

        var text = File.ReadAllText(Path.Combine(RepoRoot.FullPath, "Pulumi.prod.yaml")).Replace("packConfig: policy/config/prod.json", "packConfig: /dev/zero", StringComparison.Ordinal);
        var stack = Path.Combine(dir, "Pulumi.zero.yaml");
        File.WriteAllText(stack, text);
        var zero = PlanRun.Of(stack);
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("neocloud:policy.packConfig (/dev/zero): is a character device; only regular files are read", zero.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pack_config_that_is_not_one_is_never_echoed()
    {
        // packConfig may point at any file (the PR workflow posts the output as a comment): no string of it is printed.
        var dir = _dir;
        File.WriteAllText(Path.Combine(dir, "other.json"), """{ "db-password": "CANARY-hunter2-pack", "x": 1, "all": "CANARY-level" }""");
        File.WriteAllText(Path.Combine(dir, "broken.json"), """{ "CANARY-key": CANARY-bare }""");
        foreach (var target in new[] { "other.json", "broken.json" })
        {
            var text = File.ReadAllText(Path.Combine(RepoRoot.FullPath, "Pulumi.prod.yaml")).Replace("packConfig: policy/config/prod.json", "packConfig: " + target, StringComparison.Ordinal);
            var stack = Path.Combine(dir, "Pulumi.pack.yaml");
            File.WriteAllText(stack, text);
            foreach (var args in new[] { new[] { stack }, [stack, "--json"], [stack, "--markdown"] })
            {
                var run = PlanRun.Of(args);
                Assert.Equal(2, run.ExitCode);
                Assert.DoesNotContain("CANARY", run.Out + run.Err, StringComparison.Ordinal);
                Assert.Contains(target, run.Out + run.Err, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Json_errors_of_the_reproducers_are_valid_json()
    {
        // The JSON writer itself threw on Infinity and lone surrogates before; the document must parse.
        foreach (var file in new[] { "02-number-overflows-to-infinity.yaml", "06-lone-surrogate-escape.yaml" })
        {
            var run = PlanRun.Of(Path.Combine(RepoRoot.FullPath, "tests", "NeoCloud.Infra.Plan.Tests", "Corpus", file), "--json");
            using var doc = JsonDocument.Parse(run.Out);
            Assert.Equal(2, doc.RootElement.GetProperty("exitCode").GetInt32());
        }
    }
}

/// <summary>Exit 3: an internal error is one line on stderr, never 1 or 2; the stack trace only when asked for.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public void An_exception_exits_3_with_one_line()
    {
        using var error = new StringWriter();
        var code = PlanCommand.Run(["dev"], new FailingWriter(), error, RepoRoot.FullPath);

        Assert.Equal(3, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("neocloud: internal error (exit 3; not a verdict on the input): IOException: ", line, StringComparison.Ordinal);
        Assert.Contains("--verbose or NEOCLOUD_VERBOSE=1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_prints_the_stack_trace()
    {
        using var error = new StringWriter();
        var code = PlanCommand.Run(["dev", "--verbose"], new FailingWriter(), error, RepoRoot.FullPath);

        Assert.Equal(3, code);
        Assert.Contains("   at ", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Standard output that fails like a closed pipe.</summary>
    internal sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new IOException("Broken pipe");

        public override void Write(string? value) => throw new IOException("Broken pipe");

        public override void WriteLine(string? value) => throw new IOException("Broken pipe");
    }
}
