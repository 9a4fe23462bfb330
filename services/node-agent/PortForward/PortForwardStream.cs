using System.Threading.Channels;
using Platform.NodeAgent.PortForward.Spdy;

namespace Platform.NodeAgent.PortForward;

/// <summary>
/// One SPDY stream kubectl opened (a forwarded connection's <c>data</c> or <c>error</c> stream). What the client sends
/// waits in a small bounded queue: when the pod reads slowly the session stops reading the tunnel, which is all the
/// back-pressure SPDY without flow control (spdystream's) offers.
/// </summary>
internal sealed class PortForwardStream(uint id, string type, int port, string requestId)
{
    public const string Data = "data";
    public const string Error = "error";

    private readonly CancellationTokenSource _reset = new();

    public uint Id => id;
    public string Type => type;
    public int Port => port;
    public string RequestId => requestId;

    /// <summary>Bytes from the client, completed by its FIN.</summary>
    public Channel<ReadOnlyMemory<byte>> Inbound { get; } = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(16) { SingleReader = true });

    /// <summary>Cancelled when the client resets the stream or the forward ends.</summary>
    public CancellationToken Aborted => _reset.Token;

    public void Abort()
    {
        try { _reset.Cancel(); }
        catch (ObjectDisposedException) { }
        Inbound.Writer.TryComplete();
    }

    /// <summary>Parses the headers kubectl puts on each stream, as kubelet's <c>httpStreamReceived</c> checks them.</summary>
    public static PortForwardStream FromHeaders(uint id, SpdyHeaders headers)
    {
        var portText = headers.Get("port");
        if (string.IsNullOrEmpty(portText)) throw new PortForwardException("\"port\" header is required");
        if (!ushort.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port < 1)
            throw new PortForwardException($"unable to parse \"{portText}\" as a port (1-65535)");
        var type = headers.Get("streamtype");
        if (type is not (Data or Error)) throw new PortForwardException(type is null ? "\"streamType\" header is required" : $"invalid stream type \"{type}\"");
        // Clients older than request ids open error then data as consecutive streams: kubelet pairs them by id.
        var requestId = headers.Get("requestid") ?? (type == Error ? id : id - 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new PortForwardStream(id, type, port, requestId);
    }
}
