using System.Buffers.Binary;

namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>
/// Reads SPDY/3.1 frames from a byte stream. Every length is checked before anything is allocated: a data frame may
/// carry at most <c>maxDataLength</c> bytes, a control frame at most <see cref="MaxControlLength"/>.
/// </summary>
internal sealed class SpdyFrameReader(Stream input, int maxDataLength = SpdyFrameReader.DefaultMaxDataLength)
{
    public const int DefaultMaxDataLength = 1024 * 1024;
    public const int MaxControlLength = 64 * 1024;
    private const byte FlagFin = 0x01;
    private const byte FlagUnidirectional = 0x02;

    private readonly SpdyHeaderDecompressor _headers = new();
    private readonly byte[] _head = new byte[8];

    /// <summary>The next frame, or null when the stream ends cleanly between frames.</summary>
    public async ValueTask<SpdyFrame?> ReadAsync(CancellationToken ct)
    {
        if (!await FillAsync(_head, atFrameStart: true, ct)) return null;
        var first = BinaryPrimitives.ReadUInt32BigEndian(_head);
        var second = BinaryPrimitives.ReadUInt32BigEndian(_head.AsSpan(4));
        var flags = (byte)(second >> 24);
        var length = (int)(second & 0xFFFFFF);
        if ((first & 0x8000_0000) == 0)
        {
            var streamId = first & 0x7FFF_FFFF;
            if (streamId == 0) throw new SpdyProtocolException("data frame on stream 0");
            if (length > maxDataLength) throw new SpdyProtocolException($"data frame of {length} bytes exceeds {maxDataLength}");
            var data = new byte[length];
            await FillAsync(data, atFrameStart: false, ct);
            return new SpdyDataFrame(streamId, (flags & FlagFin) != 0, data);
        }
        var version = (first >> 16) & 0x7FFF;
        if (version != 3) throw new SpdyProtocolException($"SPDY version {version}; only 3 (3.1) is spoken");
        if (length > MaxControlLength) throw new SpdyProtocolException($"control frame of {length} bytes exceeds {MaxControlLength}");
        var payload = new byte[length];
        await FillAsync(payload, atFrameStart: false, ct);
        return Parse((ushort)(first & 0xFFFF), flags, payload);
    }

    private SpdyFrame Parse(ushort type, byte flags, byte[] p)
    {
        var fin = (flags & FlagFin) != 0;
        switch (type)
        {
            case 1:
                Need(p, 10, "SYN_STREAM");
                return new SpdySynStreamFrame(StreamId(p, 0, "SYN_STREAM"), Word(p, 4) & 0x7FFF_FFFF, (byte)(p[8] >> 5), fin,
                    (flags & FlagUnidirectional) != 0, _headers.Decompress(p, 10, p.Length - 10));
            case 2:
                Need(p, 4, "SYN_REPLY");
                return new SpdySynReplyFrame(StreamId(p, 0, "SYN_REPLY"), fin, _headers.Decompress(p, 4, p.Length - 4));
            case 3:
                Exactly(p, 8, "RST_STREAM");
                return new SpdyRstStreamFrame(StreamId(p, 0, "RST_STREAM"), (SpdyRstStatus)Word(p, 4));
            case 4:
                Need(p, 4, "SETTINGS");
                var count = Word(p, 0);
                if (count > (p.Length - 4) / 8 || p.Length != 4 + count * 8) throw new SpdyProtocolException($"SETTINGS of {p.Length} bytes cannot hold {count} entries");
                var settings = new SpdySetting[count];
                for (var i = 0; i < count; i++)
                {
                    var idWord = Word(p, 4 + i * 8);
                    settings[i] = new SpdySetting((byte)(idWord >> 24), idWord & 0xFFFFFF, Word(p, 8 + i * 8));
                }
                return new SpdySettingsFrame(settings);
            case 6:
                Exactly(p, 4, "PING");
                return new SpdyPingFrame(Word(p, 0));
            case 7:
                Exactly(p, 8, "GOAWAY");
                return new SpdyGoAwayFrame(Word(p, 0) & 0x7FFF_FFFF, Word(p, 4));
            case 8:
                Need(p, 4, "HEADERS");
                return new SpdyHeadersFrame(StreamId(p, 0, "HEADERS"), fin, _headers.Decompress(p, 4, p.Length - 4));
            case 9:
                Exactly(p, 8, "WINDOW_UPDATE");
                return new SpdyWindowUpdateFrame(Word(p, 0) & 0x7FFF_FFFF, Word(p, 4) & 0x7FFF_FFFF);
            default:
                return new SpdyUnknownFrame(type);
        }
    }

    private static uint Word(byte[] p, int at) => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(at));

    private static uint StreamId(byte[] p, int at, string frame) =>
        (Word(p, at) & 0x7FFF_FFFF) is var id and not 0 ? id : throw new SpdyProtocolException($"{frame} on stream 0");

    private static void Need(byte[] p, int min, string frame)
    {
        if (p.Length < min) throw new SpdyProtocolException($"{frame} of {p.Length} bytes is shorter than {min}");
    }

    private static void Exactly(byte[] p, int length, string frame)
    {
        if (p.Length != length) throw new SpdyProtocolException($"{frame} of {p.Length} bytes, expected {length}");
    }

    private async ValueTask<bool> FillAsync(byte[] buffer, bool atFrameStart, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(filled), ct);
            if (n == 0)
            {
                if (atFrameStart && filled == 0) return false;
                throw new SpdyProtocolException("the connection ended inside a frame");
            }
            filled += n;
        }
        return true;
    }
}
