using System.Net.WebSockets;

namespace Platform.RemoteCommand;

/// <summary>
/// The client side of an exec or attach WebSocket (what client-go's WebSocket executor does): stdin and resizes go
/// out, stdout and stderr come in until the server closes, and the Status on the error channel gives the outcome.
/// </summary>
public sealed class RemoteCommandClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ChannelSocketWriter _writer;

    private RemoteCommandClient(ClientWebSocket socket)
    {
        _socket = socket;
        _writer = new ChannelSocketWriter(socket);
    }

    /// <summary>The subprotocol the server chose.</summary>
    public string Protocol => _socket.SubProtocol ?? "";

    /// <summary>
    /// Opens the WebSocket (<c>ws</c>/<c>wss</c> URL with the exec or attach query), offering v5 then v4.
    /// <paramref name="configure"/> sets credentials and TLS. A refused upgrade throws the <see cref="WebSocketException"/>.
    /// </summary>
    public static async Task<RemoteCommandClient> ConnectAsync(Uri url, Action<ClientWebSocketOptions>? configure, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        try
        {
            foreach (var p in StreamProtocol.Supported) socket.Options.AddSubProtocol(p);
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(5);
            socket.Options.CollectHttpResponseDetails = true;
            configure?.Invoke(socket.Options);
            await socket.ConnectAsync(url, ct);
            return new RemoteCommandClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => _writer.WriteAsync(StreamChannel.Stdin, data, ct);

    /// <summary>Stdin's end of file: the v5 close signal; with v4 there is none, and the command's stdin stays open.</summary>
    public Task CloseStdinAsync(CancellationToken ct) =>
        StreamProtocol.SupportsClose(Protocol) ? _writer.CloseChannelAsync(StreamChannel.Stdin, ct) : Task.CompletedTask;

    public Task ResizeAsync(TerminalSize size, CancellationToken ct) =>
        _writer.WriteAsync(StreamChannel.Resize, System.Text.Encoding.ASCII.GetBytes($"{{\"Width\":{size.Width},\"Height\":{size.Height}}}\n"), ct);

    /// <summary>
    /// Copies stdout and stderr until the server closes the socket, then answers its close and returns the outcome:
    /// the exit code (0 on success), or null and the server's message.
    /// </summary>
    public async Task<(int? ExitCode, string? Message)> ReadOutputAsync(Stream stdout, Stream stderr, CancellationToken ct)
    {
        var reader = new ChannelSocketReader(_socket);
        using var status = new MemoryStream();
        while (await reader.ReadAsync(ct) is { } frame)
        {
            if (frame.Closed) continue;
            switch (frame.Channel)
            {
                case StreamChannel.Stdout:
                    await stdout.WriteAsync(frame.Data, ct);
                    await stdout.FlushAsync(ct);
                    break;
                case StreamChannel.Stderr:
                    await stderr.WriteAsync(frame.Data, ct);
                    await stderr.FlushAsync(ct);
                    break;
                case StreamChannel.Error when status.Length + frame.Data.Length <= 64 * 1024:
                    status.Write(frame.Data.Span);
                    break;
            }
        }
        if (_socket.CloseStatus is not (WebSocketCloseStatus.NormalClosure or null) && status.Length == 0)
            return (null, $"the stream broke: {_socket.CloseStatusDescription} ({(int)_socket.CloseStatus})");
        if (_socket.State == WebSocketState.CloseReceived)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
            catch (WebSocketException)
            {
                // The server closed its side and left: the answer to its close has no one to reach.
            }
        }
        return RemoteCommandStatus.Read(status.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server is gone already.
            }
        }
        _socket.Dispose();
        _writer.Dispose();
    }
}
