using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NeoCloud.Infra.Policy.Transport;

/// <summary>
/// A minimal gRPC server for unary calls, on Kestrel over cleartext HTTP/2 (h2c) on loopback.
/// It exists because Grpc.AspNetCore does not restore from this project's NuGet mirror: it frames
/// messages (1-byte compressed flag + 4-byte big-endian length), answers <c>application/grpc</c>, reports
/// <c>grpc-status</c>/<c>grpc-message</c> as trailers (trailers-only for errors), returns UNIMPLEMENTED for
/// unknown methods, maps exceptions to status codes, and honours <c>grpc-timeout</c>. No streaming, no compression.
/// </summary>
public sealed class GrpcUnaryServer : IAsyncDisposable
{
    /// <summary>Largest request message accepted (AnalyzeStack of big stacks).</summary>
    public const int MaxMessageBytes = 512 * 1024 * 1024;

    private readonly IUnaryRpcService _service;
    private readonly WebApplication _app;

    private GrpcUnaryServer(IUnaryRpcService service, WebApplication app)
    {
        _service = service;
        _app = app;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>Completes when the server has been asked to stop (a stopping method was called, or SIGINT/SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Asks the server to stop after in-flight calls (as Cancel or SIGINT do).</summary>
    public void RequestStop() => _app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    /// <summary>Starts serving <paramref name="service"/> on 127.0.0.1, port chosen by the OS (or <paramref name="port"/>).</summary>
    public static async Task<GrpcUnaryServer> StartAsync(IUnaryRpcService service, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(service);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = MaxMessageBytes + 5L;
            options.Limits.Http2.MaxStreamsPerConnection = 256;
            options.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new GrpcUnaryServer(service, app);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>Stops the server gracefully.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method) || request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        using var deadline = DeadlineSource(request, context.RequestAborted);
        GrpcStatusCode status;
        string? message = null;
        try
        {
            var path = request.Path.Value ?? string.Empty;
            var method = _service.Find(path) ?? throw new GrpcStatusException(GrpcStatusCode.Unimplemented, $"unknown method {path}");
            var payload = await ReadMessageAsync(request, deadline.Token).ConfigureAwait(false);
            var reply = await method.InvokeAsync(payload, deadline.Token).ConfigureAwait(false);
            await WriteMessageAsync(response.BodyWriter, reply, deadline.Token).ConfigureAwait(false);
            status = GrpcStatusCode.Ok;
            if (method.StopsServer)
            {
                var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
                response.OnCompleted(() =>
                {
                    lifetime.StopApplication();
                    return Task.CompletedTask;
                });
            }
        }
        catch (GrpcStatusException e)
        {
            (status, message) = (e.StatusCode, e.Message);
        }
        catch (InvalidProtocolBufferException e)
        {
            (status, message) = (GrpcStatusCode.InvalidArgument, "malformed request message: " + e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            (status, message) = (GrpcStatusCode.Cancelled, "the call was cancelled");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            (status, message) = (GrpcStatusCode.DeadlineExceeded, "deadline exceeded");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (status, message) = (GrpcStatusCode.Internal, $"internal error ({e.GetType().Name})");
            await Console.Error.WriteLineAsync($"neocloud-infra analyzer: {request.Path}: {e}").ConfigureAwait(false);
        }

        if (!response.HasStarted && status != GrpcStatusCode.Ok)
        {
            // Trailers-only response: the status travels in the only HEADERS frame.
            response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
            if (message is not null)
            {
                response.Headers["grpc-message"] = PercentEncode(message);
            }
            return;
        }
        response.AppendTrailer("grpc-status", ((int)status).ToString(CultureInfo.InvariantCulture));
        if (message is not null)
        {
            response.AppendTrailer("grpc-message", PercentEncode(message));
        }
    }

    private static CancellationTokenSource DeadlineSource(HttpRequest request, CancellationToken aborted)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (GrpcTimeout.TryParse(request.Headers["grpc-timeout"].ToString(), out var timeout))
        {
            source.CancelAfter(timeout);
        }
        return source;
    }

    private static async Task<ReadOnlySequence<byte>> ReadMessageAsync(HttpRequest request, CancellationToken cancellation)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > MaxMessageBytes + 5L)
            {
                throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"request larger than {MaxMessageBytes} bytes");
            }
            if (result.IsCompleted)
            {
                var payload = Unframe(buffer, request.Headers["grpc-encoding"].ToString());
                var copy = new ReadOnlySequence<byte>(payload.ToArray());
                reader.AdvanceTo(buffer.End);
                return copy;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The message of a unary request body (exactly one length-prefixed message).</summary>
    internal static ReadOnlySequence<byte> Unframe(ReadOnlySequence<byte> body, string encoding)
    {
        if (body.Length < 5)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "request body holds no complete gRPC message frame");
        }
        Span<byte> header = stackalloc byte[5];
        body.Slice(0, 5).CopyTo(header);
        if (header[0] != 0 && (string.IsNullOrEmpty(encoding) || encoding == "identity"))
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "compressed flag set without a grpc-encoding");
        }
        if (header[0] != 0)
        {
            throw new GrpcStatusException(GrpcStatusCode.Unimplemented, $"message compression '{encoding}' is not supported");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > MaxMessageBytes || body.Length - 5 != length)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "a unary request must hold exactly one complete message");
        }
        return body.Slice(5, length);
    }

    private static async Task WriteMessageAsync(PipeWriter writer, IMessage reply, CancellationToken cancellation)
    {
        var size = reply.CalculateSize();
        var memory = writer.GetMemory(size + 5);
        memory.Span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(memory.Span[1..5], (uint)size);
        reply.WriteTo(memory.Span.Slice(5, size));
        writer.Advance(size + 5);
        await writer.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Percent-encodes a grpc-message value (bytes outside printable ASCII, and '%').</summary>
    internal static string PercentEncode(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
