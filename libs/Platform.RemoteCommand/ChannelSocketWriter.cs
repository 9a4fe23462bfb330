using System.Buffers;
using System.Net.WebSockets;

namespace Platform.RemoteCommand;

/// <summary>
/// Writes channel data as binary messages (<c>[channel, data...]</c>), at most <see cref="MaxPayload"/> data bytes per
/// message. Safe to share between the tasks that copy stdout and stderr: one message is sent at a time.
/// </summary>
public sealed class ChannelSocketWriter(WebSocket socket) : IDisposable
{
    public const int MaxPayload = 32 * 1024;
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Sends <paramref name="data"/> on <paramref name="channel"/>; empty data sends one message with the channel byte alone.</summary>
    public async Task WriteAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var message = ArrayPool<byte>.Shared.Rent(Math.Min(data.Length, MaxPayload) + 1);
        try
        {
            do
            {
                var chunk = data[..Math.Min(data.Length, MaxPayload)];
                message[0] = channel;
                chunk.CopyTo(message.AsMemory(1));
                await SendAsync(message.AsMemory(0, chunk.Length + 1), ct);
                data = data[chunk.Length..];
            }
            while (data.Length > 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>The v5 close signal: nothing more will be written on <paramref name="channel"/>.</summary>
    public Task CloseChannelAsync(byte channel, CancellationToken ct) => SendAsync(new byte[] { StreamChannel.Close, channel }, ct);

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    public void Dispose() => _sending.Dispose();
}
