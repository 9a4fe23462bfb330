using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Platform.Gateway.Routing;
using Prometheus;

namespace Platform.Gateway.Filters;

/// <summary>
/// Runs first around every route: per-route request count by status, latency histogram (on <c>/metrics</c>) and one
/// access-log line per request (category <c>Platform.Gateway.AccessLog</c>, so it can be turned down alone).
/// </summary>
internal sealed partial class RouteMetricsFilter(ILoggerFactory loggers) : IGlobalFilter
{
    private static readonly Counter Requests = Metrics.CreateCounter("gateway_route_requests_total",
        "Requests served per gateway route", new CounterConfiguration { LabelNames = ["route", "method", "status"] });
    private static readonly Histogram Duration = Metrics.CreateHistogram("gateway_route_request_duration_seconds",
        "Time from the gateway's first filter to the end of the response, per route",
        new HistogramConfiguration { LabelNames = ["route"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });

    private readonly ILogger _access = loggers.CreateLogger("Platform.Gateway.AccessLog");
    // Label lookups are the costly part of a metric update; each series is looked up once.
    private readonly ConcurrentDictionary<(string Route, string Method, int Status), Counter.Child> _counters = new();
    private readonly ConcurrentDictionary<string, Histogram.Child> _durations = new(StringComparer.Ordinal);

    private static readonly HashSet<string> KnownMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"];

    public int Order => int.MinValue;

    public async Task InvokeAsync(HttpContext context, GatewayDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        var route = GatewayRequestState.Find(context)?.Route?.Id ?? "";
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            var status = context.Response.StatusCode;
            // Any string is a valid method on the wire; unknown ones share a series so clients cannot grow the label set.
            var method = HttpMethods.GetCanonicalizedValue(context.Request.Method) is var m && KnownMethods.Contains(m) ? m : "OTHER";
            if (!_counters.TryGetValue((route, method, status), out var counter))
                counter = _counters.GetOrAdd((route, method, status), k => Requests.WithLabels(k.Route, k.Method, k.Status.ToString(CultureInfo.InvariantCulture)));
            counter.Inc();
            if (!_durations.TryGetValue(route, out var histogram)) histogram = _durations.GetOrAdd(route, r => Duration.WithLabels(r));
            histogram.Observe(elapsed.TotalSeconds);
            if (_access.IsEnabled(LogLevel.Information))
                LogAccess(_access, context.Request.Method, context.Request.Path.Value ?? "", route, status, elapsed.TotalMilliseconds,
                    context.Connection.RemoteIpAddress?.ToString() ?? "");
        }
    }

    [LoggerMessage(EventId = 9300, Level = LogLevel.Information, Message = "{Method} {Path} route={Route} status={Status} {ElapsedMs:0.###}ms client={Client}")]
    private static partial void LogAccess(ILogger logger, string method, string path, string route, int status, double elapsedMs, string client);
}
