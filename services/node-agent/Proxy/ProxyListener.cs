using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Platform.NodeAgent.Proxy;

/// <summary>
/// One listening socket (a ClusterIP:port or a node port) relaying each accepted TCP connection to a backend of its
/// Service port. SO_REUSEADDR and SO_REUSEPORT, so agents sharing a machine can all listen on the same Service; at most
/// <c>MaxConnectionsPerListener</c> relayed at once, 16 KiB pooled buffers per direction, no queue beyond the backlog.
/// </summary>
internal sealed partial class ProxyListener : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ProxyOptions _o;
    private readonly ILogger _log;
    private readonly Task _accepting;
    private int _active;

    private ProxyListener(Socket socket, ServiceBackends target, ProxyOptions o, ILogger log)
    {
        _socket = socket;
        Target = target;
        _o = o;
        _log = log;
        _accepting = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The Service port new connections go to (replaced when the Service's port changes).</summary>
    public ServiceBackends Target { get; set; }

    public int Active => Volatile.Read(ref _active);

    /// <summary>Binds and listens on <paramref name="at"/>; throws a <see cref="SocketException"/> when the address is taken.</summary>
    public static ProxyListener Start(IPEndPoint at, ServiceBackends target, ProxyOptions o, ILogger log)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(at);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new ProxyListener(socket, target, o, log);
    }

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                AcceptFailed(Endpoint, ex.SocketErrorCode);
                continue;
            }
            if (Interlocked.Increment(ref _active) > _o.MaxConnectionsPerListener)
            {
                Interlocked.Decrement(ref _active);
                Refuse(client);
                continue;
            }
            _ = RelayAsync(client, Target);
        }
    }

    private async Task RelayAsync(Socket client, ServiceBackends target)
    {
        var clientIp = (client.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        try
        {
            if (target.Pick(clientIp) is not { } backend)
            {
                NoBackend(target.Name, clientIp);
                Refuse(client);
                return;
            }
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(connection.Token))
            {
                connect.CancelAfter(_o.ConnectTimeout);
                try
                {
                    await upstream.ConnectAsync(backend, connect.Token);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    ConnectFailed(target.Name, backend, ex.Message);
                    Refuse(client);
                    return;
                }
            }
            using var tracked = target.Track(backend, connection);
            var ct = connection.Token;
            await using var close = ct.Register(() => { client.Dispose(); upstream.Dispose(); });
            await Task.WhenAll(PumpAsync(client, upstream, ct), PumpAsync(upstream, client, ct));
        }
        catch (Exception ex)
        {
            RelayFailed(target.Name, ex.Message);
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Copies one direction until its end, then half-closes the other side.</summary>
    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(0, BufferSize), SocketFlags.None, ct);
                if (n == 0) break;
                var sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, ct);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset either way, or the connection closed because its backend left: both sockets go.
            from.Dispose();
            to.Dispose();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes with a reset at once, as kube-proxy's REJECT answers a Service without endpoints.</summary>
    private static void Refuse(Socket client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting;
        // Cancelling closed every relayed connection's sockets; their relays end at once.
        for (var i = 0; i < 250 && Active > 0; i++) await Task.Delay(20);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 760, Level = LogLevel.Debug, Message = "accept on {Endpoint} failed: {Error}")]
    private partial void AcceptFailed(IPEndPoint endpoint, SocketError error);

    [LoggerMessage(EventId = 761, Level = LogLevel.Debug, Message = "{Service}: no ready endpoint, connection from {Client} closed")]
    private partial void NoBackend(string service, IPAddress client);

    [LoggerMessage(EventId = 762, Level = LogLevel.Debug, Message = "{Service}: connecting to {Backend} failed: {Error}")]
    private partial void ConnectFailed(string service, IPEndPoint backend, string error);

    [LoggerMessage(EventId = 763, Level = LogLevel.Debug, Message = "{Service}: relay ended: {Error}")]
    private partial void RelayFailed(string service, string error);
}
