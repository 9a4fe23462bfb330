using System.Globalization;
using System.Net.Http;
using System.Text;
using Platform.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.LoadBalancing;

/// <summary>YARP's client factory plus the route's <c>connect-timeout</c> metadata (carried on its cluster).</summary>
internal sealed class GatewayHttpClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        // Kestrel decodes request header values as UTF-8; forward them the same way instead of failing the request
        // (a 502) on the first non-ASCII character a client sent.
        handler.RequestHeaderEncodingSelector ??= (_, _) => Encoding.UTF8;
        if (context.NewMetadata?.TryGetValue(GatewayRuntime.ConnectTimeoutMetadata, out var ms) == true
            && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            handler.ConnectTimeout = TimeSpan.FromMilliseconds(v);
        }
    }
}
