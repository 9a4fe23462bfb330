using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Filters.Samples;

/// <summary>
/// The seed's <c>CustomFilter</c> (a route filter with an empty config): logs the request id before the upstream
/// call and the response code after it. A sample of <see cref="GatewayFilterFactory{TConfig}"/>.
/// </summary>
public sealed partial class CustomFilter(ILogger<CustomFilter> logger) : GatewayFilterFactory<CustomFilter.Config>
{
    protected override IGatewayFilter Apply(Config config, FilterContext context) => new DelegateGatewayFilter(async (ctx, next) =>
    {
        LogPre(logger, ctx.TraceIdentifier);
        await next(ctx);
        LogPost(logger, ctx.Response.StatusCode);
    });

    public sealed class Config;

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Custom PRE filter : request id -> {RequestId}")]
    private static partial void LogPre(ILogger logger, string requestId);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Custom POST filter : response code -> {StatusCode}")]
    private static partial void LogPost(ILogger logger, int statusCode);
}
