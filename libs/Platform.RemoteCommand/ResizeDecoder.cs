using System.Text.Json;

namespace Platform.RemoteCommand;

/// <summary>
/// Turns the bytes of <see cref="StreamChannel.Resize"/> into sizes. The channel is a stream of JSON objects
/// (client-go encodes one per message, but framing may split or join them), so whole objects are taken as they complete.
/// </summary>
public sealed class ResizeDecoder
{
    /// <summary>Far more than <c>{"Width":65535,"Height":65535}</c>: anything longer is not a resize.</summary>
    private const int MaxPending = 1024;
    private byte[] _pending = [];

    /// <summary>The sizes completed by <paramref name="data"/>, in order.</summary>
    /// <exception cref="InvalidDataException">Not a stream of <c>{"Width":n,"Height":n}</c> objects.</exception>
    public IReadOnlyList<TerminalSize> Add(ReadOnlySpan<byte> data)
    {
        if (_pending.Length + data.Length > MaxPending) throw new InvalidDataException($"a resize message is longer than {MaxPending} bytes");
        var buffer = new byte[_pending.Length + data.Length];
        _pending.CopyTo(buffer, 0);
        data.CopyTo(buffer.AsSpan(_pending.Length));
        var sizes = new List<TerminalSize>();
        var consumed = 0;
        while (true)
        {
            var rest = buffer.AsSpan(consumed);
            var start = rest.IndexOfAnyExcept(" \r\n\t"u8);
            if (start < 0) { consumed = buffer.Length; break; }
            var reader = new Utf8JsonReader(rest[start..], isFinalBlock: false, state: default);
            try
            {
                if (!reader.Read()) break;
                if (reader.TokenType != JsonTokenType.StartObject) throw new InvalidDataException("a resize message is a JSON object {\"Width\":n,\"Height\":n}");
                if (!reader.TrySkip()) break;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"a resize message is not JSON: {ex.Message}", ex);
            }
            var length = start + (int)reader.BytesConsumed;
            sizes.Add(Parse(rest[start..length]));
            consumed += length;
        }
        _pending = buffer[consumed..];
        return sizes;
    }

    private static TerminalSize Parse(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        ushort Dimension(string name) =>
            doc.RootElement.TryGetProperty(name, out var v) && v.TryGetUInt16(out var n)
                ? n
                : throw new InvalidDataException($"a resize message needs \"{name}\" as an integer 0-65535");
        return new TerminalSize(Dimension("Width"), Dimension("Height"));
    }
}
