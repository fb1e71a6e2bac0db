using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using Google.Protobuf;

namespace NeoCloud.Infra.Policy.Transport;

/// <summary>A gRPC service as the transport sees it: a table of unary methods by path.</summary>
public interface IUnaryRpcService
{
    /// <summary>The method for a request path (<c>/package.Service/Method</c>), or null (UNIMPLEMENTED).</summary>
    UnaryMethod? Find(string path);
}

/// <summary>One unary method: parses its request, runs, returns the reply.</summary>
/// <param name="Path">Request path, e.g. <c>/pulumirpc.Analyzer/Analyze</c>.</param>
/// <param name="InvokeAsync">Parses the request bytes and produces the reply.</param>
/// <param name="StopsServer">True when the server stops after this method's reply is sent (Cancel).</param>
public sealed record UnaryMethod(string Path, Func<ReadOnlySequence<byte>, CancellationToken, ValueTask<IMessage>> InvokeAsync, bool StopsServer = false)
{
    /// <summary>A method of <paramref name="service"/> taking <typeparamref name="TRequest"/>.</summary>
    public static UnaryMethod Create<TRequest>(string service, string name, MessageParser<TRequest> parser,
        Func<TRequest, CancellationToken, ValueTask<IMessage>> handler, bool stopsServer = false)
        where TRequest : IMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        return new($"/{service}/{name}", (bytes, ct) => handler(parser.ParseFrom(bytes), ct), stopsServer);
    }
}

/// <summary>A method table.</summary>
public sealed class UnaryMethodTable(IEnumerable<UnaryMethod> methods) : IUnaryRpcService
{
    private readonly FrozenDictionary<string, UnaryMethod> _methods = methods.ToFrozenDictionary(m => m.Path, StringComparer.Ordinal);

    /// <inheritdoc />
    public UnaryMethod? Find(string path) => _methods.GetValueOrDefault(path);
}

/// <summary>gRPC status codes.</summary>
public enum GrpcStatusCode
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>Cancelled by the caller.</summary>
    Cancelled = 1,
    /// <summary>Unknown error.</summary>
    Unknown = 2,
    /// <summary>The request is invalid.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline passed.</summary>
    DeadlineExceeded = 4,
    /// <summary>Not found.</summary>
    NotFound = 5,
    /// <summary>A limit was exceeded.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state for this call.</summary>
    FailedPrecondition = 9,
    /// <summary>The method is not implemented.</summary>
    Unimplemented = 12,
    /// <summary>Internal error.</summary>
    Internal = 13,
    /// <summary>Unavailable.</summary>
    Unavailable = 14,
}

/// <summary>Ends a call with a gRPC status.</summary>
public sealed class GrpcStatusException(GrpcStatusCode statusCode, string message) : Exception(message)
{
    /// <summary>The status to report.</summary>
    public GrpcStatusCode StatusCode { get; } = statusCode;
}

/// <summary>The <c>grpc-timeout</c> header: an integer and a unit (H, M, S, m, u, n).</summary>
public static class GrpcTimeout
{
    /// <summary>Parses a timeout header value.</summary>
    public static bool TryParse(string value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length > 9 ||
            !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        double? ms = value[^1] switch
        {
            'H' => amount * 3_600_000d,
            'M' => amount * 60_000d,
            'S' => amount * 1_000d,
            'm' => amount,
            'u' => amount / 1_000d,
            'n' => amount / 1_000_000d,
            _ => null,
        };
        if (ms is not double millis)
        {
            return false;
        }
        timeout = TimeSpan.FromMilliseconds(Math.Clamp(millis, 1, int.MaxValue));
        return true;
    }
}
