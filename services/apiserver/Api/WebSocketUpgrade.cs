using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Platform.ApiServer.Api;

/// <summary>
/// The server side of the RFC 6455 opening handshake, done by hand for subprotocols ASP.NET refuses to name: kubectl's
/// <c>SPDY/3.1+portforward.k8s.io</c> has a <c>/</c>, which is not a token character, so <c>AcceptWebSocketAsync</c>
/// (and <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>'s <c>SubProtocol</c>) rejects it.
/// Go's gorilla/websocket, kubectl's, sends and checks it as is.
/// </summary>
internal static class WebSocketUpgrade
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static bool IsWebSocketRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) &&
        request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase) &&
        request.Headers.Connection.ToString().Contains("upgrade", StringComparison.OrdinalIgnoreCase) &&
        request.HttpContext.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true };

    /// <summary>The subprotocols the client offers, in its order.</summary>
    public static IReadOnlyList<string> RequestedProtocols(HttpRequest request) =>
        [.. request.Headers.SecWebSocketProtocol.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>Answers 101 naming <paramref name="subProtocol"/>; null when the handshake's key or version is wrong.</summary>
    public static async Task<WebSocket?> AcceptAsync(HttpContext ctx, string subProtocol, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout)
    {
        var key = ctx.Request.Headers.SecWebSocketKey.ToString();
        if (ctx.Request.Headers.SecWebSocketVersion.ToString() != "13" || !IsKey(key)) return null;
        ctx.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the accept value; it only shows the server read the handshake
        ctx.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350
        ctx.Response.Headers.SecWebSocketProtocol = subProtocol;
        var stream = await ctx.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = keepAliveInterval,
            KeepAliveTimeout = keepAliveTimeout,
        });
    }

    private static bool IsKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(key, decoded, out var n) && n == 16;
    }
}
