using System.Net;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeoCloud.Infra.Policy.Protocol;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>
/// The analyzer's gRPC server: Grpc.AspNetCore on Kestrel, cleartext HTTP/2 (h2c) on 127.0.0.1, port chosen by the OS,
/// serving <see cref="AnalyzerGrpcService"/>. Limits: <see cref="MaxMessageBytes"/> per message; only the content types
/// <c>application/grpc</c> and <c>application/grpc+proto</c> (anything else is answered 415 before any byte of the body is
/// decoded); memory is handed back to the OS after large requests (<see cref="MemoryReclaimer"/>); log lines are one
/// line each, without stack traces (<see cref="OneLineLoggerProvider"/>).
/// </summary>
public sealed class AnalyzerServer : IAsyncDisposable
{
    /// <summary>
    /// Largest message accepted or sent: 400 MiB, the limit the Pulumi engine itself uses for its plugins' gRPC
    /// (pulumi/pulumi sdk/go/common/util/rpcutil/serve.go: <c>maxRPCMessageSize = 1024 * 1024 * 400</c>, applied by
    /// <c>GrpcChannelOptions()</c> to the engine's clients and by <c>grpc.MaxRecvMsgSize</c> to plugin servers).
    /// </summary>
    public const int MaxMessageBytes = 400 * 1024 * 1024;

    private readonly WebApplication _app;

    private AnalyzerServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Completes when the server has been asked to stop (Cancel, SIGINT/SIGTERM or <see cref="RequestStop"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Asks the server to stop after in-flight calls.</summary>
    public void RequestStop() => _app.Lifetime.StopApplication();

    /// <summary>Starts serving <paramref name="service"/> on 127.0.0.1, on <paramref name="port"/> (0: chosen by the OS).</summary>
    /// <param name="service">The analyzer.</param>
    /// <param name="log">Where the one-line log goes (stderr).</param>
    /// <param name="verbosity">The engine's -v level: 0 logs warnings and errors, 1 and more information too.</param>
    /// <param name="stackTraces">Log exceptions with their stack traces (NEOCLOUD_VERBOSE=1); otherwise type and message only.</param>
    /// <param name="port">The port, 0 for any free one.</param>
    public static async Task<AnalyzerServer> StartAsync(AnalyzerService service, TextWriter log, int verbosity = 0, bool stackTraces = false, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(log);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        // No hosting startup assemblies (loaded by reflection; nothing to load here, and not AOT-safe).
        builder.WebHost.UseSetting(WebHostDefaults.PreventHostingStartupKey, "true");
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = MaxMessageBytes + 5L;
            options.Limits.Http2.MaxStreamsPerConnection = 256;
            // Larger flow-control windows than Kestrel's defaults (768 KiB / 1 MiB): an AnalyzeStack of a big stack
            // is tens of MiB and arrives in one message.
            options.Limits.Http2.InitialStreamWindowSize = 4 * 1024 * 1024;
            options.Limits.Http2.InitialConnectionWindowSize = 8 * 1024 * 1024;
            options.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new OneLineLoggerProvider(log, stackTraces));
        builder.Logging.SetMinimumLevel(verbosity > 0 ? LogLevel.Information : LogLevel.Warning);
        // ASP.NET Core's and gRPC's per-request lines (two for an aborted stream) only from -v=10 (the engine's most
        // verbose level); below that, an aborted call is the one warning line written by the middleware below.
        builder.Logging.AddFilter("Microsoft", verbosity >= 10 ? LogLevel.Debug : LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", verbosity >= 10 ? LogLevel.Debug : LogLevel.Warning);
        // Hosting's per-request diagnostics (aspnetcore src/Hosting/Hosting/src/Internal/HostingApplicationDiagnostics.cs,
        // BeginRequest) start an Activity for every request whenever this category's logger is enabled at any level
        // (`_logger.IsEnabled(LogLevel.Critical)`), even with no listener; it only ever logs at Information and Debug. Off
        // below -v=10: no Activity, trace-id hex formatting and headers lookup per call (bench/README.md, "Issue 18, third pass").
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", verbosity >= 10 ? LogLevel.Debug : LogLevel.None);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, BoundedMemoryPoolFactory>();
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(ConfigureGrpc);
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton<AnalyzerGrpcService>();
        // The generated binding with INVALID_ARGUMENT for malformed messages, in place of the default binder.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton<IServiceMethodProvider<AnalyzerGrpcService>, AnalyzerMethodProvider>();
        var app = builder.Build();
        var reclaimer = new MemoryReclaimer();
        var calls = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NeoCloud.Infra.Policy.Calls");
        var root = app.Services;
        app.Use(async (context, next) =>
        {
            // Every service a call uses is a singleton: resolve from the root provider instead of a DI scope created and
            // disposed per request (Grpc.AspNetCore's activator reads HttpContext.RequestServices on every call).
            context.RequestServices = root;
            if (!GrpcContentType.IsAccepted(context.Request.ContentType))
            {
                await GrpcContentType.RejectAsync(context).ConfigureAwait(false);
                return;
            }
            await reclaimer.TrackAsync(context, next).ConfigureAwait(false);
            if (context.RequestAborted.IsCancellationRequested)
            {
                calls.LogWarning("{Path}: the client aborted the call", context.Request.Path.Value);
            }
        });
        app.UseRouting();
        app.MapGrpcService<AnalyzerGrpcService>();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AnalyzerServer(app, new Uri(address).Port);
    }

    private static void ConfigureGrpc(GrpcServiceOptions options)
    {
        options.MaxReceiveMessageSize = MaxMessageBytes;
        options.MaxSendMessageSize = MaxMessageBytes;
        // Exception messages never reach the client (they may hold values); the status says what failed.
        options.EnableDetailedErrors = false;
    }

    /// <summary>Stops the server gracefully.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The content types the analyzer decodes: the protobuf gRPC ones, nothing else (no grpc-web, no grpc+json).</summary>
public static class GrpcContentType
{
    /// <summary>True for <c>application/grpc</c> and <c>application/grpc+proto</c> (parameters after <c>;</c> allowed).</summary>
    public static bool IsAccepted(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        var media = contentType.AsSpan();
        var semicolon = media.IndexOf(';');
        media = (semicolon >= 0 ? media[..semicolon] : media).Trim();
        return media.Equals("application/grpc", StringComparison.OrdinalIgnoreCase) ||
               media.Equals("application/grpc+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Answers HTTP 415 with a trailers-only gRPC status naming the accepted types; the body is not read.</summary>
    public static Task RejectAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = "13"; // INTERNAL, as gRPC servers answer a wrong content type
        response.Headers["grpc-message"] = "content type not accepted: only application/grpc and application/grpc+proto";
        return Task.CompletedTask;
    }
}
