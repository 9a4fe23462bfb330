using Microsoft.Extensions.Logging;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Destination;

/// <summary>
/// <c>RequestHeaderToRequestUri=X-CF-Forwarded-Url</c> (<c>name</c>): a request carrying that header with an absolute
/// http(s) URL is sent to that URL (path and query included); without it, or with an invalid one, to the route's.
/// Whoever sends the header picks the destination: only for routes behind something that sets or strips it.
/// </summary>
internal sealed partial class RequestHeaderToRequestUriGatewayFilterFactory(ILogger<RequestHeaderToRequestUriGatewayFilterFactory> logger) : BuiltInFilterFactory(FilterSchemas.RequestHeaderToRequestUri)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var routeId = context.RouteId;
        return DelegateGatewayFilter.Pre(ctx =>
        {
            if (!ctx.Request.Headers.TryGetValue(name, out var values) || values.Count == 0) return;
            if (RequestUriFilters.Parse(values[0]) is { } uri) GatewayRequestState.Of(ctx).RequestUri = uri;
            else LogInvalid(logger, routeId, name);
        });
    }

    [LoggerMessage(EventId = 9511, Level = LogLevel.Information, Message = "route {RouteId}: header {Header} is not an absolute http(s) URL; the route's URL is kept")]
    private static partial void LogInvalid(ILogger logger, string routeId, string header);
}
