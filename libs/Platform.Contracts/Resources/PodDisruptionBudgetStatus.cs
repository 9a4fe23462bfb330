namespace Platform.Contracts.Resources;

/// <summary>What the disruption controller last saw of a PodDisruptionBudget's pods; the eviction API spends <see cref="DisruptionsAllowed"/>.</summary>
public sealed record PodDisruptionBudgetStatus
{
    public long? ObservedGeneration { get; init; }
    /// <summary>Pods evicted but not yet seen gone by the controller: name → time of the eviction.</summary>
    public Dictionary<string, DateTimeOffset>? DisruptedPods { get; init; }
    public int DisruptionsAllowed { get; init; }
    public int CurrentHealthy { get; init; }
    public int DesiredHealthy { get; init; }
    public int ExpectedPods { get; init; }
    public List<Condition>? Conditions { get; init; }
}
