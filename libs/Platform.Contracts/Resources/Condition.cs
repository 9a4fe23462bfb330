namespace Platform.Contracts.Resources;

/// <summary>A status condition (<c>Ready</c>, <c>PodScheduled</c>, <c>Available</c> ...); <see cref="Status"/> is True, False or Unknown.</summary>
public sealed record Condition
{
    public string? Type { get; init; }
    public string? Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public DateTimeOffset? LastHeartbeatTime { get; init; }
    public DateTimeOffset? LastProbeTime { get; init; }
    /// <summary>The <c>metadata.generation</c> this condition was set for (Gateway API and <c>metav1.Condition</c>).</summary>
    public long? ObservedGeneration { get; init; }
}
