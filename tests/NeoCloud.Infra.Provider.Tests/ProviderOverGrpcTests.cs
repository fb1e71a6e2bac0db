using System.Diagnostics;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Tests.Shared;
using Pulumi.Experimental.Provider;

namespace NeoCloud.Infra.Provider.Tests;

/// <summary>
/// The built provider started as the engine starts a plugin (<c>dotnet pulumi-resource-neocloud.dll engineAddr</c>; it
/// prints its port as its first stdout line) and asked for its schema over gRPC by Pulumi's own generated client
/// (@pulumi/pulumi proto/provider_grpc_pb.js, engine-client/get-schema.js).
/// </summary>
public sealed class ProviderOverGrpcTests
{
    private static string EngineClientDirectory => RepoRoot.PathOf("tests/NeoCloud.Infra.Provider.Tests/engine-client");

    [Fact]
    public async Task GetSchema_over_grpc_returns_the_snapshot()
    {
        using var provider = await ProviderProcess.StartAsync();
        var reply = JsonNode.Parse(await NodeScript.RunAsync(EngineClientDirectory, "get-schema.js", provider.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        var pending = ComponentCatalog.PendingOn(ContractCheck.Analyzer);
        if (pending.Count > 0)
        {
            // Until every component is migrated, Pulumi's analyzer rejects the assembly: the engine gets the
            // analyzer's own error for the whole assembly (never a crash, never a partial schema).
            Assert.False((bool)reply["ok"]!, "GetSchema succeeded although components are pending on the analyzer: update ComponentCatalog.PendingContract");
            var expected = Assert.ThrowsAny<ArgumentException>(() => ComponentAnalyzer.GenerateSchema(ComponentCatalog.Metadata, ComponentCatalog.Assembly)).Message;
            var details = (string?)reply["details"] ?? "";
            Assert.True(details.Contains(expected, StringComparison.Ordinal),
                $"GetSchema failed with another error than the analyzer's ('{expected}'): code {reply["code"]}, {details}");
            Assert.False(provider.HasExited, "the provider exited after a failed GetSchema");
            return;
        }
        Assert.True((bool)reply["ok"]!, $"GetSchema failed: code {reply["code"]}, {reply["details"]}");
        Assert.Equal(await File.ReadAllTextAsync(SchemaSnapshotTests.SnapshotPath), (string)reply["schema"]! + "\n");
    }
}

/// <summary>The built provider (infra/Provider, pulumi-resource-neocloud.dll), started as the engine starts it.</summary>
internal sealed class ProviderProcess : IDisposable
{
    private readonly Process _process;

    private ProviderProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The provider's dll, copied next to the tests by the project reference.</summary>
    public static string DllPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "pulumi-resource-neocloud.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build infra/Provider first", path);
    }

    public static async Task<ProviderProcess> StartAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(DllPath());
        info.ArgumentList.Add("127.0.0.1:1"); // the engine's address; GetSchema never calls back
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (!int.TryParse(line, out var port) || port is <= 0 or >= 65536)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            Assert.Fail($"the provider's first stdout line must be its port, got '{line}'");
        }
        return new ProviderProcess(process, port);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
