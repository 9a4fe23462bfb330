using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters;

/// <summary>The route a filter is created for.</summary>
public sealed class FilterContext(RouteDefinition route)
{
    public RouteDefinition Route { get; } = route;
    public string RouteId => Route.Id;
}
