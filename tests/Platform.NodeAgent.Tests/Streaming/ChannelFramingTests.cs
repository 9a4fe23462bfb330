using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Platform.RemoteCommand;

namespace Platform.NodeAgent.Tests.Streaming;

/// <summary>The remote command channel framing on a real WebSocket pair over loopback, and the Status and resize encodings.</summary>
public sealed class ChannelFramingTests : IAsyncLifetime
{
    private TcpClient? _clientTcp;
    private TcpClient? _serverTcp;
    private WebSocket _client = null!;
    private WebSocket _server = null!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        await _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await listener.AcceptTcpClientAsync();
        listener.Stop();
        _client = WebSocket.CreateFromStream(_clientTcp.GetStream(), isServer: false, StreamProtocol.V5, Timeout.InfiniteTimeSpan);
        _server = WebSocket.CreateFromStream(_serverTcp.GetStream(), isServer: true, StreamProtocol.V5, Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public async Task Writer_SplitsDataIntoMessagesOfAtMost32KiB_EachStartingWithTheChannel()
    {
        using var writer = new ChannelSocketWriter(_server);
        var data = Enumerable.Range(0, 80 * 1024).Select(i => (byte)i).ToArray();
        await writer.WriteAsync(StreamChannel.Stderr, data, CancellationToken.None);

        var buffer = new byte[64 * 1024];
        var sizes = new List<int>();
        var received = new List<byte>();
        while (received.Count < data.Length)
        {
            var r = await _client.ReceiveAsync(buffer, CancellationToken.None);
            Assert.True(r.EndOfMessage);
            Assert.Equal(WebSocketMessageType.Binary, r.MessageType);
            Assert.Equal(StreamChannel.Stderr, buffer[0]);
            sizes.Add(r.Count - 1);
            received.AddRange(buffer.AsSpan(1, r.Count - 1).ToArray());
        }
        Assert.Equal([32 * 1024, 32 * 1024, 16 * 1024], sizes);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Reader_ReturnsChannelData_SkipsEmptyMessages_ReadsTheCloseSignal_AndEndsOnClose()
    {
        using var writer = new ChannelSocketWriter(_client);
        await writer.WriteAsync(StreamChannel.Stdout, default, CancellationToken.None);   // kubelet's "ready" notice
        await writer.WriteAsync(StreamChannel.Stdin, "hi\n"u8.ToArray(), CancellationToken.None);
        await writer.CloseChannelAsync(StreamChannel.Stdin, CancellationToken.None);
        await _client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        var reader = new ChannelSocketReader(_server);
        var data = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(StreamChannel.Stdin, data!.Value.Channel);
        Assert.Equal("hi\n", Encoding.ASCII.GetString(data.Value.Data.Span));
        Assert.Equal(new ChannelFrame(StreamChannel.Stdin, default, Closed: true), await reader.ReadAsync(CancellationToken.None));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reader_MessageLargerThanItsBuffer_ArrivesAsFramesOfTheSameChannel()
    {
        await _client.SendAsync(new byte[] { StreamChannel.Stdin, 1, 2, 3, 4, 5, 6, 7 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var reader = new ChannelSocketReader(_server, bufferSize: 4);
        var first = (await reader.ReadAsync(CancellationToken.None))!.Value;
        Assert.Equal(StreamChannel.Stdin, first.Channel);
        Assert.Equal([1, 2, 3], first.Data.ToArray());
        var second = (await reader.ReadAsync(CancellationToken.None))!.Value;
        Assert.Equal(StreamChannel.Stdin, second.Channel);
        Assert.Equal([4, 5, 6, 7], second.Data.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 255 })]
    [InlineData(new byte[] { 255, 0, 0 })]
    public async Task Reader_MalformedCloseSignal_IsAProtocolError(byte[] message)
    {
        await _client.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new ChannelSocketReader(_server).ReadAsync(CancellationToken.None).AsTask());
        Assert.Contains("255 and the channel", error.Message);
    }

    [Fact]
    public async Task Reader_TextMessage_IsAProtocolError()
    {
        await _client.SendAsync("0aGk="u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidDataException>(() => new ChannelSocketReader(_server).ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public void ExitCodeStatus_IsTheStatusClientGoDecodesIntoAnExitCode()
    {
        var status = JsonNode.Parse(RemoteCommandStatus.ExitCode(3))!;
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.Equal("ExitCode", (string?)status["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("3", (string?)status["details"]!["causes"]![0]!["message"]);
        Assert.Equal((3, "command terminated with non-zero exit code: exit status 3"), RemoteCommandStatus.Read(RemoteCommandStatus.ExitCode(3)));
        Assert.Equal("Success", (string?)JsonNode.Parse(RemoteCommandStatus.Success())!["status"]);
        Assert.Equal((0, null), RemoteCommandStatus.Read(RemoteCommandStatus.Success()));
        Assert.Equal((0, null), RemoteCommandStatus.Read([]));
        Assert.Equal((null, "container gone"), RemoteCommandStatus.Read(RemoteCommandStatus.Failure("container gone")));
        Assert.Throws<InvalidDataException>(() => RemoteCommandStatus.Read("""{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"300"}]}}"""u8));
        Assert.Throws<InvalidDataException>(() => RemoteCommandStatus.Read("exit 1"u8));
    }

    [Fact]
    public void ResizeDecoder_TakesWholeObjects_SplitOrJoinedAcrossMessages()
    {
        var decoder = new ResizeDecoder();
        Assert.Empty(decoder.Add("""{"Width":80,"Hei"""u8));
        Assert.Equal([new TerminalSize(80, 24)], decoder.Add("""ght":24}"""u8));
        Assert.Equal([new TerminalSize(100, 30), new TerminalSize(120, 40)], decoder.Add("\n{\"Width\":100,\"Height\":30}\n{\"Height\":40,\"Width\":120}\n"u8));
        Assert.Throws<InvalidDataException>(() => new ResizeDecoder().Add("""{"Width":-1,"Height":24}"""u8));
        Assert.Throws<InvalidDataException>(() => new ResizeDecoder().Add("[80,24]"u8));
        Assert.Throws<InvalidDataException>(() => new ResizeDecoder().Add(Encoding.ASCII.GetBytes("{\"Width\":\"" + new string('9', 2000))));
    }

    [Fact]
    public void Upgrade_NegotiatesInTheClientsOrder_AndRefusesSpdyAndPlainRequests()
    {
        Assert.Equal((StreamProtocol.V4, null), StreamProtocol.ForUpgrade(true, "websocket", ["v4.channel.k8s.io", "v5.channel.k8s.io"]));
        Assert.Equal((StreamProtocol.V5, null), StreamProtocol.ForUpgrade(true, "websocket", ["channel.k8s.io", "v5.channel.k8s.io"]));
        Assert.Contains("none of the requested WebSocket subprotocols [v3.channel.k8s.io]", StreamProtocol.ForUpgrade(true, "websocket", ["v3.channel.k8s.io"]).Refusal);
        Assert.StartsWith("SPDY streams are not served", StreamProtocol.ForUpgrade(false, "SPDY/3.1", []).Refusal);
        Assert.StartsWith("Upgrade request required", StreamProtocol.ForUpgrade(false, null, []).Refusal);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        _clientTcp?.Dispose();
        _serverTcp?.Dispose();
        return Task.CompletedTask;
    }
}
