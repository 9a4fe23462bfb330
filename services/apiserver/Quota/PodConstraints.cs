using Platform.Contracts.Quota;
using Platform.Contracts.Resources;
using N = Platform.Contracts.Quota.QuotaResourceNames;

namespace Platform.ApiServer.Quota;

/// <summary>
/// Kubernetes' pod quota constraint (kept there for backward compatibility): when a quota limits cpu or memory
/// requests or limits, every container and init container must declare them, or the pod is refused with
/// <c>must specify limits.cpu for: main; requests.memory for: main,sidecar</c>. A LimitRange's defaults count.
/// </summary>
internal static class PodConstraints
{
    /// <summary>What the containers of <paramref name="pod"/> leave undeclared among <paramref name="hard"/>'s names; null when nothing.</summary>
    public static string? Missing(Pod pod, IEnumerable<string> hard)
    {
        var required = hard.Where(N.RequiresDeclaration).ToHashSet(StringComparer.Ordinal);
        if (required.Count == 0) return null;
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var c in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).Where(c => c is not null))
        {
            var declared = Declared(c);
            foreach (var name in required.Where(n => !declared.Contains(n)))
            {
                if (!missing.TryGetValue(name, out var containers)) missing[name] = containers = new SortedSet<string>(StringComparer.Ordinal);
                containers.Add(c.Name ?? "");
            }
        }
        return missing.Count == 0 ? null : "must specify " + string.Join("; ", missing.Select(kv => $"{kv.Key} for: {string.Join(",", kv.Value)}"));
    }

    private static HashSet<string> Declared(Container c)
    {
        var requests = PodResourceTotals.EffectiveRequests(c);
        var limits = c.Resources?.Limits;
        var declared = new HashSet<string>(StringComparer.Ordinal);
        if (requests?.ContainsKey("cpu") == true) declared.UnionWith([N.Cpu, N.RequestsCpu]);
        if (requests?.ContainsKey("memory") == true) declared.UnionWith([N.Memory, N.RequestsMemory]);
        if (limits?.ContainsKey("cpu") == true) declared.Add(N.LimitsCpu);
        if (limits?.ContainsKey("memory") == true) declared.Add(N.LimitsMemory);
        return declared;
    }
}
