using Platform.Contracts.Resources;

namespace Platform.Contracts.Quota;

/// <summary>
/// A pod's requests and limits as Kubernetes totals them (<c>resourcehelper.PodRequests</c>): the sum over its
/// containers, or the largest init container where that is larger, since init containers run one at a time before
/// the others. A container's missing request counts as its limit, as the apiserver defaults it. Only resource names
/// some container declares appear.
/// </summary>
public static class PodResourceTotals
{
    public static Dictionary<string, decimal> Requests(PodSpec? spec) => Total(spec, EffectiveRequests);

    public static Dictionary<string, decimal> Limits(PodSpec? spec) => Total(spec, c => c.Resources?.Limits);

    /// <summary>A container's requests, with each limit standing in for a request left out.</summary>
    public static IReadOnlyDictionary<string, string>? EffectiveRequests(Container c)
    {
        var requests = c.Resources?.Requests;
        var limits = c.Resources?.Limits;
        if (limits is null || limits.Count == 0) return requests;
        var effective = new Dictionary<string, string>(limits, StringComparer.Ordinal);
        foreach (var (k, v) in requests ?? []) effective[k] = v;
        return effective;
    }

    private static Dictionary<string, decimal> Total(PodSpec? spec, Func<Container, IReadOnlyDictionary<string, string>?> of)
    {
        var sum = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var c in spec?.Containers ?? [])
            foreach (var (k, q) in Parsed(c is null ? null : of(c))) sum[k] = Quantity.Add(sum.GetValueOrDefault(k), q);
        foreach (var c in spec?.InitContainers ?? [])
            foreach (var (k, q) in Parsed(c is null ? null : of(c)))
                if (!sum.TryGetValue(k, out var s) || q > s) sum[k] = q;
        return sum;
    }

    // The apiserver validated quantities before storing; one that does not parse counts as nothing.
    private static IEnumerable<(string, decimal)> Parsed(IReadOnlyDictionary<string, string>? list) =>
        (list ?? new Dictionary<string, string>()).Select(kv => (kv.Key, Quantity.TryParse(kv.Value, out var q) ? q : -1m)).Where(p => p.Item2 >= 0);
}
