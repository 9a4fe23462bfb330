using System.Buffers.Binary;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Tests.Filters.Grpc;

/// <summary>
/// A gRPC server on 127.0.0.1 speaking HTTP/2 cleartext only, written by hand against the wire format (so it checks the
/// gateway's encoding with Google.Protobuf's own reader, not the converter under test): Spring's
/// <c>HelloService/hello</c>, <c>platform.test.Types/Echo</c> (the request message back, kept in
/// <see cref="LastMessage"/>) and <c>platform.test.Types/Fail</c> (NOT_FOUND with a message) and <c>Slow</c> (never answers).
/// </summary>
internal sealed class GrpcBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private GrpcBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";
    public int Port => new Uri(Url).Port;
    public string? LastProtocol { get; private set; }
    public string? LastContentType { get; private set; }
    public string? LastTe { get; private set; }
    public byte[]? LastMessage { get; private set; }
    private readonly TaskCompletionSource<string?> _slowGrpcTimeout = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The <c>grpc-timeout</c> header of the first call to <c>Slow</c>, once that call has reached the handler.</summary>
    public Task<string?> SlowGrpcTimeout => _slowGrpcTimeout.Task;
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<GrpcBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var self = new GrpcBackend(app);
        app.MapPost("/HelloService/hello", async ctx =>
        {
            var input = new CodedInputStream(await self.ReadAsync(ctx));
            string first = "", last = "";
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: first = input.ReadString(); break;
                    case 2: last = input.ReadString(); break;
                    default: input.SkipLastField(); break;
                }
            }
            using var reply = new MemoryStream();
            var output = new CodedOutputStream(reply);
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString($"Hello, {first} {last}");
            output.Flush();
            await WriteAsync(ctx, reply.ToArray());
        });
        app.MapPost("/platform.test.Types/Echo", async ctx => await WriteAsync(ctx, await self.ReadAsync(ctx)));
        app.MapPost("/platform.test.Types/Slow", async ctx =>
        {
            self._slowGrpcTimeout.TrySetResult(ctx.Request.Headers["grpc-timeout"]);
            await self.ReadAsync(ctx);
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        app.MapPost("/platform.test.Types/Fail", async ctx =>
        {
            await self.ReadAsync(ctx);
            ctx.Response.ContentType = "application/grpc";
            ctx.Response.AppendTrailer("grpc-status", "5");
            ctx.Response.AppendTrailer("grpc-message", Uri.EscapeDataString("no order 42 (été)"));
        });
        await app.StartAsync();
        self.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return self;
    }

    private async Task<byte[]> ReadAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref _calls);
        LastProtocol = ctx.Request.Protocol;
        LastContentType = ctx.Request.ContentType;
        LastTe = ctx.Request.Headers.TE;
        var header = new byte[5];
        await ctx.Request.Body.ReadExactlyAsync(header, ctx.RequestAborted);
        var message = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await ctx.Request.Body.ReadExactlyAsync(message, ctx.RequestAborted);
        LastMessage = message;
        return message;
    }

    private static async Task WriteAsync(HttpContext ctx, byte[] message)
    {
        ctx.Response.ContentType = "application/grpc";
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        await ctx.Response.Body.WriteAsync(frame, ctx.RequestAborted);
        ctx.Response.AppendTrailer("grpc-status", "0");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
