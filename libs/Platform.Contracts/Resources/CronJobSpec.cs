namespace Platform.Contracts.Resources;

public sealed record CronJobSpec
{
    /// <summary>Standard five-field cron (minute hour day-of-month month day-of-week) or a macro such as <c>@hourly</c>.</summary>
    public string? Schedule { get; init; }
    /// <summary>The IANA time zone the schedule is read in; none: the controller's (UTC).</summary>
    public string? TimeZone { get; init; }
    /// <summary>A run missed by more than this many seconds is skipped.</summary>
    public long? StartingDeadlineSeconds { get; init; }
    /// <summary><c>Allow</c> (default), <c>Forbid</c> (skip a run while one is active) or <c>Replace</c> (delete the active run).</summary>
    public string? ConcurrencyPolicy { get; init; }
    /// <summary>While true no new runs start; defaults to false.</summary>
    public bool? Suspend { get; init; }
    /// <summary>The Job each run creates.</summary>
    public JobTemplateSpec? JobTemplate { get; init; }
    /// <summary>Completed Jobs kept; defaults to 3.</summary>
    public int? SuccessfulJobsHistoryLimit { get; init; }
    /// <summary>Failed Jobs kept; defaults to 1.</summary>
    public int? FailedJobsHistoryLimit { get; init; }
}
