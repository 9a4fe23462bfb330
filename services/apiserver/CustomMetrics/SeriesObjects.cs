using Platform.Contracts.Resources;

namespace Platform.ApiServer.CustomMetrics;

/// <summary>
/// Which objects a static target's series describes, by its labels, as prometheus-adapter's default resource
/// overrides do: a label named after a namespaced kind (<c>pod</c>, <c>service</c>, <c>deployment</c>, <c>route</c>…)
/// with the <c>namespace</c> label, or holding <c>namespace/name</c> itself (the gateway's <c>route</c> label).
/// Resources are named as the custom metrics API names them: <c>pods</c>, <c>routes.gateway.platform.io</c>.
/// </summary>
internal static class SeriesObjects
{
    private static readonly Dictionary<string, ResourceKind> ByLabel = ResourceKinds.All.Where(k => k.Namespaced)
        .GroupBy(k => k.Kind.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The custom metrics API's name of a kind's resource: the plural, qualified by the group outside the core group.</summary>
    public static string ResourceName(ResourceKind kind) => kind.Group.Length == 0 ? kind.Plural : $"{kind.Plural}.{kind.Group}";

    /// <summary>The namespaced kind a custom metrics resource name stands for (<c>pods</c>, <c>routes.gateway.platform.io</c>, <c>routes</c>).</summary>
    public static ResourceKind? KindOf(string resource) =>
        ResourceKinds.All.FirstOrDefault(k => k.Namespaced && ResourceName(k) == resource)
        ?? ResourceKinds.All.FirstOrDefault(k => k.Namespaced && k.Plural == resource);

    public static IEnumerable<DescribedObject> All(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (label, value) in labels)
            if (ByLabel.TryGetValue(label, out var kind) && Describe(kind, value, labels) is { } o) yield return o;
    }

    public static DescribedObject? Find(IReadOnlyDictionary<string, string> labels, ResourceKind kind) =>
        labels.TryGetValue(kind.Kind.ToLowerInvariant(), out var value) ? Describe(kind, value, labels) : null;

    private static DescribedObject? Describe(ResourceKind kind, string value, IReadOnlyDictionary<string, string> labels)
    {
        var slash = value.IndexOf('/');
        if (slash > 0 && slash < value.Length - 1) return new DescribedObject(ResourceName(kind), value[..slash], value[(slash + 1)..]);
        return value.Length > 0 && labels.TryGetValue("namespace", out var ns) && ns.Length > 0 ? new DescribedObject(ResourceName(kind), ns, value) : null;
    }
}
