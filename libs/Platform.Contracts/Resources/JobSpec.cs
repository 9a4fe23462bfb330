namespace Platform.Contracts.Resources;

public sealed record JobSpec
{
    /// <summary>The most pods running at once; defaults to 1, 0 pauses the Job.</summary>
    public int? Parallelism { get; init; }
    /// <summary>How many pods must succeed; defaults to 1 (unset with parallelism set: a work-queue Job done when any pod succeeds).</summary>
    public int? Completions { get; init; }
    /// <summary>Seconds since the Job started after which it fails with reason DeadlineExceeded and its pods are deleted.</summary>
    public long? ActiveDeadlineSeconds { get; init; }
    /// <summary>Rules on failed pods' exit codes and conditions: fail the Job, ignore the failure, or count it.</summary>
    public PodFailurePolicy? PodFailurePolicy { get; init; }
    /// <summary>Failed pods (and container restarts with OnFailure) tolerated before the Job fails; defaults to 6.</summary>
    public int? BackoffLimit { get; init; }
    /// <summary>The pods' labels; generated from the Job's uid unless <see cref="ManualSelector"/>.</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary>When true the user's selector is taken as it is instead of the generated one.</summary>
    public bool? ManualSelector { get; init; }
    /// <summary>The pod template; restartPolicy must be OnFailure or Never.</summary>
    public PodTemplateSpec? Template { get; init; }
    /// <summary>Seconds after the Job finished when it is deleted with its pods.</summary>
    public int? TtlSecondsAfterFinished { get; init; }
    /// <summary><c>NonIndexed</c> (default) or <c>Indexed</c>: each pod gets an index 0..completions-1.</summary>
    public string? CompletionMode { get; init; }
    /// <summary>While true no pods run (active ones are deleted) and the deadline does not count.</summary>
    public bool? Suspend { get; init; }
}
