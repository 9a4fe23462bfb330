using Microsoft.Extensions.Options;

namespace Platform.Console.Gateway;

/// <summary>
/// Scrapes the gateways' <c>/metrics</c> (<see cref="ConsoleOptions.GatewayMetricsUrl"/>) every
/// <see cref="ConsoleOptions.GatewayScrapeSeconds"/> and keeps the per-route counters of the last minute, so the routes
/// page can show rates (a counter means something only as a difference between two scrapes). The gateway's metrics are
/// open, like every component's; the page shows a route's figures only on the rows the user could list.
/// </summary>
internal sealed partial class GatewayMetrics(IHttpClientFactory factory, IOptions<ConsoleOptions> options, TimeProvider time, ILogger<GatewayMetrics> logger)
    : BackgroundService
{
    public const string HttpClientName = "console-gateway-metrics";
    private static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, Dictionary<string, RouteCounters> Routes)> _samples = new();
    private string? _error;

    public bool Configured => Urls.Count > 0;
    public TimeSpan Interval => TimeSpan.FromSeconds(options.Value.GatewayScrapeSeconds);
    /// <summary>Rates are taken over this much history: a minute, or three scrapes when they are further apart.</summary>
    public TimeSpan Window => Interval * 3 > MinWindow ? Interval * 3 : MinWindow;

    private IReadOnlyList<string> Urls => (options.Value.GatewayMetricsUrl ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Configured) return;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await ScrapeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One scrape of every replica, summed. A failed scrape is logged and shown on the page; the next one tries again.</summary>
    internal async Task ScrapeAsync(CancellationToken ct)
    {
        var samples = new List<PrometheusSample>();
        try
        {
            var http = factory.CreateClient(HttpClientName);
            foreach (var url in Urls)
                samples.AddRange(PrometheusText.Parse(await http.GetStringAsync(url, ct), RouteCounters.Wanted));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogScrapeFailed(logger, ex.Message);
            lock (_lock) _error = "the gateway's metrics cannot be read: " + ex.Message;
            return;
        }
        var now = time.GetUtcNow();
        var routes = RouteCounters.From(samples);
        lock (_lock)
        {
            _error = null;
            _samples.Enqueue((now, routes));
            // Keep one sample older than the window, so a full window is always available.
            while (_samples.Count > 2 && _samples.ElementAt(1).At <= now - Window) _samples.Dequeue();
        }
    }

    /// <summary>Figures per route id between the newest scrape and the oldest within the window; the last scrape's error, if any.</summary>
    public (IReadOnlyDictionary<string, RouteFigures> Figures, string? Error) Snapshot()
    {
        lock (_lock)
        {
            if (_samples.Count == 0) return (new Dictionary<string, RouteFigures>(), _error ?? (Configured ? "no scrape of the gateway's metrics yet" : null));
            var all = _samples.ToList();
            var newest = all[^1];
            var earlier = all[..^1];
            // The oldest scrape inside the window; failing that (scrapes further apart than the window), the one before the newest.
            var oldest = earlier.Count == 0 ? default : earlier.FirstOrDefault(s => s.At >= newest.At - Window, earlier[^1]);
            var window = oldest.Routes is null ? TimeSpan.Zero : newest.At - oldest.At;
            var zero = new RouteCounters(0, 0, [], 0, 0);
            var figures = newest.Routes.ToDictionary(r => r.Key,
                r => RouteFigures.Between(oldest.Routes is null ? null : oldest.Routes.GetValueOrDefault(r.Key, zero), r.Value, window), StringComparer.Ordinal);
            return (figures, _error);
        }
    }

    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning, Message = "the gateway's metrics cannot be read: {Reason}")]
    private static partial void LogScrapeFailed(ILogger logger, string reason);
}
