using Platform.Contracts.Registry;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;

namespace Platform.Gateway.Routing;

/// <summary>
/// A namespaced route's <c>lb://NAME</c> through the EndpointSlices of Service NAME (<see cref="ServiceEndpoints"/>),
/// the registry when no such Service exists; slice changes republish the clusters as registry changes do.
/// </summary>
public sealed partial class GatewayRuntime
{
    private ServiceEndpoints? _endpoints;

    internal void UseEndpoints(ServiceEndpoints endpoints) => Volatile.Write(ref _endpoints, endpoints);

    /// <summary>Services or EndpointSlices changed: the same clusters, with the destinations they have now.</summary>
    internal void EndpointsChanged()
    {
        lock (_gate)
        {
            try { Publish(_compiled, _conflicts, "endpoints"); }
            catch (RouteDefinitionException ex) { LogRejected(_logger, ex.Message); }
        }
    }

    /// <summary>The Service's ready endpoints, or null to ask the registry (no Service of that name, or no slices followed).</summary>
    private IReadOnlyList<(string Id, string Address)>? ServiceDestinations(Upstream upstream) =>
        upstream.Service is { } service && Volatile.Read(ref _endpoints) is { } endpoints ? endpoints.Resolve(service, upstream.Port, upstream.Grantee) : null;

    /// <summary>
    /// Why a namespaced route's backend cannot be reached, or null: its Service has no such port, or there is neither
    /// a Service nor a registry application of that name (asked only once <paramref name="registryLoaded"/>: before the
    /// registry's first fetch every application looks missing).
    /// </summary>
    internal string? BackendProblem(RouteDefinition route, bool registryLoaded)
    {
        if (route.Namespace is not { } ns || !Uri.TryCreate(route.Uri, UriKind.Absolute, out var uri) || uri.Scheme != "lb") return null;
        if (ServiceApplication.Resolve(uri.Host, ns) is not { } service || Volatile.Read(ref _endpoints) is not { } endpoints) return null;
        if (endpoints.Find(service) is { } svc)
        {
            return ServiceEndpoints.PortOf(svc, route.BackendPort) is null
                ? $"service \"{service.Service}\" in namespace \"{service.Namespace}\" has no port {Describe(route.BackendPort)}; answering 503"
                : null;
        }
        return registryLoaded && _registry.GetInstances(service.Application).Count == 0
            ? $"service \"{service.Service}\" not found in namespace \"{service.Namespace}\"; answering 503"
            : null;
    }

    private static string Describe(string? port) =>
        port is null ? "at all" : port.All(char.IsAsciiDigit) ? port : $"named \"{port}\"";
}
