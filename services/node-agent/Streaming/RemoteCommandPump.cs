using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Docker.DotNet;
using Platform.RemoteCommand;

namespace Platform.NodeAgent.Streaming;

/// <summary>
/// Copies one exec or attach between the caller's WebSocket (remote command channel framing) and Docker's hijacked
/// stream: stdin and resizes in, stdout and stderr out. <see cref="RunAsync"/> returns when the container side ends
/// (the process exited) or the caller leaves, goes silent for the idle timeout, or breaks the protocol;
/// <see cref="FinishAsync"/> then writes the Status and closes the socket.
/// </summary>
internal sealed partial class RemoteCommandPump(WebSocket socket, string protocol, TimeSpan idleTimeout, ILogger log) : IDisposable
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);
    private readonly ChannelSocketWriter _writer = new(socket);
    private readonly ChannelSocketReader _reader = new(socket);
    private readonly ResizeDecoder _sizes = new();
    private Task<ChannelFrame?>? _pending;
    private CancellationTokenSource? _session;
    private Task _input = Task.CompletedTask;
    private Task _output = Task.CompletedTask;

    /// <summary>
    /// For a terminal: the size in the caller's first message, if that is a resize arriving within <paramref name="wait"/>.
    /// Any other first message is kept for <see cref="RunAsync"/>.
    /// </summary>
    public async Task<TerminalSize?> FirstSizeAsync(TimeSpan wait, CancellationToken ct)
    {
        _pending = _reader.ReadAsync(ct).AsTask();
        await Task.WhenAny(_pending, Task.Delay(wait, ct));
        if (!_pending.IsCompletedSuccessfully || _pending.Result is not { Channel: StreamChannel.Resize, Closed: false } frame) return null;
        _pending = null;
        return _sizes.Add(frame.Data.Span) is [.., var last] ? last : null;
    }

    /// <summary>
    /// True when Docker's stream ended (the command finished); false when the caller went away or timed out, or
    /// <paramref name="stop"/> ended the session.
    /// </summary>
    public async Task<bool> RunAsync(MultiplexedStream docker, StreamQuery q, Func<TerminalSize, CancellationToken, Task> resize, CancellationToken stop, CancellationToken ct)
    {
        _session = CancellationTokenSource.CreateLinkedTokenSource(ct, stop);
        _session.CancelAfter(idleTimeout);
        var token = _session.Token;
        // kubelet's "ready" notice: an empty message on the first channel the caller reads.
        await _writer.WriteAsync(q.Stdout ? StreamChannel.Stdout : q.Stderr ? StreamChannel.Stderr : StreamChannel.Error, default, ct);
        // The socket is read and written with the request's token only: cancelling a WebSocket receive or send aborts
        // the socket, and the Status must still go out after an idle timeout or an agent shutdown ends the session.
        _input = CopyInputAsync(docker, q, resize, ct, token);
        _output = CopyOutputAsync(docker, token, ct);
        // A session's end (idle, stop) also ends the wait when a send is stuck on a caller that reads nothing.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var endedOnCancel = token.Register(() => ended.TrySetResult());
        var first = await Task.WhenAny(_input, _output, ended.Task);
        if (first == _output && _output.IsCompletedSuccessfully && !token.IsCancellationRequested) return true;
        if (first.Exception?.InnerException is { } error and not OperationCanceledException) CallerFailed(error.GetType().Name, error.Message);
        else if (first == _input && first.IsCompletedSuccessfully) CallerLeft();
        else if (!ct.IsCancellationRequested && !stop.IsCancellationRequested) IdleTimedOut(idleTimeout);
        return false;
    }

    /// <summary>Writes <paramref name="status"/> on the error channel (when the socket is still open) and closes the socket normally.</summary>
    public async Task FinishAsync(byte[] status, CancellationToken ct)
    {
        // A caller that takes more than CloseWait to accept the Status and the close is cut off (a cancelled send aborts the socket).
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(CloseWait);
        try
        {
            if (socket.State == WebSocketState.Open) await _writer.WriteAsync(StreamChannel.Error, status, bounded.Token);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, bounded.Token);
            // The caller answers the close; the input loop sees it and ends. A caller that never answers is cut off.
            await Task.WhenAny(_pending ?? _input, Task.Delay(CloseWait, ct));
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // The caller is gone already: nothing left to tell it.
        }
        finally
        {
            if (!(_pending ?? _input).IsCompleted) socket.Abort();
            // Ends a read still blocked on Docker (the caller left while the command ran); both loops' errors were logged by RunAsync.
            _session?.Cancel();
            await Task.WhenAll(_pending ?? _input, _input, _output).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task CopyInputAsync(MultiplexedStream docker, StreamQuery q, Func<TerminalSize, CancellationToken, Task> resize, CancellationToken read, CancellationToken ct)
    {
        var stdinOpen = q.Stdin;
        while (await NextAsync(read) is { } frame)
        {
            if (ct.IsCancellationRequested) continue; // the session is over: only the caller's close is awaited now
            _session!.CancelAfter(idleTimeout);
            if (frame.Closed)
            {
                if (frame.Channel == StreamChannel.Stdin && stdinOpen && StreamProtocol.SupportsClose(protocol))
                {
                    stdinOpen = false;
                    docker.CloseWrite();
                }
                continue;
            }
            if (frame.Channel == StreamChannel.Stdin && stdinOpen)
            {
                var data = MemoryMarshal.TryGetArray(frame.Data, out var segment) ? segment : new ArraySegment<byte>(frame.Data.ToArray());
                try
                {
                    await docker.WriteAsync(data.Array!, data.Offset, data.Count, ct);
                }
                catch (IOException)
                {
                    stdinOpen = false; // the process closed its stdin or exited: its output side ends the session
                }
            }
            else if (frame.Channel == StreamChannel.Resize && q.Tty)
            {
                foreach (var size in _sizes.Add(frame.Data.Span)) await resize(size, ct);
            }
            // Data on a channel the session does not read is dropped, as kubelet's wsstream does.
        }
    }

    /// <summary>The message <see cref="FirstSizeAsync"/> read and kept, then the socket's next ones.</summary>
    private async ValueTask<ChannelFrame?> NextAsync(CancellationToken ct)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            return await pending;
        }
        return await _reader.ReadAsync(ct);
    }

    /// <summary>Docker's output to the caller until its end or the session's (<paramref name="session"/>); sends use <paramref name="ct"/>, the request's, since a cancelled send aborts the socket.</summary>
    private async Task CopyOutputAsync(MultiplexedStream docker, CancellationToken session, CancellationToken ct)
    {
        // A read blocked on a quiet process must end when the session does, whatever the transport does with the token.
        await using var abort = session.Register(docker.Dispose);
        var buffer = ArrayPool<byte>.Shared.Rent(ChannelSocketWriter.MaxPayload);
        try
        {
            while (true)
            {
                var read = await docker.ReadOutputAsync(buffer, 0, ChannelSocketWriter.MaxPayload, session);
                if (read.EOF) return;
                _session!.CancelAfter(idleTimeout);
                var channel = read.Target == MultiplexedStream.TargetStream.StandardError ? StreamChannel.Stderr : StreamChannel.Stdout;
                await _writer.WriteAsync(channel, buffer.AsMemory(0, read.Count), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        _session?.Cancel();
        _session?.Dispose();
        _writer.Dispose();
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "remote command stream: the caller closed the connection while the command ran")]
    private partial void CallerLeft();

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "remote command stream ended early: {Error}: {Message}")]
    private partial void CallerFailed(string error, string message);

    [LoggerMessage(EventId = 612, Level = LogLevel.Information, Message = "remote command stream closed after {Idle} without data either way")]
    private partial void IdleTimedOut(TimeSpan idle);
}
