using Platform.Contracts.Resources;

namespace Platform.ApiServer.CustomMetrics;

/// <summary>An object a metric describes: the resource (<c>pods</c>, <c>routes.gateway.platform.io</c>), its namespace and name.</summary>
internal readonly record struct DescribedObject(string Resource, string Namespace, string Name);

/// <summary>A metric's value for one object, summed over its series and the sources that report it.</summary>
internal sealed record MetricReading(DescribedObject Object, double Value, DateTimeOffset Timestamp, TimeSpan? Window);

/// <summary>One scrape of one source, its samples indexed by series (name and labels).</summary>
internal sealed class Scrape(DateTimeOffset at, IReadOnlyList<PrometheusSample> samples)
{
    public DateTimeOffset At { get; } = at;
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;
    public Dictionary<string, double> BySeries { get; } = samples.GroupBy(SeriesKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    public static string SeriesKey(PrometheusSample s) =>
        s.Name + "{" + string.Join(",", s.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value.Replace("\\", "\\\\").Replace(",", "\\,"))) + "}";
}

/// <summary>
/// The scrapes of one source within the rate window, oldest first, and what they say about a metric: a gauge's
/// latest value, or for <c>X_per_second</c> the rate of the counter <c>X_total</c> over the window (counter resets
/// counted as Prometheus' <c>rate</c> counts them). A source is a pod's own endpoint (every series describes that
/// pod) or a static target (the series' labels name the object).
/// </summary>
internal sealed class ScrapeHistory(DescribedObject? pod)
{
    public const string RateSuffix = "_per_second";
    private const string CounterSuffix = "_total";

    private readonly List<Scrape> _scrapes = [];
    private readonly Lock _lock = new();

    public DescribedObject? Pod { get; } = pod;

    public DateTimeOffset? LastScrape { get { lock (_lock) return _scrapes.Count == 0 ? null : _scrapes[^1].At; } }

    public void Add(Scrape scrape, TimeSpan window)
    {
        lock (_lock)
        {
            _scrapes.Add(scrape);
            // Keep one scrape older than the window: the rate spans the whole window once the history is that long.
            while (_scrapes.Count > 2 && _scrapes[1].At < scrape.At - window) _scrapes.RemoveAt(0);
        }
    }

    /// <summary>The metric names this source serves (counters as their <c>_per_second</c> rate) and the resources they describe.</summary>
    public IEnumerable<(string Resource, string Metric)> Metrics()
    {
        Scrape? last;
        lock (_lock) last = _scrapes.Count == 0 ? null : _scrapes[^1];
        foreach (var s in last?.Samples ?? [])
        {
            if (s.Name.EndsWith("_bucket", StringComparison.Ordinal)) continue;
            var name = s.Name.EndsWith(CounterSuffix, StringComparison.Ordinal) ? s.Name[..^CounterSuffix.Length] + RateSuffix : s.Name;
            if (Pod is { } pod) yield return (pod.Resource, name);
            else
                foreach (var o in SeriesObjects.All(s.Labels)) yield return (o.Resource, name);
        }
    }

    /// <summary>The metric's value for each object of <paramref name="resource"/> the filter accepts, summed over matching series.</summary>
    public IEnumerable<MetricReading> Read(string metric, ResourceKind kind, Func<DescribedObject, bool> accept, Func<IReadOnlyDictionary<string, string>, bool> seriesFilter)
    {
        Scrape[] scrapes;
        lock (_lock) scrapes = [.. _scrapes];
        if (scrapes.Length == 0) yield break;
        var rate = metric.EndsWith(RateSuffix, StringComparison.Ordinal);
        var series = rate ? metric[..^RateSuffix.Length] + CounterSuffix : metric;
        var last = scrapes[^1];
        var sums = new Dictionary<DescribedObject, (double Value, TimeSpan? Window)>();
        foreach (var sample in last.Samples)
        {
            if (sample.Name != series || !seriesFilter(sample.Labels)) continue;
            if ((Pod ?? SeriesObjects.Find(sample.Labels, kind)) is not { } target || target.Resource != SeriesObjects.ResourceName(kind) || !accept(target)) continue;
            var (value, span) = rate ? Rate(scrapes, sample) : (sample.Value, null);
            if (value is not { } v || double.IsNaN(v) || double.IsInfinity(v)) continue;
            var sum = sums.GetValueOrDefault(target);
            // The window is the longest span any summed series' rate was taken over.
            sums[target] = (sum.Value + v, sum.Window is { } w && w > span ? w : span);
        }
        foreach (var (target, (value, window)) in sums) yield return new MetricReading(target, value, last.At, window);
    }

    /// <summary>
    /// The per-second increase of the series over the scrapes and the span it was taken over (from the first scrape
    /// holding the series), or a null value with fewer than two readings of it.
    /// </summary>
    private static (double? Value, TimeSpan? Span) Rate(Scrape[] scrapes, PrometheusSample current)
    {
        var key = Scrape.SeriesKey(current);
        double? previous = null;
        double increase = 0;
        DateTimeOffset? first = null;
        foreach (var scrape in scrapes)
        {
            if (!scrape.BySeries.TryGetValue(key, out var value)) continue;
            if (previous is { } p) increase += value >= p ? value - p : value;
            else first = scrape.At;
            previous = value;
        }
        var span = scrapes[^1].At - (first ?? scrapes[^1].At);
        return span > TimeSpan.Zero ? (increase / span.TotalSeconds, span) : (null, null);
    }
}
