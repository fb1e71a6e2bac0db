using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NeoCloud.Infra.Policy.Hosting;
using NeoCloud.Infra.Policy.Protocol;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules;

namespace NeoCloud.Infra.Policy.Tests.Engine;

/// <summary>The server's limits (issue 12 point 4), over real h2c to the Grpc.AspNetCore server in this process.</summary>
public sealed class ServerLimitsTests : IAsyncLifetime
{
    private readonly StringWriter _log = new();
    private AnalyzerServer? _server;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        _server = await AnalyzerServer.StartAsync(new AnalyzerService(NeoCloudPolicyPack.Create()), TextWriter.Synchronized(_log));
        _http = new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_server.Port}"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpc-web+proto")]
    [InlineData("application/grpc-web-text")]
    [InlineData("application/grpc+json")]
    [InlineData("application/json")]
    public async Task Other_content_types_are_rejected_without_decoding(string contentType)
    {
        // Garbage that would be INVALID_ARGUMENT if it were decoded: the rejection comes first.
        var (http, status, _) = await SendAsync("Analyze", Frame([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, http);
        Assert.Equal("13", status);
        await AssertAnswersAsync();
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    public async Task Protobuf_content_types_are_served(string contentType)
    {
        var (http, status, body) = await SendAsync("GetPluginInfo", Frame(new Empty().ToByteArray()), contentType);
        Assert.Equal(HttpStatusCode.OK, http);
        Assert.Equal("0", status);
        Assert.Equal("0.1.0", PluginInfo.Parser.ParseFrom(body.AsSpan(5)).Version);
    }

    [Fact]
    public async Task A_message_larger_than_the_engines_limit_is_resource_exhausted_before_it_is_read()
    {
        // Only the 5-byte prefix announces 400 MiB + 1: the server must refuse on the prefix, not wait for the bytes.
        var prefix = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), AnalyzerServer.MaxMessageBytes + 1u);
        var (_, status, _) = await SendAsync("AnalyzeStack", prefix).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("8", status); // RESOURCE_EXHAUSTED
        await AssertAnswersAsync();
    }

    [Fact]
    public async Task Malformed_messages_are_invalid_argument()
    {
        var (_, status, _) = await SendAsync("Analyze", Frame([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
        Assert.Equal("3", status);
        var (_, truncated, _) = await SendAsync("Analyze", [0, 0, 0, 0, 9, 1]); // frame announces 9 bytes, body has 1
        Assert.NotEqual("0", truncated);
        await AssertAnswersAsync();
    }

    [Fact]
    public async Task An_aborted_stream_is_logged_as_one_line_without_a_stack_trace()
    {
        var prefix = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), 1_000_000);
        using var abort = new CancellationTokenSource();
        using var request = Request("AnalyzeStack", new AbortingContent(prefix, abort), "application/grpc");
        await Assert.ThrowsAnyAsync<Exception>(() => Http.SendAsync(request, abort.Token));

        string log = string.Empty;
        for (var i = 0; i < 50 && !log.Contains("AnalyzeStack", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            log = _log.ToString();
        }
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("neocloud-infra analyzer: ", l, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
        Assert.True(lines.Count(l => l.Contains("AnalyzeStack", StringComparison.Ordinal)) == 1, log);
        await AssertAnswersAsync();
    }

    private async Task AssertAnswersAsync()
    {
        var (_, status, _) = await SendAsync("GetPluginInfo", Frame(new Empty().ToByteArray()));
        Assert.Equal("0", status);
    }

    private static byte[] Frame(byte[] payload)
    {
        var body = new byte[payload.Length + 5];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(body, 5);
        return body;
    }

    private static HttpRequestMessage Request(string method, HttpContent content, string contentType)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, "/pulumirpc.Analyzer/" + method)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    private async Task<(HttpStatusCode Http, string? GrpcStatus, byte[] Body)> SendAsync(string method, byte[] body, string contentType = "application/grpc")
    {
        using var request = Request(method, new ByteArrayContent(body), contentType);
        using var response = await Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : null;
        return (response.StatusCode, status, bytes);
    }

    /// <summary>Sends a frame prefix and a few bytes, then cancels the request (the client resets the stream).</summary>
    private sealed class AbortingContent(byte[] prefix, CancellationTokenSource abort) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            await stream.WriteAsync(new byte[100]);
            await stream.FlushAsync();
            await Task.Delay(300);
            await abort.CancelAsync();
            await Task.Delay(Timeout.Infinite, abort.Token);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
