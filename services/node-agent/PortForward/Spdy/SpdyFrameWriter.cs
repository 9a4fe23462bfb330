using System.Buffers.Binary;

namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>
/// Writes SPDY/3.1 frames to a byte stream, one whole frame per write (over a WebSocket tunnel: one binary message per
/// frame). Safe to call from several streams' pumps at once: frames never interleave, and header blocks enter the
/// session's one compression stream in the order they are sent.
/// </summary>
internal sealed class SpdyFrameWriter(Stream output) : IDisposable
{
    /// <summary>The largest data frame payload SPDY can carry (24-bit length).</summary>
    public const int MaxDataLength = 0xFFFFFF;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly SpdyHeaderCompressor _headers = new();

    public async Task WriteAsync(SpdyFrame frame, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            await output.WriteAsync(Encode(frame), ct);
            await output.FlushAsync(ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The frame's bytes; header blocks are compressed here, so this runs under the write lock.</summary>
    private byte[] Encode(SpdyFrame frame) => frame switch
    {
        SpdyDataFrame d => Data(d),
        SpdySynStreamFrame s => Control(1, Flags(s.Fin, s.Unidirectional), [.. Words(s.StreamId, s.AssociatedStreamId), (byte)(s.Priority << 5), 0, .. _headers.Compress(s.Headers)]),
        SpdySynReplyFrame r => Control(2, Flags(r.Fin, false), [.. Words(r.StreamId), .. _headers.Compress(r.Headers)]),
        SpdyRstStreamFrame r => Control(3, 0, Words(r.StreamId, (uint)r.Status)),
        SpdySettingsFrame s => Control(4, 0, Words([(uint)s.Settings.Count, .. s.Settings.SelectMany(e => new[] { (uint)e.Flags << 24 | e.Id, e.Value })])),
        SpdyPingFrame p => Control(6, 0, Words(p.Id)),
        SpdyGoAwayFrame g => Control(7, 0, Words(g.LastGoodStreamId, g.Status)),
        SpdyHeadersFrame h => Control(8, Flags(h.Fin, false), [.. Words(h.StreamId), .. _headers.Compress(h.Headers)]),
        SpdyWindowUpdateFrame w => Control(9, 0, Words(w.StreamId, w.DeltaWindowSize)),
        _ => throw new ArgumentException($"{frame.GetType().Name} cannot be sent", nameof(frame)),
    };

    private static byte Flags(bool fin, bool unidirectional) => (byte)((fin ? 1 : 0) | (unidirectional ? 2 : 0));

    private static byte[] Data(SpdyDataFrame d)
    {
        if (d.StreamId is 0 or > 0x7FFF_FFFF) throw new ArgumentException($"invalid stream id {d.StreamId}", nameof(d));
        if (d.Data.Length > MaxDataLength) throw new ArgumentException($"data frame of {d.Data.Length} bytes exceeds {MaxDataLength}", nameof(d));
        var bytes = new byte[8 + d.Data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, d.StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)(d.Fin ? 1 : 0) << 24 | (uint)d.Data.Length);
        d.Data.Span.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private static byte[] Control(ushort type, byte flags, byte[] payload)
    {
        var bytes = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x8000_0000u | 3u << 16 | type);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)flags << 24 | (uint)payload.Length);
        payload.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] Words(params uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), words[i]);
        return bytes;
    }

    public void Dispose()
    {
        _headers.Dispose();
        _lock.Dispose();
    }
}
