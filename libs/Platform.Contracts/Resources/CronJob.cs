namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: batch/v1</c>, <c>kind: CronJob</c>: a Job created from a template on a cron schedule.</summary>
public sealed record CronJob : Resource
{
    /// <summary>The desired state.</summary>
    public CronJobSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the cronjob controller.</summary>
    public CronJobStatus? Status { get; init; }
}
