namespace Platform.Scheduler.Queue;

/// <summary><c>Scheduler:Queue</c>: back-off of pods that failed, doubling per attempt from the initial to the max.</summary>
public sealed class QueueOptions
{
    public TimeSpan PodInitialBackoff { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan PodMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
