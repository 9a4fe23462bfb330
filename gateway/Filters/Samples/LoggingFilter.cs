using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Filters.Samples;

/// <summary>The course's <c>LoggingFilter</c>: like GlobalFilter, as a route filter with <c>baseMessage</c>/<c>preLogger</c>/<c>postLogger</c>.</summary>
public sealed partial class LoggingFilter(ILogger<LoggingFilter> logger) : GatewayFilterFactory<LoggerConfig>
{
    protected override IGatewayFilter Apply(LoggerConfig config, FilterContext context) => new DelegateGatewayFilter(async (ctx, next) =>
    {
        LogBase(logger, config.BaseMessage ?? "");
        if (config.PreLogger) LogStart(logger, ctx.TraceIdentifier);
        await next(ctx);
        if (config.PostLogger) LogEnd(logger, ctx.Response.StatusCode);
    });

    [LoggerMessage(EventId = 9121, Level = LogLevel.Information, Message = "Logging Filter baseMessage: {BaseMessage}")]
    private static partial void LogBase(ILogger logger, string baseMessage);

    [LoggerMessage(EventId = 9122, Level = LogLevel.Information, Message = "Logging PRE Filter: request id -> {RequestId}")]
    private static partial void LogStart(ILogger logger, string requestId);

    [LoggerMessage(EventId = 9123, Level = LogLevel.Information, Message = "Logging POST Filter: response code -> {StatusCode}")]
    private static partial void LogEnd(ILogger logger, int statusCode);
}
