namespace Platform.Console.Gateway;

/// <summary>
/// What the routes page shows for a route: requests so far, and over the window between two scrapes the request rate,
/// the share answered 5xx and the latency percentiles (read from the histogram's buckets, so each is the upper bound of
/// the bucket the percentile falls in, as Prometheus' <c>histogram_quantile</c> would bound it). Null where the window
/// saw no request.
/// </summary>
internal sealed record RouteFigures(double Requests, double? RatePerSecond, double? ErrorRatio, double? P50Seconds, double? P99Seconds, TimeSpan Window)
{
    public static RouteFigures Between(RouteCounters? older, RouteCounters newer, TimeSpan window)
    {
        var requests = newer.Requests - (older?.Requests ?? 0);
        if (older is null || requests < 0 || window <= TimeSpan.Zero)
            return new RouteFigures(newer.Requests, null, null, null, null, TimeSpan.Zero);
        var errors = newer.Errors - older.Errors;
        var buckets = newer.Buckets.Select(b => (b.Le, Count: b.Count - older.Buckets.FirstOrDefault(o => o.Le == b.Le).Count)).ToList();
        var observed = newer.DurationCount - older.DurationCount;
        return new RouteFigures(newer.Requests, requests / window.TotalSeconds,
            requests > 0 ? errors / requests : null, Quantile(buckets, observed, 0.5), Quantile(buckets, observed, 0.99), window);
    }

    private static double? Quantile(List<(double Le, double Count)> cumulative, double total, double q)
    {
        if (total <= 0) return null;
        var rank = q * total;
        foreach (var (le, count) in cumulative)
            if (count >= rank) return le;
        return null;
    }
}
