namespace Platform.Contracts.Resources;

public sealed record CronJobStatus
{
    /// <summary>The Jobs of this CronJob still running.</summary>
    public List<ObjectReference>? Active { get; init; }
    /// <summary>The scheduled time of the last run started.</summary>
    public DateTimeOffset? LastScheduleTime { get; init; }
    /// <summary>When the last run completed successfully.</summary>
    public DateTimeOffset? LastSuccessfulTime { get; init; }
}
