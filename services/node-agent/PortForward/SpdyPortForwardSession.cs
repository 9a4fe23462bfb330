using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Platform.NodeAgent.PortForward.Spdy;

namespace Platform.NodeAgent.PortForward;

/// <summary>
/// The server side of kubelet's <c>portforward.k8s.io</c> protocol over one SPDY/3.1 session: for each local
/// connection kubectl opens an <c>error</c> and a <c>data</c> stream (headers <c>streamType</c>, <c>port</c>,
/// <c>requestID</c>); once both are there the agent dials the pod's port and pumps bytes both ways. A connection that
/// cannot be made gets its reason on the error stream, which kubectl prints. The session ends when the tunnel closes;
/// every forwarded connection ends with it.
/// </summary>
internal sealed partial class SpdyPortForwardSession(Stream tunnel, PortForwardTarget target, TimeProvider time, ILogger log) : IDisposable
{
    /// <summary>Open streams per session (two per forwarded connection); more are refused (RST_STREAM REFUSED_STREAM).</summary>
    public const int MaxStreams = 128;

    /// <summary>kubelet's <c>streamCreationTimeout</c>: how long the first stream of a pair waits for the second.</summary>
    public static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    private const int ChunkBytes = 32 * 1024;
    private readonly SpdyFrameReader _reader = new(tunnel);
    private readonly SpdyFrameWriter _writer = new(tunnel);
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, PortForwardStream> _streams = [];
    private readonly Dictionary<string, PortForwardStreamPair> _pairs = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private uint _lastStreamId;

    /// <summary>Reads frames until the client goes away (EOF, GOAWAY, a broken tunnel) or breaks the protocol.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (await _reader.ReadAsync(stop.Token) is { } frame)
                if (!await HandleAsync(frame, stop.Token)) break;
        }
        catch (SpdyProtocolException ex)
        {
            ProtocolError(target.PodName, ex.Message);
            await SendAsync(new SpdyGoAwayFrame(_lastStreamId, (uint)SpdyRstStatus.ProtocolError), stop.Token);
        }
        catch (Exception ex) when (ex is IOException or WebSocketException or OperationCanceledException)
        {
            // The tunnel broke or the host stops: the forwards below end with it.
        }
        finally
        {
            await stop.CancelAsync();
            Task[] running;
            lock (_lock)
            {
                foreach (var s in _streams.Values) s.Abort();
                running = [.. _running];
            }
            await Task.WhenAll(running);
        }
    }

    private async Task<bool> HandleAsync(SpdyFrame frame, CancellationToken ct)
    {
        switch (frame)
        {
            case SpdySynStreamFrame syn:
                await OpenAsync(syn, ct);
                return true;
            case SpdyDataFrame data:
                await ReceiveAsync(data, ct);
                return true;
            case SpdyRstStreamFrame rst:
                Find(rst.StreamId)?.Abort();
                return true;
            case SpdyPingFrame ping:
                // Odd ids are the client's pings (kubectl sends one every 10 s): echo them. Even ones would answer ours.
                if (ping.Id % 2 == 1) await SendAsync(ping, ct);
                return true;
            case SpdyGoAwayFrame:
                return false;
            default:
                return true; // SETTINGS, WINDOW_UPDATE (spdystream does no flow control), HEADERS, unknown types
        }
    }

    private async Task OpenAsync(SpdySynStreamFrame syn, CancellationToken ct)
    {
        if (syn.StreamId % 2 == 0 || syn.StreamId <= _lastStreamId)
            throw new SpdyProtocolException($"stream id {syn.StreamId} after {_lastStreamId}: client stream ids are odd and increasing");
        _lastStreamId = syn.StreamId;
        PortForwardStream stream;
        try
        {
            stream = PortForwardStream.FromHeaders(syn.StreamId, syn.Headers);
        }
        catch (PortForwardException ex)
        {
            StreamRefused(target.PodName, syn.StreamId, ex.Message);
            await SendAsync(new SpdyRstStreamFrame(syn.StreamId, SpdyRstStatus.RefusedStream), ct);
            return;
        }
        PortForwardStreamPair? pair = null;
        var created = false;
        lock (_lock)
        {
            if (_streams.Count < MaxStreams)
            {
                _streams[syn.StreamId] = stream;
                created = !_pairs.TryGetValue(stream.RequestId, out pair);
                if (created) _pairs[stream.RequestId] = pair = new PortForwardStreamPair(stream.RequestId);
            }
        }
        if (pair is null)
        {
            StreamRefused(target.PodName, syn.StreamId, $"{MaxStreams} streams are open");
            await SendAsync(new SpdyRstStreamFrame(syn.StreamId, SpdyRstStatus.RefusedStream), ct);
            return;
        }
        await SendAsync(new SpdySynReplyFrame(syn.StreamId, false, SpdyHeaders.Empty), ct);
        if (syn.Fin) stream.Inbound.Writer.TryComplete();
        if (!pair.Add(stream))
        {
            Forget(stream);
            await SendAsync(new SpdyRstStreamFrame(syn.StreamId, SpdyRstStatus.ProtocolError), ct);
            return;
        }
        if (created) Track(AwaitSecondStreamAsync(pair, ct));
        if (pair.Complete)
        {
            await pair.Completed.CancelAsync();
            Track(ForwardAsync(pair, ct));
        }
    }

    private async Task ReceiveAsync(SpdyDataFrame data, CancellationToken ct)
    {
        if (Find(data.StreamId) is not { } stream) return; // reset or finished: spdystream drops these too
        if (data.Data.Length > 0 && stream.Type == PortForwardStream.Data)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, stream.Aborted);
            try
            {
                await stream.Inbound.Writer.WriteAsync(data.Data, either.Token);
            }
            catch (Exception ex) when (ex is ChannelClosedException || ex is OperationCanceledException && !ct.IsCancellationRequested)
            {
                // The forward already ended: what the client still sends has nowhere to go.
            }
        }
        if (data.Fin) stream.Inbound.Writer.TryComplete();
    }

    /// <summary>kubelet's <c>monitorStreamPair</c>: a pair still missing a stream after the timeout is given up.</summary>
    private async Task AwaitSecondStreamAsync(PortForwardStreamPair pair, CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, pair.Completed.Token);
        try
        {
            await Task.Delay(StreamCreationTimeout, time, either.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var message = $"timed out waiting for the {(pair.Data is null ? "data" : "error")} stream of request {pair.RequestId}";
        if (pair.Error is { } error)
        {
            await SendAsync(new SpdyDataFrame(error.Id, true, Encoding.UTF8.GetBytes(message)), ct);
            Forget(error);
        }
        if (pair.Data is { } data)
        {
            await SendAsync(new SpdyRstStreamFrame(data.Id, SpdyRstStatus.Cancel), ct);
            Forget(data);
        }
        lock (_lock) _pairs.Remove(pair.RequestId);
    }

    /// <summary>
    /// Sends a frame unless the session is over: a tunnel that is gone has no one left to tell, and the forward that
    /// wanted to send ends anyway.
    /// </summary>
    private async Task SendAsync(SpdyFrame frame, CancellationToken ct)
    {
        try
        {
            await _writer.WriteAsync(frame, ct);
        }
        catch (Exception ex) when (ex is IOException or WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private PortForwardStream? Find(uint id)
    {
        lock (_lock) return _streams.GetValueOrDefault(id);
    }

    private void Forget(PortForwardStream stream)
    {
        lock (_lock) _streams.Remove(stream.Id);
        stream.Abort();
    }

    private void Track(Task task)
    {
        lock (_lock)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    public void Dispose() => _writer.Dispose();

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "port-forward to pod {Pod}: SPDY protocol error: {Error}")]
    private partial void ProtocolError(string pod, string error);

    [LoggerMessage(EventId = 621, Level = LogLevel.Information, Message = "port-forward to pod {Pod}: stream {Stream} refused: {Reason}")]
    private partial void StreamRefused(string pod, uint stream, string reason);

    [LoggerMessage(EventId = 622, Level = LogLevel.Information, Message = "port-forward to pod {Pod} port {Port} failed: {Error}")]
    private partial void ForwardFailed(string pod, int port, string error);
}
