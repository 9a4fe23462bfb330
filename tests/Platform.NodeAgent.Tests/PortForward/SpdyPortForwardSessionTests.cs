using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.NodeAgent.PortForward;
using Platform.NodeAgent.PortForward.Spdy;

namespace Platform.NodeAgent.Tests.PortForward;

/// <summary>
/// The agent's side of kubelet's port-forward protocol, driven as kubectl drives it (error stream, then data stream,
/// per connection) over a loopback socket, to a "pod" that is a loopback listener.
/// </summary>
public sealed class SpdyPortForwardSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TcpListener _pod = new(IPAddress.Loopback, 0);
    private TcpClient _client = null!;
    private SpdyFrameWriter _out = null!;
    private SpdyFrameReader _in = null!;
    private Task _session = null!;
    private SpdyPortForwardSession _server = null!;
    private Socket _serverSide = null!;

    public async Task InitializeAsync()
    {
        _pod.Start();
        var target = new PortForwardTarget("web-0", "uid-1", "127.0.0.1",
            new Dictionary<int, int> { [8080] = ((IPEndPoint)_pod.LocalEndpoint).Port, [8081] = Testing.Network.FreeTcpPort() }, TimeSpan.FromSeconds(5));
        using var tunnel = new TcpListener(IPAddress.Loopback, 0);
        tunnel.Start();
        _client = new TcpClient();
        await _client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)tunnel.LocalEndpoint).Port);
        _serverSide = await tunnel.AcceptSocketAsync();
        _server = new SpdyPortForwardSession(new NetworkStream(_serverSide, ownsSocket: true), target, TimeProvider.System, NullLogger.Instance);
        _session = _server.RunAsync(CancellationToken.None);
        _out = new SpdyFrameWriter(_client.GetStream());
        _in = new SpdyFrameReader(_client.GetStream());
    }

    private static SpdyHeaders Stream(string type, int port, int requestId) =>
        new(("streamType", type), ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("requestID", requestId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>kubectl's opening of one forwarded connection: the error stream (closed at once from its side), then the data stream.</summary>
    private async Task OpenAsync(uint errorId, int port, int requestId)
    {
        await Send(new SpdySynStreamFrame(errorId, 0, 0, false, false, Stream("error", port, requestId)));
        await Send(new SpdyDataFrame(errorId, true, ReadOnlyMemory<byte>.Empty));
        await Send(new SpdySynStreamFrame(errorId + 2, 0, 0, false, false, Stream("data", port, requestId)));
    }

    private Task Send(SpdyFrame frame) => _out.WriteAsync(frame, CancellationToken.None);

    private async Task<SpdyFrame> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await _in.ReadAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the session closed the tunnel");
    }

    [Fact]
    public async Task ForwardedConnection_PumpsBothWays_HalfClosesOnTheClientsFin_AndEndsBothStreamsWhenThePodCloses()
    {
        await OpenAsync(1, 8080, 0);
        using var pod = await _pod.AcceptTcpClientAsync().WaitAsync(Wait);
        Assert.Equal(new SpdySynReplyFrame(1, false, SpdyHeaders.Empty).StreamId, Assert.IsType<SpdySynReplyFrame>(await NextAsync()).StreamId);
        Assert.Equal(3u, Assert.IsType<SpdySynReplyFrame>(await NextAsync()).StreamId);

        await Send(new SpdyDataFrame(3, false, "hello "u8.ToArray()));
        await Send(new SpdyDataFrame(3, false, "pod"u8.ToArray()));
        await Send(new SpdyDataFrame(3, true, ReadOnlyMemory<byte>.Empty));
        // The client's FIN reaches the pod as end of input.
        using var reader = new StreamReader(pod.GetStream(), Encoding.ASCII, leaveOpen: true);
        Assert.Equal("hello pod", await reader.ReadToEndAsync().WaitAsync(Wait));
        await pod.GetStream().WriteAsync("hi client"u8.ToArray());
        pod.Close();

        var received = new StringBuilder();
        bool dataFin = false, errorFin = false;
        while (!(dataFin && errorFin))
        {
            var d = Assert.IsType<SpdyDataFrame>(await NextAsync());
            if (d.StreamId == 3)
            {
                Assert.False(dataFin);
                received.Append(Encoding.ASCII.GetString(d.Data.Span));
                dataFin = d.Fin;
            }
            else
            {
                Assert.Equal((1u, 0), (d.StreamId, d.Data.Length)); // nothing went wrong: an empty error stream
                errorFin = d.Fin;
            }
        }
        Assert.Equal("hi client", received.ToString());
    }

    [Fact]
    public async Task PortThePodDoesNotDeclare_OrThatRefuses_GetsKubeletsMessageOnTheErrorStream()
    {
        await OpenAsync(1, 9999, 0);
        Assert.Equal("error forwarding port 9999 to pod web-0, uid uid-1: port 9999 is not a containerPort of pod web-0 (declared: 8080, 8081)",
            await ErrorMessageAsync(1));
        // Declared, but nothing listens on its host port.
        await OpenAsync(5, 8081, 1);
        Assert.Matches(@"^error forwarding port 8081 to pod web-0, uid uid-1: dial tcp 127\.0\.0\.1:\d+ \(containerPort 8081\): Connection refused$",
            await ErrorMessageAsync(5));
    }

    /// <summary>Reads the pair's frames: replies, the message on the error stream with its FIN, and the data stream's reset.</summary>
    private async Task<string> ErrorMessageAsync(uint errorId)
    {
        var message = new StringBuilder();
        bool fin = false, reset = false;
        while (!(fin && reset))
        {
            switch (await NextAsync())
            {
                case SpdySynReplyFrame:
                    break;
                case SpdyDataFrame d when d.StreamId == errorId:
                    message.Append(Encoding.UTF8.GetString(d.Data.Span));
                    fin = d.Fin;
                    break;
                case SpdyRstStreamFrame r when r.StreamId == errorId + 2:
                    reset = true;
                    break;
                case var other:
                    Assert.Fail($"unexpected {other}");
                    break;
            }
        }
        return message.ToString();
    }

    [Fact]
    public async Task StreamsWithoutPortOrType_AreRefused_PingsAreEchoed_AndABrokenFrameEndsTheSession()
    {
        await Send(new SpdySynStreamFrame(1, 0, 0, false, false, new SpdyHeaders(("streamType", "data"))));
        Assert.Equal(new SpdyRstStreamFrame(1, SpdyRstStatus.RefusedStream), await NextAsync());
        await Send(new SpdySynStreamFrame(3, 0, 0, false, false, Stream("stdin", 80, 0)));
        Assert.Equal(new SpdyRstStreamFrame(3, SpdyRstStatus.RefusedStream), await NextAsync());
        await Send(new SpdyPingFrame(7));
        Assert.Equal(new SpdyPingFrame(7), await NextAsync());

        // Stream ids must increase: a reused one is a protocol error, answered with GOAWAY, and the session ends.
        await Send(new SpdySynStreamFrame(3, 0, 0, false, false, Stream("error", 80, 9)));
        Assert.Equal(new SpdyGoAwayFrame(3, (uint)SpdyRstStatus.ProtocolError), await NextAsync());
        await _session.WaitAsync(Wait);
    }

    [Fact]
    public async Task WhenTheClientGoesAway_TheSessionEnds_AndThePodConnectionIsClosed()
    {
        await OpenAsync(1, 8080, 0);
        using var pod = await _pod.AcceptTcpClientAsync().WaitAsync(Wait);
        await NextAsync();
        await NextAsync();
        _client.Client.Shutdown(SocketShutdown.Both);
        _client.Close();
        await _session.WaitAsync(Wait);
        var buffer = new byte[16];
        Assert.Equal(0, await pod.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Wait));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _session.WaitAsync(Wait);
        _server.Dispose();
        _out.Dispose();
        _pod.Stop();
    }
}
