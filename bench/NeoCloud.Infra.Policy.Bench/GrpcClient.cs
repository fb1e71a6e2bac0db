using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>
/// A low-overhead unary gRPC client: one HTTP/2 cleartext connection (SocketsHttpHandler), messages framed by hand
/// (1-byte flag + 4-byte length), no channel, interceptor or serializer layers; the same client for every analyzer, so the
/// difference between figures is the server's.
/// </summary>
internal sealed class GrpcClient : IDisposable
{
    private readonly HttpClient _http;

    public GrpcClient(int port)
    {
        Port = port;
        _http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false, MaxConnectionsPerServer = 1 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public int Port { get; }

    /// <summary>The grpc-message of the last reply, if any.</summary>
    public string? Message { get; private set; }

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var body = new byte[payload.Length + 5];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(body.AsSpan(5));
        return body;
    }

    /// <summary>Sends one framed message; throws unless grpc-status is 0. Returns the reply message.</summary>
    public async Task<byte[]> CallAsync(string method, byte[] payload)
    {
        var (status, body) = await SendAsync(method, Frame(payload)).ConfigureAwait(false);
        if (status != "0" || body.Length < 5)
        {
            throw new InvalidOperationException($"{method}: grpc-status {status ?? "(none)"} {Message}");
        }
        return body[5..];
    }

    /// <summary>Sends raw body bytes; returns grpc-status (trailers or trailers-only headers) and the body.</summary>
    public async Task<(string? Status, byte[] Body)> SendAsync(string method, byte[] body, string contentType = "application/grpc", CancellationToken cancellation = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await SendAsync(method, content, cancellation).ConfigureAwait(false);
    }

    public async Task<(string? Status, byte[] Body)> SendAsync(string method, HttpContent content, CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/pulumirpc.Analyzer/" + method)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellation).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        Message = response.TrailingHeaders.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.First()) : null;
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : null;
        return (status, bytes);
    }

    public void Dispose() => _http.Dispose();
}
