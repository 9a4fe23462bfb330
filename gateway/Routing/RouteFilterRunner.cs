using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Platform.Gateway.Filters.Headers;

namespace Platform.Gateway.Routing;

/// <summary>
/// Runs a matched route's filter chain and answers the request's own faults as 400 ProblemDetails instead of a 500:
/// a header value that a path or host variable made invalid (CR/LF, control or non-ASCII characters) and a filter
/// regex (RewritePath) that ran past <c>Gateway:RegexTimeout</c>. Both are raised before anything is written.
/// </summary>
internal sealed partial class RouteFilterRunner(ILogger<RouteFilterRunner> logger)
{
    public async Task InvokeAsync(CompiledRoute route, HttpContext context, RequestDelegate proxy)
    {
        try
        {
            await route.InvokeAsync(context, proxy);
        }
        catch (InvalidHeaderValueException ex) when (!context.Response.HasStarted)
        {
            LogInvalidHeader(logger, route.Id, ex.Header);
            await BadRequestAsync(context, ex.Message, new Dictionary<string, object?> { ["header"] = ex.Header });
        }
        catch (RegexMatchTimeoutException ex) when (!context.Response.HasStarted)
        {
            if (route.FirstRegexTimeout(inPredicate: false)) LogFilterTimeout(logger, route.Id, ex.MatchTimeout.TotalMilliseconds);
            await BadRequestAsync(context, $"path: a filter regex of route {route.Id} timed out after {ex.MatchTimeout.TotalMilliseconds:0} ms on this path",
                new Dictionary<string, object?> { ["limit"] = "Gateway:RegexTimeout" });
        }
    }

    private static Task BadRequestAsync(HttpContext context, string detail, Dictionary<string, object?> extensions)
    {
        context.Response.Clear();
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
            instance: context.Request.Path, extensions: extensions).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 9502, Level = LogLevel.Warning,
        Message = "route {RouteId}: a filter regex timed out after {TimeoutMs} ms (Gateway:RegexTimeout); answered 400 (logged once per route)")]
    private static partial void LogFilterTimeout(ILogger logger, string routeId, double timeoutMs);

    [LoggerMessage(EventId = 9504, Level = LogLevel.Debug, Message = "route {RouteId}: refused a request whose path made header {Header} invalid")]
    private static partial void LogInvalidHeader(ILogger logger, string routeId, string header);
}
