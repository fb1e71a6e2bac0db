using System.Text;

namespace NeoCloud.Infra.Policy.Bench;

/// <summary>
/// The part of HPACK (RFC 7541) the bench client needs: decoding a header block without a dynamic table (the client
/// advertises SETTINGS_HEADER_TABLE_SIZE 0), Huffman-coded strings included, and writing plain integers and strings.
/// </summary>
internal static class Hpack
{
    // RFC 7541 Appendix A: the static table's names (index 1..61); values are only needed for :status.
    private static readonly string[] StaticNames =
    [
        "", ":authority", ":method", ":method", ":path", ":path", ":scheme", ":scheme", ":status", ":status", ":status", ":status",
        ":status", ":status", ":status", "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "accept",
        "access-control-allow-origin", "age", "allow", "authorization", "cache-control", "content-disposition",
        "content-encoding", "content-language", "content-length", "content-location", "content-range", "content-type",
        "cookie", "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match",
        "if-range", "if-unmodified-since", "last-modified", "link", "location", "max-forwards", "proxy-authenticate",
        "proxy-authorization", "range", "referer", "refresh", "retry-after", "server", "set-cookie",
        "strict-transport-security", "transfer-encoding", "user-agent", "vary", "via", "www-authenticate",
    ];

    private static readonly string[] StaticValues = ["", "", "GET", "POST", "/", "/index.html", "http", "https", "200", "204", "206", "304", "400", "404", "500", "", "gzip, deflate"];

    /// <summary>Decodes one complete header block into <paramref name="fields"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> block, List<(string Name, string Value)> fields)
    {
        var at = 0;
        while (at < block.Length)
        {
            var b = block[at];
            if ((b & 0x80) != 0)
            {
                var index = ReadInteger(block, ref at, 7);
                fields.Add((StaticName(index), index < StaticValues.Length ? StaticValues[index] : string.Empty));
            }
            else if ((b & 0xE0) == 0x20)
            {
                // Dynamic table size update: only 0 is possible after our SETTINGS_HEADER_TABLE_SIZE 0.
                var size = ReadInteger(block, ref at, 5);
                if (size != 0)
                {
                    throw new InvalidDataException($"HPACK: dynamic table size update to {size} after SETTINGS_HEADER_TABLE_SIZE 0");
                }
            }
            else
            {
                // Literal with incremental indexing (01), without indexing (0000) or never indexed (0001). With a table
                // size of 0, an indexed literal is evicted at once (RFC 7541 §4.4): nothing to keep.
                var index = ReadInteger(block, ref at, (b & 0x40) != 0 ? 6 : 4);
                var name = index == 0 ? ReadString(block, ref at) : StaticName(index);
                fields.Add((name, ReadString(block, ref at)));
            }
        }
    }

    public static void WriteInteger(List<byte> output, byte pattern, int prefixBits, int value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            output.Add((byte)(pattern | value));
            return;
        }
        output.Add((byte)(pattern | max));
        value -= max;
        while (value >= 0x80)
        {
            output.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>A string literal, not Huffman-coded.</summary>
    public static void WriteString(List<byte> output, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        WriteInteger(output, 0x00, 7, bytes.Length);
        output.AddRange(bytes);
    }

    private static string StaticName(int index) => index >= 1 && index < StaticNames.Length
        ? StaticNames[index]
        : throw new InvalidDataException($"HPACK: index {index} is not in the static table (no dynamic table after SETTINGS_HEADER_TABLE_SIZE 0)");

    private static int ReadInteger(ReadOnlySpan<byte> block, ref int at, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        var value = block[at++] & max;
        if (value < max)
        {
            return value;
        }
        for (var shift = 0; shift < 28; shift += 7)
        {
            var b = block[at++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidDataException("HPACK: integer too large");
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int at)
    {
        var huffman = (block[at] & 0x80) != 0;
        var length = ReadInteger(block, ref at, 7);
        var bytes = block.Slice(at, length);
        at += length;
        return huffman ? Huffman.Decode(bytes) : Encoding.ASCII.GetString(bytes);
    }
}

/// <summary>
/// HPACK's Huffman code (RFC 7541 Appendix B) for the symbols HTTP header text uses: every printable ASCII character and
/// NUL. The code is canonical (codes of one length are consecutive, in symbol order, and each length starts where the
/// previous one ended, shifted), so the code lengths define it; the longer codes of control characters and bytes above
/// 0x7E (20 to 30 bits) are left out and decode as an error. <see cref="SelfCheck"/> decodes the RFC's examples (Appendix C.4, C.6).
/// </summary>
internal static class Huffman
{
    // (length, symbols of that length in symbol order), RFC 7541 Appendix B.
    private static readonly (int Length, string Symbols)[] Lengths =
    [
        (5, "012aceiost"),
        (6, " %-./3456789=A_bdfghlmnpru"),
        (7, ":BCDEFGHIJKLMNOPQRSTUVWYjkqvwxyz"),
        (8, "&*,;XZ"),
        (10, "!\"()?"),
        (11, "'+|"),
        (12, "#>"),
        (13, "\0$@[]~"),
        (14, "^}"),
        (15, "<`{"),
        (19, "\\"),
    ];

    private static readonly int[] FirstCode = new int[31];
    private static readonly int[] Count = new int[31];
    private static readonly int[] FirstIndex = new int[31];
    private static readonly char[] Symbols;

    static Huffman()
    {
        var symbols = new List<char>();
        var code = 0;
        var previous = 0;
        foreach (var (length, chars) in Lengths)
        {
            code <<= length - previous;
            previous = length;
            FirstCode[length] = code;
            Count[length] = chars.Length;
            FirstIndex[length] = symbols.Count;
            symbols.AddRange(chars);
            code += chars.Length;
        }
        Symbols = [.. symbols];
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 8 / 5);
        var code = 0;
        var length = 0;
        foreach (var b in bytes)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | ((b >> bit) & 1);
                length++;
                if (Count[length] > 0 && code - FirstCode[length] < Count[length] && code >= FirstCode[length])
                {
                    text.Append(Symbols[FirstIndex[length] + code - FirstCode[length]]);
                    code = 0;
                    length = 0;
                }
                else if (length == 30)
                {
                    throw new InvalidDataException("HPACK: Huffman code of a symbol outside printable ASCII");
                }
            }
        }
        // Padding: at most 7 bits, the most significant bits of EOS (all ones).
        if (length > 7 || code != (1 << length) - 1)
        {
            throw new InvalidDataException("HPACK: invalid Huffman padding");
        }
        return text.ToString();
    }

    /// <summary>Throws unless the RFC 7541 examples decode (C.4.1–C.4.3, C.6.1).</summary>
    public static void SelfCheck()
    {
        (string Hex, string Text)[] examples =
        [
            ("f1e3c2e5f23a6ba0ab90f4ff", "www.example.com"),
            ("a8eb10649cbf", "no-cache"),
            ("25a849e95ba97d7f", "custom-key"),
            ("25a849e95bb8e8b4bf", "custom-value"),
            ("6402", "302"),
            ("aec3771a4b", "private"),
            ("d07abe941054d444a8200595040b8166e082a62d1bff", "Mon, 21 Oct 2013 20:13:21 GMT"),
            ("9d29ad171863c78f0b97c8e9ae82ae43d3", "https://www.example.com"),
        ];
        foreach (var (hex, text) in examples)
        {
            var decoded = Decode(Convert.FromHexString(hex));
            if (decoded != text)
            {
                throw new InvalidOperationException($"HPACK Huffman self-check: {hex} decoded as '{decoded}', expected '{text}'");
            }
        }
    }
}
