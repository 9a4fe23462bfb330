using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Platform.ApiServer.CustomMetrics;

/// <summary>A pod's own Prometheus endpoint, from its <c>prometheus.io/*</c> annotations and address.</summary>
internal sealed record PodTarget(DescribedObject Pod, string Uid, Uri Url);

/// <summary>
/// Scrapes the configured targets every <see cref="CustomMetricsOptions.ScrapeInterval"/>, and the pods an autoscaler
/// asked about within <see cref="CustomMetricsOptions.PodInterest"/>, keeping each source's scrapes of the rate
/// window. A request may also scrape a source now when its last scrape is older than the interval, so the first
/// question about a gauge is answered at once (a rate needs two scrapes). A failed scrape keeps the older ones.
/// </summary>
internal sealed partial class MetricScraper(IOptions<CustomMetricsOptions> options, TimeProvider time, ILogger<MetricScraper> logger) : BackgroundService
{
    private readonly CustomMetricsOptions _options = options.Value;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) })
    {
        Timeout = options.Value.ScrapeTimeout,
        MaxResponseContentBufferSize = options.Value.MaxResponseBytes,
    };
    private readonly ConcurrentDictionary<string, Source> _sources = new(StringComparer.Ordinal);

    private sealed class Source(Uri url, ScrapeHistory history)
    {
        public Uri Url { get; set; } = url;
        public ScrapeHistory History { get; } = history;
        public DateTimeOffset LastAsked { get; set; }
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    /// <summary>The histories of the static targets.</summary>
    public IEnumerable<ScrapeHistory> Targets => _options.Targets.Select(t => Target(t).History);

    /// <summary>The histories of every source: targets and pods of interest.</summary>
    public IEnumerable<ScrapeHistory> All => Targets.Concat(_sources.Where(kv => kv.Key.StartsWith("pod:", StringComparison.Ordinal)).Select(kv => kv.Value.History));

    /// <summary>Makes sure every target has a scrape no older than the interval.</summary>
    public Task RefreshTargetsAsync(CancellationToken ct) => Task.WhenAll(_options.Targets.Select(t => FreshAsync(Target(t), ct)));

    /// <summary>The pods' histories, scraped now when stale; asking keeps them scraped for <see cref="CustomMetricsOptions.PodInterest"/>.</summary>
    public async Task<IReadOnlyList<ScrapeHistory>> PodsAsync(IReadOnlyList<PodTarget> pods, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sources = pods.Select(p =>
        {
            var source = _sources.GetOrAdd($"pod:{p.Pod.Namespace}/{p.Pod.Name}/{p.Uid}", _ => new Source(p.Url, new ScrapeHistory(p.Pod)));
            source.Url = p.Url;
            source.LastAsked = now;
            return source;
        }).ToList();
        await Task.WhenAll(sources.Select(s => FreshAsync(s, ct)));
        return [.. sources.Select(s => s.History)];
    }

    private Source Target(string url) => _sources.GetOrAdd("target:" + url, u => new Source(new Uri(url), new ScrapeHistory(null)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ScrapeInterval, time);
        do
        {
            var now = time.GetUtcNow();
            foreach (var (key, source) in _sources)
                if (key.StartsWith("pod:", StringComparison.Ordinal) && now - source.LastAsked > _options.PodInterest) _sources.TryRemove(key, out _);
            var due = _options.Targets.Select(Target).Concat(_sources.Where(kv => kv.Key.StartsWith("pod:", StringComparison.Ordinal)).Select(kv => kv.Value));
            await Task.WhenAll(due.Select(s => ScrapeAsync(s, stoppingToken)));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task FreshAsync(Source source, CancellationToken ct)
    {
        if (source.History.LastScrape is { } last && time.GetUtcNow() - last < _options.ScrapeInterval) return;
        await ScrapeAsync(source, ct);
    }

    private async Task ScrapeAsync(Source source, CancellationToken ct)
    {
        await source.Gate.WaitAsync(ct);
        try
        {
            // Another caller may have scraped while this one waited.
            if (source.History.LastScrape is { } last && time.GetUtcNow() - last < _options.ScrapeInterval / 2) return;
            using var request = new HttpRequestMessage(HttpMethod.Get, source.Url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
            using var response = await _http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            var text = await response.Content.ReadAsStringAsync(ct);
            source.History.Add(new Scrape(time.GetUtcNow(), PrometheusText.Parse(text)), _options.RateWindow);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            LogScrapeFailed(logger, source.Url.GetLeftPart(UriPartial.Path), ex.Message);
        }
        finally
        {
            source.Gate.Release();
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 7400, Level = LogLevel.Debug, Message = "Scraping {Url} failed: {Reason}")]
    private static partial void LogScrapeFailed(ILogger logger, string url, string reason);
}
