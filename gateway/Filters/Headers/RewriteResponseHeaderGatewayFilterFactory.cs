using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// <c>RewriteResponseHeader=X-Response-Red, password=[^&amp;]+, password=***</c>. The rewrite often redacts, so a
/// value whose match runs past <c>Gateway:RegexTimeout</c> is removed rather than passed on unrewritten.
/// </summary>
internal sealed partial class RewriteResponseHeaderGatewayFilterFactory(ILogger<RewriteResponseHeaderGatewayFilterFactory> logger) : BuiltInFilterFactory(FilterSchemas.RewriteResponseHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var regex = SpringRegex.Create(args, "regexp", context.RegexTimeout);
        var replacement = SpringRegex.Replacement(args.Find("replacement") ?? "");
        var routeId = context.RouteId;
        var logged = 0;
        return DelegateGatewayFilter.OnResponse(ctx =>
        {
            if (!ctx.Response.Headers.TryGetValue(name, out var values)) return;
            try
            {
                ctx.Response.Headers[name] = new StringValues(values.Select(v => v is null ? v : regex.Replace(v, replacement)).ToArray());
            }
            catch (RegexMatchTimeoutException ex)
            {
                ctx.Response.Headers.Remove(name);
                if (Interlocked.Exchange(ref logged, 1) == 0) LogTimeout(logger, routeId, name, ex.MatchTimeout.TotalMilliseconds);
            }
        });
    }

    [LoggerMessage(EventId = 9503, Level = LogLevel.Warning,
        Message = "route {RouteId}: RewriteResponseHeader regex on {Header} timed out after {TimeoutMs} ms (Gateway:RegexTimeout); header removed (logged once per route)")]
    private static partial void LogTimeout(ILogger logger, string routeId, string header, double timeoutMs);
}
