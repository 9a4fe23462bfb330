namespace Platform.Console.Gateway;

/// <summary>
/// One route's cumulative figures at one scrape, summed over the gateway replicas: requests, those answered 5xx, and the
/// latency histogram (cumulative bucket counts by upper bound, count and sum).
/// </summary>
internal sealed record RouteCounters(double Requests, double Errors, IReadOnlyList<(double Le, double Count)> Buckets, double DurationCount, double DurationSum)
{
    public const string RequestsMetric = "gateway_route_requests_total";
    public const string DurationMetric = "gateway_route_request_duration_seconds";

    /// <summary>Per route (the gateway's route id: <c>namespace/name</c> for a Route resource) from the samples of every replica.</summary>
    public static Dictionary<string, RouteCounters> From(IEnumerable<PrometheusSample> samples)
    {
        var requests = new Dictionary<string, (double All, double Errors)>(StringComparer.Ordinal);
        var buckets = new Dictionary<string, SortedDictionary<double, double>>(StringComparer.Ordinal);
        var count = new Dictionary<string, double>(StringComparer.Ordinal);
        var sum = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            if (!s.Labels.TryGetValue("route", out var route) || route.Length == 0) continue;
            switch (s.Name)
            {
                case RequestsMetric:
                    var (all, errors) = requests.GetValueOrDefault(route);
                    var failed = s.Labels.TryGetValue("status", out var status) && status.StartsWith('5');
                    requests[route] = (all + s.Value, errors + (failed ? s.Value : 0));
                    break;
                case DurationMetric + "_bucket" when s.Labels.TryGetValue("le", out var le) && TryBound(le, out var bound):
                    if (!buckets.TryGetValue(route, out var b)) buckets[route] = b = [];
                    b[bound] = b.GetValueOrDefault(bound) + s.Value;
                    break;
                case DurationMetric + "_count":
                    count[route] = count.GetValueOrDefault(route) + s.Value;
                    break;
                case DurationMetric + "_sum":
                    sum[route] = sum.GetValueOrDefault(route) + s.Value;
                    break;
            }
        }
        return requests.Keys.Union(buckets.Keys).ToDictionary(r => r, r => new RouteCounters(
            requests.GetValueOrDefault(r).All, requests.GetValueOrDefault(r).Errors,
            buckets.TryGetValue(r, out var b) ? [.. b.Select(kv => (kv.Key, kv.Value))] : [],
            count.GetValueOrDefault(r), sum.GetValueOrDefault(r)), StringComparer.Ordinal);
    }

    public static bool Wanted(string name) => name == RequestsMetric || name.StartsWith(DurationMetric, StringComparison.Ordinal);

    private static bool TryBound(string le, out double bound)
    {
        if (le == "+Inf") { bound = double.PositiveInfinity; return true; }
        return double.TryParse(le, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out bound);
    }
}
