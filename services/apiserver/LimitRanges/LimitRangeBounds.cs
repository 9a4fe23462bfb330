using System.Globalization;
using Platform.Contracts.Quota;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.LimitRanges;

/// <summary>
/// LimitRanger's validating half: every container's (type <c>Container</c>) or the pod's total (type <c>Pod</c>)
/// requests and limits within <c>min</c> and <c>max</c> and under <c>maxLimitRequestRatio</c>. The messages are
/// Kubernetes': <c>maximum cpu usage per Container is 1, but limit is 2</c>.
/// </summary>
internal static class LimitRangeBounds
{
    public static List<string> Check(LimitRange range, Pod pod)
    {
        var errors = new List<string>();
        foreach (var item in (range.Spec?.Limits ?? []).Where(i => i is not null))
        {
            if (item.Type == "Container")
            {
                foreach (var c in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).Where(c => c is not null))
                    CheckItem(item, Parse(c.Resources?.Requests), Parse(c.Resources?.Limits), errors);
            }
            else if (item.Type == "Pod")
            {
                var requests = PodResourceTotals.Requests(pod.Spec).ToDictionary(kv => kv.Key, kv => (kv.Value, Format(kv.Key, kv.Value)), StringComparer.Ordinal);
                var limits = PodResourceTotals.Limits(pod.Spec).ToDictionary(kv => kv.Key, kv => (kv.Value, Format(kv.Key, kv.Value)), StringComparer.Ordinal);
                CheckItem(item, requests, limits, errors);
            }
        }
        return errors;
    }

    /// <summary>Kubernetes' aggregate of several errors: one as it is, more in brackets, each once.</summary>
    public static string Aggregate(IReadOnlyList<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : $"[{string.Join(", ", distinct)}]";
    }

    private static void CheckItem(LimitRangeItem item, Dictionary<string, (decimal Value, string Text)> requests,
        Dictionary<string, (decimal Value, string Text)> limits, List<string> errors)
    {
        var type = item.Type!;
        foreach (var (r, text) in item.Min ?? [])
        {
            if (!Quantity.TryParse(text, out var min)) continue;
            if (!requests.TryGetValue(r, out var req)) errors.Add($"minimum {r} usage per {type} is {text}.  No request is specified");
            else if (req.Value < min) errors.Add($"minimum {r} usage per {type} is {text}, but request is {req.Text}");
            else if (limits.TryGetValue(r, out var lim) && lim.Value < min) errors.Add($"minimum {r} usage per {type} is {text}, but limit is {lim.Text}");
        }
        foreach (var (r, text) in item.Max ?? [])
        {
            if (!Quantity.TryParse(text, out var max)) continue;
            if (!limits.TryGetValue(r, out var lim)) errors.Add($"maximum {r} usage per {type} is {text}.  No limit is specified");
            else if (lim.Value > max) errors.Add($"maximum {r} usage per {type} is {text}, but limit is {lim.Text}");
            else if (requests.TryGetValue(r, out var req) && req.Value > max) errors.Add($"maximum {r} usage per {type} is {text}, but request is {req.Text}");
        }
        foreach (var (r, text) in item.MaxLimitRequestRatio ?? [])
        {
            if (!Quantity.TryParse(text, out var ratio)) continue;
            if (!requests.TryGetValue(r, out var req) || req.Value == 0)
                errors.Add($"{r} max limit to request ratio per {type} is {text}, but no request is specified or request is 0");
            else if (!limits.TryGetValue(r, out var lim) || lim.Value == 0)
                errors.Add($"{r} max limit to request ratio per {type} is {text}, but no limit is specified or limit is 0");
            else if ((double)lim.Value / (double)req.Value is var observed && observed > (double)ratio)
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{r} max limit to request ratio per {type} is {text}, but provided ratio is {observed:0.000000}"));
        }
    }

    private static Dictionary<string, (decimal Value, string Text)> Parse(ResourceList? list) =>
        (list ?? []).Where(kv => Quantity.TryParse(kv.Value, out _)).ToDictionary(kv => kv.Key, kv => (Quantity.Parse(kv.Value), kv.Value), StringComparer.Ordinal);

    private static string Format(string resource, decimal value) => QuotaUsage.Format(resource == "cpu" ? QuotaResourceNames.Cpu : QuotaResourceNames.Memory, value);
}
