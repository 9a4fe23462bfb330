using System.Buffers.Binary;
using System.Text;

namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>
/// A SPDY/3 name/value header block (uncompressed form): a 32-bit count, then per pair a 32-bit length and the
/// lower-case name, a 32-bit length and the value; several values of one name are joined with NUL, as Go's framer does.
/// </summary>
internal sealed class SpdyHeaders
{
    public const int MaxPairs = 64;
    public const int MaxBlockBytes = 64 * 1024;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static readonly SpdyHeaders Empty = new();

    public SpdyHeaders(params IEnumerable<(string Name, string Value)> pairs)
    {
        foreach (var (name, value) in pairs) _values[name.ToLowerInvariant()] = value;
    }

    public int Count => _values.Count;

    /// <summary>The value of <paramref name="name"/> (the first one when several were sent), or null.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name.ToLowerInvariant(), out var v) ? v.Split('\0')[0] : null;

    public IEnumerable<KeyValuePair<string, string>> Pairs => _values;

    public byte[] Encode()
    {
        var size = 4 + _values.Sum(kv => 8 + Encoding.UTF8.GetByteCount(kv.Key) + Encoding.UTF8.GetByteCount(kv.Value));
        var block = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(block, (uint)_values.Count);
        var at = 4;
        foreach (var (name, value) in _values)
        {
            at = Put(block, at, name);
            at = Put(block, at, value);
        }
        return block;
    }

    private static int Put(byte[] block, int at, string text)
    {
        var n = Encoding.UTF8.GetBytes(text, block.AsSpan(at + 4));
        BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(at), (uint)n);
        return at + 4 + n;
    }

    /// <summary>Parses a whole block; a truncated, oversized or repeated-name block is a protocol error.</summary>
    public static SpdyHeaders Decode(ReadOnlySpan<byte> block)
    {
        if (block.Length > MaxBlockBytes) throw new SpdyProtocolException($"header block of {block.Length} bytes exceeds {MaxBlockBytes}");
        var count = ReadLength(ref block, "header count");
        if (count > MaxPairs) throw new SpdyProtocolException($"{count} headers exceed {MaxPairs}");
        var headers = new SpdyHeaders();
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block, "header name");
            var value = ReadString(ref block, "header value");
            if (name.Length == 0) throw new SpdyProtocolException("empty header name");
            if (name != name.ToLowerInvariant()) throw new SpdyProtocolException($"header name \"{name}\" is not lower case");
            if (!headers._values.TryAdd(name, value)) throw new SpdyProtocolException($"header \"{name}\" appears twice");
        }
        if (block.Length != 0) throw new SpdyProtocolException($"{block.Length} bytes after the last header");
        return headers;
    }

    private static int ReadLength(ref ReadOnlySpan<byte> block, string what)
    {
        if (block.Length < 4) throw new SpdyProtocolException($"header block ends inside the {what}");
        var n = BinaryPrimitives.ReadUInt32BigEndian(block);
        block = block[4..];
        return n > MaxBlockBytes ? throw new SpdyProtocolException($"{what} length {n} exceeds {MaxBlockBytes}") : (int)n;
    }

    private static string ReadString(ref ReadOnlySpan<byte> block, string what)
    {
        var n = ReadLength(ref block, what + " length");
        if (block.Length < n) throw new SpdyProtocolException($"header block ends inside a {what}");
        var text = Encoding.UTF8.GetString(block[..n]);
        block = block[n..];
        return text;
    }

    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}: {kv.Value.Replace('\0', ',')}"));
}
