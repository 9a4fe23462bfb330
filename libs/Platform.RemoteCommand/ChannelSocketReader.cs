using System.Net.WebSockets;

namespace Platform.RemoteCommand;

/// <summary>
/// Reads the channel framing off a WebSocket: the first byte of each binary message names the channel, the rest is its
/// data. One reader per socket (WebSocket allows one receive at a time).
/// </summary>
public sealed class ChannelSocketReader(WebSocket socket, int bufferSize = ChannelSocketReader.DefaultBufferSize)
{
    /// <summary>client-go's data buffer (32 KiB) plus the channel byte.</summary>
    public const int DefaultBufferSize = 32 * 1024 + 1;

    private readonly byte[] _buffer = new byte[bufferSize];
    private byte? _continuing;

    /// <summary>
    /// The next piece of channel data, or null once the peer has sent its close message. The frame's data lives in the
    /// reader's buffer until the next call. Empty messages (a server's "ready" notice) are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A text message, or a close signal that is not exactly <c>[255, channel]</c>.</exception>
    public async ValueTask<ChannelFrame?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var r = await socket.ReceiveAsync(_buffer.AsMemory(), ct);
            if (r.MessageType == WebSocketMessageType.Close) return null;
            if (r.MessageType != WebSocketMessageType.Binary)
                throw new InvalidDataException("remote command messages are binary; a text message arrived");
            var data = _buffer.AsMemory(0, r.Count);
            byte channel;
            if (_continuing is { } c)
            {
                channel = c;
            }
            else
            {
                if (data.Length == 0) continue; // a fragment without even the channel byte: the next one carries it
                channel = data.Span[0];
                data = data[1..];
                if (channel == StreamChannel.Close)
                {
                    if (data.Length != 1 || !r.EndOfMessage)
                        throw new InvalidDataException("a close signal is two bytes: 255 and the channel being closed");
                    return new ChannelFrame(data.Span[0], default, Closed: true);
                }
            }
            _continuing = r.EndOfMessage ? null : channel;
            if (data.Length > 0) return new ChannelFrame(channel, data);
        }
    }
}
