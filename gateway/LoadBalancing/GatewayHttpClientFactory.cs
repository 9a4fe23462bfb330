using System.Globalization;
using System.Net.Http;
using Platform.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.LoadBalancing;

/// <summary>YARP's client factory plus the route's <c>connect-timeout</c> metadata (carried on its cluster).</summary>
internal sealed class GatewayHttpClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (context.NewMetadata?.TryGetValue(GatewayRuntime.ConnectTimeoutMetadata, out var ms) == true
            && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            handler.ConnectTimeout = TimeSpan.FromMilliseconds(v);
        }
    }
}
