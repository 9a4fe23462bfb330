using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Filters.Samples;

/// <summary>
/// The seed's <c>GlobalFilter</c>, used as a <c>default-filters</c> entry with <c>baseMessage</c>, <c>preLogger</c>
/// and <c>postLogger</c>: it wraps every route's own filters, so its end line comes after theirs.
/// </summary>
public sealed partial class GlobalFilter(ILogger<GlobalFilter> logger) : GatewayFilterFactory<LoggerConfig>
{
    protected override IGatewayFilter Apply(LoggerConfig config, FilterContext context) => new DelegateGatewayFilter(async (ctx, next) =>
    {
        LogBase(logger, config.BaseMessage ?? "");
        if (config.PreLogger) LogStart(logger, ctx.TraceIdentifier);
        await next(ctx);
        if (config.PostLogger) LogEnd(logger, ctx.Response.StatusCode);
    });

    [LoggerMessage(EventId = 9111, Level = LogLevel.Information, Message = "Global Filter baseMessage : request id -> {BaseMessage}")]
    private static partial void LogBase(ILogger logger, string baseMessage);

    [LoggerMessage(EventId = 9112, Level = LogLevel.Information, Message = "Global Filter Start: request id -> {RequestId}")]
    private static partial void LogStart(ILogger logger, string requestId);

    [LoggerMessage(EventId = 9113, Level = LogLevel.Information, Message = "Global Filter end: response code -> {StatusCode}")]
    private static partial void LogEnd(ILogger logger, int statusCode);
}
