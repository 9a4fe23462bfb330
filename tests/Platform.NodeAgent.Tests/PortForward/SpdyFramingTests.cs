using System.Buffers.Binary;
using Platform.NodeAgent.PortForward.Spdy;

namespace Platform.NodeAgent.Tests.PortForward;

/// <summary>The SPDY/3.1 frame reader and writer, against bytes kubectl itself wrote and against each other.</summary>
public sealed class SpdyFramingTests
{
    /// <summary>
    /// What kubectl v1.32 sent on a SPDY port-forward connection (KUBECTL_PORT_FORWARD_WEBSOCKETS=false) when two local
    /// connections arrived: the error stream of each (ids 1 and 3, requestID 0 and 1), then its first ping. The header
    /// blocks are one zlib stream (78 f9: FDICT with Adler-32 e3c6a7c2, SPDY/3's dictionary); the second block is
    /// compressed against the first's history.
    /// </summary>
    private static readonly byte[] KubectlCapture = Convert.FromHexString(
        "800300010000003e0000000100000000000078f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c60" +
        "616061c0c0c0c0590489c64c50f2663400000000ffff800300010000001800000003000000000000826a46153524d238" +
        "00000000ffff800300060000000400000001");

    [Fact]
    public async Task Reader_DecodesKubectlsFrames_WithHeaderBlocksCompressedAgainstTheSpdyDictionary()
    {
        var reader = new SpdyFrameReader(new MemoryStream(KubectlCapture));

        var first = Assert.IsType<SpdySynStreamFrame>(await reader.ReadAsync(CancellationToken.None));
        Assert.Equal((1u, false, false), (first.StreamId, first.Fin, first.Unidirectional));
        Assert.Equal(("error", "8080", "0"), (first.Headers.Get("streamType"), first.Headers.Get("port"), first.Headers.Get("requestID")));
        Assert.Equal(3, first.Headers.Count);

        var second = Assert.IsType<SpdySynStreamFrame>(await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(3u, second.StreamId);
        Assert.Equal(("error", "8080", "1"), (second.Headers.Get("streamtype"), second.Headers.Get("port"), second.Headers.Get("requestid")));

        Assert.Equal(new SpdyPingFrame(1), await reader.ReadAsync(CancellationToken.None));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void Dictionary_IsSpdy3s_ByItsAdler32()
    {
        uint a = 1, b = 0;
        foreach (var x in SpdyDictionary.Bytes)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        Assert.Equal(1423, SpdyDictionary.Bytes.Length);
        Assert.Equal(SpdyDictionary.Adler32, b << 16 | a);
    }

    [Fact]
    public async Task WriterAndReader_RoundTripEveryFrameType_WithOneCompressionStreamAcrossHeaderBlocks()
    {
        var wire = new MemoryStream();
        using var writer = new SpdyFrameWriter(wire);
        var frames = new SpdyFrame[]
        {
            new SpdySynStreamFrame(5, 0, 3, false, false, new SpdyHeaders(("streamType", "data"), ("port", "80"), ("requestID", "2"))),
            new SpdySynReplyFrame(5, false, SpdyHeaders.Empty),
            new SpdySynReplyFrame(7, true, new SpdyHeaders(("x", "a\0b"))),
            new SpdyHeadersFrame(5, false, new SpdyHeaders(("streamType", "data"))),
            new SpdyDataFrame(5, false, "hello"u8.ToArray()),
            new SpdyDataFrame(5, true, ReadOnlyMemory<byte>.Empty),
            new SpdyRstStreamFrame(7, SpdyRstStatus.Cancel),
            new SpdySettingsFrame([new SpdySetting(1, 4, 100), new SpdySetting(0, 7, 65536)]),
            new SpdyPingFrame(2),
            new SpdyWindowUpdateFrame(5, 1024),
            new SpdyGoAwayFrame(7, 0),
        };
        foreach (var f in frames) await writer.WriteAsync(f, CancellationToken.None);

        wire.Position = 0;
        var reader = new SpdyFrameReader(wire);
        foreach (var expected in frames)
        {
            var read = await reader.ReadAsync(CancellationToken.None);
            switch (expected)
            {
                case SpdySynStreamFrame s:
                    var rs = Assert.IsType<SpdySynStreamFrame>(read);
                    Assert.Equal((s.StreamId, s.Priority, s.Fin), (rs.StreamId, rs.Priority, rs.Fin));
                    Assert.Equal(s.Headers.ToString(), rs.Headers.ToString());
                    break;
                case SpdySynReplyFrame r:
                    var rr = Assert.IsType<SpdySynReplyFrame>(read);
                    Assert.Equal((r.StreamId, r.Fin, r.Headers.ToString()), (rr.StreamId, rr.Fin, rr.Headers.ToString()));
                    break;
                case SpdyHeadersFrame h:
                    Assert.Equal(h.Headers.ToString(), Assert.IsType<SpdyHeadersFrame>(read).Headers.ToString());
                    break;
                case SpdyDataFrame d:
                    var rd = Assert.IsType<SpdyDataFrame>(read);
                    Assert.Equal((d.StreamId, d.Fin), (rd.StreamId, rd.Fin));
                    Assert.Equal(d.Data.ToArray(), rd.Data.ToArray());
                    break;
                case SpdySettingsFrame s:
                    Assert.Equal(s.Settings, Assert.IsType<SpdySettingsFrame>(read).Settings);
                    break;
                default:
                    Assert.Equal(expected, read);
                    break;
            }
        }
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reader_RejectsFramesThatBreakTheProtocol_BeforeAllocatingTheirLength()
    {
        await Rejects([0x00, 0x00, 0x00, 0x01, 0x00, 0x20, 0x00, 0x00], "exceeds"); // a 2 MiB data frame
        await Rejects([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], "stream 0");
        await Rejects([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a], "SPDY version 2");
        await Rejects([0x80, 0x03, 0x00, 0x06, 0x00, 0x10, 0x00, 0x00], "exceeds"); // a 1 MiB control frame
        await Rejects([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x05, 0, 0, 0, 1, 0], "PING of 5 bytes");
        await Rejects([0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 1, 2], "ended inside a frame");

        // A header block that names another dictionary than SPDY/3's.
        var syn = KubectlCapture[..70];
        BinaryPrimitives.WriteUInt32BigEndian(syn.AsSpan(20), 0x01020304);
        await Rejects(syn, "names dictionary 01020304");
        // Garbage where the zlib stream should be.
        var garbage = KubectlCapture[..70];
        garbage.AsSpan(24).Fill(0xff);
        await Rejects(garbage, "not valid zlib");
    }

    [Fact]
    public void HeaderBlock_WithRepeatedOrUpperCaseNamesOrTrailingBytes_IsAProtocolError()
    {
        var block = new SpdyHeaders(("port", "80")).Encode();
        Assert.Equal(("port", "80"), (SpdyHeaders.Decode(block).Pairs.Single().Key, SpdyHeaders.Decode(block).Get("PORT")));
        Assert.Contains("after the last header", Assert.Throws<SpdyProtocolException>(() => SpdyHeaders.Decode([.. block, 0])).Message);
        byte[] twice = [0, 0, 0, 2, .. block[4..], .. block[4..]];
        Assert.Contains("appears twice", Assert.Throws<SpdyProtocolException>(() => SpdyHeaders.Decode(twice)).Message);
        var upper = (byte[])block.Clone();
        upper[8] = (byte)'P';
        Assert.Contains("not lower case", Assert.Throws<SpdyProtocolException>(() => SpdyHeaders.Decode(upper)).Message);
        var huge = new byte[] { 0, 0, 0, 1, 0x7f, 0, 0, 0 };
        Assert.Contains("exceeds", Assert.Throws<SpdyProtocolException>(() => SpdyHeaders.Decode(huge)).Message);
    }

    private static async Task Rejects(byte[] bytes, string reason)
    {
        var reader = new SpdyFrameReader(new MemoryStream(bytes));
        var ex = await Assert.ThrowsAsync<SpdyProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Contains(reason, ex.Message);
    }
}
