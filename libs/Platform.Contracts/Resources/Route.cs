using Platform.Contracts.Routing;

namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: gateway.platform.io/v1</c>, <c>kind: Route</c>: a gateway route (predicates, filters, uri, order).</summary>
public sealed record Route : Resource
{
    public RouteSpec? Spec { get; init; }
    /// <summary>Written by the gateway through the status subresource: whether it accepted, resolved and serves the route.</summary>
    public RouteStatus? Status { get; init; }
}
