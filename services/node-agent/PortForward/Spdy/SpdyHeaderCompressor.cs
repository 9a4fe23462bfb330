using System.IO.Compression;

namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>
/// Deflates the header blocks this side sends, as one zlib stream per session with a sync flush after each block.
/// No preset dictionary: a zlib header without FDICT is valid SPDY, and Go's <c>zlib.NewReaderDict</c> (spdystream's
/// reader) only checks the dictionary when the stream names one.
/// </summary>
internal sealed class SpdyHeaderCompressor : IDisposable
{
    private readonly MemoryStream _output = new();
    private readonly ZLibStream _zlib;

    public SpdyHeaderCompressor() => _zlib = new ZLibStream(_output, CompressionLevel.Fastest, leaveOpen: true);

    public byte[] Compress(SpdyHeaders headers)
    {
        _zlib.Write(headers.Encode());
        _zlib.Flush(); // Z_SYNC_FLUSH: the block is complete on the wire, the stream stays open
        var bytes = _output.ToArray();
        _output.SetLength(0);
        return bytes;
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _output.Dispose();
    }
}
