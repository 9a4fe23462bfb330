using Microsoft.Extensions.Logging;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Destination;

/// <summary>
/// <c>SetRequestUri=http://{appId}.example.com</c> (<c>template</c>, with the route's <c>{variables}</c>): the request
/// goes to that URL instead of the route's <c>uri</c> (often <c>no://op</c>). Without a path in the template, the
/// request's path and query are kept; with one, the template is the whole URL. A template that does not expand to an
/// absolute http(s) URL leaves the route's URL in place, logged (Spring's behaviour).
/// </summary>
internal sealed partial class SetRequestUriGatewayFilterFactory(ILogger<SetRequestUriGatewayFilterFactory> logger) : BuiltInFilterFactory(FilterSchemas.SetRequestUri)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var template = args.FindAny("template", "uri") ?? throw new GatewayArgumentException("template", "required");
        if (!template.Contains('{', StringComparison.Ordinal) && RequestUriFilters.Parse(template) is null)
            throw new GatewayArgumentException("template", $"'{template}' is not an absolute http(s) URL");
        var routeId = context.RouteId;
        return DelegateGatewayFilter.Pre(ctx =>
        {
            var state = GatewayRequestState.Of(ctx);
            var url = state.Expand(template);
            if (RequestUriFilters.Parse(url) is { } uri) state.RequestUri = uri;
            else LogInvalid(logger, routeId, url);
        });
    }

    [LoggerMessage(EventId = 9510, Level = LogLevel.Information, Message = "route {RouteId}: SetRequestUri expanded to '{Url}', not an absolute http(s) URL; the route's URL is kept")]
    private static partial void LogInvalid(ILogger logger, string routeId, string url);
}
