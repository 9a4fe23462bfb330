using Platform.Contracts.Routing;

namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: gateway.platform.io/v1</c>, <c>kind: Route</c>: a gateway route (predicates, filters, uri, order).</summary>
public sealed record Route : Resource
{
    public RouteSpec? Spec { get; init; }
}
