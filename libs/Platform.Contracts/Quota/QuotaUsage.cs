using System.Globalization;
using Platform.Contracts.Resources;
using N = Platform.Contracts.Quota.QuotaResourceNames;

namespace Platform.Contracts.Quota;

/// <summary>
/// What objects count against a ResourceQuota, as Kubernetes' quota evaluators measure them: every object its
/// <c>count/&lt;resource&gt;</c>; a pod that has not terminated (Succeeded, Failed) also <c>pods</c> and its requests and
/// limits; a Service <c>services</c>, its ports as <c>services.nodeports</c> when it is a NodePort or LoadBalancer
/// Service, and <c>services.loadbalancers</c> for a LoadBalancer. Values are plain numbers: cores, bytes, counts.
/// </summary>
public static class QuotaUsage
{
    public static Dictionary<string, decimal> Of(ResourceKind kind, Resource obj)
    {
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal) { [N.CountOf(kind)] = 1 };
        if (N.LegacyCountOf(kind) is { } legacy) usage[legacy] = 1;
        switch (obj)
        {
            case Pod pod when !IsTerminal(pod):
                usage[N.Pods] = 1;
                var requests = PodResourceTotals.Requests(pod.Spec);
                var limits = PodResourceTotals.Limits(pod.Spec);
                if (requests.TryGetValue("cpu", out var cpu)) usage[N.Cpu] = usage[N.RequestsCpu] = cpu;
                if (requests.TryGetValue("memory", out var memory)) usage[N.Memory] = usage[N.RequestsMemory] = memory;
                if (limits.TryGetValue("cpu", out var cpuLimit)) usage[N.LimitsCpu] = cpuLimit;
                if (limits.TryGetValue("memory", out var memoryLimit)) usage[N.LimitsMemory] = memoryLimit;
                break;
            case Service service:
                usage[N.Services] = 1;
                var type = service.Spec?.Type ?? "ClusterIP";
                usage[N.ServicesNodePorts] = type is "NodePort" or "LoadBalancer" ? service.Spec?.Ports?.Count ?? 0 : 0;
                usage[N.ServicesLoadBalancers] = type == "LoadBalancer" ? 1 : 0;
                break;
        }
        return usage;
    }

    /// <summary>The sum of <see cref="Of"/> over <paramref name="objects"/> of <paramref name="kind"/>, for <paramref name="names"/> (0 when none).</summary>
    public static Dictionary<string, decimal> Sum(ResourceKind kind, IEnumerable<Resource> objects, IEnumerable<string> names)
    {
        var sum = names.Distinct().ToDictionary(n => n, _ => 0m, StringComparer.Ordinal);
        foreach (var obj in objects)
            foreach (var (name, value) in Of(kind, obj))
                if (sum.TryGetValue(name, out var total)) sum[name] = Quantity.Add(total, value);
        return sum;
    }

    /// <summary>Terminated pods hold no resources: they stop counting toward <c>pods</c>, cpu and memory (not toward <c>count/pods</c>).</summary>
    public static bool IsTerminal(Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>A usage value as a quantity: cpu in cores or millicores (<c>1500m</c>), memory as <see cref="Quantity.Format"/> writes it, counts plainly.</summary>
    public static string Format(string name, decimal value) =>
        N.IsCpu(name) && Math.Abs(value) < Quantity.MaxMilli ? Quantity.FormatMilli(Quantity.ToMilli(value))
        : N.IsCpu(name) ? Quantity.Format(value)
        : N.IsMemory(name) ? Quantity.Format(value)
        : decimal.Truncate(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>The <c>status.used</c> of a quota whose <c>hard</c> names <paramref name="used"/>'s keys.</summary>
    public static ResourceList ToResourceList(IReadOnlyDictionary<string, decimal> used)
    {
        var list = new ResourceList();
        foreach (var (name, value) in used.OrderBy(kv => kv.Key, StringComparer.Ordinal)) list[name] = Format(name, value);
        return list;
    }
}
