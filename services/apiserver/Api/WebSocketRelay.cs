using System.Buffers;
using System.Net.WebSockets;

namespace Platform.ApiServer.Api;

/// <summary>
/// Copies messages both ways between the client's WebSocket and the node agent's, unchanged (the remote command
/// framing of exec and attach, and port-forward's SPDY or channels, are the agent's business), and passes a close on. A side that breaks takes the other down with it.
/// </summary>
internal static class WebSocketRelay
{
    private const int BufferSize = 32 * 1024 + 1;

    /// <summary>After one side closed, how long the other may take to finish its last messages and answer the close.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    /// <summary>How long a side told that the other broke may take to answer the close.</summary>
    private static readonly TimeSpan CloseAnswer = TimeSpan.FromSeconds(2);

    /// <summary>Runs until both directions are closed, or one breaks; returns the error of a broken side, if any.</summary>
    public static async Task<Exception?> RunAsync(WebSocket client, WebSocket agent, CancellationToken ct)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = PumpAsync(client, agent, session.Token);
        var down = PumpAsync(agent, client, session.Token);
        var first = await Task.WhenAny(up, down);
        Exception? broken = first.Exception?.InnerException;
        if (broken is null)
        {
            // A clean close went through: give the other direction its drain time.
            await Task.WhenAny(Task.WhenAll(up, down), Task.Delay(Drain, session.Token));
        }
        else
        {
            // One connection broke: tell the other side, and give it a moment to answer the close, then stop both.
            var other = first == up ? agent : client;
            await CloseQuietlyAsync(other, first == up ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.InternalServerError,
                first == up ? "the client went away" : "the node agent's stream broke");
            await Task.WhenAny(first == up ? down : up, Task.Delay(CloseAnswer, session.Token));
        }
        await session.CancelAsync();
        if (client.State != WebSocketState.Closed) client.Abort();
        if (agent.State != WebSocketState.Closed) agent.Abort();
        await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return broken ?? (up.IsFaulted ? up.Exception!.InnerException : down.IsFaulted ? down.Exception!.InnerException : null);
    }

    private static async Task PumpAsync(WebSocket from, WebSocket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var r = await from.ReceiveAsync(buffer.AsMemory(0, BufferSize), ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, ct);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // That side is gone too.
        }
    }
}
