using System.Globalization;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeoCloud.Infra.Policy.Protocol.Wire;

// The floor of the Analyze round trip (bench/README.md): a pulumirpc.Analyzer that answers every call with an empty
// message, so what the bench client measures against it is the transport alone.
//   grpc     Grpc.AspNetCore with the generated service base (the pack's stack, minus the pack), defaults otherwise
//   kestrel  no gRPC layer: a Kestrel h2c request delegate that reads the body and writes one empty gRPC message
//            and grpc-status 0 (the HTTP/2 server alone)
// The first stdout line is the port, as for the pack.
var mode = args.FirstOrDefault(a => !a.Contains(':', StringComparison.Ordinal)) ?? "grpc";
if (mode is not ("grpc" or "kestrel"))
{
    await Console.Error.WriteLineAsync("usage: NeoCloud.Infra.Policy.Floor [grpc|kestrel] [engine address]").ConfigureAwait(false);
    return 2;
}
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
builder.WebHost.UseSetting(WebHostDefaults.PreventHostingStartupKey, "true");
builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
{
    options.AddServerHeader = false;
    options.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
});
builder.Logging.ClearProviders();
if (mode == "grpc")
{
    builder.Services.AddRoutingCore();
    builder.Services.AddGrpc();
}
var app = builder.Build();
if (mode == "grpc")
{
    app.UseRouting();
    app.MapGrpcService<NoopAnalyzer>();
}
else
{
    app.Run(NoopKestrel.HandleAsync);
}
await app.StartAsync().ConfigureAwait(false);
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
await Console.Out.WriteLineAsync(new Uri(address).Port.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
await Console.Out.FlushAsync().ConfigureAwait(false);
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;

/// <summary>Every method answers an empty message; nothing is parsed beyond what Grpc.AspNetCore does itself.</summary>
internal sealed class NoopAnalyzer : Analyzer.AnalyzerBase
{
    private static readonly Task<AnalyzeResponse> EmptyAnalyze = Task.FromResult(new AnalyzeResponse());

    public override Task<AnalyzeResponse> Analyze(AnalyzeRequest request, ServerCallContext context) => EmptyAnalyze;

    public override Task<AnalyzeResponse> AnalyzeStack(AnalyzeStackRequest request, ServerCallContext context) => EmptyAnalyze;

    public override Task<RemediateResponse> Remediate(AnalyzeRequest request, ServerCallContext context) => Task.FromResult(new RemediateResponse());

    public override Task<PluginInfo> GetPluginInfo(Empty request, ServerCallContext context) => Task.FromResult(new PluginInfo());

    public override Task<AnalyzerInfo> GetAnalyzerInfo(Empty request, ServerCallContext context) => Task.FromResult(new AnalyzerInfo());

    public override Task<Empty> Configure(ConfigureAnalyzerRequest request, ServerCallContext context) => Task.FromResult(new Empty());

    public override Task<AnalyzerHandshakeResponse> Handshake(AnalyzerHandshakeRequest request, ServerCallContext context) => Task.FromResult(new AnalyzerHandshakeResponse());

    public override Task<AnalyzerStackConfigureResponse> ConfigureStack(AnalyzerStackConfigureRequest request, ServerCallContext context) => Task.FromResult(new AnalyzerStackConfigureResponse());
}

/// <summary>The HTTP/2 server alone: drain the request body, answer a zero-length gRPC message and grpc-status 0.</summary>
internal static class NoopKestrel
{
    // Flag 0 (not compressed), length 0.
    private static readonly byte[] EmptyMessage = new byte[5];

    public static async Task HandleAsync(HttpContext context)
    {
        var body = context.Request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync().ConfigureAwait(false);
            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        await context.Response.BodyWriter.WriteAsync(EmptyMessage).ConfigureAwait(false);
    }
}
