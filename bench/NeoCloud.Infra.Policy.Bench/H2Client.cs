using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>
/// The compare mode's client: unary gRPC over one cleartext HTTP/2 connection, written directly on a blocking socket on
/// the calling thread (RFC 9113 framing, RFC 7541 header coding), one call at a time. It replaces HttpClient for the timed
/// figures because HttpClient's HTTP/2 stack cost more CPU per call than the analyzer it measured (`compare --client http`
/// still runs it): its connection reader hands every response to the thread pool, and each call allocates a request,
/// a response, header collections and content streams. This client does none of that: a call is one send and the
/// receives of its reply frames. The same client, connection settings and requests for every analyzer.
/// Supported: the frames a unary gRPC server sends (SETTINGS, HEADERS + CONTINUATION, DATA, WINDOW_UPDATE, PING,
/// RST_STREAM, GOAWAY), flow control both ways, padding, Huffman-coded header strings. The client advertises a header
/// table size of 0, so the server's encoder keeps no dynamic table (RFC 7541 §4.2); a reference to one is an error.
/// </summary>
internal sealed class H2Client : IDisposable
{
    private const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;
    private const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, Priority = 0x20;
    private const int MaxWindow = int.MaxValue;
    private const int OurMaxFrame = 1 << 20;

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly List<(string Name, string Value)> _fields = [];
    private readonly Dictionary<string, byte[]> _headerBlocks = new(StringComparer.Ordinal);
    private readonly byte[] _in = new byte[64 * 1024];
    private int _inStart, _inEnd;
    private byte[] _out = new byte[64 * 1024];
    private byte[] _scratch = new byte[16 * 1024];
    private byte[] _body = new byte[64 * 1024];
    private byte[] _block = new byte[4 * 1024];
    private int _nextStream = 1;
    private long _connectionWindow = 65535;
    private int _peerInitialWindow = 65535;
    private int _peerMaxFrame = 16384;
    private long _received;

    public H2Client(int port)
    {
        Port = port;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
        var setup = new List<byte>(Preface);
        // SETTINGS: HEADER_TABLE_SIZE 0, ENABLE_PUSH 0, INITIAL_WINDOW_SIZE 2^31-1, MAX_FRAME_SIZE 1 MiB.
        var settings = new byte[4 * 6];
        Setting(settings, 0, 0x1, 0);
        Setting(settings, 6, 0x2, 0);
        Setting(settings, 12, 0x4, MaxWindow);
        Setting(settings, 18, 0x5, OurMaxFrame);
        setup.AddRange(FrameBytes(Settings, 0, 0, settings));
        // The connection window too (its initial size is not a setting).
        var increment = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(increment, MaxWindow - 65535);
        setup.AddRange(FrameBytes(WindowUpdate, 0, 0, increment));
        _socket.Send(setup.ToArray());

        static void Setting(byte[] buffer, int at, ushort id, int value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at), id);
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at + 2), value);
        }
    }

    public int Port { get; }

    /// <summary>The grpc-message of the last reply, if any.</summary>
    public string? Message { get; private set; }

    /// <summary>One unary call; throws unless grpc-status is 0. Returns the reply message.</summary>
    public byte[] Call(string method, byte[] payload)
    {
        var (status, message) = Send(method, payload);
        if (status != "0" || message is null)
        {
            throw new InvalidOperationException($"{method}: grpc-status {status ?? "(none)"} {Message}");
        }
        return message;
    }

    /// <summary>One unary call: grpc-status (from the trailers, or a trailers-only response) and the reply message.</summary>
    public (string? Status, byte[]? Message) Send(string method, byte[] payload)
    {
        var stream = _nextStream;
        _nextStream += 2;
        var block = HeaderBlock(method);
        long streamWindow = _peerInitialWindow;
        // HEADERS, then the message (5-byte prefix + payload) in DATA frames within the peer's frame size and windows;
        // as much as the windows allow goes out in one send.
        var length = payload.Length + 5;
        var sent = 0;
        var used = 0;
        EnsureOut(9 + block.Length);
        used += WriteFrameHeader(_out, used, Headers, EndHeaders, stream, block.Length);
        block.CopyTo(_out, used);
        used += block.Length;
        Message = null;
        string? status = null;
        var body = 0;
        var ended = false;
        Span<byte> prefix = stackalloc byte[5];
        prefix[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)payload.Length);
        while (sent < length)
        {
            var chunk = (int)Math.Min(Math.Min(length - sent, _peerMaxFrame), Math.Min(_connectionWindow, streamWindow));
            if (chunk <= 0)
            {
                Flush(ref used);
                // Wait for a WINDOW_UPDATE (or an early reply: the server may refuse the message before its end).
                ReadFrame(stream, ref status, ref body, ref ended, ref streamWindow);
                if (ended)
                {
                    return (status, Result(body));
                }
                continue;
            }
            EnsureOut(used + 9 + chunk);
            used += WriteFrameHeader(_out, used, Data, sent + chunk == length ? EndStream : (byte)0, stream, chunk);
            var from = sent;
            var to = sent + chunk;
            if (from < 5)
            {
                var n = Math.Min(5, to) - from;
                prefix.Slice(from, n).CopyTo(_out.AsSpan(used));
                used += n;
                from += n;
            }
            if (to > from)
            {
                payload.AsSpan(from - 5, to - from).CopyTo(_out.AsSpan(used));
                used += to - from;
            }
            sent += chunk;
            _connectionWindow -= chunk;
            streamWindow -= chunk;
            if (used > 1 << 20)
            {
                Flush(ref used);
            }
        }
        Flush(ref used);
        while (!ended)
        {
            ReadFrame(stream, ref status, ref body, ref ended, ref streamWindow);
        }
        if (_received > 1 << 30)
        {
            // Give the connection window back before it runs out (each stream starts with 2^31-1 of its own).
            var increment = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(increment, (int)_received);
            _socket.Send(FrameBytes(WindowUpdate, 0, 0, increment));
            _received = 0;
        }
        return (status, Result(body));
    }

    private byte[]? Result(int body)
    {
        if (body < 5)
        {
            return null;
        }
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(_body.AsSpan(1));
        if (_body[0] != 0 || length != body - 5)
        {
            throw new InvalidDataException($"reply body of {body} bytes is not one uncompressed gRPC message (flag {_body[0]}, length {length})");
        }
        return _body.AsSpan(5, length).ToArray();
    }

    /// <summary>Reads and handles one frame.</summary>
    private void ReadFrame(int stream, ref string? status, ref int body, ref bool ended, ref long streamWindow)
    {
        Span<byte> header = stackalloc byte[9];
        ReadExact(header);
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var type = header[3];
        var flags = header[4];
        var id = (int)(BinaryPrimitives.ReadUInt32BigEndian(header[5..]) & 0x7FFFFFFF);
        if (type == Data)
        {
            _received += length;
            if (id == stream && (flags & Padded) == 0)
            {
                EnsureBody(body + length);
                ReadExact(_body.AsSpan(body, length));
                body += length;
            }
            else
            {
                var payload = ReadPayload(length);
                if (id == stream)
                {
                    var content = payload[1..^payload[0]];
                    EnsureBody(body + content.Length);
                    content.CopyTo(_body.AsSpan(body));
                    body += content.Length;
                }
            }
            ended |= id == stream && (flags & EndStream) != 0;
            return;
        }
        var bytes = ReadPayload(length);
        switch (type)
        {
            case Headers when id == stream:
                var fragment = bytes;
                if ((flags & Padded) != 0)
                {
                    fragment = fragment[1..^fragment[0]];
                }
                if ((flags & Priority) != 0)
                {
                    fragment = fragment[5..];
                }
                var blockLength = fragment.Length;
                EnsureBlock(blockLength);
                fragment.CopyTo(_block);
                var endStream = (flags & EndStream) != 0;
                while ((flags & EndHeaders) == 0)
                {
                    // CONTINUATION frames of the same block follow immediately (RFC 9113 §6.10).
                    var next = header;
                    ReadExact(next);
                    var more = (next[0] << 16) | (next[1] << 8) | next[2];
                    if (next[3] != Continuation)
                    {
                        throw new InvalidDataException($"frame type {next[3]} inside a header block");
                    }
                    flags = next[4];
                    EnsureBlock(blockLength + more);
                    ReadExact(_block.AsSpan(blockLength, more));
                    blockLength += more;
                }
                _fields.Clear();
                Hpack.Decode(_block.AsSpan(0, blockLength), _fields);
                foreach (var (name, value) in _fields)
                {
                    if (name == "grpc-status")
                    {
                        status = value;
                    }
                    else if (name == "grpc-message")
                    {
                        Message = Uri.UnescapeDataString(value);
                    }
                }
                ended |= endStream;
                break;
            case RstStream when id == stream:
                Message = $"stream reset, error code {BinaryPrimitives.ReadUInt32BigEndian(bytes)}";
                ended = true;
                break;
            case Settings when (flags & Ack) == 0:
                for (var i = 0; i + 6 <= bytes.Length; i += 6)
                {
                    var value = BinaryPrimitives.ReadInt32BigEndian(bytes[(i + 2)..]);
                    switch (BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]))
                    {
                        case 0x4:
                            streamWindow += value - _peerInitialWindow;
                            _peerInitialWindow = value;
                            break;
                        case 0x5:
                            _peerMaxFrame = value;
                            break;
                    }
                }
                _socket.Send(FrameBytes(Settings, Ack, 0, []));
                break;
            case Ping when (flags & Ack) == 0:
                _socket.Send(FrameBytes(Ping, Ack, 0, bytes.ToArray()));
                break;
            case WindowUpdate:
                var increment = BinaryPrimitives.ReadInt32BigEndian(bytes) & 0x7FFFFFFF;
                if (id == 0)
                {
                    _connectionWindow += increment;
                }
                else if (id == stream)
                {
                    streamWindow += increment;
                }
                break;
            case GoAway:
                throw new InvalidDataException($"GOAWAY, error code {BinaryPrimitives.ReadUInt32BigEndian(bytes[4..])}: {Encoding.UTF8.GetString(bytes[8..])}");
        }
    }

    private Span<byte> ReadPayload(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }
        var payload = _scratch.AsSpan(0, length);
        ReadExact(payload);
        return payload;
    }

    private void ReadExact(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_inStart == _inEnd)
            {
                if (destination.Length >= _in.Length)
                {
                    // Large DATA payloads go straight to their place.
                    var direct = _socket.Receive(destination);
                    if (direct == 0)
                    {
                        throw new EndOfStreamException("the server closed the connection");
                    }
                    destination = destination[direct..];
                    continue;
                }
                _inStart = 0;
                _inEnd = _socket.Receive(_in);
                if (_inEnd == 0)
                {
                    throw new EndOfStreamException("the server closed the connection");
                }
            }
            var n = Math.Min(destination.Length, _inEnd - _inStart);
            _in.AsSpan(_inStart, n).CopyTo(destination);
            _inStart += n;
            destination = destination[n..];
        }
    }

    private void Flush(ref int used)
    {
        var data = _out.AsSpan(0, used);
        while (data.Length > 0)
        {
            data = data[_socket.Send(data)..];
        }
        used = 0;
    }

    private void EnsureOut(int size)
    {
        if (_out.Length < size)
        {
            Array.Resize(ref _out, Math.Max(size, _out.Length * 2));
        }
    }

    private void EnsureBody(int size)
    {
        if (_body.Length < size)
        {
            Array.Resize(ref _body, Math.Max(size, _body.Length * 2));
        }
    }

    private void EnsureBlock(int size)
    {
        if (_block.Length < size)
        {
            Array.Resize(ref _block, Math.Max(size, _block.Length * 2));
        }
    }

    /// <summary>The request's header block, built once per method (RFC 7541: static-table names, literals without indexing).</summary>
    private byte[] HeaderBlock(string method)
    {
        if (_headerBlocks.TryGetValue(method, out var cached))
        {
            return cached;
        }
        var block = new List<byte> { 0x83, 0x86 }; // :method POST (static 3), :scheme http (static 6)
        Literal(block, 4, "/pulumirpc.Analyzer/" + method); // :path
        Literal(block, 1, "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture)); // :authority
        Literal(block, 31, "application/grpc"); // content-type
        block.Add(0x00); // te: trailers, new name
        Hpack.WriteString(block, "te");
        Hpack.WriteString(block, "trailers");
        return _headerBlocks[method] = [.. block];

        static void Literal(List<byte> block, int nameIndex, string value)
        {
            Hpack.WriteInteger(block, 0x00, 4, nameIndex); // literal header field without indexing, indexed name
            Hpack.WriteString(block, value);
        }
    }

    private static int WriteFrameHeader(byte[] buffer, int at, byte type, byte flags, int stream, int length)
    {
        buffer[at] = (byte)(length >> 16);
        buffer[at + 1] = (byte)(length >> 8);
        buffer[at + 2] = (byte)length;
        buffer[at + 3] = type;
        buffer[at + 4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at + 5), stream);
        return 9;
    }

    private static byte[] FrameBytes(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        WriteFrameHeader(frame, 0, type, flags, stream, payload.Length);
        payload.CopyTo(frame, 9);
        return frame;
    }

    public void Dispose() => _socket.Dispose();
}
