using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeoCloud.Infra.Policy.Protocol;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Evaluation;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>The analyzer process the Pulumi CLI starts: listens, prints its port, serves until Cancel or a signal.</summary>
public static class AnalyzerHost
{
    /// <summary>Runs the analyzer; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var arguments = EngineArguments.Parse(args);
        var service = new AnalyzerService(NeoCloudPolicyPack.Create(), StackFromEnvironment(Environment.GetEnvironmentVariable));
        AnalyzerServer server;
        try
        {
            var stackTraces = Environment.GetEnvironmentVariable("NEOCLOUD_VERBOSE") is "1" or "true";
            server = await AnalyzerServer.StartAsync(service, Console.Error, arguments.Verbosity, stackTraces).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"neocloud-infra analyzer: cannot listen on 127.0.0.1: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using (server.ConfigureAwait(false))
        {
            // The engine sends SIGINT at shutdown (then kills after 5 s): stop gracefully.
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, server));
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, server));
            // The engine reads the first stdout line as the port; nothing else may come before it.
            await Console.Out.WriteLineAsync(server.Port.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await Console.Out.FlushAsync().ConfigureAwait(false);
            if (arguments.Verbosity > 0)
            {
                await Console.Error.WriteLineAsync($"neocloud-infra analyzer: listening on 127.0.0.1:{server.Port} for engine {arguments.EngineAddress ?? "(none)"}").ConfigureAwait(false);
            }
            await server.WaitForShutdownAsync().ConfigureAwait(false);
        }
        return 0;
    }

    private static void Stop(PosixSignalContext context, AnalyzerServer server)
    {
        context.Cancel = true;
        server.RequestStop();
    }

    /// <summary>
    /// Stack facts from the variables the CLI sets for analyzers started as plugins (PULUMI_STACK, PULUMI_PROJECT,
    /// PULUMI_ORGANIZATION, PULUMI_DRY_RUN, PULUMI_CONFIG); ConfigureStack replaces them when it arrives.
    /// </summary>
    public static StackInfo StackFromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var stack = variable("PULUMI_STACK");
        if (string.IsNullOrEmpty(stack))
        {
            return StackInfo.Unconfigured;
        }
        var config = ImmutableDictionary<string, string>.Empty;
        try
        {
            var json = variable("PULUMI_CONFIG");
            if (!string.IsNullOrEmpty(json))
            {
                // JsonDocument, not JsonSerializer: no reflection (the pack is published with NativeAOT).
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    config = doc.RootElement.EnumerateObject()
                        .Where(p => p.Value.ValueKind == JsonValueKind.String)
                        .ToImmutableDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
                }
            }
        }
        catch (JsonException)
        {
            // Unreadable config: keep the stack name, use no config.
        }
        return new StackInfo(stack, variable("PULUMI_PROJECT") ?? string.Empty, variable("PULUMI_ORGANIZATION") ?? string.Empty,
            !string.Equals(variable("PULUMI_DRY_RUN"), "false", StringComparison.OrdinalIgnoreCase), StackInfo.KindOf(stack, config), config);
    }
}

/// <summary>The analyzer's command line: flags (<c>--logtostderr</c>, <c>-v=N</c>, <c>--tracing URL</c>, ...) may precede the engine address; a trailing <c>.</c> may follow.</summary>
/// <param name="EngineAddress">host:port of the engine, when given.</param>
/// <param name="Verbosity">The -v level.</param>
public sealed record EngineArguments(string? EngineAddress, int Verbosity)
{
    private static readonly HashSet<string> FlagsWithValue = new(StringComparer.Ordinal) { "--tracing", "-tracing", "--logflow", "--root", "-root" };

    /// <summary>Parses the arguments; never throws.</summary>
    public static EngineArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? address = null;
        var verbosity = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i] ?? string.Empty;
            if (arg.StartsWith('-'))
            {
                var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, null);
                if (name is "-v" or "--v" or "-verbose" or "--verbose")
                {
                    _ = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out verbosity);
                }
                else if (value is null && FlagsWithValue.Contains(name) && i + 1 < args.Count)
                {
                    i++;
                }
                continue;
            }
            if (address is null && arg != "." && arg.Contains(':', StringComparison.Ordinal))
            {
                address = arg;
            }
        }
        return new EngineArguments(address, verbosity);
    }
}
