using System.Text.Json;

namespace NeoCloud.Infra.Policy.Tests.Engine;

/// <summary>The analyzer as a separate process over real gRPC on loopback, driven by Pulumi's own generated client.</summary>
public sealed class AnalyzerOverGrpcTests
{
    private const int Advisory = 0;
    private const int Mandatory = 1;

    [Fact]
    public Task Engine_conversation_from_handshake_to_cancel() => ConversationAsync(native: null);

    /// <summary>The NativeAOT executable, started with no PATH (no dotnet anywhere), answers the same conversation.</summary>
    [NativeFact]
    public async Task Native_executable_answers_the_engine_with_no_dotnet_on_path()
    {
        var native = AnalyzerProcess.NativePath()!;
        Assert.False(File.Exists(Path.ChangeExtension(native, ".dll")), "a native publish has no managed entry assembly");
        var magic = new byte[4];
        await using (var file = File.OpenRead(native))
        {
            await file.ReadExactlyAsync(magic);
        }
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, magic);
        await ConversationAsync(native);
    }

    private static async Task ConversationAsync(string? native)
    {
        using var analyzer = await AnalyzerProcess.StartAsync(native);
        var config = Path.Combine(Fixtures.RepoRoot(), "policy", "config", "prod.json");
        var output = await EngineClient.RunAsync("scenario", analyzer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), config);
        Assert.DoesNotContain(Fixtures.SecretText, output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;

        Assert.True(root.GetProperty("handshake").GetBoolean());
        Assert.True(root.GetProperty("configureStack").GetBoolean());
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
        var info = root.GetProperty("info");
        Assert.Equal("neocloud-infra", info.GetProperty("name").GetString());
        Assert.True(info.GetProperty("supportsConfig").GetBoolean());
        var policies = info.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(NeoCloud.Infra.Policy.Rules.NeoCloudPolicyPack.Rules().Count, policies.Count);
        Assert.All(policies, p => Assert.Equal(Mandatory, p.GetProperty("level").GetInt32())); // prod stack defaults
        Assert.Contains(policies, p => p.GetProperty("name").GetString() == "mig-config-valid" && p.GetProperty("type").GetInt32() == 2);
        Assert.True(root.GetProperty("configure").GetBoolean());

        var bad = root.GetProperty("badConfigure");
        Assert.Equal(3, bad.GetProperty("code").GetInt32()); // INVALID_ARGUMENT
        Assert.Contains("vector-db-ha", bad.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains("minReplicas", bad.GetProperty("details").GetString(), StringComparison.Ordinal);

        var analyze = root.GetProperty("analyze");
        AssertDiagnostic(analyze.GetProperty("unpinned"), "images-pinned", Mandatory);
        AssertDiagnostic(analyze.GetProperty("unknownImage"), "images-pinned", Advisory, "cannot evaluate during preview");
        AssertDiagnostic(analyze.GetProperty("secretEnv"), "no-plaintext-secrets", Mandatory, "HF_TOKEN");
        AssertDiagnostic(analyze.GetProperty("chartSecret"), "no-plaintext-secrets", Mandatory, "adminPassword");
        Assert.Empty(analyze.GetProperty("bucketTags").EnumerateArray()); // provider default tags complete the bucket's tags
        Assert.Empty(analyze.GetProperty("clean").EnumerateArray());

        var stack = root.GetProperty("analyzeStack");
        AssertDiagnostic(stack, "mig-config-valid", Mandatory, "all-1g.5gb");
        AssertDiagnostic(stack, "tenant-isolation", Mandatory, "ResourceQuota");
        AssertDiagnostic(stack, "bucket-replication-prod", Mandatory);
        Assert.DoesNotContain(stack.EnumerateArray(), d => d.GetProperty("message").GetString()!.Contains("no Versioning", StringComparison.Ordinal));

        Assert.Equal(12, root.GetProperty("unknownMethodCode").GetInt32()); // UNIMPLEMENTED
        Assert.True(root.GetProperty("cancel").GetBoolean());
        Assert.True(analyzer.WaitForExit(TimeSpan.FromSeconds(15)), "the analyzer must exit after Cancel");
    }

    [Fact]
    public async Task Fuzzed_requests_over_grpc_never_fail_or_kill_the_server()
    {
        using var analyzer = await AnalyzerProcess.StartAsync();
        var output = await EngineClient.RunAsync("fuzz", analyzer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "300", "20251122");
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(300, doc.RootElement.GetProperty("ok").GetInt32());
        Assert.Equal(3, doc.RootElement.GetProperty("garbageCode").GetInt32()); // INVALID_ARGUMENT for unparseable bytes
        Assert.True(doc.RootElement.GetProperty("alive").GetBoolean());
        Assert.False(analyzer.HasExited);
    }

    private static void AssertDiagnostic(JsonElement diagnostics, string policy, int level, string? text = null) =>
        Assert.Contains(diagnostics.EnumerateArray(), d =>
            d.GetProperty("policyName").GetString() == policy &&
            d.GetProperty("level").GetInt32() == level &&
            d.GetProperty("packName").GetString() == "neocloud-infra" &&
            (text is null || d.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal)));
}

/// <summary>A fact that runs only when the NativeAOT executable has been published (see <see cref="AnalyzerProcess.NativePath"/>); otherwise it is reported as skipped, with the way to run it.</summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (AnalyzerProcess.NativePath() is null)
        {
            Skip = "no native executable newer than the built dll: run `NEOCLOUD_TEST_NATIVE=1 bash scripts/test.sh`, or publish with `dotnet publish policy -c Release -r linux-x64 -p:PublishAot=true -o artifacts/policy-native/linux-x64`, or set NEOCLOUD_POLICY_NATIVE";
        }
    }
}
