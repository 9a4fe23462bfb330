namespace Platform.Contracts.Resources;

public sealed record StatefulSetStatus
{
    public long? ObservedGeneration { get; init; }
    /// <summary>Pods the controller made.</summary>
    public int Replicas { get; init; }
    public int? ReadyReplicas { get; init; }
    /// <summary>Pods of <see cref="CurrentRevision"/>.</summary>
    public int? CurrentReplicas { get; init; }
    /// <summary>Pods of <see cref="UpdateRevision"/>.</summary>
    public int? UpdatedReplicas { get; init; }
    public int? AvailableReplicas { get; init; }
    /// <summary>The revision the pods below the partition (or all, once an update completes) run.</summary>
    public string? CurrentRevision { get; init; }
    /// <summary>The revision of the current template.</summary>
    public string? UpdateRevision { get; init; }
    public int? CollisionCount { get; init; }
    public List<Condition>? Conditions { get; init; }
}
