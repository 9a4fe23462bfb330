using System.Net.Sockets;
using System.Text;
using Platform.NodeAgent.PortForward.Spdy;

namespace Platform.NodeAgent.PortForward;

/// <summary>One forwarded connection: the pod's port dialed, bytes pumped both ways, the streams ended.</summary>
internal sealed partial class SpdyPortForwardSession
{
    private async Task ForwardAsync(PortForwardStreamPair pair, CancellationToken ct)
    {
        var data = pair.Data!;
        var error = pair.Error!;
        using var forward = CancellationTokenSource.CreateLinkedTokenSource(ct, data.Aborted);
        string? failure = null;
        try
        {
            using var socket = await target.ConnectAsync(data.Port, forward.Token);
            var toPod = ToPodAsync(data, socket, forward.Token);
            try
            {
                await FromPodAsync(socket, data, forward.Token);
                await SendAsync(new SpdyDataFrame(data.Id, true, ReadOnlyMemory<byte>.Empty), ct);
            }
            finally
            {
                // The pod closed its side (or the forward broke): nothing the client still sends can be delivered.
                await forward.CancelAsync();
                await toPod;
            }
        }
        catch (PortForwardException ex)
        {
            failure = ex.Message;
        }
        catch (SocketException ex)
        {
            failure = $"connection to containerPort {data.Port} broke: {ex.Message}";
        }
        catch (OperationCanceledException) when (forward.IsCancellationRequested)
        {
            // The client reset the data stream (kubectl does when its side is done) or the session ended.
        }
        finally
        {
            if (failure is not null)
            {
                ForwardFailed(target.PodName, data.Port, failure);
                // kubelet's wording: kubectl prints "an error occurred forwarding L -> R: " and this.
                var message = $"error forwarding port {data.Port} to pod {target.PodName}, uid {target.PodUid}: {failure}";
                await SendAsync(new SpdyDataFrame(error.Id, false, Encoding.UTF8.GetBytes(message)), ct);
                await SendAsync(new SpdyRstStreamFrame(data.Id, SpdyRstStatus.Cancel), ct);
            }
            await SendAsync(new SpdyDataFrame(error.Id, true, ReadOnlyMemory<byte>.Empty), ct);
            Forget(data);
            Forget(error);
            lock (_lock) _pairs.Remove(pair.RequestId);
        }
    }

    /// <summary>Client → pod until the client's FIN, which half-closes the pod connection.</summary>
    private static async Task ToPodAsync(PortForwardStream data, Socket socket, CancellationToken ct)
    {
        try
        {
            await foreach (var chunk in data.Inbound.Reader.ReadAllAsync(ct))
                await socket.SendAsync(chunk, SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Ended from the other direction (the pod closed or reset) or by the client's reset.
        }
    }

    /// <summary>Pod → client until the pod closes its side.</summary>
    private async Task FromPodAsync(Socket socket, PortForwardStream data, CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (n == 0) return;
            // The writer has put the frame on the wire when this returns, so the buffer can be reused.
            await _writer.WriteAsync(new SpdyDataFrame(data.Id, false, buffer.AsMemory(0, n)), ct);
        }
    }
}
