namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>
/// A SPDY/3.1 frame (draft-mbelshe-httpbis-spdy-00 and the 3.1 flow-control addendum), as far as kubelet's
/// <c>portforward.k8s.io</c> protocol uses them. The family is small and read together, so it lives in one file.
/// </summary>
internal abstract record SpdyFrame;

/// <summary>Payload bytes of one stream; <paramref name="Fin"/> half-closes the sender's side.</summary>
internal sealed record SpdyDataFrame(uint StreamId, bool Fin, ReadOnlyMemory<byte> Data) : SpdyFrame;

/// <summary>Opens a stream; the client's streams have odd ids, increasing.</summary>
internal sealed record SpdySynStreamFrame(uint StreamId, uint AssociatedStreamId, byte Priority, bool Fin, bool Unidirectional, SpdyHeaders Headers) : SpdyFrame;

/// <summary>Accepts a stream opened by the peer.</summary>
internal sealed record SpdySynReplyFrame(uint StreamId, bool Fin, SpdyHeaders Headers) : SpdyFrame;

/// <summary>Ends a stream abnormally, both ways.</summary>
internal sealed record SpdyRstStreamFrame(uint StreamId, SpdyRstStatus Status) : SpdyFrame;

internal sealed record SpdySettingsFrame(IReadOnlyList<SpdySetting> Settings) : SpdyFrame;

internal readonly record struct SpdySetting(byte Flags, uint Id, uint Value);

/// <summary>The receiver echoes a ping whose id has the other parity than its own pings (client pings are odd).</summary>
internal sealed record SpdyPingFrame(uint Id) : SpdyFrame;

/// <summary>No new streams after <paramref name="LastGoodStreamId"/>; the session is ending.</summary>
internal sealed record SpdyGoAwayFrame(uint LastGoodStreamId, uint Status) : SpdyFrame;

internal sealed record SpdyHeadersFrame(uint StreamId, bool Fin, SpdyHeaders Headers) : SpdyFrame;

internal sealed record SpdyWindowUpdateFrame(uint StreamId, uint DeltaWindowSize) : SpdyFrame;

/// <summary>A control frame of a type SPDY/3.1 does not define; the spec says to ignore it.</summary>
internal sealed record SpdyUnknownFrame(ushort Type) : SpdyFrame;

/// <summary>RST_STREAM status codes.</summary>
internal enum SpdyRstStatus : uint
{
    ProtocolError = 1,
    InvalidStream = 2,
    RefusedStream = 3,
    UnsupportedVersion = 4,
    Cancel = 5,
    InternalError = 6,
    FlowControlError = 7,
    StreamInUse = 8,
    StreamAlreadyClosed = 9,
}
