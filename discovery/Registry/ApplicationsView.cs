namespace Platform.Discovery.Registry;

/// <summary>An <c>applications</c> document: a full registry, a delta, or a VIP selection.</summary>
internal sealed record ApplicationsView(long VersionDelta, string AppsHashCode, IReadOnlyList<ApplicationView> Applications)
{
    /// <summary>
    /// Eureka's reconcile hash: instance counts per status, statuses in alphabetical order, each as
    /// <c>STATUS_count_</c> (<c>DOWN_1_UP_3_</c>). A client compares it after applying a delta.
    /// </summary>
    public static string HashCodeOf(IEnumerable<InstanceInfo> instances) =>
        HashCodeOf(instances.GroupBy(i => i.Status).ToDictionary(g => g.Key, g => g.Count()));

    /// <summary>The same hash from counts per status kept up to date by the registry.</summary>
    public static string HashCodeOf(IReadOnlyDictionary<InstanceStatus, int> perStatus)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (status, count) in perStatus)
            if (count > 0) counts[EurekaNames.Of(status)] = count;
        var sb = new System.Text.StringBuilder();
        foreach (var (status, count) in counts) sb.Append(status).Append('_').Append(count).Append('_');
        return sb.ToString();
    }
}
