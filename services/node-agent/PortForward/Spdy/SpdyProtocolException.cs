namespace Platform.NodeAgent.PortForward.Spdy;

/// <summary>The peer broke SPDY framing; the session cannot continue (GOAWAY with PROTOCOL_ERROR, then close).</summary>
internal sealed class SpdyProtocolException(string message) : Exception(message);
