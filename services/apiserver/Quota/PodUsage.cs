using Platform.Contracts.Resources;

namespace Platform.ApiServer.Quota;

/// <summary>What a pod counts against a ResourceQuota: 1 pod, and its containers' requests and limits (cpu in millicores, memory in bytes).</summary>
internal static class PodUsage
{
    public static Dictionary<string, decimal> Of(Pod pod)
    {
        var u = new Dictionary<string, decimal> { ["pods"] = 1, ["requests.cpu"] = 0, ["requests.memory"] = 0, ["limits.cpu"] = 0, ["limits.memory"] = 0 };
        foreach (var c in pod.Spec?.Containers ?? [])
        {
            var requests = c?.Resources?.Requests;
            var limits = c?.Resources?.Limits;
            // As in Kubernetes, a request left out but limited defaults to the limit.
            Add(u, "requests.cpu", requests?.GetValueOrDefault("cpu") ?? limits?.GetValueOrDefault("cpu"), cpu: true);
            Add(u, "requests.memory", requests?.GetValueOrDefault("memory") ?? limits?.GetValueOrDefault("memory"), cpu: false);
            Add(u, "limits.cpu", limits?.GetValueOrDefault("cpu"), cpu: true);
            Add(u, "limits.memory", limits?.GetValueOrDefault("memory"), cpu: false);
        }
        return u;
    }

    /// <summary>True when some container leaves <paramref name="key"/> (<c>requests.cpu</c>, <c>limits.memory</c> ...) unset.</summary>
    public static bool Missing(Pod pod, string key)
    {
        var (kind, resource) = Split(key);
        return (pod.Spec?.Containers ?? []).Any(c =>
            !((kind == "limits" ? c?.Resources?.Limits : c?.Resources?.Requests ?? c?.Resources?.Limits)?.ContainsKey(resource) ?? false));
    }

    public static (string Kind, string Resource) Split(string key) => key switch
    {
        "cpu" => ("requests", "cpu"),
        "memory" => ("requests", "memory"),
        _ => (key[..key.IndexOf('.')], key[(key.IndexOf('.') + 1)..]),
    };

    /// <summary><c>cpu</c> and <c>memory</c> in a quota mean <c>requests.cpu</c> and <c>requests.memory</c>.</summary>
    public static string Canonical(string key) => key switch { "cpu" => "requests.cpu", "memory" => "requests.memory", _ => key };

    /// <summary>A hard limit in the same units as <see cref="Of"/>.</summary>
    public static decimal HardValue(string key, string text)
    {
        var q = Quantity.Parse(text);
        return Canonical(key).EndsWith(".cpu", StringComparison.Ordinal) ? Quantity.ToMilli(q) : q;
    }

    public static string Format(string key, decimal value) =>
        Canonical(key) switch
        {
            var k when k.EndsWith(".cpu", StringComparison.Ordinal) => Quantity.FormatMilli((long)value),
            var k when k.EndsWith(".memory", StringComparison.Ordinal) => Quantity.FormatBytes(value),
            _ => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    private static void Add(Dictionary<string, decimal> u, string key, string? value, bool cpu)
    {
        if (value is null || !Quantity.TryParse(value, out var q)) return;
        u[key] += cpu ? Quantity.ToMilli(q) : q;
    }
}
