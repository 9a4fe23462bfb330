using System.Net.WebSockets;

namespace Platform.ApiServer.Api;

/// <summary>
/// Copies kubectl's raw SPDY upgrade (its fallback transport) to and from the node agent's WebSocket without looking
/// inside: the SPDY session is the agent's to serve. Either side ending ends the other, so neither pump outlives its
/// peer. A client that came as a WebSocket is relayed by <see cref="WebSocketRelay"/>, as exec and attach are.
/// </summary>
internal static class PortForwardRelay
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The raw SPDY upgrade (kubectl's fallback) carries no keep-alive of its own below SPDY's pings (every 10 s from
    /// kubectl): a client silent this long is gone. kubelet's default streaming idle timeout is 4 h; pings make it moot.
    /// </summary>
    public static readonly TimeSpan RawIdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>An upgraded HTTP connection (raw SPDY bytes) to the agent's WebSocket (SPDY in binary messages).</summary>
    public static async Task RelayAsync(Stream client, WebSocket agent, CancellationToken ct)
    {
        await BothWaysAsync(t => FromStreamAsync(client, agent, t), t => ToStreamAsync(agent, client, t), ct);
        await CloseAsync(agent);
    }

    /// <summary>Runs both pumps; the first to finish stops the other (each pump ends quietly when its side goes away).</summary>
    private static async Task BothWaysAsync(Func<CancellationToken, Task> up, Func<CancellationToken, Task> down, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pumps = new[] { up(stop.Token), down(stop.Token) };
        await Task.WhenAny(pumps);
        // A close passed on is answered by the other side's close, which the other pump carries back: a moment for that.
        await Task.WhenAny(Task.WhenAll(pumps), Task.Delay(CloseGrace, ct));
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
    }

    private static async Task FromStreamAsync(Stream from, WebSocket to, CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(RawIdleTimeout);
                var n = await from.ReadAsync(buffer, idle.Token);
                if (n == 0)
                {
                    await to.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, n), WebSocketMessageType.Binary, endOfMessage: true, ct);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task ToStreamAsync(WebSocket from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            while (true)
            {
                var r = await from.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return;
                await to.WriteAsync(buffer.AsMemory(0, r.Count), ct);
                await to.FlushAsync(ct);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task CloseAsync(WebSocket ws)
    {
        if (ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}
