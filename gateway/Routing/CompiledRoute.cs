using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Predicates;

namespace Platform.Gateway.Routing;

/// <summary>A route ready to serve: its predicates, its filter chain (global and route filters in order) and upstream.</summary>
public sealed class CompiledRoute
{
    internal CompiledRoute(RouteDefinition definition, RoutePredicate[] predicates, IGatewayFilter[] filters, Upstream upstream)
    {
        Definition = definition;
        Predicates = predicates;
        Filters = filters;
        Upstream = upstream;
    }

    public string Id => Definition.Id;
    public RouteDefinition Definition { get; }
    internal RoutePredicate[] Predicates { get; }
    internal IGatewayFilter[] Filters { get; }
    public Upstream Upstream { get; }

    public bool Matches(HttpContext context)
    {
        foreach (var p in Predicates)
        {
            if (!p(context))
            {
                GatewayRequestState.Find(context)?.UriVariables.Clear();
                return false;
            }
        }
        return true;
    }

    /// <summary>Runs the filter chain; <paramref name="proxy"/> (YARP's load balancing and forwarder) is its end.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate proxy) => Invoke(context, 0, proxy);

    private Task Invoke(HttpContext context, int index, RequestDelegate proxy) =>
        index == Filters.Length
            ? proxy(context)
            : Filters[index].InvokeAsync(context, c => Invoke(c, index + 1, proxy));
}
