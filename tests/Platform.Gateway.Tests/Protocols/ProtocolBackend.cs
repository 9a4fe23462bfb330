using System.Buffers.Binary;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Tests.Protocols;

/// <summary>
/// A real Kestrel upstream on 127.0.0.1 speaking what the protocol tests proxy: a WebSocket echo (<c>/ws</c>), a
/// Server-Sent Events stream (<c>/events</c>) whose second event waits for <see cref="ReleaseSecondEvent"/>, and a
/// gRPC unary method (<c>/echo.Echo/Say</c>, the gRPC wire format over HTTP/2 cleartext, answering "hello, NAME").
/// </summary>
internal sealed class ProtocolBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProtocolBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";
    public string? LastGrpcProtocol { get; private set; }

    public void ReleaseSecondEvent() => _second.TrySetResult();

    public static async Task<ProtocolBackend> StartAsync(bool http2Only)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0,
            l => l.Protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        var self = new ProtocolBackend(app);
        app.UseWebSockets();
        app.Map("/ws", async ctx =>
        {
            if (!ctx.WebSockets.IsWebSocketRequest) { ctx.Response.StatusCode = 400; return; }
            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, ctx.RequestAborted);
                if (r.MessageType == WebSocketMessageType.Close) break;
                await socket.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, ctx.RequestAborted);
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ctx.RequestAborted);
        });
        app.Map("/events", async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("id: 1\ndata: first\n\n", ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await self._second.Task.WaitAsync(ctx.RequestAborted);
            await ctx.Response.WriteAsync("id: 2\ndata: second\n\n", ctx.RequestAborted);
        });
        app.MapPost("/echo.Echo/Say", async ctx =>
        {
            self.LastGrpcProtocol = ctx.Request.Protocol;
            var name = await ReadMessageAsync(ctx.Request.Body, ctx.RequestAborted);
            ctx.Response.ContentType = "application/grpc";
            await WriteMessageAsync(ctx.Response.Body, "hello, " + name, ctx.RequestAborted);
            ctx.Response.AppendTrailer("grpc-status", "0");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self.Url = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return self;
    }

    /// <summary>One length-prefixed gRPC message (flag byte, big-endian length, UTF-8 text).</summary>
    private static async Task<string> ReadMessageAsync(Stream body, CancellationToken ct)
    {
        var header = new byte[5];
        await body.ReadExactlyAsync(header, ct);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await body.ReadExactlyAsync(payload, ct);
        return System.Text.Encoding.UTF8.GetString(payload);
    }

    private static async Task WriteMessageAsync(Stream body, string text, CancellationToken ct)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        await body.WriteAsync(frame, ct);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
