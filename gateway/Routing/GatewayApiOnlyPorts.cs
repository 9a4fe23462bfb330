using System.Collections.Frozen;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Routing;

/// <summary>
/// Local ports bound for Gateway listeners (beside the gateway's own 8080/8443): only routes made from HTTPRoutes answer
/// there, so a Route resource or an Ingress does not leak onto a Gateway's port. Read by <see cref="GatewayMatcherPolicy"/>
/// once per request.
/// </summary>
internal sealed class GatewayApiOnlyPorts
{
    private volatile FrozenSet<int> _ports = FrozenSet<int>.Empty;

    public void Set(IEnumerable<int> ports) => _ports = ports.ToFrozenSet();

    public bool Contains(int localPort) => _ports.Contains(localPort);

    /// <summary>Whether <paramref name="route"/> may answer; <paramref name="gatewayApiOnly"/>: the connection came in on such a port.</summary>
    public static bool Serves(CompiledRoute route, bool gatewayApiOnly) =>
        !gatewayApiOnly || route.Definition.Source == RouteSources.GatewayApi;
}
