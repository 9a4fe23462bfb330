namespace Platform.Scheduler.Plugins.PodTopologySpread;

/// <summary>For each constraint: matching pods per topology value over the eligible nodes, and the smallest such count.</summary>
internal sealed class SpreadCounts(IReadOnlyList<SpreadConstraint> constraints)
{
    public IReadOnlyList<SpreadConstraint> Constraints { get; } = constraints;
    public Dictionary<string, int>[] Counts { get; } = constraints.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    public int[] MinCounts { get; } = new int[constraints.Count];
    /// <summary>1 when the incoming pod matches the constraint's selector itself (placing it adds one), else 0.</summary>
    public int[] Self { get; } = new int[constraints.Count];
}
