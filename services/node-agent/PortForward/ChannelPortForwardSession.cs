using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Platform.NodeAgent.PortForward;

/// <summary>
/// kubelet's plain WebSocket port forwarding (<c>v4.channel.k8s.io</c>): one connection to each port of <c>?ports=</c>,
/// port <c>i</c> on channels <c>2i</c> (data, both ways) and <c>2i+1</c> (error, server to client); every binary message
/// starts with its channel byte, and the first message of each channel from the server is the port as uint16 little
/// endian. The WebSocket closes when every port's connection has ended.
/// </summary>
internal sealed class ChannelPortForwardSession(WebSocket ws, PortForwardTarget target, IReadOnlyList<int> ports)
{
    public const string Protocol = "v4.channel.k8s.io";
    private const int MaxMessageBytes = 1024 * 1024;
    private const int ChunkBytes = 32 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _send = new(1, 1);

    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sockets = new Socket?[ports.Count];
        try
        {
            // Connected before the port frames go out, so nothing the client sends after them is dropped.
            var failures = new string?[ports.Count];
            for (var i = 0; i < ports.Count; i++)
            {
                try
                {
                    sockets[i] = await target.ConnectAsync(ports[i], stop.Token);
                }
                catch (PortForwardException ex)
                {
                    failures[i] = $"error forwarding port {ports[i]} to pod {target.PodName}, uid {target.PodUid}: {ex.Message}";
                }
            }
            for (var i = 0; i < ports.Count; i++)
            {
                var port = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(port, (ushort)ports[i]);
                await SendAsync(2 * i, port, stop.Token);
                await SendAsync(2 * i + 1, port, stop.Token);
                if (failures[i] is { } failure) await SendAsync(2 * i + 1, Encoding.UTF8.GetBytes(failure), stop.Token);
            }
            var pumps = sockets.Select((socket, i) => socket is null ? Task.CompletedTask : FromPodAsync(i, socket, stop.Token)).ToArray();
            var reading = ReadAsync(sockets, stop.Token);
            // Done when every port is done, or when the client leaves (its close, or a broken socket).
            if (await Task.WhenAny(Task.WhenAll(pumps), reading) != reading)
            {
                // Every pod connection ended: close, and give the client a moment to answer the close.
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stop.Token);
                await Task.WhenAny(reading, Task.Delay(CloseGrace, stop.Token));
            }
            await stop.CancelAsync();
            await Task.WhenAll([.. pumps, reading]);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client left before the ports were announced.
        }
        finally
        {
            foreach (var s in sockets) s?.Dispose();
        }
    }

    /// <summary>Pod → client on port <paramref name="i"/>'s data channel until the pod closes.</summary>
    private async Task FromPodAsync(int i, Socket socket, CancellationToken ct)
    {
        try
        {
            var buffer = new byte[1 + ChunkBytes];
            buffer[0] = (byte)(2 * i);
            while (await socket.ReceiveAsync(buffer.AsMemory(1), SocketFlags.None, ct) is var n and > 0)
                await SendRawAsync(buffer.AsMemory(0, 1 + n), ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or WebSocketException or ObjectDisposedException)
        {
            // The client left, or the pod reset the connection: this port is done.
        }
    }

    /// <summary>Client → pod: a data channel's payload goes to that port's connection; error channels are the server's.</summary>
    private async Task ReadAsync(Socket?[] sockets, CancellationToken ct)
    {
        var buffer = new byte[MaxMessageBytes];
        try
        {
            while (true)
            {
                var filled = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    if (filled == buffer.Length)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes", ct);
                        return;
                    }
                    r = await ws.ReceiveAsync(buffer.AsMemory(filled), ct);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    filled += r.Count;
                }
                while (!r.EndOfMessage);
                var channel = filled > 0 ? buffer[0] : -1;
                if (channel < 0 || channel % 2 == 1 || channel / 2 >= ports.Count || sockets[channel / 2] is not { } socket) continue;
                await socket.SendAsync(buffer.AsMemory(1, filled - 1), SocketFlags.None, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private Task SendAsync(int channel, byte[] payload, CancellationToken ct) => SendRawAsync((byte[])[(byte)channel, .. payload], ct);

    private async Task SendRawAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            await ws.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);
        }
        finally
        {
            _send.Release();
        }
    }
}
