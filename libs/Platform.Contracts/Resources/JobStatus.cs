namespace Platform.Contracts.Resources;

public sealed record JobStatus
{
    /// <summary><c>Complete</c>, <c>Failed</c>, <c>Suspended</c>, <c>SuccessCriteriaMet</c>, <c>FailureTarget</c>.</summary>
    public List<Condition>? Conditions { get; init; }
    /// <summary>When the controller first ran the Job (reset when it is resumed).</summary>
    public DateTimeOffset? StartTime { get; init; }
    /// <summary>When the Job completed; never set for a failed Job.</summary>
    public DateTimeOffset? CompletionTime { get; init; }
    /// <summary>Pods pending or running.</summary>
    public int? Active { get; init; }
    /// <summary>Active pods that are ready.</summary>
    public int? Ready { get; init; }
    /// <summary>Pods that reached phase Succeeded.</summary>
    public int? Succeeded { get; init; }
    /// <summary>Pods that reached phase Failed (plus container restarts counted for OnFailure).</summary>
    public int? Failed { get; init; }
    /// <summary>Pods being deleted.</summary>
    public int? Terminating { get; init; }
    /// <summary>Indexed Jobs: the completed indexes as ranges, e.g. <c>0-2,5</c>.</summary>
    public string? CompletedIndexes { get; init; }
}
