using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters;

/// <summary>The route a filter is created for.</summary>
public sealed class FilterContext(RouteDefinition route, TimeSpan? regexTimeout = null)
{
    /// <summary><c>Gateway:RegexTimeout</c>, for every regex the filter builds.</summary>
    public TimeSpan RegexTimeout { get; } = regexTimeout ?? GatewayOptions.DefaultRegexTimeout;

    public RouteDefinition Route { get; } = route;
    public string RouteId => Route.Id;
}
