namespace Platform.Scheduler.Plugins.DefaultPreemption;

/// <summary>A node where the preemptor fits once <see cref="Victims"/> (highest priority first) are gone.</summary>
internal sealed record Candidate(string Node, IReadOnlyList<PodInfo> Victims, int BudgetViolations)
{
    /// <summary>
    /// kube-scheduler's pickOneNodeForPreemption order: fewest budget violations, then the lowest highest-priority
    /// victim, the smallest sum of priorities (shifted so negative priorities count), the fewest victims.
    /// </summary>
    public bool IsBetterThan(Candidate other)
    {
        if (BudgetViolations != other.BudgetViolations) return BudgetViolations < other.BudgetViolations;
        var (top, otherTop) = (Victims[0].Priority, other.Victims[0].Priority);
        if (top != otherTop) return top < otherTop;
        var (sum, otherSum) = (Sum(this), Sum(other));
        if (sum != otherSum) return sum < otherSum;
        return Victims.Count < other.Victims.Count;
    }

    private static long Sum(Candidate c) => c.Victims.Sum(v => (long)v.Priority + int.MaxValue + 1L);
}
