using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>
/// Inflates the header blocks of one direction of a session. SPDY/3 compresses all of a sender's header blocks as one
/// zlib stream (a sync flush after each), so one inflater lives as long as the session and sees every block in order.
/// The sender's zlib header names the SPDY dictionary (FDICT); System.IO.Compression cannot take a preset dictionary,
/// SharpZipLib's <see cref="Inflater"/> can.
/// </summary>
internal sealed class SpdyHeaderDecompressor
{
    private readonly Inflater _inflater = new(noHeader: false);
    private readonly byte[] _chunk = new byte[4096];

    public SpdyHeaders Decompress(byte[] compressed, int offset, int count)
    {
        if (count == 0) throw new SpdyProtocolException("empty compressed header block");
        _inflater.SetInput(compressed, offset, count);
        using var block = new MemoryStream();
        try
        {
            while (true)
            {
                var n = _inflater.Inflate(_chunk);
                if (n > 0)
                {
                    if (block.Length + n > SpdyHeaders.MaxBlockBytes)
                        throw new SpdyProtocolException($"header block inflates beyond {SpdyHeaders.MaxBlockBytes} bytes");
                    block.Write(_chunk, 0, n);
                    continue;
                }
                if (_inflater.IsNeedingDictionary)
                {
                    if ((uint)_inflater.Adler != SpdyDictionary.Adler32)
                        throw new SpdyProtocolException($"header compression names dictionary {(uint)_inflater.Adler:x8}, not SPDY/3's {SpdyDictionary.Adler32:x8}");
                    _inflater.SetDictionary(SpdyDictionary.Bytes);
                    continue;
                }
                if (_inflater.IsFinished) throw new SpdyProtocolException("the header compression stream was ended; SPDY keeps it open for the session");
                break; // needs input: the whole block is out (the sender flushed after it)
            }
        }
        catch (SharpZipBaseException ex)
        {
            throw new SpdyProtocolException("header block is not valid zlib: " + ex.Message);
        }
        return SpdyHeaders.Decode(block.GetBuffer().AsSpan(0, (int)block.Length));
    }
}
