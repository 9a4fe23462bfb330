namespace Platform.Scheduler.Plugins.PodTopologySpread;

/// <summary>For each constraint: matching pods per topology value over the eligible nodes, and the smallest such count.</summary>
internal sealed class SpreadCounts(IReadOnlyList<SpreadConstraint> constraints)
{
    public IReadOnlyList<SpreadConstraint> Constraints { get; } = constraints;
    public Dictionary<string, int>[] Counts { get; } = constraints.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    public int[] MinCounts { get; } = new int[constraints.Count];
}
