using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

/// <summary>
/// The controller script that runs in the cluster (<see cref="MigNodeLock.Script"/>, POSIX sh + jq) against
/// <see cref="MigNodeLock.Decide"/> on every node state (<see cref="MigLockStates"/>): the real <c>sh</c> and <c>jq</c>,
/// with a <c>kubectl</c> on PATH that serves the node list and records each <c>kubectl patch</c>. jq comes from
/// scripts/test-tools.txt (scripts/test.sh installs it).
/// </summary>
public sealed class MigScaleDownLockScriptTests
{
    private const string FakeKubectl = """
        #!/bin/sh
        case "$1 $2" in
          "get nodes")
            [ "$3 $4" = "-o json" ] || { echo "unexpected: $*" >&2; exit 2; }
            [ -n "${FAKE_GET_FAILS:-}" ] && { echo "the server is unavailable" >&2; exit 1; }
            cat "$FAKE_NODES" ;;
          "patch node")
            [ "$4 $5" = "--type=merge -p" ] || { echo "unexpected: $*" >&2; exit 2; }
            printf '%s\t%s\n' "$3" "$6" >> "$FAKE_LOG"
            [ "$3" = "${FAKE_PATCH_FAILS:-}" ] && exit 1
            exit 0 ;;
          *) echo "unexpected: $*" >&2; exit 2 ;;
        esac

        """;

    private sealed record Run(int Exit, string Output, IReadOnlyList<(string Node, JsonObject Patch)> Patches, bool Heartbeat);

    private static Run RunOnce(IEnumerable<(MigNodeState Node, ImmutableSortedDictionary<string, string> Labels)> nodes, long now, int grace, IReadOnlyDictionary<string, string>? env = null, string shell = "/bin/sh")
    {
        var dir = Directory.CreateTempSubdirectory("neocloud-miglock-");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin"));
            var kubectl = Path.Combine(bin.FullName, "kubectl");
            File.WriteAllText(kubectl, FakeKubectl);
            Assert.False(OperatingSystem.IsWindows(), "the controller script runs under a POSIX sh");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var script = Path.Combine(dir.FullName, "lock.sh");
            File.WriteAllText(script, MigNodeLock.Script);
            var list = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "List",
                ["items"] = new JsonArray([.. nodes.Select(n => (JsonNode)new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = n.Node.Name,
                        ["labels"] = Map(n.Labels),
                        ["annotations"] = Map(n.Node.Annotations),
                    },
                })]),
            };
            var nodesFile = Path.Combine(dir.FullName, "nodes.json");
            File.WriteAllText(nodesFile, list.ToJsonString());
            var log = Path.Combine(dir.FullName, "patches.log");
            var heartbeat = Path.Combine(dir.FullName, "heartbeat");

            Assert.True(File.Exists(shell), $"{shell} is missing");
            var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add("--once");
            start.Environment["PATH"] = bin.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            start.Environment["TMPDIR"] = dir.FullName;
            start.Environment["FAKE_NODES"] = nodesFile;
            start.Environment["FAKE_LOG"] = log;
            start.Environment["LOCK_NOW"] = now.ToString(CultureInfo.InvariantCulture);
            start.Environment["LOCK_CONFIG_CHANGE_GRACE_SECONDS"] = grace.ToString(CultureInfo.InvariantCulture);
            start.Environment["LOCK_HEARTBEAT_FILE"] = heartbeat;
            foreach (var (k, v) in env ?? new Dictionary<string, string>())
            {
                start.Environment[k] = v;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(120_000), "the script did not finish in 2 minutes");
            var patches = File.Exists(log)
                ? File.ReadAllLines(log).Select(l => l.Split('\t', 2)).Select(p => (p[0], JsonNode.Parse(p[1])!.AsObject())).ToList()
                : [];
            Assert.DoesNotContain("jq: error", stderr.Result, StringComparison.Ordinal);
            Assert.DoesNotContain("not found", stderr.Result, StringComparison.Ordinal);
            return new Run(process.ExitCode, stdout.Result + stderr.Result, patches, File.Exists(heartbeat));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map) => new([.. map.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);

    private static void RequireJq() => Assert.True(
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "jq"))),
        "jq is not on PATH: run the tests through scripts/test.sh, which installs it (Debian package 'jq', listed in scripts/test-tools.txt), or apt-get install jq");

    /// <summary>The image's <c>/bin/sh</c> is busybox ash; here the script runs under two other shells: dash (POSIX) and bash.</summary>
    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("/bin/bash")]
    public void The_script_patches_exactly_what_the_decision_decides_on_every_node_state(string shell)
    {
        RequireJq();
        var run = RunOnce(MigLockStates.All, MigLockStates.Now, MigLockStates.Grace, shell: shell);
        Assert.True(run.Exit == 0, run.Output);

        var expected = MigLockStates.All
            .Select(n => (n.Node.Name, Decision: MigNodeLock.Decide(n.Node, MigLockStates.Now, MigLockStates.Grace)))
            .Where(e => !e.Decision.Patch.IsEmpty)
            .ToList();
        Assert.Equal(expected.Select(e => e.Name), run.Patches.Select(p => p.Node));
        foreach (var ((name, decision), (_, patch)) in expected.Zip(run.Patches))
        {
            var annotations = patch["metadata"]!["annotations"]!.AsObject();
            var actual = annotations.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>(), StringComparer.Ordinal);
            Assert.True(decision.Patch.SequenceEqual(actual), $"{name}: decision {string.Join(", ", decision.Patch)}; script {string.Join(", ", actual)}");
            Assert.Single(patch);
            Assert.Contains($"node {name}: {decision.Reason}\n", run.Output, StringComparison.Ordinal);
        }

        Assert.True(run.Heartbeat);
        Assert.True(expected.Count > 1000, $"only {expected.Count} of {MigLockStates.All.Count} states patch something");
    }

    [Fact]
    public void A_failed_listing_patches_nothing_and_leaves_the_heartbeat_stale()
    {
        RequireJq();
        var run = RunOnce(MigLockStates.All.Take(20), MigLockStates.Now, MigLockStates.Grace, new Dictionary<string, string> { ["FAKE_GET_FAILS"] = "1" });

        Assert.NotEqual(0, run.Exit);
        Assert.Empty(run.Patches);
        Assert.False(run.Heartbeat);
        Assert.Contains("mig-scale-down-lock: listing nodes failed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_patch_does_not_stop_the_other_nodes_but_fails_the_pass()
    {
        RequireJq();
        var nodes = MigLockStates.All.Where(n => !MigNodeLock.Decide(n.Node, MigLockStates.Now, MigLockStates.Grace).Patch.IsEmpty).Take(5).ToList();
        var run = RunOnce(nodes, MigLockStates.Now, MigLockStates.Grace, new Dictionary<string, string> { ["FAKE_PATCH_FAILS"] = nodes[1].Node.Name });

        Assert.NotEqual(0, run.Exit);
        Assert.Equal(nodes.Select(n => n.Node.Name), run.Patches.Select(p => p.Node));
        Assert.False(run.Heartbeat);
        Assert.Contains($"patching node {nodes[1].Node.Name} failed", run.Output, StringComparison.Ordinal);
    }
}
