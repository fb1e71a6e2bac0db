using System.Collections.Immutable;
using NeoCloud.Infra.Components.Tests.Testing;
using Pulumi;
using Pulumi.Testing;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>The result of running the whole program under the mock engine.</summary>
internal sealed record StackRunResult(RecordingMocks Mocks, ImmutableArray<Resource> Resources, IDictionary<string, object?> Outputs);

/// <summary>
/// Runs the stack program (<see cref="StackProgram.Run"/>) under the mock engine with a stack's configuration in
/// <c>PULUMI_CONFIG</c> / <c>PULUMI_CONFIG_SECRET_KEYS</c> — the variables the language host sets — restoring them
/// afterwards. Runs never overlap: the engine and the variables are process-wide.
/// </summary>
internal static class StackRun
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static Task<StackRunResult> StackAsync(string stack) => RunAsync(CliConfig.FromYamlFile(RepoFiles.StackFile(stack)), null, stack);

    public static async Task<StackRunResult> RunAsync(string configJson, string? secretKeysJson = null, string stack = "test", bool preview = false)
    {
        await Gate.WaitAsync();
        var saved = (Config: Environment.GetEnvironmentVariable(EngineConfig.ConfigVariable), Secrets: Environment.GetEnvironmentVariable(EngineConfig.SecretKeysVariable));
        try
        {
            Environment.SetEnvironmentVariable(EngineConfig.ConfigVariable, configJson);
            Environment.SetEnvironmentVariable(EngineConfig.SecretKeysVariable, secretKeysJson);
            var mocks = new StackMocks(preview);
            var (resources, outputs) = await Deployment.TestAsync(mocks, new TestOptions { IsPreview = preview, StackName = stack, ProjectName = "neocloud-infra" }, StackProgram.Run);
            return new StackRunResult(mocks.Recorded, resources, outputs);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EngineConfig.ConfigVariable, saved.Config);
            Environment.SetEnvironmentVariable(EngineConfig.SecretKeysVariable, saved.Secrets);
            Gate.Release();
        }
    }

    /// <summary>Runs a configuration that must fail; returns the exception and what the mocks recorded meanwhile.</summary>
    public static async Task<(Exception Error, RecordingMocks Mocks)> FailingAsync(string configJson)
    {
        await Gate.WaitAsync();
        var saved = Environment.GetEnvironmentVariable(EngineConfig.ConfigVariable);
        var mocks = new StackMocks();
        try
        {
            Environment.SetEnvironmentVariable(EngineConfig.ConfigVariable, configJson);
            var error = await Record.ExceptionAsync(() => Deployment.TestAsync(mocks, new TestOptions { StackName = "invalid", ProjectName = "neocloud-infra" }, StackProgram.Run));
            return (error!, mocks.Recorded);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EngineConfig.ConfigVariable, saved);
            Gate.Release();
        }
    }
}
