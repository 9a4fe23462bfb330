using Microsoft.AspNetCore.Http.Features;
using Platform.Gateway.Predicates;

namespace Platform.Gateway.GatewayApi.Listeners;

/// <summary>
/// <c>GatewayListener=HTTP/80,HTTPS/443</c>: the request came in through one of these Gateway listeners (protocol and
/// listener port), that is on the local port the listener port is served on (<see cref="GatewayListenerPorts"/>), over
/// TLS for HTTPS. HTTPRoutes get it so they answer only on their listeners' ports. The gateway's own, not a Route
/// resource's: it has no shared schema.
/// </summary>
internal sealed class GatewayListenerRoutePredicateFactory(GatewayListenerPorts ports) : IRoutePredicateFactory
{
    public const string PredicateName = "GatewayListener";

    public string Name => PredicateName;
    public IReadOnlyList<string> ShortcutFields { get; } = ["listeners"];
    public ShortcutType ShortcutType => ShortcutType.GatherList;

    public RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var listeners = args.List("listeners").Select(Parse).ToArray();
        // Per request: an int compare per listener, no allocation.
        return ctx =>
        {
            var local = ctx.Connection.LocalPort;
            var tls = ctx.Features.Get<ITlsConnectionFeature>() is not null;
            foreach (var (https, target) in listeners)
                if (https == tls && ports.LocalPort(target) == local) return true;
            return false;
        };
    }

    private (bool Https, ListenerTarget Target) Parse(string listener)
    {
        var slash = listener.IndexOf('/');
        var protocol = slash < 0 ? "" : listener[..slash];
        if (protocol is not ("HTTP" or "HTTPS") || !int.TryParse(listener.AsSpan(slash + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new GatewayArgumentException("listeners", $"'{listener}' is not PROTOCOL/port (HTTP/80, HTTPS/443)");
        return (protocol == "HTTPS", ports.TargetOf(port));
    }
}
