namespace Platform.Scheduler.Recording;

/// <summary>An Event to write about a pod; <see cref="Unschedulable"/> also sets its PodScheduled=False condition.</summary>
internal sealed record PodEventRecord(PodInfo Pod, string Type, string Reason, string Message, bool Unschedulable);
